"""GraphML (typed ``<key>`` declarations, UTF-8), for Cytoscape, yEd, igraph and Gephi."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import networkx as nx

from kg.errors import ExportError
from kg.exports.scalars import scalar_network

if TYPE_CHECKING:
    from kg.ontology import Ontology


def write_graphml(network: nx.Graph, path: Path, *, ontology: Ontology | None = None) -> list[Path]:
    """Write GraphML; the files written.

    >>> import tempfile
    >>> from kg.network import network_from_triples
    >>> with tempfile.TemporaryDirectory() as d:
    ...     [p] = write_graphml(network_from_triples([("سرايا الدفاع", "hostileTo", "LNA")]), Path(d, "n.graphml"))
    ...     sorted(nx.read_graphml(p).nodes())
    ['LNA', 'سرايا الدفاع']
    """
    try:
        nx.write_graphml(scalar_network(network, ontology=ontology), str(path), encoding="utf-8")
    except OSError as exc:
        raise ExportError(f"cannot write {path}: {exc}") from None
    return [path]
