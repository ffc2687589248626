"""GEXF 1.2draft for Gephi: typed attributes, the visualisation module's colour, shape, size and position,
and time.

Written here rather than by networkx, whose GEXF does not pass the official schema (``name=""`` on
``<graph>``, a ``networkx_key`` attribute) and carries no time. The file validates against the GEXF
1.2draft XSD of gephi/gexf (the tests check it with lxml against the schema files kept in ``tests/gexf/``).
That schema declares the visualisation elements (``color``, ``position``, ``size``, ``shape``,
``thickness``, the "viz" module) in the GEXF namespace itself, so they are written there, unprefixed;
Gephi reads them by their local names.

* nodes keep their IRI as id and their label; colour and shape come from the ontology's ``kg:colour`` and
  ``kg:shape`` of the node's type (vis-network shapes mapped to Gephi's disc, square, triangle, diamond),
  size grows with the number of ties, positions are the same layout the HTML views use;
* edges get the relation as label, the number of sources as weight, the relation's colour, a dashed shape
  where the ontology draws it dashed (symmetric relations are stored once and say ``symmetric``; a
  per-edge ``type="undirected"`` would make the graph mixed, which networkx cannot read);
* time: the graph is ``mode="dynamic"`` with ``timeformat="date"``; each edge has one spell from its first
  to its last report (a month or a year reaches from its first to its last day), each node one spell over
  its edges', so Gephi's timeline plays the network as it was reported. Undated edges have no spell and
  show at every time.

>>> import tempfile
>>> from kg.network import network_from_triples
>>> with tempfile.TemporaryDirectory() as d:
...     [p] = write_gexf(network_from_triples([("A", "supports", "B")]), Path(d, "n.gexf"))
...     [r for _, _, r in nx.read_gexf(p).edges(data="relation")]
['supports']
"""

from __future__ import annotations

import calendar
import importlib
import math
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import TYPE_CHECKING, Any

import networkx as nx

from kg.errors import ExportError
from kg.exports.scalars import scalar_network

if TYPE_CHECKING:
    from kg.ontology import Ontology

GEXF = "http://www.gexf.net/1.2draft"
#: The namespace of the visualisation module's elements: the GEXF one, as the official schema declares them.
VIZ = GEXF
XSI = "http://www.w3.org/2001/XMLSchema-instance"
#: vis-network shapes (the ontology's ``kg:shape``) → GEXF's node shapes.
SHAPES = {"dot": "disc", "ellipse": "disc", "circle": "disc", "text": "disc", "box": "square", "square": "square",
          "database": "square", "triangle": "triangle", "triangleDown": "triangle", "diamond": "diamond",
          "star": "diamond", "hexagon": "diamond"}
_GREY = "#8c8c8c"
_SKIP = frozenset({"label", "weight"})


def period_start(date: str) -> str:
    """The first day of an ISO date, month or year.

    >>> period_start("2016"), period_start("2016-07"), period_start("2016-07-18")
    ('2016-01-01', '2016-07-01', '2016-07-18')
    """
    return (date + "-01-01")[:10] if len(date) == 4 else (date + "-01")[:10]


def period_end(date: str) -> str:
    """The last day of an ISO date, month or year.

    >>> period_end("2016"), period_end("2016-02"), period_end("2016-07-18")
    ('2016-12-31', '2016-02-29', '2016-07-18')
    """
    if len(date) == 4:
        return f"{date}-12-31"
    if len(date) == 7:
        year, month = int(date[:4]), int(date[5:7])
        return f"{date}-{calendar.monthrange(year, month)[1]:02d}"
    return date


def _rgb(colour: str | None) -> dict[str, str]:
    text = (colour or _GREY).lstrip("#")
    if len(text) != 6:
        text = _GREY.lstrip("#")
    return {"r": str(int(text[0:2], 16)), "g": str(int(text[2:4], 16)), "b": str(int(text[4:6], 16))}


def _kind(values: list[Any]) -> str:
    found = {type(v) for v in values if v != ""}
    if found == {bool}:
        return "boolean"
    if found == {int}:
        return "long"
    if found and found <= {int, float}:
        return "double"
    return "string"


def _text(value: Any) -> str:
    return ("true" if value else "false") if isinstance(value, bool) else str(value)


def _declare(graph: ET.Element, cls: str, items: list[dict[str, Any]]) -> dict[str, tuple[str, str]]:
    """``<attributes class=…>`` for every attribute of ``items``; attribute name → its id and type."""
    names = sorted({k for d in items for k in d if k not in _SKIP})
    element = ET.SubElement(graph, f"{{{GEXF}}}attributes", {"class": cls, "mode": "static"})
    ids = {}
    for i, name in enumerate(names):
        ids[name] = (f"{cls[0]}{i}", _kind([d[name] for d in items if name in d]))
        ET.SubElement(element, f"{{{GEXF}}}attribute", {"id": ids[name][0], "title": name, "type": ids[name][1]})
    return ids


def _attvalues(parent: ET.Element, data: dict[str, Any], ids: dict[str, tuple[str, str]]) -> None:
    """The values of an element (empty strings too; an empty number or boolean is left out)."""
    values = [(ids[k][0], _text(v)) for k, v in sorted(data.items())
              if k in ids and (v != "" or ids[k][1] == "string")]
    if values:
        element = ET.SubElement(parent, f"{{{GEXF}}}attvalues")
        for key, value in values:
            ET.SubElement(element, f"{{{GEXF}}}attvalue", {"for": key, "value": value})


def _spell(parent: ET.Element, first: str | None, last: str | None) -> None:
    if first or last:
        spells = ET.SubElement(parent, f"{{{GEXF}}}spells")
        ET.SubElement(spells, f"{{{GEXF}}}spell",
                      {"start": period_start(first or str(last)), "end": period_end(last or str(first))})


def _positions(network: nx.Graph, order: list[Any]) -> list[tuple[float, float]]:
    """The HTML views' layout (``kg.views.layout``, formerly ``kg.layout``), y pointing up as in Gephi."""
    for name in ("kg.views.layout", "kg.layout"):
        try:
            layout = importlib.import_module(name).layout
        except (ModuleNotFoundError, AttributeError):
            continue
        return [(float(x), -float(y)) for x, y in layout(nx.MultiDiGraph(network), order)]
    return [(100.0 * math.cos(2 * math.pi * i / max(len(order), 1)),
             100.0 * math.sin(2 * math.pi * i / max(len(order), 1))) for i in range(len(order))]


def gexf_tree(network: nx.Graph, *, ontology: Ontology | None = None) -> ET.ElementTree:
    """The GEXF document of a network or projection (see the module docstring)."""
    if ontology is None:
        from kg.ontology import load_ontology

        ontology = load_ontology()
    flat = scalar_network(network, ontology=ontology)
    ET.register_namespace("", GEXF)
    ET.register_namespace("xsi", XSI)
    root = ET.Element(f"{{{GEXF}}}gexf", {"version": "1.2",
                                          f"{{{XSI}}}schemaLocation": f"{GEXF} http://www.gexf.net/1.2draft/gexf.xsd"})
    meta = ET.SubElement(root, f"{{{GEXF}}}meta")
    ET.SubElement(meta, f"{{{GEXF}}}creator").text = "kg"
    ET.SubElement(meta, f"{{{GEXF}}}description").text = "Actor network from annotated news articles"
    graph = ET.SubElement(root, f"{{{GEXF}}}graph", {
        "defaultedgetype": "directed" if network.is_directed() else "undirected",
        "mode": "dynamic", "timeformat": "date"})
    node_data = [dict(d) for _, d in flat.nodes(data=True)]
    edge_data = [dict(d) for _, _, d in flat.edges(data=True)]
    node_ids, edge_ids = _declare(graph, "node", node_data), _declare(graph, "edge", edge_data)

    order = list(flat)
    degree = dict(flat.degree())
    spans: dict[Any, list[str]] = {n: [] for n in order}
    for u, v, d in flat.edges(data=True):
        for when in (d.get("first"), d.get("last")):
            if when:
                spans[u].append(str(when))
                spans[v].append(str(when))
    nodes = ET.SubElement(graph, f"{{{GEXF}}}nodes", {"count": str(len(order))})
    for node, (x, y) in zip(order, _positions(flat, order), strict=True):
        data = flat.nodes[node]
        element = ET.SubElement(nodes, f"{{{GEXF}}}node", {"id": str(node), "label": str(data.get("label", node))})
        _attvalues(element, data, node_ids)
        dates = spans[node]
        _spell(element, min(dates) if dates else None, max(dates) if dates else None)
        term = ontology.get(str(data.get("type", "")))
        ET.SubElement(element, f"{{{VIZ}}}color", _rgb(term.colour if term else None))
        ET.SubElement(element, f"{{{VIZ}}}position", {"x": f"{x:.2f}", "y": f"{y:.2f}", "z": "0.0"})
        ET.SubElement(element, f"{{{VIZ}}}size", {"value": f"{4 + 4 * math.sqrt(degree.get(node, 0)):.2f}"})
        ET.SubElement(element, f"{{{VIZ}}}shape", {"value": SHAPES.get(term.shape or "", "disc") if term else "disc"})
    edges = ET.SubElement(graph, f"{{{GEXF}}}edges", {"count": str(flat.number_of_edges())})
    for u, v, key, data in flat.edges(keys=True, data=True):
        relation = str(data.get("relation") or "")
        term = ontology.get(relation) if relation else None
        attrs = {"id": str(key), "source": str(u), "target": str(v), "label": str(data.get("label", "")),
                 "weight": f"{float(data.get('weight', 1.0)):g}"}
        element = ET.SubElement(edges, f"{{{GEXF}}}edge", attrs)
        _attvalues(element, data, edge_ids)
        _spell(element, data.get("first") or None, data.get("last") or None)
        if term is not None:
            ET.SubElement(element, f"{{{VIZ}}}color", _rgb(term.colour))
        ET.SubElement(element, f"{{{VIZ}}}thickness", {"value": f"{1 + math.log2(float(data.get('weight', 1.0))):g}"})
        ET.SubElement(element, f"{{{VIZ}}}shape", {"value": "dashed" if term is not None and term.dash else "solid"})
    ET.indent(root)
    return ET.ElementTree(root)


def write_gexf(network: nx.Graph, path: Path, *, ontology: Ontology | None = None) -> list[Path]:
    """Write GEXF 1.2draft (UTF-8, Arabic unescaped); the files written."""
    try:
        gexf_tree(network, ontology=ontology).write(path, encoding="utf-8", xml_declaration=True)
    except OSError as exc:
        raise ExportError(f"cannot write {path}: {exc}") from None
    return [path]
