"""Writing a view: choose the page kind, fill the template, write the file or show it in a notebook."""

from __future__ import annotations

import functools
import html
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.errors import ViewError
from kg.views.data import page_data
from kg.views.layout import WEBGL
from kg.views.look import FONT_STACK, display_label, ontology_or_default, script_json
from kg.views.prepare import keep_top, main_components, merge_aliases

if TYPE_CHECKING:
    import networkx as nx
    from IPython.display import HTML

    from kg.network.selection import Selection
    from kg.ontology import Ontology

LANGS = ("ar", "en", "both")
RENDERERS = ("vis", "webgl")
HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"
VENDOR = HERE / "vendor"
VIS_DIR = ("templates", "lib", "vis-9.1.2")


@dataclass(frozen=True)
class ViewSummary:
    """What a written view holds: actors and relations drawn, by relation and actor type; whether it is the
    WebGL page; how many actors of small disconnected parts a large view left out; the file's size."""

    path: Path | None
    nodes: int
    edges: int
    relations: dict[str, int] = field(default_factory=dict)
    actor_types: dict[str, int] = field(default_factory=dict)
    large: bool = False
    bytes: int = 0
    webgl: bool = False
    left_out: int = 0


def render_view(graph: nx.MultiDiGraph, *, lang: str = "both", title: str | None = None, top: int | None = None,
                renderer: str | None = None, texts: Mapping[str, str] | None = None,
                ontology: Ontology | None = None) -> str:
    """The HTML page of an actor network (from :func:`kg.network.actor_network`), as a string.

    Pure: the network is drawn as given, its aliases merged (select first with
    :func:`kg.network.selection.select`). ``top`` keeps the actors with most ties; ``renderer`` forces
    ``"vis"`` (vis-network) or ``"webgl"`` (sigma.js), chosen by size otherwise; ``texts`` maps article
    IRIs to their text, so a quote opens in its article.
    """
    return _render(graph, lang=lang, title=title, top=top, renderer=renderer, texts=texts, ontology=ontology)[0]


def write_view(
    source: Any,
    out: Path | str,
    selection: Selection | None = None,
    *,
    lang: str = "both",
    title: str | None = None,
    top: int | None = None,
    renderer: str | None = None,
    texts: Mapping[str, str] | None = None,
) -> ViewSummary:
    """Read the selection from a source (a store or an endpoint) and write its view to ``out``.

    ``source`` may be an actor network already read: :func:`kg.network.selection.select` then applies the
    selection to it. See :func:`render_view` for the rest.
    """
    _check(lang, renderer)
    graph = _selected(source, selection)
    page, summary = _render(graph, lang=lang, title=title, top=top, renderer=renderer, texts=texts)
    path = Path(out)
    data = page.encode("utf-8")
    try:
        path.write_bytes(data)
    except OSError as exc:
        raise ViewError(f"cannot write {path}: {exc.strerror or exc}") from exc
    return ViewSummary(path, summary.nodes, summary.edges, summary.relations, summary.actor_types,
                       summary.large, len(data), summary.webgl, summary.left_out)


def show(
    source: Any,
    selection: Selection | None = None,
    *,
    lang: str = "both",
    title: str | None = None,
    top: int | None = None,
    renderer: str | None = None,
    texts: Mapping[str, str] | None = None,
    height: int = 640,
) -> HTML:
    """The view in a Jupyter notebook: the same page inside an ``<iframe srcdoc>`` (no file, no server).

    Options as for :func:`write_view`; ``height`` in pixels.
    """
    from IPython.display import HTML

    _check(lang, renderer)
    graph = _selected(source, selection)
    page = _render(graph, lang=lang, title=title, top=top, renderer=renderer, texts=texts)[0]
    return HTML(iframe(page, height=height))


def iframe(page: str, *, height: int = 640) -> str:
    """An ``<iframe>`` whose ``srcdoc`` is ``page`` (escaped), sandboxed: scripts and downloads (the
    picture buttons), nothing else.

    >>> 'srcdoc="&lt;p title=&#x27;x&#x27;&gt;a &amp; b&lt;/p&gt;"' in iframe("<p title='x'>a & b</p>")
    True
    """
    return (f'<div class="kg-view"><iframe srcdoc="{html.escape(page, quote=True)}" '
            f'sandbox="allow-scripts allow-downloads allow-popups allow-popups-to-escape-sandbox" '
            f'style="width:100%;height:{int(height)}px;border:1px solid #ddd" title="actor network"></iframe></div>')


def _selected(source: Any, selection: Selection | None) -> nx.MultiDiGraph:
    """The network to draw: read with the selection's filters (a store or endpoint; a network in hand is
    filtered by :func:`kg.network.selection.select`), then cut to its centre and depth."""
    import networkx as nx

    from kg.network import actor_network
    from kg.network.selection import Selection, select

    selection = selection or Selection()
    graph = source if isinstance(source, nx.Graph) else actor_network(source, selection)
    graph = select(graph, selection)  # its filters unless actor_network applied them, then its centre
    if graph.number_of_nodes() == 0:
        raise ViewError("nothing to draw: no actor matches the selection",
                        hint="build a corpus first, or loosen the filters")
    return graph


def _check(lang: str, renderer: str | None) -> None:
    if lang not in LANGS:
        raise ViewError(f"unknown language {lang!r}", hint="use ar, en or both")
    if renderer is not None and renderer not in RENDERERS:
        raise ViewError(f"unknown renderer {renderer!r}", hint="use vis or webgl")


def _render(graph: nx.MultiDiGraph, *, lang: str = "both", title: str | None = None, top: int | None = None,
            renderer: str | None = None, texts: Mapping[str, str] | None = None,
            ontology: Ontology | None = None) -> tuple[str, ViewSummary]:
    _check(lang, renderer)
    ont = ontology_or_default(ontology)
    graph = keep_top(merge_aliases(graph, ont), top)
    webgl = renderer == "webgl" or (renderer is None and graph.number_of_nodes() > WEBGL)
    left_out = 0
    if webgl:
        graph, left_out = main_components(graph)
    data, detail = page_data(graph, lang=lang, webgl=webgl, ontology=ont, texts=texts)
    data["ui"] = _ui()["ar" if lang == "ar" else "en"]
    data["font"] = FONT_STACK
    data["leftOut"] = left_out
    if not webgl:
        data["options"] = _vis_options(large=data["large"])
    center = graph.graph.get("center")
    if title is None:
        title = "Actor network" if lang != "ar" else "شبكة الفاعلين"
        if center is not None and center in graph:
            title += " — " + display_label(graph.nodes[center], lang, center).replace("\n", " / ")
    ui = data["ui"]
    libraries = [_vendor("graphology.umd.min.js"), _vendor("sigma.min.js")] if webgl else [_vis_js()]
    page = _template().render(
        title=title, lang="ar" if lang == "ar" else "en", dir="rtl" if lang == "ar" else "ltr", ui=ui,
        webgl=webgl, large=data["large"], font=FONT_STACK, libraries=libraries, css=_asset("view.css"),
        renderer_js=_asset("sigma-view.js" if webgl else "vis-view.js"), panel_js=_asset("panel.js"),
        ui_js=_asset("ui.js"),
        data_json=script_json(data), detail_json=_detail_payload(detail, packed=webgl),
        detail_encoding="gzip" if webgl else "json",
    )
    summary = ViewSummary(None, len(data["nodes"]["x"]), len(data["edges"]["from"]),
                          {r["name"]: r["count"] for r in data["relations"]},
                          {t["name"]: t["count"] for t in data["types"]}, data["large"], len(page.encode()),
                          webgl, left_out)
    return page, summary


def _detail_payload(detail: dict[str, Any], *, packed: bool) -> str:
    """The details as JSON safe in ``<script>``, or (``packed``, for large views) gzip in base64: a
    fifth of the size, and the page reads it after drawing."""
    if not packed:
        return script_json(detail)
    import base64
    import gzip

    text = json.dumps(detail, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return base64.b64encode(gzip.compress(text.encode("utf-8"), compresslevel=6, mtime=0)).decode("ascii")


def _vis_options(*, large: bool) -> dict[str, Any]:
    """vis-network's options: pyvis's, physics off (positions come from the layout), what pyvis has no
    setter for completed."""
    from pyvis.network import Network

    net = Network(height="100%", width="100%", directed=True, heading="", cdn_resources="in_line")
    net.toggle_physics(False)
    net.options.physics.toggle_stabilization(False)
    net.set_edge_smooth("continuous")
    net.options.edges.smooth.enabled = False
    net.inherit_edge_colors(False)
    net.toggle_hide_edges_on_drag(large)
    options: dict[str, Any] = json.loads(net.options.to_json())
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
def _vendor(name: str) -> str:
    """A library shipped in ``kg/views/vendor`` (sigma.js, graphology: MIT, licences beside them), with its
    licence as a leading comment."""
    stem = name.split(".")[0]
    licence = (VENDOR / f"{stem}.LICENSE.txt").read_text(encoding="utf-8").replace("*/", "* /")
    code = (VENDOR / name).read_text(encoding="utf-8").replace("</script", "<\\/script")
    return f"/*! @license {stem} (MIT)\n{licence}*/\n{code}"


@functools.lru_cache(maxsize=8)
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
