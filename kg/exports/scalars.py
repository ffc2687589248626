"""Network attributes as graph tools read them: every value a string, a number or a boolean.

Lists are joined with ``" | "``, missing values become empty strings, dates stay ISO strings; an edge's
evidence becomes one ``quotes`` attribute, its ``flags`` become ``claim_flags`` (``flags`` is a pandas
DataFrame attribute); a projection's per-relation bookkeeping (``ties``, ``signs``, ``relation_sources``)
is left out. Nodes gain ``acled_inter``, the ACLED inter code of their ACLED category (read from the
ontology's ``skos:notation``).

>>> from kg.network import network_from_triples
>>> scalar_network(network_from_triples([("حفتر", "commands", "LNA")])).edges["حفتر", "LNA", "e0"]["weight"]
1.0
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

import networkx as nx

if TYPE_CHECKING:
    from kg.ontology import Ontology

SEPARATOR = " | "
#: Attributes renamed on the way out.
RENAMED = {"flags": "claim_flags"}
#: Attributes of projections that only bookkeeping needs.
SKIPPED = frozenset({"ties", "signs", "relation_sources"})


def scalar(value: Any) -> str | int | float | bool:
    """One value as a string, number or boolean.

    >>> scalar(["a", "b"]), scalar(None), scalar(2)
    ('a | b', '', 2)
    """
    if value is None:
        return ""
    if isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, Mapping):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    if isinstance(value, Iterable):
        return SEPARATOR.join(str(scalar(v)) for v in value)
    return str(value)


def attributes(data: Mapping[str, Any]) -> dict[str, Any]:
    """The scalar attributes of a node or an edge (see the module docstring)."""
    out: dict[str, Any] = {}
    for key, value in data.items():
        if key in SKIPPED:
            continue
        if key == "evidence":
            quotes = dict.fromkeys(e.get("quote") for e in value or () if e.get("quote"))
            out["quotes"] = SEPARATOR.join(q for q in quotes if q)
        else:
            out[RENAMED.get(key, key)] = scalar(value)
    return out


def inter_code(category: str | None, ontology: Ontology | None = None) -> str:
    """The ACLED inter code (1–8) of an ACLED category's local name, else "".

    >>> inter_code("PoliticalMilitia"), inter_code(None)
    ('3', '')
    """
    if not category:
        return ""
    if ontology is None:
        from kg.ontology import load_ontology

        ontology = load_ontology()
    term = ontology.get(category)
    return term.notation or "" if term is not None else ""


def _uniform(items: list[dict[str, Any]]) -> None:
    """Give each attribute one type across all items (mixed types become strings), as GraphML needs."""
    kinds: dict[str, set[type]] = {}
    for data in items:
        for key, value in data.items():
            kinds.setdefault(key, set()).add(type(value))
    for key, found in kinds.items():
        if len(found) > 1 and found != {int, float}:
            for data in items:
                if key in data:
                    data[key] = "" if data[key] == "" else str(data[key])
        elif found == {int, float}:
            for data in items:
                if key in data:
                    data[key] = float(data[key])


def scalar_network(network: nx.Graph, *, ontology: Ontology | None = None) -> nx.MultiDiGraph:
    """A copy of a network (or projection) whose attributes are all strings, numbers or booleans.

    Edges get unique keys ``e0``, ``e1``, … and ``label`` (the relation) and ``weight`` (the sources).
    The caller's network is not changed.

    >>> from kg.network import network_from_triples
    >>> net = network_from_triples([("A", "alliedWith", "B")])
    >>> scalar_network(net).nodes["A"]["aliases"], net.nodes["A"]["aliases"]
    ('', [])
    """
    out = nx.MultiDiGraph() if network.is_directed() else nx.MultiGraph()
    out.graph.update({k: v for k, v in network.graph.items() if isinstance(v, str | int | float | bool)})
    nodes = []
    for n, d in network.nodes(data=True):
        attrs = attributes(d)
        if "acled" in d:
            attrs["acled_inter"] = inter_code(d.get("acled"), ontology)
        nodes.append((n, attrs))
    edges = []
    for u, v, d in network.edges(data=True):
        attrs = attributes(d)
        attrs.setdefault("label", attrs.get("relation") or attrs.get("relations") or "")
        attrs["weight"] = float(d.get("sources", 1))
        edges.append((str(u), str(v), attrs))
    _uniform([d for _, d in nodes])
    _uniform([d for _, _, d in edges])
    for n, d in nodes:
        out.add_node(str(n), **d)
    for i, (u, v, d) in enumerate(edges):
        out.add_edge(u, v, key=f"e{i}", **d)
    return out
