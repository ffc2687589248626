"""What a view draws of a network: aliases merged into one actor, the most central actors, the largest
connected parts, blocs. Pure functions of a network (the one given is never changed).

>>> from kg.network import network_from_triples
>>> net = network_from_triples([("LNA", "alsoKnownAs", "Haftar's forces"), ("Haftar", "commands", "LNA"),
...                             ("LNA", "controls", "Benghazi"), ("Haftar's forces", "hostileTo", "BDB")])
>>> merged = merge_aliases(net)
>>> sorted(merged), sorted(r for *_, r in merged.edges(keys=True))
(['BDB', 'Benghazi', 'Haftar', 'LNA'], ['commands', 'controls', 'hostileTo'])
>>> merged.nodes["LNA"]["aliases"]
["Haftar's forces"]
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import networkx as nx

    from kg.ontology import Ontology

#: The relation that says two names denote one actor (and its sub-relations).
ALIAS_RELATION = "alsoKnownAs"
#: In a large view, connected parts with fewer actors than this are left out (when bigger ones exist).
MIN_COMPONENT = 3


def merge_aliases(graph: nx.MultiDiGraph, ontology: Ontology | None = None) -> nx.MultiDiGraph:
    """One node per actor: the ends of ``alsoKnownAs`` relations merged (into the end with most relations,
    ties by IRI), the other names kept as aliases, those relations not drawn. Relations that become the
    same (subject, object, relation) are joined: sources, articles, claimants and evidence together."""
    from kg.views.look import ontology_or_default

    ont = ontology_or_default(ontology)

    aliases = {r for r in ont.relation_types if r == ALIAS_RELATION or ont.is_a(r, ALIAS_RELATION)}

    def is_alias(relation: str) -> bool:
        return relation in aliases

    alias_edges = [(u, v) for u, v, k, d in graph.edges(keys=True, data=True) if is_alias(str(d.get("relation", k)))]
    if not alias_edges:
        return graph
    parent: dict[Any, Any] = {}

    def find(x: Any) -> Any:
        while parent.get(x, x) != x:
            x = parent[x] = parent.get(parent[x], parent[x])
        return x

    degree: Counter[Any] = Counter()
    for u, v, k, d in graph.edges(keys=True, data=True):
        if not is_alias(str(d.get("relation", k))):
            degree[u] += 1
            degree[v] += 1
    for u, v in alias_edges:
        a, b = find(u), find(v)
        if a != b:
            keep, drop = sorted((a, b), key=lambda n: (-degree[n], str(n)))
            parent[drop] = keep
    root = {n: find(n) for n in graph}
    result = graph.__class__()
    result.graph.update(graph.graph)
    members: dict[Any, list[Any]] = {}
    for node in graph:
        members.setdefault(root[node], []).append(node)
    for head, group in members.items():
        attrs = dict(graph.nodes[head])
        names = list(attrs.get("aliases") or [])
        for other in group:
            if other == head:
                continue
            data = graph.nodes[other]
            names += [data.get("label_en"), data.get("label_ar"), data.get("label"), *(data.get("aliases") or [])]
        own = {attrs.get("label_en"), attrs.get("label_ar"), attrs.get("label")}
        attrs["aliases"] = sorted({str(n) for n in names if n} - {str(n) for n in own if n})
        if len(group) > 1:
            attrs["merged"] = sorted(str(graph.nodes[m].get("iri") or m) for m in group if m != head)
        result.add_node(head, **attrs)
    for u, v, key, data in graph.edges(keys=True, data=True):
        if is_alias(str(data.get("relation", key))):
            continue
        a, b = root[u], root[v]
        if a == b:
            continue
        if data.get("symmetric") and str(b) < str(a):
            a, b = b, a
        if result.has_edge(a, b, key):
            _join(result.edges[a, b, key], data)
        else:
            result.add_edge(a, b, key=key, **dict(data))
    if "center" in result.graph:
        result.graph["center"] = root.get(result.graph["center"], result.graph["center"])
    return result


def _join(edge: dict[str, Any], other: dict[str, Any]) -> None:
    edge["articles"] = sorted({*(edge.get("articles") or []), *(other.get("articles") or [])})
    edge["sources"] = len(edge["articles"]) or int(edge.get("sources") or 0) + int(other.get("sources") or 0)
    edge["claimants"] = sorted({*(edge.get("claimants") or []), *(other.get("claimants") or [])})
    edge["evidence"] = [*(edge.get("evidence") or []), *(other.get("evidence") or [])]
    dates = [d for d in (edge.get("first"), edge.get("last"), other.get("first"), other.get("last")) if d]
    if dates:
        edge["first"], edge["last"] = min(dates), max(dates)


def keep_top(graph: nx.MultiDiGraph, top: int | None) -> nx.MultiDiGraph:
    """The ``top`` actors with most relations (ties by IRI) and the relations among them."""
    if top is None or top >= graph.number_of_nodes():
        return graph
    if top < 1:
        from kg.errors import ViewError

        raise ViewError(f"top must be at least 1, not {top}")
    ranked = sorted(graph, key=lambda n: (-neighbours(graph, n), str(n)))
    return graph.subgraph(ranked[:top]).copy()


def main_components(graph: nx.MultiDiGraph, *, smallest: int = MIN_COMPONENT) -> tuple[nx.MultiDiGraph, int]:
    """The connected parts with at least ``smallest`` actors (all of them when none is that big), and how
    many actors were left out."""
    import networkx as nx

    parts = list(nx.weakly_connected_components(graph))
    keep = [p for p in parts if len(p) >= smallest]
    if not keep or len(keep) == len(parts):
        return graph, 0
    nodes = set().union(*keep)
    return graph.subgraph(nodes).copy(), graph.number_of_nodes() - len(nodes)


def neighbours(graph: nx.MultiDiGraph, node: Any) -> int:
    """How many other actors ``node`` is tied to (either direction)."""
    return len((set(graph.pred[node]) | set(graph.succ[node])) - {node})


def blocs(graph: nx.MultiDiGraph, order: Sequence[Any], *, seed: int = 20160701) -> list[int]:
    """A bloc number for each node of ``order`` (0 = the largest bloc): Leiden communities (modularity) of the
    ties that do not divide (every relation but hostile ones), weighted by sources; the same every run."""
    import random

    import igraph

    n = len(order)
    if n == 0:
        return []
    index = {node: i for i, node in enumerate(order)}
    weights: Counter[tuple[int, int]] = Counter()
    for u, v, data in graph.edges(data=True):
        a, b = index[u], index[v]
        if a != b and int(data.get("sign") or 0) >= 0:
            weights[(min(a, b), max(a, b))] += max(1, int(data.get("sources") or 1))
    pairs = sorted(weights)
    g = igraph.Graph(n=n, edges=pairs)
    state = random.getstate()
    random.seed(seed)
    try:
        parts = g.community_leiden(objective_function="modularity", weights=[weights[p] for p in pairs] or None,
                                   n_iterations=2).membership
    finally:
        random.setstate(state)
    sizes = Counter(parts)
    rank = {bloc: i for i, (bloc, _) in enumerate(sorted(sizes.items(), key=lambda kv: (-kv[1], kv[0])))}
    return [rank[p] for p in parts]
