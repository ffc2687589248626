"""From the RDF graph to a networkx network of actors, and its projections.

:func:`actor_network` reads the assertions of a store (embedded, or any SPARQL 1.1 endpoint that keeps the
article graphs as named graphs) with a few SELECT queries (assertions, labels, types, articles), groups
them per (subject, relation, object), and returns a ``networkx.MultiDiGraph``:

* nodes keyed by IRI with ``type`` (ontology local name), ``label_en``, ``label_ar``, ``label`` (English,
  else Arabic, else the IRI's last segment), ``aliases`` and ``iri``;
* one edge per (subject, object, relation), keyed by the relation's local name, with ``relation``,
  ``symmetric``, ``sign`` (from the ontology), ``sources`` (distinct articles), ``articles``, ``claimants``
  (labels), ``first`` and ``last`` (reported dates, ISO strings), ``flags`` (the flags every supporting
  assertion carries, e.g. ``former``), ``negated`` and ``evidence`` (one dict per assertion).

A node is in the network when at least one kept edge touches it. Which relations link actors, places and
events, their sign and symmetry all come from the ontology (:func:`kg.ontology.load_ontology`).

Projections (plain functions of a network): :func:`alliance_network` (undirected), :func:`support_network`,
:func:`command_hierarchy` (superior → subordinate) and :func:`signed_network` (+1/−1 per pair).

Dates are compared as ISO strings on their common precision, so a claim dated ``2016-07`` lies in the
window ``since="2016-07-15"``: a month or a year is an interval, and an assertion is kept when its interval
meets the window.

>>> net = network_from_triples([("Haftar", "commands", "LNA"), ("LNA", "hostileTo", "BDB")])
>>> sorted(net.edges(keys=True))
[('BDB', 'LNA', 'hostileTo'), ('Haftar', 'LNA', 'commands')]
>>> net.edges["BDB", "LNA", "hostileTo"]["sign"]
-1
"""

from __future__ import annotations

import difflib
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

import networkx as nx

from kg.errors import NetworkError, UnknownActorError
from kg.model import valid_date

if TYPE_CHECKING:
    from kg.ontology import Ontology
    from kg.sparql.source import Source

KG = "https://w3id.org/kg/ontology#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
PROV = "http://www.w3.org/ns/prov#"
DCT = "http://purl.org/dc/terms/"
SCHEMA = "https://schema.org/"

#: The flags an assertion may carry (``kg:negated true`` and so on).
FLAGS = ("negated", "uncertain", "former", "intended")


_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_PREFIXES = (f"PREFIX kg: <{KG}>\nPREFIX rdf: <{RDF}>\nPREFIX rdfs: <{RDFS}>\nPREFIX skos: <{SKOS}>\n"
             f"PREFIX prov: <{PROV}>\nPREFIX dcterms: <{DCT}>\nPREFIX schema: <{SCHEMA}>\n")


# -- reading the store ----------------------------------------------------------------------------------


def select(source: Source, query: str) -> list[dict[str, str | None]]:
    """Run a SPARQL SELECT on a source (the store or an endpoint); rows as ``{variable: lexical value or None}``.

    The union of all graphs is the default graph.

    >>> from kg.sparql.store import GraphStore
    >>> select(GraphStore(), "SELECT ?x WHERE { VALUES ?x { 1 } }")
    [{'x': '1'}]
    """
    return source.select(query, prefixes=False).records()


def check_date(value: str | None, what: str = "date") -> str | None:
    """An ISO date, year-month or year, unchanged; anything else is a :class:`NetworkError`.

    >>> check_date("2016-07")
    '2016-07'
    """
    if value is None:
        return None
    value = value.strip()
    if not valid_date(value):
        raise NetworkError(f"bad {what} {value!r}", hint="use YYYY, YYYY-MM or YYYY-MM-DD")
    return value


def _prefix_compare(var: str, op: str, value: str) -> str:
    """``var op value`` on the common precision of two ISO date strings (both validated)."""
    k = f"IF(STRLEN({var}) < {len(value)}, STRLEN({var}), {len(value)})"
    return f'(BOUND({var}) && SUBSTR({var}, 1, {k}) {op} SUBSTR("{value}", 1, {k}))'


def _date_filters(since: str | None, until: str | None, as_of: str | None) -> list[str]:
    """FILTERs for a window on ``?when`` (the claim's date, else its report date) and a cut-off on ``?rep``."""
    filters = []
    if since is not None:
        filters.append(f"FILTER{_prefix_compare('?when', '>=', since)}")
    if until is not None:
        filters.append(f"FILTER{_prefix_compare('?when', '<=', until)}")
    if as_of is not None:
        filters.append(f"FILTER{_prefix_compare('?rep', '<=', as_of)}")
    return filters


def _iris(names: Iterable[str]) -> str:
    return " ".join(f"kg:{n}" for n in sorted(names))


def assertions_query(*, relations: Iterable[str] | None = None, since: str | None = None,
                     until: str | None = None, as_of: str | None = None, include_negated: bool = False,
                     exclude_flags: Iterable[str] = (), evidence: bool = True) -> str:
    """One row per kept assertion: its triple, article, claimant, dates, flags (and quote and sentence).

    Assertions are matched inside their article's graph (``GRAPH ?art``), so the query needs no union
    default graph and runs the same on any SPARQL 1.1 store.

    >>> "FILTER(!BOUND(?f_negated))" in assertions_query()
    True
    """
    lines = ["?a rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; prov:wasDerivedFrom ?art .",
             "OPTIONAL { ?a kg:reportedOn ?rep0 } OPTIONAL { ?a kg:date ?date0 } OPTIONAL { ?a kg:claimant ?c }"]
    lines += [f"OPTIONAL {{ ?a kg:{f} ?f_{f} }}" for f in FLAGS]
    if evidence:
        lines.append("OPTIONAL { ?a kg:quote ?quote } OPTIONAL { ?a kg:sentence ?sentence }")
    lines.append("BIND(STR(?rep0) AS ?rep) BIND(COALESCE(STR(?date0), STR(?rep0)) AS ?when)")
    if relations is not None:
        lines.append(f"VALUES ?p {{ {_iris(relations)} }}")
    skip = set(exclude_flags) | (set() if include_negated else {"negated"})
    lines += [f"FILTER(!BOUND(?f_{f}))" for f in FLAGS if f in skip]
    lines += _date_filters(since, until, as_of)
    flags = " ".join(f"(BOUND(?f_{f}) AS ?x_{f})" for f in FLAGS)
    extra = " ?quote ?sentence" if evidence else ""
    body = "\n".join(lines)
    return (f"{_PREFIXES}SELECT ?a ?s ?p ?o ?art ?c ?rep (STR(?date0) AS ?date) {flags}{extra}\n"
            f"WHERE {{ GRAPH ?art {{\n{body}\n}} }}")


ARTICLES_QUERY = (f"{_PREFIXES}SELECT ?art (SAMPLE(?t) AS ?title) (SAMPLE(?ou) AS ?outlet) "
                  f"(SAMPLE(STR(?d)) AS ?date) (SAMPLE(STR(?u)) AS ?url) WHERE {{ GRAPH ?art {{ "
                  f"?art rdf:type kg:Article . OPTIONAL {{ ?art dcterms:title ?t }} OPTIONAL {{ ?art kg:outlet ?ou }} "
                  f"OPTIONAL {{ ?art dcterms:date ?d }} OPTIONAL {{ ?art schema:url ?u }} }} }} GROUP BY ?art")

LABELS_QUERY = (f"{_PREFIXES}SELECT DISTINCT ?x ?p ?text ?lang WHERE {{ VALUES ?p {{ rdfs:label skos:altLabel }} "
                f"GRAPH ?g {{ ?x ?p ?l }} BIND(STR(?l) AS ?text) BIND(LANG(?l) AS ?lang) }}")


def _types_query(types: Iterable[str]) -> str:
    """Each entity's types with the number of graphs that state them, and whether the registry does."""
    return (f"{_PREFIXES}SELECT ?x ?t (COUNT(DISTINCT ?g) AS ?n) "
            f'(MAX(IF(STRENDS(STR(?g), "graph/registry"), 1, 0)) AS ?reg) '
            f"WHERE {{ VALUES ?t {{ {_iris(types)} }} GRAPH ?g {{ ?x rdf:type ?t }} }} GROUP BY ?x ?t")


def _events_query(events: Iterable[str], roles: Iterable[str], *, since: str | None, until: str | None,
                 as_of: str | None, include_negated: bool) -> str:
    """One row per (event, role, participant or place)."""
    lines = [f"VALUES ?t {{ {_iris(events)} }} VALUES ?role {{ {_iris(roles)} }}",
             "?e rdf:type ?t ; prov:wasDerivedFrom ?art ; ?role ?x .",
             "OPTIONAL { ?e kg:date ?d0 } OPTIONAL { ?e kg:reportedOn ?r0 }",
             "BIND(STR(?r0) AS ?rep) BIND(COALESCE(STR(?d0), STR(?r0)) AS ?when)"]
    if not include_negated:
        lines.append("FILTER NOT EXISTS { ?e kg:negated true }")
    lines += _date_filters(since, until, as_of)
    body = "\n".join(lines)
    return f"{_PREFIXES}SELECT ?e ?t ?role ?x ?art ?rep ?when WHERE {{ GRAPH ?art {{\n{body}\n}} }}"


# -- node attributes ------------------------------------------------------------------------------------


def local_name(iri: str) -> str:
    """The part of an IRI after its last ``#`` or ``/``.

    >>> local_name("https://w3id.org/kg/ontology#commands"), local_name("https://w3id.org/kg/id/actor/lna")
    ('commands', 'lna')
    """
    return re.split(r"[#/]", iri.rstrip("/#"))[-1]


class _Labels:
    """Labels by language and aliases of every labelled node of the store."""

    def __init__(self, rows: Iterable[Mapping[str, str | None]]) -> None:
        self.labels: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        self.alt: dict[str, list[str]] = defaultdict(list)
        self._label: dict[str, str] = {}
        for row in rows:
            x, text = row["x"], row["text"]
            if x is None or text is None:
                continue
            if row["p"] == RDFS + "label":
                self.labels[x][(row["lang"] or "").lower().split("-")[0]].append(text)
            else:
                self.alt[x].append(text)

    def attributes(self, iri: str) -> dict[str, Any]:
        by_lang = self.labels.get(iri, {})
        en = min(by_lang["en"]) if by_lang.get("en") else None
        ar = min(by_lang["ar"]) if by_lang.get("ar") else None
        other = sorted(t for lang, texts in by_lang.items() if lang not in ("en", "ar") for t in texts)
        label = en or ar or (other[0] if other else local_name(iri))
        names = {*self.alt.get(iri, ()), *(t for texts in by_lang.values() for t in texts)}
        aliases = sorted(names - {en, ar, label})
        return {"label_en": en, "label_ar": ar, "label": label, "aliases": aliases}

    def label(self, iri: str) -> str:
        if iri not in self._label:
            self._label[iri] = str(self.attributes(iri)["label"])
        return self._label[iri]


def _choose_types(rows: Iterable[Mapping[str, str | None]], ontology: Ontology) -> dict[str, str]:
    """One type per entity: the registry's, else the one most graphs state, else the most specific."""
    best: dict[str, tuple[int, int, int, str]] = {}
    for row in rows:
        x, t = row["x"], row["t"]
        if x is None or t is None:
            continue
        name = t.removeprefix(KG)
        depth = sum(1 for other in ontology.entity_types if other != name and ontology.is_a(name, other))
        rank = (int(row["reg"] or 0), int(row["n"] or 0), depth, name)
        if x not in best or rank[:3] > best[x][:3] or (rank[:3] == best[x][:3] and name < best[x][3]):
            best[x] = rank
    return {x: rank[3] for x, rank in best.items()}


# -- the network ----------------------------------------------------------------------------------------


def _ontology(ontology: Ontology | None) -> Ontology:
    if ontology is not None:
        return ontology
    from kg.ontology import load_ontology

    return load_ontology()


def _check_names(names: Iterable[str], known: Iterable[str], what: str) -> list[str]:
    known = sorted(known)
    names = list(names)
    for name in names:
        if name not in known:
            close = difflib.get_close_matches(name, known, n=3)
            raise NetworkError(f"unknown {what} {name!r}",
                               hint=f"did you mean {', '.join(close)}?" if close else f"one of {', '.join(known)}")
    return names


def _closure(names: Iterable[str], universe: Iterable[str], ontology: Ontology) -> set[str]:
    """Every member of ``universe`` that is one of ``names`` or a kind of one."""
    names = list(names)
    return {u for u in universe if any(u == n or ontology.is_a(u, n) for n in names)}


def actor_network(
    source: Source,
    *,
    relations: Iterable[str] | None = None,
    actor_types: Iterable[str] | None = None,
    since: str | None = None,
    until: str | None = None,
    min_sources: int = 1,
    include_places: bool = False,
    include_events: bool = False,
    include_negated: bool = False,
    as_of: str | None = None,
    exclude_flags: Iterable[str] = (),
    evidence: bool = True,
    ontology: Ontology | None = None,
) -> nx.MultiDiGraph:
    """The network of actors (and optionally places and events) reported in a store or at an endpoint.

    ``relations``: relation local names (their sub-relations included: ``supports`` brings ``loyalTo``);
    ``actor_types``: actor (or place) classes, sub-classes included; ``include_places``: also places
    (all of them, unless ``actor_types`` names some); ``include_events``: also events, linked to their
    participants and place by role; ``since``/``until``: keep assertions whose date
    (``kg:date``, else the article's ``kg:reportedOn``) meets the window; ``as_of``: only what was reported
    on or before that date; ``min_sources``: the fewest distinct articles an edge needs;
    ``exclude_flags``: drop assertions flagged e.g. ``former`` or ``intended``; ``evidence=False`` skips the
    per-assertion evidence (faster on large stores). Negated assertions make no edge unless
    ``include_negated``. Assertions without any date are left out when a window is given.

    >>> from kg.sparql.store import GraphStore
    >>> store = GraphStore()
    >>> store.replace({"https://w3id.org/kg/id/article/a1": '''
    ... <https://w3id.org/kg/id/article/a1> a <https://w3id.org/kg/ontology#Article> .
    ... <https://w3id.org/kg/id/actor/x> a <https://w3id.org/kg/ontology#ArmedGroup> ;
    ...     <http://www.w3.org/2000/01/rdf-schema#label> "X"@en .
    ... <https://w3id.org/kg/id/actor/y> a <https://w3id.org/kg/ontology#ArmedGroup> ;
    ...     <http://www.w3.org/2000/01/rdf-schema#label> "واي"@ar .
    ... <https://w3id.org/kg/id/article/a1#assertion-R1> a <https://w3id.org/kg/ontology#Assertion> ;
    ...     <http://www.w3.org/1999/02/22-rdf-syntax-ns#subject> <https://w3id.org/kg/id/actor/x> ;
    ...     <http://www.w3.org/1999/02/22-rdf-syntax-ns#predicate> <https://w3id.org/kg/ontology#supports> ;
    ...     <http://www.w3.org/1999/02/22-rdf-syntax-ns#object> <https://w3id.org/kg/id/actor/y> ;
    ...     <http://www.w3.org/ns/prov#wasDerivedFrom> <https://w3id.org/kg/id/article/a1> ;
    ...     <https://w3id.org/kg/ontology#reportedOn> "2016-07" .
    ... '''})
    >>> net = actor_network(store)
    >>> [(net.nodes[s]["label"], r, net.nodes[o]["label"]) for s, o, r in net.edges(keys=True)]
    [('X', 'supports', 'واي')]
    >>> edge = net.edges["https://w3id.org/kg/id/actor/x", "https://w3id.org/kg/id/actor/y", "supports"]
    >>> edge["sources"], edge["first"], edge["sign"]
    (1, '2016-07', 1)
    >>> len(actor_network(store, until="2016-06"))
    0
    """
    ont = _ontology(ontology)
    since, until, as_of = check_date(since, "since date"), check_date(until, "until date"), check_date(as_of)
    exclude = _check_names(exclude_flags, FLAGS, "flag")
    if min_sources < 1:
        raise NetworkError(f"min_sources must be at least 1, not {min_sources}")
    rel_names = None
    if relations is not None:
        rel_names = _closure(_check_names(relations, ont.relation_types, "relation type"), ont.relation_types, ont)
    node_types = set(ont.actor_types)
    if actor_types is not None:  # place classes may be named too: then those places are kept
        node_types = _closure(_check_names(actor_types, ont.entity_types, "actor type"),
                              ont.actor_types | ont.place_types, ont)
    if include_places and not (node_types & ont.place_types) - ont.actor_types:  # countries are both
        node_types |= set(ont.place_types)

    query = assertions_query(relations=rel_names, since=since, until=until, as_of=as_of,
                             include_negated=include_negated, exclude_flags=exclude, evidence=evidence)
    rows = select(source, query)
    labels = _Labels(select(source, LABELS_QUERY))
    types = _choose_types(select(source, _types_query(ont.entity_types)), ont)
    articles = {r["art"]: r for r in select(source, ARTICLES_QUERY) if r["art"]} if evidence and rows else {}
    edges = _edges(rows, ont, node_types, types, labels, articles, evidence=evidence)
    edges = {k: e for k, e in edges.items() if e["sources"] >= min_sources}

    event_edges: list[tuple[str, str, str, dict[str, Any]]] = []
    event_nodes: dict[str, dict[str, Any]] = {}
    if include_events:
        event_edges, event_nodes = _events(source, ont, node_types, types, since=since, until=until,
                                           as_of=as_of, include_negated=include_negated)

    graph = nx.MultiDiGraph()
    nodes = sorted({n for s, o, _ in edges for n in (s, o)} | {x for _, x, _, _ in event_edges})
    for node in nodes:
        graph.add_node(node, type=types[node], iri=node, **labels.attributes(node))
    for iri, attrs in sorted(event_nodes.items()):
        graph.add_node(iri, **attrs)
    for (s, o, relation), edge in sorted(edges.items()):
        graph.add_edge(s, o, key=relation, **edge)
    for e, x, role, attrs in sorted(event_edges, key=lambda t: t[:3]):
        graph.add_edge(e, x, key=role, **attrs)
    return graph


def _edges(rows: Iterable[Mapping[str, str | None]], ont: Ontology, node_types: set[str],
           types: Mapping[str, str], labels: _Labels, articles: Mapping[str, Mapping[str, str | None]], *,
           evidence: bool) -> dict[tuple[str, str, str], dict[str, Any]]:
    """Group assertion rows per (subject, object, relation) into edge attributes.

    Grouping here rather than with SPARQL ``GROUP BY``: the per-assertion scan is the cost either way
    (measured: grouping in the query made it slower), and one query then serves edges and evidence.
    """
    groups: dict[tuple[str, str, str], list[Mapping[str, str | None]]] = defaultdict(list)
    for row in rows:
        s, p, o = row["s"], row["p"], row["o"]
        if s is None or p is None or o is None or not p.startswith(KG):
            continue
        relation = p[len(KG):]
        if relation not in ont.relation_types or types.get(s) not in node_types or types.get(o) not in node_types:
            continue
        if ont.term(relation).symmetric and o < s:
            s, o = o, s
        groups[(s, o, relation)].append(row)
    edges: dict[tuple[str, str, str], dict[str, Any]] = {}
    for (s, o, relation), group in groups.items():
        term = ont.term(relation)
        dates = sorted(r["rep"] for r in group if r["rep"])
        flagged = {f: sum(1 for r in group if r[f"x_{f}"] == "true") for f in FLAGS}
        edge: dict[str, Any] = {
            "relation": relation, "symmetric": bool(term.symmetric), "sign": int(term.sign or 0),
            "sources": len({r["art"] for r in group}), "articles": sorted({str(r["art"]) for r in group}),
            "claimants": sorted({labels.label(r["c"]) for r in group if r["c"]}),
            "first": dates[0] if dates else None, "last": dates[-1] if dates else None,
            "flags": [f for f in FLAGS if f != "negated" and flagged[f] == len(group)],
            "negated": flagged["negated"] == len(group), "evidence": [],
        }
        if evidence:
            for r in sorted(group, key=lambda r: (r["rep"] or "", r["art"] or "", r["a"] or "")):
                art = articles.get(r["art"] or "", {})
                edge["evidence"].append({
                    "quote": r["quote"], "sentence": r["sentence"], "article": r["art"],
                    "title": art.get("title"), "outlet": art.get("outlet"), "date": r["rep"] or art.get("date"),
                    "url": art.get("url"), "claimant": labels.label(r["c"]) if r["c"] else None,
                    "claim_date": r["date"], "flags": [f for f in FLAGS if r[f"x_{f}"] == "true"],
                })
        edges[(s, o, relation)] = edge
    return edges


def _events(source: Source, ont: Ontology, node_types: set[str], types: Mapping[str, str], *,
            since: str | None, until: str | None, as_of: str | None, include_negated: bool,
            ) -> tuple[list[tuple[str, str, str, dict[str, Any]]], dict[str, dict[str, Any]]]:
    """Event nodes and their role edges (event → participant or place)."""
    roles = set(ont.roles) | {"place"}
    rows = select(source, _events_query(ont.event_types, roles, since=since, until=until, as_of=as_of,
                                       include_negated=include_negated))
    edges: dict[tuple[str, str, str], dict[str, Any]] = {}
    nodes: dict[str, dict[str, Any]] = {}
    for row in rows:
        e, t, role, x = row["e"], row["t"], row["role"], row["x"]
        if e is None or t is None or role is None or x is None or types.get(x) not in node_types:
            continue
        kind, role_name = t.removeprefix(KG), role.removeprefix(KG)
        term = ont.term(kind)
        when = f" ({row['when']})" if row["when"] else ""
        nodes[e] = {"type": kind, "iri": e, "label_en": f"{term.label_en}{when}",
                    "label_ar": f"{term.label_ar}{when}" if term.label_ar else None,
                    "label": f"{term.label_en}{when}", "aliases": [], "date": row["when"],
                    "article": row["art"]}
        edges[(e, x, role_name)] = {
            "relation": role_name, "symmetric": False, "sign": 0, "sources": 1,
            "articles": [row["art"]] if row["art"] else [], "claimants": [], "first": row["rep"],
            "last": row["rep"], "flags": [], "negated": False, "evidence": []}
    return [(e, x, r, attrs) for (e, x, r), attrs in edges.items()], nodes


def network_from_triples(triples: Iterable[tuple[str, str, str]], *, types: Mapping[str, str] | None = None,
                         ontology: Ontology | None = None) -> nx.MultiDiGraph:
    """A network of the same shape as :func:`actor_network` from ``(subject, relation, object)`` names.

    For examples, tests and data from elsewhere: each name is its own IRI and label; a triple given
    ``n`` times has ``n`` sources; ``types`` maps names to ontology classes (default ``Actor``).

    >>> net = network_from_triples([("A", "alliedWith", "B"), ("B", "alliedWith", "A")])
    >>> list(net.edges(keys=True, data="sources"))
    [('A', 'B', 'alliedWith', 2)]
    """
    ont = _ontology(ontology)
    types = types or {}
    counts = Counter[tuple[str, str, str]]()
    for s, relation, o in triples:
        _check_names([relation], ont.relation_types, "relation type")
        if ont.term(relation).symmetric and o < s:
            s, o = o, s
        counts[(s, o, relation)] += 1
    graph = nx.MultiDiGraph()
    for name in sorted({n for s, o, _ in counts for n in (s, o)}):
        graph.add_node(name, type=types.get(name, "Actor"), iri=name, label=name, label_en=name, label_ar=None,
                       aliases=[])
    for (s, o, relation), n in sorted(counts.items()):
        term = ont.term(relation)
        graph.add_edge(s, o, key=relation, relation=relation, symmetric=bool(term.symmetric),
                       sign=int(term.sign or 0), sources=n, articles=[], claimants=[], first=None, last=None,
                       flags=[], negated=False, evidence=[])
    return graph


# -- finding actors by name -----------------------------------------------------------------------------


def _names_of(iri: str, data: Mapping[str, Any]) -> list[str]:
    names = [data.get("label"), data.get("label_en"), data.get("label_ar"), *(data.get("aliases") or ())]
    return [n for n in names if n]


def find_actor(network: nx.Graph, name: str) -> str:
    """The node a name denotes: its IRI, its id (last IRI segment), a label or an alias.

    Names are compared after folding case, Arabic spelling variants and punctuation. A name that
    matches nothing (or several actors) raises :class:`UnknownActorError` listing close labels.

    >>> net = network_from_triples([("Khalifa Haftar", "commands", "Libyan National Army")])
    >>> find_actor(net, "khalifa  haftar")
    'Khalifa Haftar'
    >>> find_actor(net, "Khalifa Hafter")
    Traceback (most recent call last):
    ...
    kg.errors.UnknownActorError: no actor named 'Khalifa Hafter' (did you mean Khalifa Haftar?)
    """
    from kg.mapping.resolve import normalize_name

    if name in network:
        return name
    key = normalize_name(name)
    by_label: dict[str, set[str]] = defaultdict(set)
    by_alias: dict[str, set[str]] = defaultdict(set)
    for node, data in network.nodes(data=True):
        by_label[normalize_name(local_name(str(node)))].add(node)
        for label in (data.get("label"), data.get("label_en"), data.get("label_ar")):
            if label:
                by_label[normalize_name(label)].add(node)
        for alias in data.get("aliases") or ():
            by_alias[normalize_name(alias)].add(node)
    found = by_label.get(key) or by_alias.get(key)
    if found and len(found) == 1:
        return next(iter(found))
    if found:
        names = sorted(str(network.nodes[n].get("label", n)) for n in found)
        raise UnknownActorError(f"{name!r} names {len(found)} actors: {', '.join(names)}",
                                hint="give a fuller name or the IRI")
    labels = {normalize_name(n): n for node, data in network.nodes(data=True) for n in _names_of(node, data)}
    close = difflib.get_close_matches(key, list(labels), n=5, cutoff=0.6)
    hint = f"did you mean {', '.join(labels[c] for c in close)}?" if close else "see `kg analyze centrality`"
    raise UnknownActorError(f"no actor named {name!r}", hint=hint)


# Projections live in kg.projections; they are also importable from here.
from kg.projections import (  # noqa: E402
    alliance_network,
    command_hierarchy,
    hierarchy_relations,
    signed_network,
    support_network,
)

__all__ = ["actor_network", "alliance_network", "command_hierarchy", "find_actor", "hierarchy_relations",
           "network_from_triples", "signed_network", "support_network"]
