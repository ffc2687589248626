"""The RDF dataset as TriG, N-Quads, Turtle (the union of the graphs) or JSON-LD."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kg.errors import ExportError


def write_rdf(source: Any, path: Path) -> list[Path]:
    """Dump a local store's dataset to ``path`` (the format from its suffix); the files written.

    >>> import kg, tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     [p.name for p in write_rdf(kg.GraphStore(), Path(d, "dump.trig"))]
    ['dump.trig']
    """
    dump = getattr(source, "dump", None)
    if not callable(dump):
        raise ExportError("RDF export reads a local store, not an endpoint",
                          hint="use --store, or fetch the data with the endpoint's own dump")
    dump(path)
    return [path]
