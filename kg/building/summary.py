"""The relation summary: one node per distinct relation, written at build time into a graph of its own.

Counting the articles or claimants behind a relation means grouping every assertion of the store; the
saved questions, ``kg stats`` and the network need those counts all the time, so the build computes them
once and keeps them up to date (an incremental build recomputes only the relations whose assertions it
added or removed). In the graph ``{base}graph/relations``, each distinct (subject, predicate, object)
that some assertion reports is a node ``{base}relation/HASH``:

* ``a kg:RelationSummary``; ``rdf:subject``, ``rdf:predicate``, ``rdf:object`` as its assertions say;
* ``kg:assertion``: every assertion of it (from there ``prov:wasDerivedFrom`` gives the article,
  ``kg:claimant`` the claimant, ``kg:quote`` the words);
* ``kg:asserted true`` when some assertion does not deny it, ``kg:denied true`` when some assertion is
  negated (each left out when false);
* over the assertions that do not deny it: ``kg:articleCount`` (distinct articles), ``kg:claimantCount``
  (distinct claimants), ``kg:firstReported`` / ``kg:lastReported`` (the article dates, as written),
  ``kg:firstDated`` / ``kg:lastDated`` (the dates the reports give, when some do), ``kg:allFormer true``
  (every report calls it former).

>>> summary_node("s", "p", "o", "https://w3id.org/kg/id/").startswith("https://w3id.org/kg/id/relation/")
True
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from kg.vocab import KG, PROV, RDF

if TYPE_CHECKING:
    from kg.store import GraphStore

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


_PER_ASSERTION = f"""
  ?a <{RDF}subject> ?s ; <{RDF}predicate> ?p ; <{RDF}object> ?o ; <{PROV}wasDerivedFrom> ?g .
  OPTIONAL {{ ?a <{KG}claimant> ?c }}
  BIND(EXISTS {{ ?a <{KG}negated> true }} AS ?neg)
  OPTIONAL {{ ?a <{KG}reportedOn> ?rep }}
  OPTIONAL {{ ?a <{KG}date> ?dat }}
  BIND(IF(?neg, 1/0, ?g) AS ?ga)
  BIND(IF(?neg, 1/0, ?c) AS ?ca)
  BIND(IF(?neg, 1/0, STR(?rep)) AS ?ra)
  BIND(IF(?neg, 1/0, STR(?dat)) AS ?da)
  BIND(IF(?neg, 1/0, EXISTS {{ ?a <{KG}former> true }}) AS ?fa)
"""

_AGGREGATE = f"""SELECT ?s ?p ?o (COUNT(DISTINCT ?ga) AS ?articles) (COUNT(DISTINCT ?ca) AS ?claimants)
  (MIN(?ra) AS ?first) (MAX(?ra) AS ?last) (MIN(?da) AS ?first_dated) (MAX(?da) AS ?last_dated)
  (MAX(?neg) AS ?denied) (MIN(?neg) AS ?all_denied) (MIN(?fa) AS ?all_former)
  (GROUP_CONCAT(STR(?a); separator=" ") AS ?assertions)
WHERE {{ {{values}} {_PER_ASSERTION} }}
GROUP BY ?s ?p ?o"""


def _rows(store: GraphStore, query: str) -> Iterator[Any]:
    yield from store.store.query(query, use_default_graph_as_union=True)  # type: ignore[union-attr,misc]


def predicates(store: GraphStore) -> list[str]:
    """The predicates the store's assertions report."""
    q = f"SELECT DISTINCT ?p WHERE {{ ?a <{RDF}predicate> ?p ; <{PROV}wasDerivedFrom> ?g }}"
    return sorted(r["p"].value for r in _rows(store, q))


def keys_in_graphs(store: GraphStore, graphs: Iterable[str]) -> set[Key]:
    """The relations that assertions in these article graphs report."""
    found: set[Key] = set()
    names = sorted(graphs)
    for start in range(0, len(names), 500):
        values = " ".join(f"<{g}>" for g in names[start:start + 500])
        q = (f"SELECT DISTINCT ?s ?p ?o WHERE {{ VALUES ?g {{ {values} }} GRAPH ?g {{ ?a <{RDF}subject> ?s ; "
             f"<{RDF}predicate> ?p ; <{RDF}object> ?o }} }}")
        found.update((r["s"].value, r["p"].value, r["o"].value) for r in store.store.query(q))  # type: ignore[union-attr]
    return found


def _nquads(row: Any, base: str, graph: str) -> str:
    s, p, o = row["s"].value, row["p"].value, row["o"].value
    node = f"<{summary_node(s, p, o, base)}>"
    g = f"<{graph}> .\n"
    denied = row["denied"].value == "true"
    asserted = row["all_denied"].value != "true"
    lines = [f"{node} <{RDF}type> <{KG}RelationSummary> {g}",
             f"{node} <{RDF}subject> <{s}> {g}", f"{node} <{RDF}predicate> <{p}> {g}",
             f"{node} <{RDF}object> <{o}> {g}"]
    if denied:
        lines.append(f"{node} <{KG}denied> {_TRUE} {g}")
    if asserted:
        lines.append(f"{node} <{KG}asserted> {_TRUE} {g}")
        lines.append(f"{node} <{KG}articleCount> {ox.Literal(row['articles'].value, datatype=_XSD_INT)} {g}")
        lines.append(f"{node} <{KG}claimantCount> {ox.Literal(row['claimants'].value, datatype=_XSD_INT)} {g}")
        if row["all_former"].value == "true":
            lines.append(f"{node} <{KG}allFormer> {_TRUE} {g}")
        for name, var in (("firstReported", "first"), ("lastReported", "last"), ("firstDated", "first_dated"),
                          ("lastDated", "last_dated")):
            if row[var] is not None:
                lines.append(f"{node} <{KG}{name}> {ox.Literal(row[var].value)} {g}")
    lines.extend(f"{node} <{KG}assertion> <{a}> {g}" for a in sorted(row["assertions"].value.split()))
    return "".join(lines)


def summarise(store: GraphStore, base: str, keys: set[Key] | None = None) -> Iterator[bytes]:
    """The summary nodes of ``keys`` (default: every relation) as N-Quads, a chunk at a time."""
    graph = summary_graph(base)
    if keys is None:
        for p in predicates(store):
            query = _AGGREGATE.replace("{values}", f"BIND(<{p}> AS ?p)")
            yield "".join(_nquads(r, base, graph) for r in _rows(store, query)).encode("utf-8")
        return
    ordered = sorted(keys)
    for start in range(0, len(ordered), 1000):
        values = " ".join(f"(<{s}> <{p}> <{o}>)" for s, p, o in ordered[start:start + 1000])
        query = _AGGREGATE.replace("{values}", f"VALUES (?s ?p ?o) {{ {values} }}")
        yield "".join(_nquads(r, base, graph) for r in _rows(store, query)).encode("utf-8")


def drop_nodes(keys: Iterable[Key], base: str) -> Iterator[str]:
    """SPARQL updates that delete the summary nodes of ``keys``, a thousand at a time."""
    graph = summary_graph(base)
    ordered = sorted(keys)
    for start in range(0, len(ordered), 1000):
        nodes = " ".join(f"<{summary_node(s, p, o, base)}>" for s, p, o in ordered[start:start + 1000])
        yield (f"DELETE {{ GRAPH <{graph}> {{ ?n ?x ?y }} }} "
               f"WHERE {{ VALUES ?n {{ {nodes} }} GRAPH <{graph}> {{ ?n ?x ?y }} }}")
