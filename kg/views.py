"""Interactive HTML views of the actor network: one self-contained page, drawn with vis-network.

A view is a single HTML file. Everything it needs is inline — vis-network (from the pyvis package), the
page's own script and style, and the data — so it opens offline and requests nothing from anywhere (a
Content-Security-Policy in the page forbids it). pyvis's :class:`~pyvis.network.Network` holds the node and
edge records and the vis-network options; the page itself comes from ``kg/templates/view.html``, because
pyvis's template loads Bootstrap from a CDN and lets physics stabilisation stall large graphs.

What the page shows is read from the ontology (``kg.ontology``): node colour and shape by actor type,
edge colour, dash and arrow by relation, and the labels of the legend. Node size grows with degree
centrality, edge width with the number of independent sources. Positions are computed here with igraph
(Kamada–Kawai with labels kept apart for small views, Fruchterman–Reingold above that), so the page draws
at once; physics stays off (small views have a switch). Large views draw their labels only for the nodes in
sight once zoomed in: a 10,000-actor view is drawn in under 3 s in headless Chromium on two cores.
Hovering shows a summary; clicking a node or an edge shows everything, down to every supporting quote,
built with DOM text nodes from JSON data — article text is untrusted and never parsed as HTML.

>>> import networkx as nx
>>> g = nx.MultiDiGraph()
>>> for key, name in (("a", "Khalifa Haftar"), ("b", "Libyan National Army")):
...     g.add_node(key, type="Person" if key == "a" else "ArmedGroup", label_en=name, label_ar="",
...                label=name, aliases=[], iri=key)
>>> _ = g.add_edge("a", "b", key="commands", relation="commands", symmetric=False, sign=0, sources=1,
...                articles=["art"], claimants=[], first="2016-07", last="2016-07",
...                evidence=[{"quote": "<script>alert(1)</script>", "title": "t", "url": "https://example.org"}])
>>> page = render_view(g)
>>> page.startswith("<!DOCTYPE html>") and "<script>alert(1)" not in page
True
"""

from __future__ import annotations

import difflib
import functools
import html
import json
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.errors import ViewError
from kg.layout import LARGE, layout

if TYPE_CHECKING:
    import networkx as nx
    from IPython.display import HTML

    from kg.ontology import Ontology
    from kg.sparql.store import GraphStore

LANGS = ("ar", "en", "both")
TEMPLATES = Path(__file__).resolve().parent / "templates"
VIS_DIR = ("templates", "lib", "vis-9.1.2")
#: Fonts with Latin and Arabic glyphs (Noto from fonts-noto-core; DejaVu and the rest as fallbacks).
FONT_STACK = ('"Noto Sans", "Noto Sans Arabic", "Noto Naskh Arabic", "DejaVu Sans", "Segoe UI", Tahoma, '
              "Arial, sans-serif")
#: vis-network shapes whose size is set by ``size`` (the others size to their label).
SIZED_SHAPES = {"dot", "square", "triangle", "triangleDown", "diamond", "star", "hexagon"}
LABEL_SHAPES = {"box", "ellipse", "circle", "database", "text"}
#: Labels are wrapped at about this many characters a line.
WRAP = 26
DEFAULT_COLOUR = "#8c8c8c"
_JSON_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}

@dataclass(frozen=True)
class ViewSummary:
    """What a written view holds."""

    path: Path | None
    nodes: int
    edges: int
    relations: dict[str, int] = field(default_factory=dict)
    actor_types: dict[str, int] = field(default_factory=dict)
    large: bool = False
    bytes: int = 0


# ---------------------------------------------------------------------------------------------- selection


def select_network(
    graph: nx.MultiDiGraph,
    *,
    center: str | None = None,
    depth: int = 1,
    relations: Iterable[str] | None = None,
    actor_types: Iterable[str] | None = None,
    since: str | None = None,
    until: str | None = None,
    min_sources: int = 1,
    ontology: Ontology | None = None,
) -> nx.MultiDiGraph:
    """The part of an actor network a view shows (``graph`` is not changed; without any filter it is
    returned as it is).

    Edges are kept when their relation is among ``relations`` (or a sub-relation), their dates meet
    ``since``/``until`` (ISO dates, any precision) and at least ``min_sources`` articles support them;
    nodes when their type is among ``actor_types`` (or a subclass). When an edge filter is given, actors
    left without any relation are dropped. With ``center``, only actors within ``depth`` steps of it
    (in either direction) remain.
    """
    from kg.network import check_date, find_actor

    ont = ontology or _ontology()
    rels = _checked_names(relations, ont.relation_types, "relation")
    types = _checked_names(actor_types, ont.actor_types | ont.place_types, "actor type")
    since, until = check_date(since, "since date"), check_date(until, "until date")
    if depth < 0:
        raise ViewError(f"depth must be 0 or more, not {depth}")
    result = graph
    if types is not None:
        result = result.subgraph([n for n, d in graph.nodes(data=True)
                                  if any(ont.is_a(str(d.get("type", "")), t) for t in types)]).copy()
    if _edge_filter(rels, since, until, min_sources):
        drop = [
            (u, v, k) for u, v, k, d in result.edges(keys=True, data=True)
            if not ((rels is None or any(ont.is_a(str(d.get("relation", k)), r) for r in rels))
                    and int(d.get("sources") or 0) >= min_sources
                    and _edge_in_period(d, since, until))
        ]
        result = result.copy() if result is graph else result
        result.remove_edges_from(drop)
    hub = None if center is None else find_actor(graph, center)
    if _edge_filter(rels, since, until, min_sources):
        result.remove_nodes_from([n for n in list(result) if result.degree(n) == 0 and n != hub])
    if hub is not None:
        if hub not in result:
            raise ViewError(f"{_display(graph, hub)!r} is not in the selection",
                            hint="loosen --relations, --actor-types, --since/--until or --min-sources")
        import networkx as nx

        near = nx.single_source_shortest_path_length(result.to_undirected(as_view=True), hub, cutoff=depth)
        result = result.subgraph(near).copy()
        result.graph["center"] = hub
    return result


def _edge_filter(rels: set[str] | None, since: str | None, until: str | None, min_sources: int) -> bool:
    return rels is not None or since is not None or until is not None or min_sources > 1


def _checked_names(names: Iterable[str] | None, known: Iterable[str], what: str) -> set[str] | None:
    if names is None:
        return None
    wanted = {n.strip() for n in names if n.strip()}
    known = set(known)
    for name in sorted(wanted - known):
        close = difflib.get_close_matches(name, sorted(known), n=3)
        raise ViewError(f"unknown {what} {name!r}",
                        hint=f"did you mean {', '.join(close)}?" if close else "`kg types` lists them")
    return wanted or None


def _edge_in_period(edge: Mapping[str, Any], since: str | None, until: str | None) -> bool:
    """The rule :func:`kg.network.actor_network` applies: some claim's date (the date it gives, else the
    date it was reported) meets the window; edges without evidence fall back to first/last reported."""
    evidence = edge.get("evidence") or []
    if not evidence:
        return _in_period(edge.get("first"), edge.get("last"), since, until)
    return any(_in_period(when, when, since, until)
               for when in (e.get("claim_date") or e.get("date") for e in evidence))


def _in_period(first: Any, last: Any, since: str | None, until: str | None) -> bool:
    """Whether dates ``first``–``last`` (ISO, any precision) meet ``since``–``until``; compared at the
    coarser of the two precisions, so "2016" overlaps "2016-07"."""
    if since is None and until is None:
        return True
    first, last = (str(first) if first else None), (str(last) if last else None)
    first, last = first or last, last or first
    if first is None or last is None:
        return False
    if since is not None:
        n = min(len(since), len(last))
        if last[:n] < since[:n]:
            return False
    if until is not None:
        n = min(len(until), len(first))
        if first[:n] > until[:n]:
            return False
    return True


# -------------------------------------------------------------------------------------------- rendering


def render_view(
    graph: nx.MultiDiGraph,
    *,
    lang: str = "both",
    title: str | None = None,
    ontology: Ontology | None = None,
) -> str:
    """The HTML page of an actor network (from :func:`kg.network.actor_network`), as a string.

    Pure: the graph is drawn as given (select first with :func:`select_network`).
    """
    return _render(graph, lang=lang, title=title, ontology=ontology)[0]


def write_view(
    source: GraphStore | nx.MultiDiGraph,
    path: Path | str,
    *,
    center: str | None = None,
    depth: int = 1,
    relations: Iterable[str] | None = None,
    actor_types: Iterable[str] | None = None,
    since: str | None = None,
    until: str | None = None,
    min_sources: int = 1,
    include_places: bool = False,
    lang: str = "both",
    title: str | None = None,
) -> ViewSummary:
    """Select from a store (or an actor network) and write the view to ``path``.

    ``center`` is an actor's label in either language or its IRI; see :func:`select_network` for the rest.
    """
    _check_lang(lang)
    graph = _selected(source, center=center, depth=depth, relations=relations, actor_types=actor_types,
                      since=since, until=until, min_sources=min_sources, include_places=include_places)
    page, summary = _render(graph, lang=lang, title=title)
    path = Path(path)
    data = page.encode("utf-8")
    try:
        path.write_bytes(data)
    except OSError as exc:
        raise ViewError(f"cannot write {path}: {exc.strerror or exc}") from exc
    return ViewSummary(path, summary.nodes, summary.edges, summary.relations, summary.actor_types,
                       summary.large, len(data))


def show(
    source: GraphStore | nx.MultiDiGraph,
    *,
    center: str | None = None,
    depth: int = 1,
    relations: Iterable[str] | None = None,
    actor_types: Iterable[str] | None = None,
    since: str | None = None,
    until: str | None = None,
    min_sources: int = 1,
    include_places: bool = False,
    lang: str = "both",
    title: str | None = None,
    height: int = 640,
) -> HTML:
    """The view in a Jupyter notebook: the same page inside an ``<iframe srcdoc>`` (no file, no server).

    Options as for :func:`write_view`; ``height`` in pixels.
    """
    from IPython.display import HTML

    _check_lang(lang)
    graph = _selected(source, center=center, depth=depth, relations=relations, actor_types=actor_types,
                      since=since, until=until, min_sources=min_sources, include_places=include_places)
    return HTML(iframe(render_view(graph, lang=lang, title=title), height=height))


def iframe(page: str, *, height: int = 640) -> str:
    """An ``<iframe>`` whose ``srcdoc`` is ``page`` (escaped), sandboxed: scripts run, nothing else.

    >>> 'srcdoc="&lt;p title=&#x27;x&#x27;&gt;a &amp; b&lt;/p&gt;"' in iframe("<p title='x'>a & b</p>")
    True
    """
    return (f'<div class="kg-view"><iframe srcdoc="{html.escape(page, quote=True)}" '
            f'sandbox="allow-scripts allow-popups allow-popups-to-escape-sandbox" '
            f'style="width:100%;height:{int(height)}px;border:1px solid #ddd" title="actor network"></iframe></div>')


def _selected(source: Any, *, center: str | None = None, depth: int = 1, relations: Iterable[str] | None = None,
              actor_types: Iterable[str] | None = None, since: str | None = None, until: str | None = None,
              min_sources: int = 1, include_places: bool = False) -> nx.MultiDiGraph:
    """The network to draw: filtered by :func:`kg.network.actor_network` (a store) or here (a network)."""
    import networkx as nx

    ont = _ontology()
    if isinstance(source, nx.Graph):
        graph = select_network(source, center=center, depth=depth, relations=relations, actor_types=actor_types,
                               since=since, until=until, min_sources=min_sources, ontology=ont)
    else:
        from kg.network import actor_network

        rels = _checked_names(relations, ont.relation_types, "relation")
        types = _checked_names(actor_types, ont.actor_types | ont.place_types, "actor type")
        graph = actor_network(source, relations=sorted(rels) if rels else None,
                              actor_types=sorted(types) if types else None, since=since, until=until,
                              min_sources=min_sources, include_places=include_places, ontology=ont)
        graph = select_network(graph, center=center, depth=depth, ontology=ont)
    if graph.number_of_nodes() == 0:
        raise ViewError("nothing to draw: no actor matches the selection",
                        hint="build a corpus first, or loosen the filters")
    return graph


def _check_lang(lang: str) -> None:
    if lang not in LANGS:
        raise ViewError(f"unknown language {lang!r}", hint="use ar, en or both")


def _render(graph: nx.MultiDiGraph, *, lang: str = "both", title: str | None = None,
            ontology: Ontology | None = None) -> tuple[str, ViewSummary]:
    _check_lang(lang)
    ont = ontology or _ontology()
    net, node_info, edge_info, extra = _vis_network(graph, lang=lang, ontology=ont)
    legend = extra["legend"]
    nodes, edges, heading, _height, _width, options = net.get_network_data()
    large = len(nodes) > LARGE
    center = graph.graph.get("center")
    if title is None:
        title = "Actor network" if lang != "ar" else "شبكة الفاعلين"
        if center is not None:
            title += f" — {_display(graph, center, lang)}"
    data = {
        "lang": lang, "large": large, "ui": _ui()["ar" if lang == "ar" else "en"],
        "font": FONT_STACK, "nodes": nodes, "edges": edges, "options": json.loads(options),
        "nodeInfo": node_info, "edgeInfo": edge_info, "legend": legend, "articles": extra["articles"],
        "center": None if center is None else [n["id"] for n in nodes if node_info[n["id"]]["iri"] == center],
    }
    ui = data["ui"]
    page = _template().render(
        title=title or heading, lang="ar" if lang == "ar" else "en", dir="rtl" if lang == "ar" else "ltr",
        ui=ui, large=large, font=FONT_STACK, vis_js=_vis_js(), css=_asset("view.css"), app_js=_asset("view.js"),
        data_json=script_json(data),
    )
    summary = ViewSummary(None, len(nodes), len(edges), {r["name"]: r["count"] for r in legend["relations"]},
                          {t["name"]: t["count"] for t in legend["types"]}, large, len(page.encode()))
    return page, summary


def _vis_network(graph: nx.MultiDiGraph, *, lang: str,
                 ontology: Ontology) -> tuple[Any, list[dict[str, Any]], list[dict[str, Any]], dict[str, Any]]:
    """pyvis Network with one vis node per actor and one vis edge per relation, plus the page's data:
    what to show of each node and edge, the legend, and the articles the evidence cites."""
    from pyvis.network import Network

    order = sorted(graph.nodes, key=str)
    index = {n: i for i, n in enumerate(order)}
    large = len(order) > LARGE
    degree = {n: len((set(graph.pred[n]) | set(graph.succ[n])) - {n}) for n in order}
    top = max(degree.values(), default=0) or 1
    labels = [_wrap(_display(graph, node, lang)) for node in order]
    sizes = [10 + 22 * math.sqrt(degree[node] / top) for node in order]
    kinds = [str(graph.nodes[node].get("type") or "Actor") for node in order]
    sized = [_shape(ontology, kind) in SIZED_SHAPES for kind in kinds]
    positions = layout(graph, order, [_box(lab, size, s) for lab, size, s in zip(labels, sizes, sized, strict=True)])
    type_count = Counter(kinds)
    nodes: list[dict[str, Any]] = []
    node_info: list[dict[str, Any]] = []
    for i, node in enumerate(order):
        data = graph.nodes[node]
        x, y = positions[i]
        item: dict[str, Any] = {"id": i, "group": kinds[i], "x": round(x, 1), "y": round(y, 1)}
        if not large:  # large views label the nodes in sight once zoomed in (view.js): far faster to open
            item["label"] = labels[i]
        if sized[i]:
            item["size"] = round(sizes[i], 1)
        else:
            item["font"] = {"size": round(12 + sizes[i] / 4, 1)}
        nodes.append(item)
        node_info.append({"iri": str(data.get("iri") or node), "type": kinds[i], "label": labels[i],
                          "label_en": str(data.get("label_en") or ""), "label_ar": str(data.get("label_ar") or ""),
                          "aliases": [str(a) for a in data.get("aliases") or []]})
    rel_count: Counter[str] = Counter()
    edges: list[dict[str, Any]] = []
    edge_info: list[dict[str, Any]] = []
    groups: dict[tuple[int, int], list[int]] = defaultdict(list)
    articles: dict[str, dict[str, Any]] = {}
    ordered = sorted(graph.edges(keys=True, data=True), key=lambda e: (index[e[0]], index[e[1]], str(e[2])))
    for u, v, key, data in ordered:
        relation = str(data.get("relation") or key)
        rel_count[relation] += 1
        look = _look(ontology, relation)
        symmetric = bool(data.get("symmetric", look["symmetric"]))
        sources = int(data.get("sources") or 0)
        eid = len(edges)
        a, b = index[u], index[v]
        groups[(min(a, b), max(a, b))].append(eid)
        edge: dict[str, Any] = {"id": eid, "from": a, "to": b, "color": look["colour"],
                                "width": round(min(7.0, 1.5 + 1.2 * math.log2(max(sources, 1))), 2)}
        if look["arrow"] and not symmetric:
            edge["arrows"] = "to"
        if look["dash"]:
            edge["dashes"] = look["dash"]
        edges.append(edge)
        edge_info.append({"relation": relation, "symmetric": symmetric, "sources": sources,
                          "first": data.get("first"), "last": data.get("last"),
                          "claimants": [str(c) for c in data.get("claimants") or []],
                          "flags": [str(f) for f in data.get("flags") or []],
                          "evidence": [_evidence(e, articles) for e in data.get("evidence") or []]})
    if not large:
        _curve_parallel(edges, groups)
    net = Network(height="100%", width="100%", directed=True, heading="", cdn_resources="in_line")
    net.nodes, net.edges = nodes, edges
    net.node_ids = [n["id"] for n in nodes]
    net.node_map = {n["id"]: n for n in nodes}
    net.toggle_physics(False)
    net.options.physics.toggle_stabilization(False)
    net.set_edge_smooth("continuous")
    net.options.edges.smooth.enabled = False
    net.inherit_edge_colors(False)
    net.toggle_hide_edges_on_drag(large)
    options = _finish_options(json.loads(net.options.to_json()), large=large)
    options["groups"] = {kind: {"shape": _shape(ontology, kind), "color": _node_colour(_look(ontology, kind)["colour"])}
                         for kind in sorted(type_count)}
    net.options = options
    legend = {
        "types": [dict(_legend_term(ontology, name), count=n, shape=_shape(ontology, name))
                  for name, n in sorted(type_count.items())],
        "relations": [dict(_legend_term(ontology, name), count=n) for name, n in sorted(rel_count.items())],
    }
    return net, node_info, edge_info, {"legend": legend, "articles": list(articles.values())}


def _finish_options(options: dict[str, Any], *, large: bool) -> dict[str, Any]:
    """Complete pyvis's options with what it has no setter for."""
    options.pop("configure", None)
    options["autoResize"] = True
    options["layout"] = {"improvedLayout": False, "randomSeed": 1}
    options["nodes"] = {"font": {"face": FONT_STACK, "size": 14, "color": "#1f1f1f", "strokeWidth": 4,
                                 "strokeColor": "#ffffff"},
                        "borderWidth": 1.5, "scaling": {"label": {"drawThreshold": 7}}}
    options["edges"].update({"selectionWidth": 2.5, "hoverWidth": 1.5, "arrowStrikethrough": False,
                             "arrows": {"to": {"enabled": False, "scaleFactor": 0.7}}})
    options["physics"].update({"solver": "forceAtlas2Based",
                               "forceAtlas2Based": {"gravitationalConstant": -80, "springLength": 120,
                                                    "avoidOverlap": 0.6}})
    options["interaction"].update({"hover": True, "tooltipDelay": 120, "hideEdgesOnZoom": large,
                                   "multiselect": True, "navigationButtons": False})
    return options


def _curve_parallel(edges: list[dict[str, Any]], groups: Mapping[tuple[int, int], Sequence[int]]) -> None:
    """Bend edges that join the same two actors apart so each stays visible."""
    for (low, _high), ids in groups.items():
        if len(ids) < 2:
            continue
        for i, eid in enumerate(ids):
            step = i + (len(ids) % 2 == 0)
            if step == 0:
                continue
            clockwise = step % 2 == 1
            if edges[eid]["from"] != low:
                clockwise = not clockwise
            edges[eid]["smooth"] = {"enabled": True, "type": "curvedCW" if clockwise else "curvedCCW",
                                    "roundness": round(0.18 * ((step + 1) // 2), 2)}


def _box(label: str, size: float, sized: bool) -> tuple[float, float, float]:
    """Estimated drawn extent of a node with its label: (width, height, centre offset below the node)."""
    lines = label.split("\n")
    text_w = max(len(line) for line in lines) * 7.4
    text_h = len(lines) * 17.0
    if not sized:
        return text_w + 16, text_h + 12, 0.0
    height = 2 * size + 4 + text_h
    return max(text_w, 2 * size), height, height / 2 - size


# ------------------------------------------------------------------------------------ ontology look-ups


def _ontology() -> Ontology:
    from kg.ontology import load_ontology

    return load_ontology()


def _look(ontology: Ontology, name: str) -> dict[str, Any]:
    """How the ontology draws a type or relation: colour, shape, dash, arrow, labels."""
    from kg.errors import OntologyError

    try:
        term = ontology.term(name)
    except OntologyError:  # a type outside the ontology is drawn plainly
        return {"colour": DEFAULT_COLOUR, "shape": "dot", "dash": False, "arrow": True, "symmetric": False,
                "label_en": name, "label_ar": ""}
    colour = term.colour or DEFAULT_COLOUR
    return {
        "colour": colour if re.fullmatch(r"#[0-9a-fA-F]{3}([0-9a-fA-F]{3})?", colour) else DEFAULT_COLOUR,
        "shape": term.shape or "dot", "dash": [8, 6] if term.dash else False, "arrow": bool(term.arrow),
        "symmetric": bool(term.symmetric), "label_en": term.label_en or name, "label_ar": term.label_ar or "",
    }


def _shape(ontology: Ontology, name: str) -> str:
    shape = _look(ontology, name)["shape"]
    return shape if shape in SIZED_SHAPES | LABEL_SHAPES else "dot"


def _legend_term(ontology: Ontology, name: str) -> dict[str, Any]:
    look = _look(ontology, name)
    return {"name": name, "label_en": look["label_en"], "label_ar": look["label_ar"], "colour": look["colour"],
            "dash": look["dash"], "arrow": look["arrow"] and not look["symmetric"]}


def _node_colour(colour: str) -> dict[str, Any]:
    border = _shade(colour, 0.65)
    return {"background": colour, "border": border,
            "highlight": {"background": _shade(colour, 1.15), "border": "#111111"},
            "hover": {"background": _shade(colour, 1.1), "border": border}}


def _shade(colour: str, factor: float) -> str:
    value = colour.lstrip("#")
    if len(value) == 3:
        value = "".join(c * 2 for c in value)
    rgb = [int(value[i:i + 2], 16) for i in (0, 2, 4)]
    rgb = [max(0, min(255, round(c * factor if factor <= 1 else c + (255 - c) * (factor - 1)))) for c in rgb]
    return "#" + "".join(f"{c:02x}" for c in rgb)


# -------------------------------------------------------------------------------------------- helpers


def _display(graph: nx.MultiDiGraph, node: Any, lang: str = "en") -> str:
    """A node's label in ``lang`` (``both``: English, then Arabic on a second line)."""
    data = graph.nodes[node]
    en, ar = str(data.get("label_en") or ""), str(data.get("label_ar") or "")
    fallback = str(data.get("label") or en or ar or str(node).rstrip("/").rsplit("/", 1)[-1])
    if lang == "ar":
        return ar or fallback
    if lang == "both" and en and ar and en != ar:
        return f"{en}\n{ar}"
    return en or fallback


def _wrap(label: str) -> str:
    """Break long label lines on spaces (each language stays on its own lines)."""
    import textwrap

    return "\n".join(part for line in label.split("\n") for part in (textwrap.wrap(line, WRAP) or [line]))


def _evidence(item: Mapping[str, Any], articles: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """One supporting assertion for the page: its own fields, and its article as an index into ``articles``
    (title, outlet, date and link are stored once per article)."""
    iri = str(item.get("article") or item.get("url") or item.get("title") or "")
    if iri not in articles:
        articles[iri] = {k: str(item[k]) for k in ("title", "outlet", "date", "url") if item.get(k)}
        articles[iri].update(index=len(articles) - 1, iri=iri)
    out: dict[str, Any] = {"a": articles[iri]["index"]}
    for key in ("quote", "sentence", "claimant", "claim_date", "date"):
        if item.get(key) and not (key == "date" and str(item[key]) == articles[iri].get("date")):
            out[key] = str(item[key])
    flags = item.get("flags") or []
    flags = [str(f) for f in (flags if isinstance(flags, list | tuple | set | frozenset) else [flags])]
    if flags:
        out["flags"] = flags
    return out


def script_json(value: Any) -> str:
    """JSON that is safe inside an HTML ``<script>`` element: ``<``, ``>``, ``&``, U+2028/9 escaped.

    >>> script_json({"q": "</script><b>&"})
    '{"q":"\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e\\\\u0026"}'
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return re.sub("[<>&\u2028\u2029]", lambda m: _JSON_ESCAPES[m.group()], text)


@functools.lru_cache(maxsize=1)
def _vis_js() -> str:
    """vis-network's standalone build, as shipped in the pyvis package (its licence header kept)."""
    import pyvis

    path = Path(pyvis.__file__).resolve().parent.joinpath(*VIS_DIR, "vis-network.min.js")
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ViewError(f"cannot read vis-network from the pyvis package: {path}",
                        hint="reinstall pyvis==0.3.2") from exc
    return text.replace("</script", "<\\/script")


@functools.lru_cache(maxsize=4)
def _asset(name: str) -> str:
    return (TEMPLATES / name).read_text(encoding="utf-8")


@functools.lru_cache(maxsize=1)
def _ui() -> dict[str, dict[str, str]]:
    """Text of the page's own controls in English and Arabic (``templates/ui.json``)."""
    return json.loads(_asset("ui.json"))  # type: ignore[no-any-return]


@functools.lru_cache(maxsize=1)
def _template() -> Any:
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=True, undefined=StrictUndefined,
                      keep_trailing_newline=True)
    return env.get_template("view.html")
