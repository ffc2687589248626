"""The one record of the network filters, and the one place a network is cut to a centre and depth.

:class:`Selection` is built once (from the options of ``kg view``, ``kg analyze`` and ``kg export``, or in a
notebook) and passed down: :func:`kg.network.actor_network` applies its filters in SPARQL, and
:func:`select` keeps the actors within ``depth`` steps of ``center``.

>>> from kg.network import network_from_triples
>>> net = network_from_triples([("A", "commands", "B"), ("B", "alliedWith", "C"), ("C", "hostileTo", "D")])
>>> sorted(select(net, Selection(center="B", depth=1)))
['A', 'B', 'C']
>>> select(net, Selection()) is net
True
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from kg.errors import NetworkError

if TYPE_CHECKING:
    import networkx as nx


@dataclass(frozen=True)
class Selection:
    """Which part of the actor network to read: relations and actor types (sub-kinds included), places and
    events, a date window on the claims, what was reported as of a date, the fewest independent sources,
    current claims only (leave out claims flagged former or intended), and a centre with a depth."""

    relations: tuple[str, ...] | None = None
    actor_types: tuple[str, ...] | None = None
    include_places: bool = False
    include_events: bool = False
    since: str | None = None
    until: str | None = None
    as_of: str | None = None
    min_sources: int = 1
    current: bool = False
    center: str | None = None
    depth: int = 1


def select(network: nx.MultiDiGraph, selection: Selection | None = None) -> nx.MultiDiGraph:
    """The actors within ``selection.depth`` steps (either direction) of ``selection.center``, with the
    relations among them; the network itself when there is no centre. The centre is a label in either
    language, an alias or an IRI; the result's ``graph["center"]`` is its node."""
    import networkx as nx

    from kg.network import find_actor

    if selection is None or selection.center is None:
        return network
    if selection.depth < 0:
        raise NetworkError(f"depth must be 0 or more, not {selection.depth}")
    hub = find_actor(network, selection.center)
    near = nx.single_source_shortest_path_length(network.to_undirected(as_view=True), hub, cutoff=selection.depth)
    result = network.subgraph(near).copy()
    result.graph["center"] = hub
    return result
