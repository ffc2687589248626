"""Actors in analysis results: a node by its label and IRI.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import total_ordering

import networkx as nx


@total_ordering
@dataclass(frozen=True)
class Actor:
    """A node of the network, by label and IRI (ordered by label, ignoring case)."""

    label: str
    iri: str

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Actor):
            return NotImplemented
        return (self.label.casefold(), self.label, self.iri) < (other.label.casefold(), other.label, other.iri)


def actor(network: nx.Graph, node: str) -> Actor:
    """The :class:`Actor` record of a node.

    >>> from kg.network import network_from_triples
    >>> actor(network_from_triples([("A", "supports", "B")]), "A")
    Actor(label='A', iri='A')
    """
    data = network.nodes[node]
    return Actor(str(data.get("label") or node), str(data.get("iri") or node))
