"""Analyses of an actor network: centrality, blocs, structural balance, command chains, paths, ego networks.

Every function takes a network from :func:`kg.network.actor_network` (or
:func:`kg.network.network_from_triples`) first and returns plain frozen records that name actors by IRI
and label (:class:`Actor`). :func:`run` runs one analysis by name on a store or an endpoint and returns a
JSON-ready dict; :func:`render` turns that dict into the text ``kg analyze`` prints.

Choices, and why:

* **Centrality** on the undirected simple network (one tie per pair, whatever the relations):
  being commanded, supported or fought all put an actor in the conflict. Degree, betweenness and
  eigenvector centrality are unweighted and normalised as networkx does (betweenness is computed by igraph,
  which is much faster on large networks, and rescaled to networkx's values); PageRank follows the
  direction of relations (symmetric ones both ways), weighted by the number of sources.
* **Blocs** on the signed network (:func:`kg.network.signed_network`): actors joined by chains of positive
  ties (command, membership, alliance, support: every relation the ontology gives sign +1) form a bloc. A
  bloc that also holds hostility (the ally of my enemy) is split: Louvain communities of its positive ties
  (fixed seed, so results repeat), merged back greedily, strongest positive tie first, wherever no hostile
  pair lies between them; hostility that remains inside a bloc is listed with it. With ``signed=False``:
  Louvain communities of the alliance network alone.
* **Structural balance** (Cartwright–Harary): a triangle is balanced when the product of its signs is
  positive. "+ + −" triangles ("the ally of my enemy") are always unbalanced; "− − −" (three mutual
  enemies) is unbalanced in the strict theory and counted as such unless ``strict=False``.
* **Command chains** on :func:`kg.network.command_hierarchy` (superior → subordinate): roots are actors
  no one commands; depth counts links. A cycle is a data problem: reported, then collapsed so depths stay
  defined.

>>> from kg.network import network_from_triples
>>> net = network_from_triples([("A", "alliedWith", "B"), ("B", "alliedWith", "C"), ("A", "hostileTo", "C")])
>>> [t.kind for t in balance(net).unbalanced]
['ally of my enemy']
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import total_ordering
from itertools import islice
from typing import TYPE_CHECKING, Any

import networkx as nx

from kg.network import (
    NetworkError,
    actor_network,
    alliance_network,
    check_date,
    command_hierarchy,
    find_actor,
    signed_network,
)

if TYPE_CHECKING:
    from kg.ontology import Ontology
    from kg.sparql.source import Source

#: Centrality measures by name.
MEASURES = ("degree", "betweenness", "eigenvector", "pagerank")
#: Analyses :func:`run` knows, with the number of actor names each takes.
ANALYSES: dict[str, int] = {"summary": 0, "centrality": 0, "blocs": 0, "balance": 0, "chains": 0, "path": 2,
                            "ego": 1}

ALLY_OF_ENEMY = "ally of my enemy"
ALL_ENEMIES = "three mutual enemies"


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


# -- centrality -----------------------------------------------------------------------------------------


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


# -- blocs ----------------------------------------------------------------------------------------------


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


# -- structural balance ---------------------------------------------------------------------------------


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


# -- command chains -------------------------------------------------------------------------------------


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


# -- paths and ego networks -----------------------------------------------------------------------------


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

    >>> from kg.sparql.store import GraphStore
    >>> len(network_as_of(GraphStore(), "2016-07"))
    0
    """
    return actor_network(source, as_of=check_date(date), **filters)


# -- running by name, and rendering ---------------------------------------------------------------------


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def _ego_report(network: nx.MultiDiGraph) -> dict[str, Any]:
    nodes = sorted(network, key=lambda n: actor(network, n))
    edges = sorted(network.edges(keys=True, data=True),
                   key=lambda e: (actor(network, e[0]), e[2], actor(network, e[1])))
    return {"actors": [_plain(actor(network, n)) | {"type": network.nodes[n].get("type")} for n in nodes],
            "relations": [{"subject": _plain(actor(network, u)), "relation": k, "object": _plain(actor(network, v)),
                           "symmetric": bool(d.get("symmetric")), "sources": d.get("sources", 1)}
                          for u, v, k, d in edges]}


def run(
    source: Source | nx.MultiDiGraph,
    analysis: str = "summary",
    actors: Iterable[str] = (),
    *,
    measure: str | None = None,
    top: int = 10,
    radius: int = 1,
    seed: int = 0,
    signed: bool = True,
    strict: bool = True,
    ontology: Ontology | None = None,
    **filters: Any,
) -> dict[str, Any]:
    """Run one analysis by name (:data:`ANALYSES`) and return a JSON-ready dict (what ``kg analyze`` prints).

    ``source``: a store, an endpoint URL or an already built network; ``filters`` go to
    :func:`kg.network.actor_network`. ``top`` bounds the centrality lists and the unbalanced triangles
    listed (their counts stay complete).

    >>> from kg.network import network_from_triples
    >>> run(network_from_triples([("A", "alliedWith", "B")]), "blocs")["blocs"][0]["members"][0]["label"]
    'A'
    """
    names = list(actors)
    if analysis not in ANALYSES:
        raise NetworkError(f"unknown analysis {analysis!r}", hint=f"one of {', '.join(ANALYSES)}")
    if len(names) != ANALYSES[analysis]:
        raise NetworkError(f"{analysis} takes {ANALYSES[analysis]} actor name(s), not {len(names)}",
                           hint="kg analyze path ACTOR ACTOR, kg analyze ego ACTOR")
    if isinstance(source, nx.Graph):
        network = source
    else:
        network = actor_network(source, evidence=False, ontology=ontology, **filters)
    report: dict[str, Any] = {"analysis": analysis, "actors": network.number_of_nodes(),
                              "relations": network.number_of_edges()}
    if analysis in ("summary", "centrality"):
        chosen = [measure] if measure else list(MEASURES) if analysis == "centrality" else ["degree", "betweenness"]
        report["centrality"] = {m: _plain(centrality(network, measure=m, top=top)) for m in chosen}
    if analysis in ("summary", "blocs"):
        report["blocs"] = _plain(blocs(network, signed=signed, seed=seed, ontology=ontology))
    if analysis in ("summary", "balance"):
        report["balance"] = _plain(balance(network, strict=strict, limit=top, ontology=ontology))
    if analysis in ("summary", "chains"):
        report["chains"] = _plain(command_chains(network, ontology=ontology))
    if analysis == "path":
        path = shortest_path(network, names[0], names[1])
        report["path"] = _plain(path) | {"text": path.text()}
    if analysis == "ego":
        center = actor(network, find_actor(network, names[0]))
        report["center"] = _plain(center)
        report["ego"] = _ego_report(ego_network(network, center.iri, radius=radius))
    return report


def _actor_text(value: Mapping[str, Any]) -> str:
    return str(value["label"])


def render(report: Mapping[str, Any]) -> str:
    """The plain-text tables of a :func:`run` report.

    >>> from kg.network import network_from_triples
    >>> print(render(run(network_from_triples([("A", "alliedWith", "B")]), "blocs")))
    2 actors, 1 relations
    <BLANKLINE>
    alliance blocs
      1. A, B
    """
    lines = [f"{report['actors']} actors, {report['relations']} relations"]
    for measure, scores in (report.get("centrality") or {}).items():
        lines += ["", f"centrality: {measure}"]
        lines += [f"  {i:>3}. {s['score']:.4f}  {_actor_text(s['actor'])}" for i, s in enumerate(scores, 1)]
    if "blocs" in report:
        lines += ["", "alliance blocs"]
        if not report["blocs"]:
            lines.append("  (none)")
        for i, bloc in enumerate(report["blocs"], 1):
            lines.append(f"  {i}. " + ", ".join(_actor_text(a) for a in bloc["members"]))
            lines += [f"     hostile inside: {_actor_text(a)} / {_actor_text(b)}" for a, b in bloc["hostile"]]
    if "balance" in report:
        bal = report["balance"]
        shown = len(bal["unbalanced"])
        missing = bal["triangles"] - bal["balanced"] - shown
        more = f"; the first {shown} unbalanced of {shown + missing}:" if missing else ""
        lines += ["", f"structural balance: {bal['balanced']} of {bal['triangles']} triangles balanced "
                      f"({bal['ratio']:.0%}){more}"]
        lines += [f"  unbalanced ({t['kind']}): {t['description']}" for t in bal["unbalanced"]]
    if "chains" in report:
        ch = report["chains"]
        lines += ["", f"command chains (deepest: {ch['depth']})"]
        for chain in ch["chains"]:
            lines.append(f"  {_actor_text(chain['root'])}: depth {chain['depth']}, {chain['members']} actors: "
                         + " → ".join(_actor_text(a) for a in chain["longest"]))
        lines += ["  cycle (data problem): " + " → ".join(_actor_text(a) for a in (*c, c[0])) for c in ch["cycles"]]
    if "path" in report:
        lines += ["", f"path ({len(report['path']['steps'])} steps)", "  " + report["path"]["text"]]
    if "ego" in report:
        ego = report["ego"]
        lines += ["", f"ego network of {_actor_text(report['center'])}: {len(ego['actors'])} actors"]
        lines += [f"  {_actor_text(r['subject'])} —{r['relation']}{'—' if r['symmetric'] else '→'} "
                  f"{_actor_text(r['object'])}"
                  f"  ({r['sources']} source{'s' if r['sources'] != 1 else ''})" for r in ego["relations"]]
    return "\n".join(lines)
