"""Writing the graph out: the RDF dataset (TriG, N-Quads, Turtle, JSON-LD) or the actor network (GraphML,
GEXF, CSV).

Network files hold only what graph tools read: every attribute is a string, a number or a boolean (lists
joined with ``" | "``, missing values as empty strings, dates as ISO strings); evidence quotes become one
``quotes`` attribute. Arabic text is written as UTF-8, unescaped. GraphML and GEXF nodes keep their IRI as
id and their ``label``; edges get a unique id, ``label`` (the relation) and ``weight`` (the number of
sources), which Gephi and Cytoscape use for captions and thickness.

CSV gives two files: the dyads, one row per (actor 1, relation, actor 2) as in ACLED's dyadic tables, at the
path given, and the node list beside it (``NAME.nodes.csv``).

>>> from kg.network import network_from_triples
>>> scalar_network(network_from_triples([("حفتر", "commands", "LNA")])).edges["حفتر", "LNA", "e0"]["weight"]
1.0
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import networkx as nx

from kg.errors import ExportError

if TYPE_CHECKING:
    from kg.sparql.source import Source

#: Formats of the actor network, with their file suffix.
NETWORK_FORMATS = {"graphml": ".graphml", "gexf": ".gexf", "csv": ".csv"}
#: Formats of the RDF dataset (written by :meth:`kg.sparql.store.GraphStore.dump`), with their file suffix.
RDF_FORMATS = {"trig": ".trig", "nq": ".nq", "ttl": ".ttl", "jsonld": ".jsonld"}
FORMATS = {**NETWORK_FORMATS, **RDF_FORMATS}
SEPARATOR = " | "

DYAD_COLUMNS = ("actor1", "actor1_ar", "actor1_type", "actor1_iri", "relation", "actor2", "actor2_ar", "actor2_type",
                "actor2_iri", "sign", "symmetric", "sources", "first_reported", "last_reported", "claimants",
                "flags", "articles")
NODE_COLUMNS = ("iri", "label", "label_en", "label_ar", "type", "aliases")


def export_format(path: Path, fmt: str | None = None) -> str:
    """The format to write: ``fmt`` if given (it must agree with the suffix), else from the file suffix.

    >>> export_format(Path("net.graphml")), export_format(Path("dump.nq"), "nq")
    ('graphml', 'nq')
    """
    by_suffix = {suffix: name for name, suffix in FORMATS.items()}
    guessed = by_suffix.get(path.suffix.lower())
    if fmt is None:
        if guessed is None:
            raise ExportError(f"cannot tell the format of {path}",
                              hint=f"give --format ({', '.join(FORMATS)}) or a file ending in "
                                   f"{', '.join(FORMATS.values())}")
        return guessed
    if fmt not in FORMATS:
        raise ExportError(f"unknown export format {fmt!r}", hint=f"one of {', '.join(FORMATS)}")
    if fmt in RDF_FORMATS and guessed != fmt:
        raise ExportError(f"{fmt} output needs a file ending in {FORMATS[fmt]}, not {path.name}",
                          hint=f"use -o {path.with_suffix(FORMATS[fmt]).name}")
    return fmt


# -- scalar attributes ----------------------------------------------------------------------------------


def _scalar(value: Any) -> str | int | float | bool:
    if value is None:
        return ""
    if isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, Mapping):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    if isinstance(value, Iterable):
        return SEPARATOR.join(str(_scalar(v)) for v in value)
    return str(value)


def _attributes(data: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in data.items():
        if key == "evidence":
            quotes = dict.fromkeys(e.get("quote") for e in value or () if e.get("quote"))
            out["quotes"] = SEPARATOR.join(q for q in quotes if q)
        else:
            out[key] = _scalar(value)
    return out


def _uniform(items: list[dict[str, Any]]) -> None:
    """Give each attribute one type across all items (mixed types become strings), as GraphML needs."""
    kinds: dict[str, set[type]] = {}
    for data in items:
        for key, value in data.items():
            kinds.setdefault(key, set()).add(type(value))
    for key, found in kinds.items():
        if len(found) > 1 and found != {int, float}:
            for data in items:
                if key in data:
                    data[key] = "" if data[key] == "" else str(data[key])
        elif found == {int, float}:
            for data in items:
                if key in data:
                    data[key] = float(data[key])


def scalar_network(network: nx.Graph) -> nx.MultiDiGraph:
    """A copy of a network (or projection) whose attributes are all strings, numbers or booleans.

    Edges get unique keys ``e0``, ``e1``, … and ``label`` (the relation) and ``weight`` (the sources).
    The caller's network is not changed.

    >>> from kg.network import network_from_triples
    >>> net = network_from_triples([("A", "alliedWith", "B")])
    >>> scalar_network(net).nodes["A"]["aliases"], net.nodes["A"]["aliases"]
    ('', [])
    """
    out = nx.MultiDiGraph() if network.is_directed() else nx.MultiGraph()
    out.graph.update({k: v for k, v in network.graph.items() if isinstance(v, str | int | float | bool)})
    nodes = [(n, _attributes(d)) for n, d in network.nodes(data=True)]
    edges = []
    for u, v, d in network.edges(data=True):
        attrs = _attributes(d)
        attrs.setdefault("label", attrs.get("relation") or attrs.get("relations") or "")
        attrs["weight"] = float(d.get("sources", 1))
        edges.append((str(u), str(v), attrs))
    _uniform([d for _, d in nodes])
    _uniform([d for _, _, d in edges])
    for n, d in nodes:
        out.add_node(str(n), **d)
    for i, (u, v, d) in enumerate(edges):
        out.add_edge(u, v, key=f"e{i}", **d)
    return out


# -- writers --------------------------------------------------------------------------------------------


def write_graphml(network: nx.Graph, path: Path) -> Path:
    """Write GraphML (typed ``<key>`` declarations, UTF-8).

    >>> import tempfile
    >>> from kg.network import network_from_triples
    >>> with tempfile.TemporaryDirectory() as d:
    ...     p = write_graphml(network_from_triples([("سرايا الدفاع", "hostileTo", "LNA")]), Path(d, "n.graphml"))
    ...     sorted(nx.read_graphml(p).nodes())
    ['LNA', 'سرايا الدفاع']
    """
    try:
        nx.write_graphml(scalar_network(network), str(path), encoding="utf-8")
    except OSError as exc:
        raise ExportError(f"cannot write {path}: {exc}") from None
    return path


def write_gexf(network: nx.Graph, path: Path) -> Path:
    """Write GEXF 1.2 (typed attributes, UTF-8), for Gephi.

    >>> import tempfile
    >>> from kg.network import network_from_triples
    >>> with tempfile.TemporaryDirectory() as d:
    ...     p = write_gexf(network_from_triples([("A", "supports", "B")]), Path(d, "n.gexf"))
    ...     [r for _, _, r in nx.read_gexf(p).edges(data="relation")]
    ['supports']
    """
    try:
        nx.write_gexf(scalar_network(network), str(path), encoding="utf-8")
    except OSError as exc:
        raise ExportError(f"cannot write {path}: {exc}") from None
    return path


def nodes_path(path: Path) -> Path:
    """Where the node list of a CSV export goes: ``NAME.nodes.csv`` beside ``NAME.csv``.

    >>> nodes_path(Path("out/network.csv")).as_posix()
    'out/network.nodes.csv'
    """
    return path.with_name(f"{path.stem}.nodes.csv")


def dyads(network: nx.Graph) -> list[dict[str, Any]]:
    """The ACLED-style dyad rows of a network (:data:`DYAD_COLUMNS`), sorted by actor 1, relation, actor 2.

    >>> from kg.network import network_from_triples
    >>> row = dyads(network_from_triples([("Haftar", "commands", "LNA")]))[0]
    >>> row["actor1"], row["relation"], row["actor2"], row["sources"]
    ('Haftar', 'commands', 'LNA', 1)
    """
    rows = []
    for u, v, d in network.edges(data=True):
        a, b = network.nodes[u], network.nodes[v]
        rows.append({
            "actor1": a.get("label", u), "actor1_ar": a.get("label_ar") or "", "actor1_type": a.get("type", ""),
            "actor1_iri": a.get("iri", u),
            "relation": d.get("relation") or SEPARATOR.join(d.get("relations", ())),
            "actor2": b.get("label", v), "actor2_ar": b.get("label_ar") or "", "actor2_type": b.get("type", ""),
            "actor2_iri": b.get("iri", v),
            "sign": d.get("sign", ""), "symmetric": bool(d.get("symmetric", not network.is_directed())),
            "sources": d.get("sources", 1), "first_reported": d.get("first") or "",
            "last_reported": d.get("last") or "", "claimants": SEPARATOR.join(d.get("claimants", ())),
            "flags": SEPARATOR.join(d.get("flags", ())), "articles": SEPARATOR.join(d.get("articles", ())),
        })
    return sorted(rows, key=lambda r: (str(r["actor1"]).casefold(), r["relation"], str(r["actor2"]).casefold(),
                                       r["actor1_iri"], r["actor2_iri"]))


def write_csv(network: nx.Graph, path: Path) -> tuple[Path, Path]:
    """Write the dyads to ``path`` and the nodes to :func:`nodes_path` (UTF-8, header row); both paths.

    >>> import tempfile
    >>> from kg.network import network_from_triples
    >>> with tempfile.TemporaryDirectory() as d:
    ...     dyad_file, node_file = write_csv(network_from_triples([("A", "supports", "B")]), Path(d, "n.csv"))
    ...     node_file.read_text(encoding="utf-8").splitlines()[0]
    'iri,label,label_en,label_ar,type,aliases'
    """
    node_file = nodes_path(path)
    try:
        with path.open("w", encoding="utf-8", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=DYAD_COLUMNS)
            writer.writeheader()
            writer.writerows(dyads(network))
        with node_file.open("w", encoding="utf-8", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=NODE_COLUMNS, extrasaction="ignore")
            writer.writeheader()
            for node in sorted(network, key=str):
                data = network.nodes[node]
                writer.writerow({"iri": data.get("iri", node), "label": data.get("label", node),
                                 "label_en": data.get("label_en") or "", "label_ar": data.get("label_ar") or "",
                                 "type": data.get("type", ""), "aliases": SEPARATOR.join(data.get("aliases") or ())})
    except OSError as exc:
        raise ExportError(f"cannot write {path}: {exc}") from None
    return path, node_file


def write_network(network: nx.Graph, path: Path, fmt: str) -> list[Path]:
    """Write a network as ``graphml``, ``gexf`` or ``csv``; the files written.

    >>> import tempfile
    >>> from kg.network import network_from_triples
    >>> with tempfile.TemporaryDirectory() as d:
    ...     [p.name for p in write_network(network_from_triples([("A", "supports", "B")]), Path(d, "n.csv"), "csv")]
    ['n.csv', 'n.nodes.csv']
    """
    if fmt == "graphml":
        return [write_graphml(network, path)]
    if fmt == "gexf":
        return [write_gexf(network, path)]
    if fmt == "csv":
        return list(write_csv(network, path))
    raise ExportError(f"{fmt!r} is not a network format", hint=f"one of {', '.join(NETWORK_FORMATS)}")


def export(source: Source, path: Path, fmt: str | None = None, *, projection: str | None = None,
           **filters: Any) -> list[Path]:
    """Write the store's RDF dataset, or its actor network (or a projection of it), to ``path``.

    RDF formats write the whole dataset (Turtle: the union of the graphs) and take no filters; network
    formats build :func:`kg.network.actor_network` with ``filters`` and, with ``projection``
    (``alliance``, ``support``, ``command``, ``signed``), write that projection instead. Returns the files
    written.

    >>> import tempfile
    >>> from kg.sparql.store import GraphStore
    >>> with tempfile.TemporaryDirectory() as d:
    ...     [p.name for p in export(GraphStore(), Path(d, "dump.trig"))]
    ['dump.trig']
    """
    from kg.network import actor_network
    from kg.projections import PROJECTIONS

    fmt = export_format(path, fmt)
    if fmt in RDF_FORMATS:
        if projection is not None or any(v not in (None, (), False, 1) for v in filters.values()):
            raise ExportError(f"{fmt} export writes the whole dataset; filters and projections apply to "
                              f"graphml, gexf and csv")
        source.dump(path)
        return [path]
    if projection is not None and projection not in PROJECTIONS:
        raise ExportError(f"unknown projection {projection!r}", hint=f"one of {', '.join(PROJECTIONS)}")
    network = actor_network(source, **filters)
    if projection is not None:
        network = PROJECTIONS[projection](network)
    return write_network(network, path, fmt)
