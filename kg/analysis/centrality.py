"""Centrality on the undirected simple network (one tie per pair, whatever the relations): being
commanded, supported or fought all put an actor in the conflict. Degree, betweenness and eigenvector
centrality are unweighted and normalised as networkx does (betweenness is computed by igraph, much faster
on large networks, and rescaled to networkx's values); PageRank follows the direction of relations
(symmetric ones both ways), weighted by the number of sources.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import networkx as nx

from kg.analysis.records import Actor, actor
from kg.errors import NetworkError

#: Centrality measures by name.
MEASURES = ("degree", "betweenness", "eigenvector", "pagerank")


@dataclass(frozen=True)
class Score:
    """An actor's centrality."""

    actor: Actor
    score: float


def _simple(network: nx.Graph) -> nx.Graph:
    """One undirected tie per pair of distinct nodes."""
    graph = nx.Graph()
    graph.add_nodes_from(network)
    graph.add_edges_from((u, v) for u, v in network.edges() if u != v)
    return graph


def _betweenness(graph: nx.Graph) -> dict[str, float]:
    import igraph as ig

    nodes = list(graph)
    n = len(nodes)
    if n < 3:
        return dict.fromkeys(nodes, 0.0)
    index = {node: i for i, node in enumerate(nodes)}
    g = ig.Graph(n=n, edges=[(index[u], index[v]) for u, v in graph.edges()], directed=False)
    scale = 2.0 / ((n - 1) * (n - 2))
    return {node: value * scale for node, value in zip(nodes, g.betweenness(directed=False), strict=True)}


def _directed(network: nx.Graph) -> nx.DiGraph:
    graph = nx.DiGraph()
    graph.add_nodes_from(network)
    for u, v, data in network.edges(data=True):
        if u == v:
            continue
        pairs = [(u, v), (v, u)] if data.get("symmetric") or not network.is_directed() else [(u, v)]
        for a, b in pairs:
            weight = float(data.get("sources", 1))
            if graph.has_edge(a, b):
                graph.edges[a, b]["weight"] += weight
            else:
                graph.add_edge(a, b, weight=weight)
    return graph


def centrality(network: nx.Graph, *, measure: str = "degree", top: int | None = 10) -> list[Score]:
    """The ``top`` actors by a centrality measure (``degree``, ``betweenness``, ``eigenvector``, ``pagerank``).

    Ties are ordered by label.

    >>> from kg.network import network_from_triples
    >>> net = network_from_triples([("Hub", "supports", "A"), ("Hub", "supports", "B"), ("A", "hostileTo", "C")])
    >>> [(s.actor.label, round(s.score, 2)) for s in centrality(net, measure="betweenness", top=2)]
    [('A', 0.67), ('Hub', 0.67)]
    """
    if measure not in MEASURES:
        raise NetworkError(f"unknown centrality measure {measure!r}", hint=f"one of {', '.join(MEASURES)}")
    if len(network) == 0:
        return []
    simple = _simple(network)
    scores: Mapping[str, float]
    if measure == "degree":
        scores = nx.degree_centrality(simple)
    elif measure == "betweenness":
        scores = _betweenness(simple)
    elif measure == "eigenvector":
        scores = _eigenvector(simple)
    else:
        scores = nx.pagerank(_directed(network), weight="weight")
    ranked = sorted((Score(actor(network, n), float(s)) for n, s in scores.items()),
                    key=lambda s: (-round(s.score, 12), s.actor))
    return ranked if top is None else ranked[:top]


def _eigenvector(graph: nx.Graph) -> dict[str, float]:
    if graph.number_of_edges() == 0:
        return dict.fromkeys(graph, 0.0)
    try:
        return {n: abs(v) for n, v in nx.eigenvector_centrality_numpy(graph).items()}
    except (nx.NetworkXException, ArithmeticError, ValueError):
        return nx.eigenvector_centrality(graph, max_iter=1000, tol=1e-6)
