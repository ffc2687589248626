"""Command chains on :func:`kg.network.command_hierarchy` (superior → subordinate).

Roots are actors no one commands; depth counts links. A cycle is a data problem: reported, then
collapsed so depths stay defined.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import networkx as nx

from kg.analysis.records import Actor, actor
from kg.network.projections import command_hierarchy

if TYPE_CHECKING:
    from kg.ontology import Ontology


@dataclass(frozen=True)
class Link:
    """``subordinate`` answers to ``superior`` through ``relations``."""

    superior: Actor
    subordinate: Actor
    relations: tuple[str, ...]


@dataclass(frozen=True)
class Chain:
    """One root of the hierarchy, how deep its chain goes, and a longest chain from it."""

    root: Actor
    depth: int
    members: int
    longest: tuple[Actor, ...]


@dataclass(frozen=True)
class CommandChains:
    """The command hierarchy: chains per root (deepest first), every link, and any cycles (data problems)."""

    depth: int
    chains: tuple[Chain, ...]
    links: tuple[Link, ...]
    cycles: tuple[tuple[Actor, ...], ...]


def command_chains(network: nx.MultiDiGraph, *, ontology: Ontology | None = None,
                   max_cycles: int = 50) -> CommandChains:
    """Roots, depth and links of the command hierarchy; cycles reported, not fatal.

    >>> from kg.network import network_from_triples
    >>> net = network_from_triples([("Haftar", "commands", "LNA"), ("Brigade", "subUnitOf", "LNA"),
    ...                             ("Battalion", "subUnitOf", "Brigade"), ("Zed", "commands", "Unit")])
    >>> result = command_chains(net)
    >>> result.depth, [a.label for a in result.chains[0].longest]
    (3, ['Haftar', 'LNA', 'Brigade', 'Battalion'])
    """
    hierarchy = command_hierarchy(network, ontology=ontology)
    hierarchy.remove_edges_from(list(nx.selfloop_edges(hierarchy)))
    cycles = []
    for cycle in nx.simple_cycles(hierarchy):
        cycles.append(tuple(actor(network, n) for n in _rotate(cycle, network)))
        if len(cycles) >= max_cycles:
            break
    dag = nx.condensation(hierarchy)
    represent = {c: min((n for n in dag.nodes[c]["members"]), key=lambda n: actor(network, n)) for c in dag}
    longest_from: dict[int, list[int]] = {}
    for c in reversed(list(nx.topological_sort(dag))):
        best: list[int] = []
        for child in sorted(dag.successors(c), key=lambda x: actor(network, represent[x])):
            if len(longest_from[child]) > len(best):
                best = longest_from[child]
        longest_from[c] = [c, *best]
    chains = []
    for c in dag:
        if dag.in_degree(c) == 0 and dag.out_degree(c) > 0:
            path = longest_from[c]
            chains.append(Chain(actor(network, represent[c]), len(path) - 1,
                                sum(len(dag.nodes[x]["members"]) for x in nx.descendants(dag, c) | {c}),
                                tuple(actor(network, represent[x]) for x in path)))
    chains.sort(key=lambda ch: (-ch.depth, -ch.members, ch.root))
    links = sorted((Link(actor(network, u), actor(network, v), tuple(d["relations"]))
                    for u, v, d in hierarchy.edges(data=True)), key=lambda li: (li.superior, li.subordinate))
    return CommandChains(max((ch.depth for ch in chains), default=0), tuple(chains), tuple(links),
                         tuple(sorted(cycles)))


def _rotate(cycle: list[str], network: nx.Graph) -> list[str]:
    """A cycle starting at its first member by label (so reports repeat)."""
    start = min(range(len(cycle)), key=lambda i: actor(network, cycle[i]))
    return cycle[start:] + cycle[:start]
