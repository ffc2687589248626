"""Structural balance (Cartwright–Harary) of the signed network.

A triangle is balanced when the product of its signs is positive. "+ + −" triangles ("the ally of my
enemy") are always unbalanced; "− − −" (three mutual enemies) is unbalanced in the strict theory and
counted as such unless ``strict=False``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import networkx as nx

from kg.analysis.records import Actor, actor
from kg.network.projections import signed_network

if TYPE_CHECKING:
    from kg.ontology import Ontology

ALLY_OF_ENEMY = "ally of my enemy"
ALL_ENEMIES = "three mutual enemies"


@dataclass(frozen=True)
class Triangle:
    """Three actors and the signs of their ties ``(a, b)``, ``(a, c)``, ``(b, c)``."""

    actors: tuple[Actor, Actor, Actor]
    signs: tuple[int, int, int]
    relations: tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]
    kind: str
    description: str


@dataclass(frozen=True)
class Balance:
    """Structural balance of the signed network."""

    triangles: int
    balanced: int
    ratio: float
    unbalanced: tuple[Triangle, ...]


def balance(network: nx.MultiDiGraph, *, strict: bool = True, limit: int | None = None,
            ontology: Ontology | None = None) -> Balance:
    """Count balanced triangles of the signed network and list the unbalanced ones (the first ``limit``).

    In a "+ + −" triangle the first actor is the one with positive ties to the two enemies. The list is
    ordered by kind, then by the actors' labels; the counts are always complete.

    >>> from kg.network import network_from_triples
    >>> net = network_from_triples([("A", "alliedWith", "B"), ("A", "supports", "C"), ("B", "hostileTo", "C"),
    ...                             ("C", "hostileTo", "D"), ("B", "hostileTo", "D")])
    >>> result = balance(net)
    >>> result.triangles, result.balanced, result.unbalanced[0].description
    (2, 0, 'A has positive ties to both B and C, who are hostile to each other')
    """
    graph = signed_network(network, ontology=ontology)
    nodes = sorted(graph, key=str)
    number = {n: i for i, n in enumerate(nodes)}
    sign: dict[tuple[int, int], int] = {}
    higher: list[set[int]] = [set() for _ in nodes]
    for u, v, d in graph.edges(data=True):
        i, j = sorted((number[u], number[v]))
        if i != j:
            sign[i, j] = d["sign"]
            higher[i].add(j)
    records = [actor(network, n) for n in nodes]
    rank = {i: r for r, i in enumerate(sorted(range(len(nodes)), key=lambda i: records[i]))}
    total = balanced = 0
    found: list[tuple[str, int, int, int]] = []  # kind, then the actors in report order
    for i in range(len(nodes)):
        for j in higher[i]:
            for k in higher[i] & higher[j]:
                total += 1
                negatives = (sign[i, j] < 0) + (sign[i, k] < 0) + (sign[j, k] < 0)
                if negatives % 2 == 0 or (negatives == 3 and not strict):
                    balanced += 1
                elif negatives == 1:  # the apex (both its ties positive) first, then its two enemies
                    apex, b, c = ((i, j, k) if sign[j, k] < 0 else (j, i, k) if sign[i, k] < 0 else (k, i, j))
                    b, c = sorted((b, c), key=rank.__getitem__)
                    found.append((ALLY_OF_ENEMY, apex, b, c))
                else:
                    x, y, z = sorted((i, j, k), key=rank.__getitem__)
                    found.append((ALL_ENEMIES, x, y, z))
    found.sort(key=lambda t: (t[0], rank[t[1]], rank[t[2]], rank[t[3]]))
    triangles = tuple(_triangle(graph, records, nodes, kind, (a, b, c)) for kind, a, b, c in found[:limit])
    return Balance(total, balanced, balanced / total if total else 1.0, triangles)


def _triangle(graph: nx.Graph, records: list[Actor], nodes: list[str], kind: str,
              members: tuple[int, int, int]) -> Triangle:
    a, b, c = members
    la, lb, lc = records[a], records[b], records[c]
    pairs = ((nodes[a], nodes[b]), (nodes[a], nodes[c]), (nodes[b], nodes[c]))
    if kind == ALLY_OF_ENEMY:
        description = f"{la.label} has positive ties to both {lb.label} and {lc.label}, who are hostile to each other"
    else:
        description = f"{la.label}, {lb.label} and {lc.label} are all hostile to one another"
    return Triangle(
        actors=(la, lb, lc),
        signs=tuple(int(graph.edges[p]["sign"]) for p in pairs),  # type: ignore[arg-type]
        relations=tuple(tuple(graph.edges[p]["relations"]) for p in pairs),  # type: ignore[arg-type]
        kind=kind, description=description)
