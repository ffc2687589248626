"""Paths between two actors, ego networks, and the network as of a date.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import islice
from typing import TYPE_CHECKING, Any

import networkx as nx

from kg.analysis.records import Actor, actor
from kg.errors import NetworkError
from kg.network.build import actor_network
from kg.network.names import find_actor
from kg.network.selection import check_date

if TYPE_CHECKING:
    from kg.sparql.source import Source


@dataclass(frozen=True)
class Tie:
    """One relation along a step; ``forward`` when it goes from the step's first actor to its second."""

    relation: str
    forward: bool
    symmetric: bool
    sources: int


@dataclass(frozen=True)
class Step:
    source: Actor
    target: Actor
    ties: tuple[Tie, ...]


@dataclass(frozen=True)
class Path:
    """A shortest path between two actors, whatever the direction of relations, with the ties per step."""

    actors: tuple[Actor, ...]
    steps: tuple[Step, ...]

    def text(self) -> str:
        """``A —commands→ B ←supports— C`` (``—alliedWith—`` for symmetric relations).

        >>> from kg.network import network_from_triples
        >>> shortest_path(network_from_triples([("A", "alliedWith", "B")]), "B", "A").text()
        'B —alliedWith— A'
        """
        parts = [self.actors[0].label] if self.actors else []
        for step in self.steps:
            ties = ", ".join(t.relation for t in step.ties)
            if all(t.symmetric for t in step.ties):
                parts.append(f"—{ties}—")
            elif all(t.forward or t.symmetric for t in step.ties):
                parts.append(f"—{ties}→")
            elif all(not t.forward or t.symmetric for t in step.ties):
                parts.append(f"←{ties}—")
            else:
                parts.append(f"↔{ties}↔")
            parts.append(step.target.label)
        return " ".join(parts)


def shortest_path(network: nx.MultiDiGraph, source: str, target: str, *, max_paths: int = 1000) -> Path:
    """The shortest chain of relations between two actors (names as :func:`kg.network.find_actor` reads them).

    Among equally short chains (the first ``max_paths`` found), the one with the most sources wins, then
    the first by labels: the answer does not depend on the order the store returns rows in.

    >>> from kg.network import network_from_triples
    >>> net = network_from_triples([("Haftar", "commands", "LNA"), ("BDB", "hostileTo", "LNA"),
    ...                             ("Ghariani", "supports", "BDB")])
    >>> shortest_path(net, "Haftar", "Ghariani").text()
    'Haftar —commands→ LNA —hostileTo— BDB ←supports— Ghariani'
    """
    a, b = find_actor(network, source), find_actor(network, target)
    undirected = network.to_undirected(as_view=True)

    def strength(path: list[str]) -> tuple[int, list[Actor]]:
        sources = sum(max(d.get("sources", 1) for d in undirected.get_edge_data(u, v).values())
                      for u, v in zip(path, path[1:], strict=False))
        return -sources, [actor(network, n) for n in path]

    try:
        nodes = min(islice(nx.all_shortest_paths(undirected, a, b), max_paths), key=strength)
    except nx.NetworkXNoPath:
        raise NetworkError(f"no chain of relations links {actor(network, a).label} and {actor(network, b).label}",
                           hint="try fewer filters") from None
    steps = []
    for u, v in zip(nodes, nodes[1:], strict=False):
        ties = [Tie(k, True, bool(d.get("symmetric")), int(d.get("sources", 1)))
                for k, d in sorted(network.get_edge_data(u, v, default={}).items())]
        ties += [Tie(k, False, bool(d.get("symmetric")), int(d.get("sources", 1)))
                 for k, d in sorted(network.get_edge_data(v, u, default={}).items())]
        steps.append(Step(actor(network, u), actor(network, v), tuple(ties)))
    return Path(tuple(actor(network, n) for n in nodes), tuple(steps))


def ego_network(network: nx.MultiDiGraph, center: str, *, radius: int = 1) -> nx.MultiDiGraph:
    """The actors within ``radius`` steps of ``center`` (either direction) and every relation among them.

    A new graph: the caller's network is not changed.

    >>> from kg.network import network_from_triples
    >>> net = network_from_triples([("A", "supports", "B"), ("B", "hostileTo", "C"), ("C", "alliedWith", "D")])
    >>> sorted(ego_network(net, "B"))
    ['A', 'B', 'C']
    """
    if radius < 0:
        raise NetworkError(f"radius must be 0 or more, not {radius}")
    node = find_actor(network, center)
    return nx.ego_graph(network, node, radius=radius, undirected=True).copy()


def network_as_of(source: Source, date: str, **filters: Any) -> nx.MultiDiGraph:
    """The network as it was reported on or before ``date`` (``actor_network(source, as_of=date, ...)``).

    >>> import kg
    >>> len(network_as_of(kg.GraphStore(), "2016-07"))
    0
    """
    return actor_network(source, as_of=check_date(date), **filters)
