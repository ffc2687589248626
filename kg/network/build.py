"""From the RDF graph to a networkx network of actors.

:func:`actor_network` reads the assertions of a query source (the embedded store, or any SPARQL 1.1
endpoint that keeps the article graphs as named graphs) with a few SELECT queries (assertions, labels,
types, ids, articles: :mod:`kg.network.queries`), groups them per (subject, relation, object), and returns
a ``networkx.MultiDiGraph``:

* nodes keyed by IRI with ``type`` (ontology local name), ``label_en``, ``label_ar``, ``label`` (English,
  else Arabic, else the IRI's last segment), ``aliases``, ``iri``, and where the graph has them
  ``registry_id``, ``wikidata`` (QID), ``ucdp``, ``acled`` (ACLED category), ``lat`` and ``lon``;
* one edge per (subject, object, relation), keyed by the relation's local name, with ``relation``,
  ``symmetric``, ``sign`` (from the ontology), ``sources`` (distinct articles), ``articles``, ``claimants``
  (labels), ``first`` and ``last`` (reported dates, ISO strings), ``flags`` (the flags every supporting
  assertion carries, e.g. ``former``), ``negated`` and ``evidence`` (one dict per assertion).

A node is in the network when at least one kept edge touches it. Which relations link actors, places and
events, their sign and symmetry all come from the ontology (:func:`kg.ontology.load_ontology`). What is
kept is one :class:`~kg.network.selection.Selection`, applied in SPARQL.

>>> net = network_from_triples([("Haftar", "commands", "LNA"), ("LNA", "hostileTo", "BDB")])
>>> sorted(net.edges(keys=True))
[('BDB', 'LNA', 'hostileTo'), ('Haftar', 'LNA', 'commands')]
>>> net.edges["BDB", "LNA", "hostileTo"]["sign"]
-1
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

import networkx as nx

from kg.network.names import find_actor, local_name
from kg.network.queries import (
    ARTICLES_QUERY,
    IDS_QUERY,
    LABELS_QUERY,
    events_query,
    flagged_rows,
    rows,
    types_query,
)
from kg.network.selection import Selection, as_selection, check_names, node_types, relation_names
from kg.vocab import ACLED, FLAGS, KG, RDFS, SCHEMA, WD

if TYPE_CHECKING:
    from kg.ontology import Ontology
    from kg.sparql.source import Source

__all__ = ["actor_network", "find_actor", "local_name", "network_from_triples"]


class Labels:
    """Labels by language and aliases of every labelled node of the store."""

    def __init__(self, found: Iterable[Mapping[str, str | None]]) -> None:
        self.labels: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        self.alt: dict[str, list[str]] = defaultdict(list)
        self._label: dict[str, str] = {}
        for row in found:
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


def choose_types(found: Iterable[Mapping[str, str | None]], ontology: Ontology) -> dict[str, str]:
    """One type per entity: the registry's, else the one most graphs state, else the most specific."""
    best: dict[str, tuple[int, int, int, str]] = {}
    for row in found:
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


_ID_ATTRIBUTES = {KG + "wikidata": "wikidata", KG + "ucdpId": "ucdp", KG + "acledCategory": "acled",
                  SCHEMA + "latitude": "lat", SCHEMA + "longitude": "lon"}


def external_ids(found: Iterable[Mapping[str, str | None]]) -> dict[str, dict[str, Any]]:
    """External ids and coordinates by node: QIDs and ACLED categories as local names, numbers as floats."""
    out: dict[str, dict[str, Any]] = defaultdict(dict)
    for row in found:
        x, p, v = row["x"], row["p"], row["v"]
        if x is None or p not in _ID_ATTRIBUTES or v is None:
            continue
        name = _ID_ATTRIBUTES[p]
        value: Any = v.removeprefix(WD).removeprefix(ACLED)
        if name in ("lat", "lon"):
            try:
                value = float(v)
            except ValueError:
                continue
        out[x][name] = value
    return out


def actor_network(
    source: Source,
    selection: Selection | None = None,
    *,
    ontology: Ontology | None = None,
    evidence: bool = True,
    include_negated: bool = False,
    **filters: Any,
) -> nx.MultiDiGraph:
    """The network of actors (and, as the selection asks, places and events) of a query source.

    ``source``: a :class:`kg.sparql.source.Source` (the store, or an endpoint). ``selection`` says what to
    keep (see :mod:`kg.network.selection`); keyword ``filters`` (its field names) make one instead.
    ``evidence=False`` skips the per-assertion evidence (faster on large stores). Negated assertions make
    no edge unless ``include_negated``. The centre of a selection is not cut out here: see
    :func:`kg.network.selection.select`.

    >>> import kg
    >>> store = kg.GraphStore()
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
    chosen = as_selection(selection, **filters).filters()
    rel_names = relation_names(chosen, ont)
    kept_types = node_types(chosen, ont)
    found = flagged_rows(source, chosen, relations=rel_names, include_negated=include_negated, evidence=evidence)
    labels = Labels(rows(source, LABELS_QUERY))
    type_rows = rows(source, types_query(ont.entity_types))
    types = choose_types(type_rows, ont)
    registered = {str(r["x"]) for r in type_rows if r["reg"] not in (None, "0")}
    ids = external_ids(rows(source, IDS_QUERY)) if found else {}
    articles = {r["art"]: r for r in rows(source, ARTICLES_QUERY) if r["art"]} if evidence and found else {}
    edges = _edges(found, ont, kept_types, types, labels, articles, evidence=evidence)
    edges = {k: e for k, e in edges.items() if e["sources"] >= chosen.min_sources}

    event_edges: list[tuple[str, str, str, dict[str, Any]]] = []
    event_nodes: dict[str, dict[str, Any]] = {}
    if chosen.include_events:
        event_edges, event_nodes = _events(source, ont, kept_types, types, chosen, include_negated=include_negated)

    graph = nx.MultiDiGraph(selection=chosen)
    nodes = sorted({n for s, o, _ in edges for n in (s, o)} | {x for _, x, _, _ in event_edges})
    for node in nodes:
        extra = {"registry_id": local_name(node)} if node in registered else {}
        graph.add_node(node, type=types[node], iri=node, **labels.attributes(node), **extra, **ids.get(node, {}))
    for iri, attrs in sorted(event_nodes.items()):
        graph.add_node(iri, **attrs)
    for (s, o, relation), edge in sorted(edges.items()):
        graph.add_edge(s, o, key=relation, **edge)
    for e, x, role, attrs in sorted(event_edges, key=lambda t: t[:3]):
        graph.add_edge(e, x, key=role, **attrs)
    return graph


def _edges(found: Iterable[Mapping[str, str | None]], ont: Ontology, kept: set[str],
           types: Mapping[str, str], labels: Labels, articles: Mapping[str, Mapping[str, str | None]], *,
           evidence: bool) -> dict[tuple[str, str, str], dict[str, Any]]:
    """Group assertion rows per (subject, object, relation) into edge attributes.

    Grouping here rather than with SPARQL ``GROUP BY``: the per-assertion scan is the cost either way
    (measured: grouping in the query made it slower), and one query then serves edges and evidence.
    """
    groups: dict[tuple[str, str, str], list[Mapping[str, str | None]]] = defaultdict(list)
    for row in found:
        s, p, o = row["s"], row["p"], row["o"]
        if s is None or p is None or o is None or not p.startswith(KG):
            continue
        relation = p[len(KG):]
        if relation not in ont.relation_types or types.get(s) not in kept or types.get(o) not in kept:
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
                    "span": _span(r.get("ev")),
                })
        edges[(s, o, relation)] = edge
    return edges


def _span(mention: str | None) -> list[int] | None:
    """``[start, end]`` (code points) of an evidence mention ``ARTICLE#char=START,END``.

    >>> _span("https://w3id.org/kg/id/article/a1#char=10,24")
    [10, 24]
    """
    match = re.search(r"#char=(\d+),(\d+)$", mention or "")
    return [int(match.group(1)), int(match.group(2))] if match else None


def _events(source: Source, ont: Ontology, kept: set[str], types: Mapping[str, str], selection: Selection, *,
            include_negated: bool) -> tuple[list[tuple[str, str, str, dict[str, Any]]], dict[str, dict[str, Any]]]:
    """Event nodes and their role edges (event → participant or place)."""
    roles = set(ont.roles) | {"place"}
    found = rows(source, events_query(ont.event_types, roles, selection, include_negated=include_negated))
    edges: dict[tuple[str, str, str], dict[str, Any]] = {}
    nodes: dict[str, dict[str, Any]] = {}
    for row in found:
        e, t, role, x = row["e"], row["t"], row["role"], row["x"]
        if e is None or t is None or role is None or x is None or types.get(x) not in kept:
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
        check_names([relation], ont.relation_types, "relation type")
        if ont.term(relation).symmetric and o < s:
            s, o = o, s
        counts[(s, o, relation)] += 1
    graph = nx.MultiDiGraph(selection=Selection())
    for name in sorted({n for s, o, _ in counts for n in (s, o)}):
        graph.add_node(name, type=types.get(name, "Actor"), iri=name, label=name, label_en=name, label_ar=None,
                       aliases=[])
    for (s, o, relation), n in sorted(counts.items()):
        term = ont.term(relation)
        graph.add_edge(s, o, key=relation, relation=relation, symmetric=bool(term.symmetric),
                       sign=int(term.sign or 0), sources=n, articles=[], claimants=[], first=None, last=None,
                       flags=[], negated=False, evidence=[])
    return graph
