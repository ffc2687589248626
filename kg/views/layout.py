"""Positions for network views, computed in Python so the page is usable at once.

igraph lays out the network (Kamada–Kawai for small views, grid Fruchterman–Reingold for large ones: 2.5 s
at 20,000 nodes where networkx's spring layout does not finish); small views then have their labels pushed
apart. The same graph always gets the same positions.

>>> import networkx as nx
>>> g = nx.MultiDiGraph([("a", "b"), ("b", "c")])
>>> pts = layout(g, ["a", "b", "c"])
>>> len(pts), pts == layout(g, ["a", "b", "c"])
(3, True)
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import networkx as nx

#: Above this many nodes a view is "large": physics off, no edge curves, edges hidden while dragging,
#: labels drawn only for the nodes in sight once zoomed in.
LARGE = 300
#: Above this many actors a view is drawn with WebGL (sigma.js) instead of vis-network.
WEBGL = 3000
#: Views with at most this many nodes get Kamada–Kawai and label separation.
SEPARATE = 150


def layout(graph: nx.MultiDiGraph, order: Sequence[Any],
           boxes: Sequence[tuple[float, float, float]] | None = None) -> list[tuple[float, float]]:
    """Positions in pixels for the nodes in ``order``, the same every run.

    igraph's Kamada–Kawai layout for small views, Fruchterman–Reingold (grid variant when large) above
    that; scaled so a typical edge is about 170 px long (70 px in large views) and each node has room.
    ``boxes`` — each node's drawn extent with its label as (width, height, vertical offset of the centre) —
    are then pushed apart where they overlap, in views of up to :data:`SEPARATE` nodes.
    """
    import igraph

    n = len(order)
    if n == 0:
        return []
    if n == 1:
        return [(0.0, 0.0)]
    index = {node: i for i, node in enumerate(order)}
    pairs = {(min(a, b), max(a, b)) for a, b in ((index[u], index[v]) for u, v in graph.edges()) if a != b}
    g = igraph.Graph(n=n, edges=sorted(pairs))
    state = random.getstate()
    random.seed(20160701)
    try:
        if n <= SEPARATE:
            coords = g.layout_kamada_kawai(maxiter=100 * n).coords
        else:
            coords = g.layout_fruchterman_reingold(niter=500 if n <= 2000 else 250 if n <= 20000 else 100,
                                                   grid=True).coords
    finally:
        random.setstate(state)
    lengths = sorted(math.dist(coords[a], coords[b]) for a, b in pairs)
    typical = (lengths[len(lengths) // 2] if lengths else 1.0) or 1.0
    xs, ys = [x for x, _ in coords], [y for _, y in coords]
    side = max(max(xs) - min(xs), max(ys) - min(ys)) or 1.0
    # whichever spreads more: a typical edge of 170 px (70 px when large), or about 45 px² of room per node
    scale = max((170.0 if n <= LARGE else 70.0) / typical, 45.0 * math.sqrt(n) / side)
    points = [(x * scale, y * scale) for x, y in coords]
    if boxes is not None and n <= SEPARATE:
        points = _separate(points, boxes)
    return points


def _separate(points: Sequence[tuple[float, float]], boxes: Sequence[tuple[float, float, float]], *,
              gap: float = 10.0, rounds: int = 80) -> list[tuple[float, float]]:
    """Move overlapping boxes apart along the axis where they overlap least (quadratic: small views only)."""
    pts = [[x, y] for x, y in points]
    n = len(pts)
    for _ in range(rounds):
        moved = False
        for i in range(n):
            wi, hi, oi = boxes[i]
            for j in range(i + 1, n):
                wj, hj, oj = boxes[j]
                dx = pts[j][0] - pts[i][0]
                dy = (pts[j][1] + oj) - (pts[i][1] + oi)
                over_x = (wi + wj) / 2 + gap - abs(dx)
                over_y = (hi + hj) / 2 + gap - abs(dy)
                if over_x <= 0 or over_y <= 0:
                    continue
                moved = True
                if over_x < over_y:
                    shift = (over_x / 2 + 0.5) * (1 if dx >= 0 else -1)
                    pts[i][0] -= shift
                    pts[j][0] += shift
                else:
                    shift = (over_y / 2 + 0.5) * (1 if dy >= 0 else -1)
                    pts[i][1] -= shift
                    pts[j][1] += shift
        if not moved:
            break
    return [(x, y) for x, y in pts]
