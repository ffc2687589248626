"""N-Quads shards: a build's output as files that any SPARQL server's bulk loader reads.

``kg build --out DIR/`` (a folder: a path without a file suffix, or an existing folder) writes
``shard-NNNNN.nq`` (the article graphs of one batch each), ``registry.nq`` and ``summary.nq`` (the
relation summary). Oxigraph: ``oxigraph load --location STORE --file DIR/*.nq``; Virtuoso: ``ld_dir`` +
``rdf_loader_run``; Jena: ``tdb2.tdbloader``. IRIs are deterministic, so shards written on different
machines need no coordination.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kg.sparql.store import GraphStore


def is_shard_folder(out: Path) -> bool:
    """Whether ``--out`` names a folder of shards rather than one RDF file.

    >>> is_shard_folder(Path("graph.trig")), is_shard_folder(Path("shards"))
    (False, True)
    """
    return out.is_dir() or not out.suffix


def prepare_shard_folder(folder: Path) -> None:
    """Create the folder, removing the shards of an earlier build."""
    folder.mkdir(parents=True, exist_ok=True)
    for old in [*folder.glob("shard-*.nq"), *folder.glob("shard-*.tmp"), folder / "registry.nq",
                folder / "summary.nq"]:
        old.unlink(missing_ok=True)


def write_registry_and_summary(folder: Path, store: GraphStore, registries: dict[str, str],
                               base: str | None) -> None:
    """Write the registry graphs and the whole relation summary beside the article shards."""
    from kg.building.summary import summary_graph

    (folder / "registry.nq").write_text("".join(registries.values()), encoding="utf-8")
    with (folder / "summary.nq").open("wb") as f:
        if base is not None:
            for line in store.graph_nquads(summary_graph(base)):
                f.write(line)
