"""Writing the graph out, one writer per format name (:data:`WRITERS`): the actor network or a projection
of it (GraphML, GEXF, CSV), the event table (CSV or JSON), or the RDF dataset (TriG, N-Quads, Turtle,
JSON-LD). A new format is one module and one line in :data:`WRITERS`.

Network files hold only what graph tools read (:mod:`kg.exports.scalars`); Arabic text is written as UTF-8,
unescaped; nodes keep their IRI as id and their label, and carry their ids (registry id, Wikidata QID, UCDP
id, ACLED category and inter code); edges get ``label`` (the relation) and ``weight`` (the number of
sources). CSV gives two files: the dyads at the path given (:mod:`kg.exports.dyads`) and the node list beside
it (``NAME.nodes.csv``).

>>> sorted(WRITERS)
['csv', 'events', 'gexf', 'graphml', 'jsonld', 'nq', 'trig', 'ttl']
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kg.errors import ExportError
from kg.exports.dyads import DYAD_COLUMNS, NODE_COLUMNS, dyads, nodes_path, write_csv
from kg.exports.events import EVENT_COLUMNS, event_rows, write_events
from kg.exports.gexf import write_gexf
from kg.exports.graphml import write_graphml
from kg.exports.rdf import write_rdf
from kg.exports.scalars import scalar_network
from kg.network.selection import Selection, as_selection


@dataclass(frozen=True)
class Writer:
    """One export format: its name, the file suffixes it writes, what it writes (``network``: the actor
    network or a projection; ``events``: the event table; ``rdf``: the dataset) and the function."""

    name: str
    suffixes: tuple[str, ...]
    kind: str
    write: Callable[..., list[Path]]


#: Writers by format name.
WRITERS: dict[str, Writer] = {w.name: w for w in (
    Writer("graphml", (".graphml",), "network", write_graphml),
    Writer("gexf", (".gexf",), "network", write_gexf),
    Writer("csv", (".csv",), "network", write_csv),
    Writer("events", (".csv", ".json"), "events", write_events),
    Writer("trig", (".trig",), "rdf", write_rdf),
    Writer("nq", (".nq",), "rdf", write_rdf),
    Writer("ttl", (".ttl",), "rdf", write_rdf),
    Writer("jsonld", (".jsonld",), "rdf", write_rdf),
)}
FORMATS = {name: w.suffixes[0] for name, w in WRITERS.items()}
NETWORK_FORMATS = {n: s for n, s in FORMATS.items() if WRITERS[n].kind == "network"}
RDF_FORMATS = {n: s for n, s in FORMATS.items() if WRITERS[n].kind == "rdf"}

__all__ = ["DYAD_COLUMNS", "EVENT_COLUMNS", "FORMATS", "NETWORK_FORMATS", "NODE_COLUMNS", "RDF_FORMATS", "WRITERS",
           "ExportError", "Writer", "dyads", "event_rows", "export", "export_format", "nodes_path", "scalar_network",
           "write_csv", "write_events", "write_gexf", "write_graphml", "write_network", "write_rdf"]


def export_format(path: Path, fmt: str | None = None) -> str:
    """The format to write: ``fmt`` if given (the file must end in one of its suffixes where that matters),
    else the one the suffix names (``.csv`` is the dyad CSV; the event table needs ``--format events``).

    >>> export_format(Path("net.graphml")), export_format(Path("dump.nq"), "nq")
    ('graphml', 'nq')
    >>> export_format(Path("events.json"), "events")
    'events'
    """
    if fmt is None:
        guessed = next((n for n, w in WRITERS.items() if w.kind != "events" and path.suffix.lower() in w.suffixes),
                       None)
        if guessed is None:
            raise ExportError(f"cannot tell the format of {path}",
                              hint=f"give --format ({', '.join(WRITERS)}) or a file ending in "
                                   f"{', '.join(FORMATS.values())}")
        return guessed
    if fmt not in WRITERS:
        raise ExportError(f"unknown export format {fmt!r}", hint=f"one of {', '.join(WRITERS)}")
    writer = WRITERS[fmt]
    if writer.kind != "network" and path.suffix.lower() not in writer.suffixes:
        raise ExportError(f"{fmt} output needs a file ending in {' or '.join(writer.suffixes)}, not {path.name}",
                          hint=f"use -o {path.with_suffix(writer.suffixes[0]).name}")
    return fmt


def write_network(network: Any, path: Path, fmt: str) -> list[Path]:
    """Write a network (or projection) as ``graphml``, ``gexf`` or ``csv``; the files written.

    >>> import tempfile
    >>> from kg.network import network_from_triples
    >>> with tempfile.TemporaryDirectory() as d:
    ...     [p.name for p in write_network(network_from_triples([("A", "supports", "B")]), Path(d, "n.csv"), "csv")]
    ['n.csv', 'n.nodes.csv']
    """
    writer = WRITERS.get(fmt)
    if writer is None or writer.kind != "network":
        raise ExportError(f"{fmt!r} is not a network format", hint=f"one of {', '.join(NETWORK_FORMATS)}")
    return writer.write(network, path)


def export(source: Any, path: Path, fmt: str | None = None, *, selection: Selection | None = None,
           projection: str | None = None, **filters: Any) -> list[Path]:
    """Write a query source's actor network (or a projection of it), its event table, or its RDF dataset;
    ``source`` may also be a network already built (for the network formats).

    ``selection`` (or keyword ``filters``, its field names) chooses the part of the network, or the dates of
    the events; ``projection`` (``alliance``, ``support``, ``command``, ``signed``) writes that projection of
    the network. RDF formats write the whole dataset and take neither. Returns the files written.

    >>> import kg, tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     [p.name for p in export(kg.GraphStore(), Path(d, "dump.trig"))]
    ['dump.trig']
    """
    from kg.network.build import actor_network
    from kg.network.projections import PROJECTIONS
    from kg.network.selection import select

    fmt = export_format(path, fmt)
    writer = WRITERS[fmt]
    chosen = as_selection(selection, **filters)
    if writer.kind == "rdf":
        if projection is not None or chosen != Selection():
            raise ExportError(f"{fmt} export writes the whole dataset; filters and projections apply to "
                              f"{', '.join(n for n, w in WRITERS.items() if w.kind != 'rdf')}")
        return writer.write(source, path)
    if projection is not None and (writer.kind != "network" or projection not in PROJECTIONS):
        raise ExportError(f"unknown projection {projection!r}" if writer.kind == "network"
                          else "the event table has no projection", hint=f"one of {', '.join(PROJECTIONS)}")
    if writer.kind == "events":
        return writer.write(source, path, chosen)
    import networkx as nx

    network = select(source if isinstance(source, nx.Graph) else actor_network(source, chosen), chosen)
    if projection is not None:
        network = PROJECTIONS[projection](network)
    return writer.write(network, path)
