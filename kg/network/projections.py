"""Projections of the actor network: alliances, support, the command hierarchy, the signed network.

Which relations go where, and with which sign, is read from the ontology (``kg:sign``, symmetry,
sub-properties), never listed here.

>>> from kg.network import network_from_triples
>>> net = network_from_triples([("a", "alliedWith", "b"), ("b", "hostileTo", "c"), ("p", "commands", "a")])
>>> sorted(alliance_network(net).edges()), sorted(command_hierarchy(net).edges())
([('a', 'b')], [('p', 'a')])
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import networkx as nx

if TYPE_CHECKING:
    from kg.ontology import Ontology


#: Roots of the command hierarchy: relations under these (and their sub-properties) say who answers to
#: whom. ``False``: the subject is the superior (Haftar commands LNA); ``True``: the object is
#: (Battalion subUnitOf Brigade, Person memberOf Group).
HIERARCHY_ROOTS: dict[str, bool] = {"commands": False, "headOf": False, "subUnitOf": True, "memberOf": True}
#: Root of the support relations (``loyalTo`` is a kind of support).
SUPPORT_ROOT = "supports"


def _ontology(ontology: Ontology | None) -> Ontology:
    if ontology is not None:
        return ontology
    from kg.ontology import load_ontology

    return load_ontology()


def _tie(s: Any, o: Any, data: Mapping[str, Any]) -> dict[str, Any]:
    """One relation behind a projected edge, as stated: subject, relation, object and its provenance."""
    return {"subject": s, "object": o, "relation": data.get("relation"), "symmetric": bool(data.get("symmetric")),
            "sign": data.get("sign", 0), "sources": data.get("sources", 1), "first": data.get("first"),
            "last": data.get("last"), "claimants": list(data.get("claimants", ())),
            "articles": list(data.get("articles", ())), "flags": list(data.get("flags", ()))}


def _dates(ties: list[dict[str, Any]], key: str, pick: Any) -> str | None:
    found = [t[key] for t in ties if t.get(key)]
    return pick(found) if found else None


def _collapse(network: nx.MultiDiGraph, keep: Mapping[str, bool], graph: nx.Graph) -> nx.Graph:
    """Merge the edges of the kept relations per node pair; ``keep[relation]`` says whether to reverse.

    Each projected edge keeps ``ties``: every relation behind it as stated (subject, relation, object, its
    sign, symmetry, sources, dates, claimants), so that exports can write them with their own direction;
    ``first``/``last`` and ``claimants`` are those of all its ties. Edges that only negated assertions
    support (``include_negated``) are denials, not ties: left out.
    """
    for s, o, data in network.edges(data=True):
        relation = data.get("relation")
        if relation not in keep or data.get("negated"):
            continue
        u, v = (o, s) if keep[relation] else (s, o)
        if not graph.is_directed() and str(v) < str(u):
            u, v = v, u
        if graph.has_edge(u, v):
            edge = graph.edges[u, v]
            edge["relations"] = sorted({*edge["relations"], relation})
            edge["articles"] = sorted({*edge["articles"], *data.get("articles", ())})
            edge["sources"] = max(len(edge["articles"]), edge["sources"], data.get("sources", 1))
            edge["signs"][relation] = data.get("sign", 0)
            edge["relation_sources"][relation] = data.get("sources", 1)
            edge["ties"].append(_tie(s, o, data))
        else:
            graph.add_edge(u, v, relations=[relation], articles=list(data.get("articles", ())),
                           sources=data.get("sources", 1), signs={relation: data.get("sign", 0)},
                           relation_sources={relation: data.get("sources", 1)}, ties=[_tie(s, o, data)])
    for u, v in list(graph.edges()):
        graph.nodes[u].update(network.nodes[u])
        graph.nodes[v].update(network.nodes[v])
    for _, _, edge in graph.edges(data=True):
        edge["weight"] = float(edge["sources"])
        edge["ties"].sort(key=lambda t: (str(t["subject"]), str(t["relation"]), str(t["object"])))
        edge["first"] = _dates(edge["ties"], "first", min)
        edge["last"] = _dates(edge["ties"], "last", max)
        edge["claimants"] = sorted({c for t in edge["ties"] for c in t["claimants"]})
    return graph


def _relations_under(network: nx.MultiDiGraph, test: Any) -> set[str]:
    return {r for _, _, r in network.edges(data="relation") if r is not None and test(r)}


def alliance_network(network: nx.MultiDiGraph, *, ontology: Ontology | None = None) -> nx.Graph:
    """The undirected network of the positive symmetric relations (alliances), weighted by sources.

    >>> from kg.network import network_from_triples

    >>> net = network_from_triples([("A", "alliedWith", "B"), ("A", "hostileTo", "C")])
    >>> list(alliance_network(net).edges(data="relations"))
    [('A', 'B', ['alliedWith'])]
    """
    ont = _ontology(ontology)
    names = _relations_under(network, lambda r: r in ont.relation_types and ont.term(r).symmetric
                             and (ont.term(r).sign or 0) > 0)
    return _collapse(network, dict.fromkeys(names, False), nx.Graph())


def support_network(network: nx.MultiDiGraph, *, ontology: Ontology | None = None) -> nx.DiGraph:
    """The directed network supporter → supported (``supports`` and its kinds, e.g. ``loyalTo``).

    >>> from kg.network import network_from_triples

    >>> net = network_from_triples([("A", "supports", "B"), ("C", "loyalTo", "A")])
    >>> sorted(support_network(net).edges())
    [('A', 'B'), ('C', 'A')]
    """
    ont = _ontology(ontology)
    names = _relations_under(network, lambda r: r in ont.relation_types
                             and (r == SUPPORT_ROOT or ont.is_a(r, SUPPORT_ROOT)))
    return _collapse(network, dict.fromkeys(names, False), nx.DiGraph())


def hierarchy_relations(ontology: Ontology | None = None) -> dict[str, bool]:
    """Relations of the command hierarchy → whether the object (rather than the subject) is the superior.

    >>> hierarchy_relations()["commands"], hierarchy_relations()["subUnitOf"]
    (False, True)
    """
    ont = _ontology(ontology)
    found: dict[str, bool] = {}
    for name in sorted(ont.relation_types):
        for root, reverse in HIERARCHY_ROOTS.items():
            if root in ont.relation_types and (name == root or ont.is_a(name, root)):
                found.setdefault(name, reverse)
    return found


def command_hierarchy(network: nx.MultiDiGraph, *, ontology: Ontology | None = None) -> nx.DiGraph:
    """Superior → subordinate: ``commands`` and ``headOf`` as stated, ``subUnitOf``/``memberOf`` reversed.

    It should be a DAG; :func:`kg.analysis.command_chains` reports any cycle as a data problem.

    >>> from kg.network import network_from_triples

    >>> net = network_from_triples([("H", "commands", "LNA"), ("Unit", "subUnitOf", "LNA")])
    >>> sorted(command_hierarchy(net).edges())
    [('H', 'LNA'), ('LNA', 'Unit')]
    """
    keep = hierarchy_relations(ontology)
    return _collapse(network, keep, nx.DiGraph())


def signed_network(network: nx.MultiDiGraph, *, ontology: Ontology | None = None) -> nx.Graph:
    """One undirected edge per pair tied by a relation of non-zero sign, with ``sign`` +1 or −1.

    When a pair is both positive and negative, the side with more sources wins, and a tie counts as
    hostile (a fight between reported allies is the stronger signal); such edges get ``conflict=True``.

    >>> from kg.network import network_from_triples

    >>> net = network_from_triples([("A", "alliedWith", "B"), ("B", "hostileTo", "C"), ("C", "supports", "A")])
    >>> sorted((u, v, s) for u, v, s in signed_network(net).edges(data="sign"))
    [('A', 'B', 1), ('A', 'C', 1), ('B', 'C', -1)]
    """
    ont = _ontology(ontology)
    names = _relations_under(network, lambda r: r in ont.relation_types and (ont.term(r).sign or 0) != 0)
    graph = _collapse(network, dict.fromkeys(names, False), nx.Graph())
    for _, _, edge in graph.edges(data=True):
        positive = sum(n for r, n in edge["relation_sources"].items() if edge["signs"][r] > 0)
        negative = sum(n for r, n in edge["relation_sources"].items() if edge["signs"][r] < 0)
        edge["sign"] = 1 if positive > negative else -1
        edge["conflict"] = bool(positive and negative)
    return graph


#: Projections by name (for ``kg export --projection``).
PROJECTIONS = {"alliance": alliance_network, "support": support_network, "command": command_hierarchy,
               "signed": signed_network}
