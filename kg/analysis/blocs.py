"""Alliance blocs on the signed network (:func:`kg.network.signed_network`).

Actors joined by chains of positive ties (command, membership, alliance, support: every relation the
ontology gives sign +1) form a bloc. A bloc that also holds hostility (the ally of my enemy) is split:
Louvain communities of its positive ties (fixed seed, so results repeat), merged back greedily, strongest
positive tie first, wherever no hostile pair lies between them; hostility that remains inside a bloc is
listed with it. With ``signed=False``: Louvain communities of the alliance network alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import networkx as nx

from kg.analysis.records import Actor, actor
from kg.network.projections import alliance_network, signed_network

if TYPE_CHECKING:
    from kg.ontology import Ontology


@dataclass(frozen=True)
class Bloc:
    """Actors tied by positive relations; ``hostile`` lists the hostile pairs left inside it."""

    members: tuple[Actor, ...]
    hostile: tuple[tuple[Actor, Actor], ...] = ()


def _louvain(graph: nx.Graph, seed: int, resolution: float) -> list[set[str]]:
    """Louvain communities, the same for the same seed in every process.

    networkx's Louvain iterates sets of nodes; sets of strings iterate in an order that changes with
    each interpreter's hash seed, so nodes are renumbered (integers hash to themselves) first.
    """
    nodes = sorted(graph, key=str)
    number = {n: i for i, n in enumerate(nodes)}
    numbered = nx.Graph()
    numbered.add_nodes_from(range(len(nodes)))
    numbered.add_weighted_edges_from(sorted((min(number[u], number[v]), max(number[u], number[v]),
                                             float(d.get("weight", 1.0))) for u, v, d in graph.edges(data=True)))
    communities = nx.community.louvain_communities(numbered, weight="weight", resolution=resolution, seed=seed)
    return [{nodes[i] for i in c} for c in communities]


def _split(positive: nx.Graph, hostile: set[frozenset[str]], seed: int, resolution: float) -> list[set[str]]:
    """Split a positive component that holds hostility: Louvain communities, then merged back greedily
    (strongest positive tie first) wherever no hostility lies between them.

    Louvain alone over-splits small components (a sub-unit and its parent army land in different blocs);
    the merge keeps every positive tie inside a bloc unless a hostile pair forbids it.
    """
    groups = sorted(_louvain(positive, seed, resolution), key=lambda g: min(map(str, g)))
    where = {n: i for i, g in enumerate(groups) for n in g}
    weight: dict[tuple[int, int], float] = {}
    for u, v, d in positive.edges(data=True):
        a, b = sorted((where[u], where[v]))
        if a != b:
            weight[a, b] = weight.get((a, b), 0.0) + float(d.get("weight", 1.0))
    enemies: set[tuple[int, int]] = set()
    for pair in hostile:
        u, v = tuple(pair)
        if u in where and v in where and where[u] != where[v]:
            enemies.add(tuple(sorted((where[u], where[v]))))  # type: ignore[arg-type]
    while True:
        candidates = [(w, -a, -b) for (a, b), w in weight.items() if (a, b) not in enemies]
        if not candidates:
            break
        _, a, b = max(candidates)
        a, b = -a, -b
        groups[a] |= groups[b]
        groups[b] = set()

        def renamed(key: tuple[int, int], a: int = a, b: int = b) -> tuple[int, int]:
            x, y = (a if k == b else k for k in key)
            return (min(x, y), max(x, y))

        merged: dict[tuple[int, int], float] = {}
        for key, w in weight.items():
            new = renamed(key)
            if new[0] != new[1]:
                merged[new] = merged.get(new, 0.0) + w
        weight = merged
        enemies = {renamed(key) for key in enemies}
    return [g for g in groups if g]


def blocs(network: nx.MultiDiGraph, *, signed: bool = True, seed: int = 0, resolution: float = 1.0,
          ontology: Ontology | None = None) -> list[Bloc]:
    """Alliance blocs, largest first (actors without a positive tie belong to none).

    >>> from kg.network import network_from_triples
    >>> net = network_from_triples([("A", "alliedWith", "B"), ("C", "supports", "B"), ("B", "hostileTo", "D"),
    ...                             ("D", "alliedWith", "E")])
    >>> [[a.label for a in b.members] for b in blocs(net)]
    [['A', 'B', 'C'], ['D', 'E']]
    """
    graph = signed_network(network, ontology=ontology) if signed else alliance_network(network, ontology=ontology)
    positive = nx.Graph()
    positive.add_edges_from((u, v, d) for u, v, d in graph.edges(data=True) if d.get("sign", 1) > 0)
    negative = [(u, v) for u, v, d in graph.edges(data=True) if d.get("sign", 1) < 0]
    hostile = {frozenset(pair) for pair in negative}
    groups: list[set[str]] = []
    for component in nx.connected_components(positive):
        inner = positive.subgraph(component)
        if not signed:
            groups.extend(_louvain(inner, seed, resolution))
        elif any(u in component and v in component for u, v in negative):
            groups.extend(_split(inner, hostile, seed, resolution))
        else:
            groups.append(set(component))
    result = []
    for group in groups:
        if len(group) < 2:
            continue
        members = tuple(sorted(actor(network, n) for n in group))
        inside = sorted((min(actor(network, u), actor(network, v)), max(actor(network, u), actor(network, v)))
                        for u, v in negative if u in group and v in group)
        result.append(Bloc(members, tuple(inside)))
    return sorted(result, key=lambda b: (-len(b.members), b.members))
