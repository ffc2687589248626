"""The relation summary: one node per distinct relation, written at build time into a graph of its own.

Counting the articles or claimants behind a relation means grouping every assertion of the store; the
saved questions, ``kg stats`` and the network need those counts all the time, so the build computes them
once and keeps them up to date (an incremental build recomputes only the relations whose assertions it
added or removed, from the assertions their old nodes link and those of the articles it mapped). In the
graph ``{base}graph/relations``, each distinct (subject, predicate, object)
that some assertion reports is a node ``{base}relation/HASH``:

* ``a kg:RelationSummary``; ``rdf:subject``, ``rdf:predicate``, ``rdf:object`` as its assertions say;
* ``kg:assertion``: every assertion of it (from there ``prov:wasDerivedFrom`` gives the article,
  ``kg:claimant`` the claimant, ``kg:quote`` the words);
* ``kg:asserted true`` when some assertion does not deny it, ``kg:denied true`` when some assertion is
  negated (each left out when false);
* over the assertions that do not deny it: ``kg:articleCount`` (distinct articles), ``kg:claimantCount``
  (distinct claimants), ``kg:firstReported`` / ``kg:lastReported`` (the article dates, as written),
  ``kg:firstDated`` / ``kg:lastDated`` (the dates the reports give, when some do), ``kg:allFormer true``
  (every report calls it former), and ``kg:assertedIn`` each of those articles;
* when some assertion does not deny it, ``kg:key``: six lookup keys, the IRIs of its ends and predicate
  separated by spaces with ``*`` for any (:func:`keys`): ``"S P O"``, ``"S P *"``, ``"* P O"``,
  ``"S * *"``, ``"* * O"``, ``"* P *"``. A question that knows an actor finds the actor's relations of one
  kind with one index lookup (``?r kg:key "* P O"``) instead of reading every assertion that names the
  actor.

>>> summary_node("s", "p", "o", "https://w3id.org/kg/id/").startswith("https://w3id.org/kg/id/relation/")
True
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from kg.building.display_names import names_update
from kg.vocab import ID_BASE, KG, PROV, RDF

if TYPE_CHECKING:
    from kg.sparql.store import GraphStore

Key = tuple[str, str, str]

#: Above this many changed relations, an incremental build recomputes the whole summary.
RECOMPUTE_ABOVE = 20_000
_XSD_INT = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
_TRUE = ox.Literal(True)


def summary_graph(base: str) -> str:
    return f"{base}graph/relations"


def summary_node(s: str, p: str, o: str, base: str) -> str:
    """The IRI of the summary of one relation: a hash of its three IRIs (deterministic across builds)."""
    return f"{base}relation/{hashlib.sha256(f'{s} {p} {o}'.encode()).hexdigest()[:24]}"


def keys(s: str, p: str, o: str) -> tuple[str, ...]:
    """The ``kg:key`` values of the summary of one relation: its IRIs, ``*`` standing for any.

    >>> keys("S", "P", "O")
    ('S P O', 'S P *', '* P O', 'S * *', '* * O', '* P *')
    """
    return f"{s} {p} {o}", f"{s} {p} *", f"* {p} {o}", f"{s} * *", f"* * {o}", f"* {p} *"


def _flags_tested(query: str) -> str:
    """The query with each ``kg:negated true`` and ``kg:former true`` pattern a variable whose value is tested.

    >>> _flags_tested(f"?a <{KG}negated> true . ?a <{KG}former> true }}").replace(KG, "kg:")
    '?a <kg:negated> ?negated . FILTER(?negated) ?a <kg:former> ?was FILTER(?was) }'
    """
    for flag, var in (("negated", "?negated"), ("former", "?was")):
        query = (query.replace(f"<{KG}{flag}> true }}", f"<{KG}{flag}> {var} FILTER({var}) }}")
                 .replace(f"<{KG}{flag}> true .", f"<{KG}{flag}> {var} . FILTER({var})"))
    return query

# Aggregates over the assertions that do not deny a relation (the same expressions the questions used when
# they grouped assertions themselves, so the answers stay the same), and, apart, the assertions that deny it.
_ASSERTED = f"""SELECT ?s ?p ?o (COUNT(DISTINCT ?g) AS ?articles) (COUNT(DISTINCT ?c) AS ?claimants)
  (MIN(STR(?rep)) AS ?first) (MAX(STR(?rep)) AS ?last) (MIN(STR(?dat)) AS ?first_dated)
  (MAX(STR(?dat)) AS ?last_dated) (MIN(?former) AS ?all_former)
  (GROUP_CONCAT(STR(?a); separator=" ") AS ?assertions) (GROUP_CONCAT(DISTINCT STR(?g); separator=" ") AS ?in)
WHERE {{ {{values}}
  ?a <{RDF}subject> ?s ; <{RDF}predicate> ?p ; <{RDF}object> ?o ; <{PROV}wasDerivedFrom> ?g ; <{KG}claimant> ?c .
  FILTER NOT EXISTS {{ ?a <{KG}negated> true }}
  OPTIONAL {{ ?a <{KG}reportedOn> ?rep }}
  OPTIONAL {{ ?a <{KG}date> ?dat }}
  BIND(EXISTS {{ ?a <{KG}former> true }} AS ?former)
}}
GROUP BY ?s ?p ?o"""

_DENIED = f"""SELECT ?s ?p ?o (GROUP_CONCAT(STR(?a); separator=" ") AS ?assertions)
WHERE {{ {{values}}
  ?a <{RDF}subject> ?s ; <{RDF}predicate> ?p ; <{RDF}object> ?o ; <{PROV}wasDerivedFrom> ?g ; <{KG}negated> true .
}}
GROUP BY ?s ?p ?o"""
# The same, for assertions given by VALUES: with the flag as a constant, Oxigraph starts from every negated
# assertion of the store and joins the given ones to them (11.5 s for 4,838 assertions at 10,000 articles);
# tested as a value, it starts from the given ones (0.6 s). kg writes the flag as ``true`` only.
_DENIED_GIVEN = _flags_tested(_DENIED)


def _rows(store: GraphStore, query: str) -> Iterator[Any]:
    yield from store.solutions(query, union=True)  # type: ignore[union-attr,misc]


def predicates(store: GraphStore) -> list[str]:
    """The predicates the store's assertions report."""
    q = f"SELECT DISTINCT ?p WHERE {{ ?a <{RDF}predicate> ?p ; <{PROV}wasDerivedFrom> ?g }}"
    return sorted(r["p"].value for r in _rows(store, q))


def keys_in_graphs(store: GraphStore, graphs: Iterable[str]) -> set[Key]:
    """The relations that assertions in these article graphs report."""
    return set(assertions_in_graphs(store, graphs))


def assertions_in_graphs(store: GraphStore, graphs: Iterable[str]) -> dict[Key, set[str]]:
    """The assertions in these article graphs, by the relation each reports."""
    found: dict[Key, set[str]] = {}
    names = sorted(graphs)
    for start in range(0, len(names), 500):
        values = " ".join(f"<{g}>" for g in names[start:start + 500])
        q = (f"SELECT DISTINCT ?a ?s ?p ?o WHERE {{ VALUES ?g {{ {values} }} GRAPH ?g {{ ?a <{RDF}subject> ?s ; "
             f"<{RDF}predicate> ?p ; <{RDF}object> ?o }} }}")
        for r in store.solutions(q):  # type: ignore[union-attr]
            found.setdefault(_key(r), set()).add(r["a"].value)
    return found


def linked_assertions(store: GraphStore, keys: Iterable[Key], base: str) -> dict[Key, set[str]]:
    """The assertions that the summary nodes of ``keys`` link (``kg:assertion``), by relation: every
    assertion of each relation the store held when its node was written."""
    graph = summary_graph(base)
    nodes = {summary_node(*k, base): k for k in keys}
    found: dict[Key, set[str]] = {k: set() for k in nodes.values()}
    names = sorted(nodes)
    for start in range(0, len(names), 1000):
        values = " ".join(f"<{n}>" for n in names[start:start + 1000])
        q = f"SELECT ?n ?a WHERE {{ VALUES ?n {{ {values} }} GRAPH <{graph}> {{ ?n <{KG}assertion> ?a }} }}"
        for r in store.solutions(q):  # type: ignore[union-attr]
            found[nodes[r["n"].value]].add(r["a"].value)
    return found


def node_nquads(key: Key, node: str, graph: str, *, denied: bool, articles: Iterable[str] | None = None,
                claimants: int = 0, dates: tuple[str | None, str | None, str | None, str | None] = (None,) * 4,
                all_former: bool = False) -> list[str]:
    """The quads of one summary node but its ``kg:assertion`` links, as N-Quads lines: the one place that
    writes them, whether the aggregates come from SPARQL (:func:`summarise`) or from the mapped articles
    (:class:`kg.building.collect.Collector`). ``articles`` (the asserting articles' IRIs) is None when every
    report denies the relation; ``dates`` are first and last reported, first and last dated (None: unknown).
    """
    s, p, o = key
    node, g = f"<{node}>", f"<{graph}> .\n"
    lines = [f"{node} <{RDF}type> <{KG}RelationSummary> {g}",
             f"{node} <{RDF}subject> <{s}> {g}", f"{node} <{RDF}predicate> <{p}> {g}",
             f"{node} <{RDF}object> <{o}> {g}"]
    if denied:
        lines.append(f"{node} <{KG}denied> {_TRUE} {g}")
    if articles is not None:
        asserting = sorted(set(articles))
        lines.append(f"{node} <{KG}asserted> {_TRUE} {g}")
        lines.append(f"{node} <{KG}articleCount> {ox.Literal(str(len(asserting)), datatype=_XSD_INT)} {g}")
        lines.append(f"{node} <{KG}claimantCount> {ox.Literal(str(claimants), datatype=_XSD_INT)} {g}")
        lines.extend(f"{node} <{KG}assertedIn> <{a}> {g}" for a in asserting)
        lines.extend(f"{node} <{KG}key> {ox.Literal(k)} {g}" for k in keys(s, p, o))
        if all_former:
            lines.append(f"{node} <{KG}allFormer> {_TRUE} {g}")
        for name, value in zip(("firstReported", "lastReported", "firstDated", "lastDated"), dates, strict=True):
            if value is not None:
                lines.append(f"{node} <{KG}{name}> {ox.Literal(value)} {g}")
    return lines


def _nquads(key: Key, row: Any, denied: list[str], base: str, graph: str) -> str:
    """The summary node of one relation; ``row`` holds the aggregates of its asserting reports (or None)."""
    node = summary_node(*key, base)
    assertions = list(denied)
    if row is None:
        lines = node_nquads(key, node, graph, denied=bool(denied))
    else:
        assertions.extend(row["assertions"].value.split())
        value = {v: None if row[v] is None else row[v].value for v in ("first", "last", "first_dated", "last_dated")}
        lines = node_nquads(key, node, graph, denied=bool(denied), articles=row["in"].value.split(),
                            claimants=int(row["claimants"].value),
                            dates=(value["first"], value["last"], value["first_dated"], value["last_dated"]),
                            all_former=row["all_former"] is not None and row["all_former"].value == "true")
    lines.extend(f"<{node}> <{KG}assertion> <{a}> <{graph}> .\n" for a in sorted(assertions))
    return "".join(lines)


def _key(row: Any) -> Key:
    return row["s"].value, row["p"].value, row["o"].value


def _part(store: GraphStore, values: str, base: str, graph: str, *, given: bool = False) -> bytes:
    """The summary nodes of the relations a ``values`` clause selects (``given``: it lists their assertions)."""
    denied_query = _DENIED_GIVEN if given else _DENIED
    denied = {_key(r): r["assertions"].value.split() for r in _rows(store, denied_query.replace("{values}", values))}
    out = []
    for row in _rows(store, _ASSERTED.replace("{values}", values)):
        key = _key(row)
        out.append(_nquads(key, row, denied.pop(key, []), base, graph))
    out.extend(_nquads(key, None, assertions, base, graph) for key, assertions in sorted(denied.items()))
    return "".join(out).encode("utf-8")


def summarise(store: GraphStore, base: str, assertions: dict[Key, set[str]] | None = None) -> Iterator[bytes]:
    """The summary nodes of every relation, or of the relations of ``assertions``, as N-Quads, a chunk at a
    time. ``assertions`` gives, for each relation to summarise, every assertion that may report it (those the
    store no longer holds, or that report another relation now, are left out): a relation's assertions are
    found from their IRIs, where finding them from the relation's ends reads every assertion of its subject
    (69 s for 1,000 relations at 10,000 articles, against 2.0 s)."""
    graph = summary_graph(base)
    if assertions is None:
        for p in predicates(store):
            yield _part(store, f"VALUES ?p {{ <{p}> }}", base, graph)
        return
    ordered = sorted(assertions)
    for start in range(0, len(ordered), 1000):
        rows = " ".join(f"(<{a}> <{s}> <{p}> <{o}>)" for s, p, o in ordered[start:start + 1000]
                        for a in sorted(assertions[(s, p, o)]))
        if rows:
            yield _part(store, f"VALUES (?a ?s ?p ?o) {{ {rows} }}", base, graph, given=True)


def drop_nodes(keys: Iterable[Key], base: str) -> Iterator[str]:
    """SPARQL updates that delete the summary nodes of ``keys``, a thousand at a time."""
    graph = summary_graph(base)
    ordered = sorted(keys)
    for start in range(0, len(ordered), 1000):
        nodes = " ".join(f"<{summary_node(s, p, o, base)}>" for s, p, o in ordered[start:start + 1000])
        yield (f"DELETE {{ GRAPH <{graph}> {{ ?n ?x ?y }} }} "
               f"WHERE {{ VALUES ?n {{ {nodes} }} GRAPH <{graph}> {{ ?n ?x ?y }} }}")


def refresh(store: GraphStore, base: str = ID_BASE) -> None:
    """Recompute the summary graph of a store written by other means than a build (a build keeps it).

    >>> from kg.sparql.store import GraphStore
    >>> store = GraphStore()
    >>> refresh(store)
    >>> store.graphs()
    []
    """
    store.update(refresh_update(summary_graph(base)))


def is_summary_graph(iri: str) -> bool:
    """Whether a graph is a relation summary (``{base}graph/relations``): derived, recomputed, never merged.

    >>> is_summary_graph("https://w3id.org/kg/id/graph/relations"), is_summary_graph("https://w3id.org/kg/id/article/a")
    (True, False)
    """
    return iri.rstrip("/").endswith("/graph/relations")


def refresh_update(graph: str) -> str:
    """A SPARQL 1.1 Update that recomputes the summary graph ``graph`` from the assertions a server holds
    (the same nodes, with the same IRIs, as a build writes): how ``kg push`` brings a server's summary up
    to date after loading the article graphs of one or several stores, with the nodes' names
    (:mod:`kg.building.display_names`)."""
    base = graph.rstrip("/").removesuffix("graph/relations")
    node = (f'BIND(IRI(CONCAT("{base}relation/", SUBSTR(SHA256(CONCAT(STR(?s), " ", STR(?p), " ", STR(?o))), 1, 24)))'
            " AS ?r)")
    head = f"?r a <{KG}RelationSummary> ; <{RDF}subject> ?s ; <{RDF}predicate> ?p ; <{RDF}object> ?o"
    # Oxigraph's MIN and MAX are unbound when one report lacks the date; a server that skips the unbound
    # values (Virtuoso) is told so by counting the reports without one
    asserted = _in_graphs(_ASSERTED.replace(
        " (MIN(?former)", " (SUM(IF(BOUND(?rep), 0, 1)) AS ?unreported) (SUM(IF(BOUND(?dat), 0, 1)) AS ?undated)"
        " (MIN(?former)", 1))
    denied = _in_graphs(_DENIED)
    space = ', " ", '
    key_binds = " ".join(f"BIND(CONCAT({space.join(parts)}) AS ?k{n})" for n, parts in enumerate((
        ("STR(?s)", "STR(?p)", "STR(?o)"), ("STR(?s)", "STR(?p)", '"*"'), ('"*"', "STR(?p)", "STR(?o)"),
        ("STR(?s)", '"*"', '"*"'), ('"*"', '"*"', "STR(?o)"), ('"*"', "STR(?p)", '"*"')), 1))
    dates = " ".join(f"BIND(IF(?{none} = 0, ?{var}, ?unbound) AS ?{var}_)" for none, var in (
        ("unreported", "first"), ("unreported", "last"), ("undated", "first_dated"), ("undated", "last_dated")))
    return f"""DROP SILENT GRAPH <{graph}> ;
INSERT {{ GRAPH <{graph}> {{ {head} ; <{KG}asserted> true ; <{KG}articleCount> ?articles ;
    <{KG}claimantCount> ?claimants ; <{KG}firstReported> ?first_ ; <{KG}lastReported> ?last_ ;
    <{KG}firstDated> ?first_dated_ ; <{KG}lastDated> ?last_dated_ }} }}
WHERE {{ {{ {asserted} }} {dates} {node} }} ;
INSERT {{ GRAPH <{graph}> {{ ?r <{KG}allFormer> true }} }}
WHERE {{ {{ {asserted} }} FILTER(?all_former) {node} }} ;
INSERT {{ GRAPH <{graph}> {{ {head} ; <{KG}denied> true }} }}
WHERE {{ {{ {denied} }} {node} }} ;
INSERT {{ GRAPH <{graph}> {{ ?r <{KG}key> ?k1, ?k2, ?k3, ?k4, ?k5, ?k6 }} }}
WHERE {{ SELECT DISTINCT ?r ?k1 ?k2 ?k3 ?k4 ?k5 ?k6 WHERE {{
  GRAPH ?ag {{ ?a <{RDF}subject> ?s ; <{RDF}predicate> ?p ; <{RDF}object> ?o ; <{PROV}wasDerivedFrom> ?g
    FILTER NOT EXISTS {{ ?a <{KG}negated> ?negated FILTER(?negated) }} }}
  {node} {key_binds} }} }} ;
INSERT {{ GRAPH <{graph}> {{ ?r <{KG}assertedIn> ?g }} }}
WHERE {{ GRAPH ?ag {{ ?a <{RDF}subject> ?s ; <{RDF}predicate> ?p ; <{RDF}object> ?o ; <{PROV}wasDerivedFrom> ?g
  FILTER NOT EXISTS {{ ?a <{KG}negated> ?negated FILTER(?negated) }} }} {node} }} ;
INSERT {{ GRAPH <{graph}> {{ ?r <{KG}assertion> ?a }} }}
WHERE {{ GRAPH ?ag {{ ?a <{RDF}subject> ?s ; <{RDF}predicate> ?p ; <{RDF}object> ?o ; <{PROV}wasDerivedFrom> ?g }}
  {node} }} ;
{names_update(graph)}"""


def _in_graphs(select: str) -> str:
    """An aggregate query of this module with its patterns inside ``GRAPH ?ag`` (an update's WHERE reads the
    default graph, which a server need not make the union of its graphs)."""
    head, body = select.split("WHERE {", 1)
    body, tail = body.rsplit("}", 1)
    # a server may keep ``true`` as another literal (Virtuoso: 1): test the flags' values, not their terms
    return f"{head}WHERE {{ GRAPH ?ag {{ {_flags_tested(body).replace('{values}', '')} }} }}{tail}"

