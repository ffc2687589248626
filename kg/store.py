"""The RDF store: embedded Oxigraph on disk (default), in memory (tests), with all-or-nothing writes.

The default store is the folder ``.kg-store`` in the working directory; the environment variable
``KG_STORE`` overrides it, and every command's ``--store DIR`` overrides both.

On disk a store folder holds generations and a pointer: ``live`` is a symbolic link to the generation
folder (``gen-…``, an Oxigraph database) that readers open. A build writes a new generation beside it (a
fresh database, or a hard-linked checkpoint of the live one for an incremental build) and swaps it in with
one atomic rename of a new link over ``live`` (see :class:`Shadow`): whatever stops a build, ``live``
names the previous generation or the new one, never a half-written one. A store folder written by an
older kg (an Oxigraph database itself) is still read, and becomes a generation at its next build.

>>> store = GraphStore()                      # in memory
>>> store.replace({"https://example.org/a": []}, drop=())
>>> store.article_hashes()
{}
"""

from __future__ import annotations

import contextlib
import os
import shutil
import uuid
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from kg.errors import StoreError

if TYPE_CHECKING:
    import rdflib

KG = "https://w3id.org/kg/ontology#"
DEFAULT_STORE = ".kg-store"
STORE_ENV = "KG_STORE"
#: In a store folder: the link to the live generation, the generations' prefix, the builders' lock file.
LIVE = "live"
GENERATION = "gen-"
LOCK = "kg-build.lock"
#: N-Quads bytes given to Oxigraph's bulk loader at once (its memory grows with the input of one call).
BULK_SEGMENT = 32 * 1024 * 1024
#: What stopped builds can leave in a store folder (removed by the next build).
GRAPHS_LEFT_BY_BUILDS = (GENERATION, f".{LIVE}-", ".shards-")

#: Output formats by file suffix.
FORMATS: dict[str, ox.RdfFormat] = {
    ".trig": ox.RdfFormat.TRIG,
    ".nq": ox.RdfFormat.N_QUADS,
    ".ttl": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".jsonld": ox.RdfFormat.JSON_LD,
}
#: Formats that hold named graphs.
DATASET_FORMATS = {ox.RdfFormat.TRIG, ox.RdfFormat.N_QUADS, ox.RdfFormat.JSON_LD}


def default_store_path() -> Path:
    """``$KG_STORE`` if set, else ``.kg-store`` in the working directory."""
    return Path(os.environ.get(STORE_ENV) or DEFAULT_STORE)


def store_location(path: Path) -> Path:
    """The Oxigraph database a store folder's readers open: its live generation (or the folder itself,
    for a store written by an older kg).

    >>> store_location(Path("no-such-store"))
    PosixPath('no-such-store')
    """
    link = path / LIVE
    if link.is_symlink():
        return path / os.readlink(link)
    return link if link.is_dir() else path  # a copied store folder: the link became a folder


def _is_legacy(path: Path) -> bool:
    """A store folder that is itself an Oxigraph database (written before generations)."""
    return (path / "CURRENT").is_file() and not (path / LIVE).is_symlink()


def _point_live(path: Path, generation: str) -> None:
    """Make ``live`` name ``generation`` with one atomic rename (a new link written, then renamed over)."""
    tmp = path / f".{LIVE}-{uuid.uuid4().hex}"
    os.symlink(generation, tmp)
    os.replace(tmp, path / LIVE)
    with contextlib.suppress(OSError):  # make the rename durable where the platform allows it
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def remove_leftovers(path: Path) -> list[Path]:
    """Remove what stopped builds left in a store folder: generations ``live`` does not name, link files
    never renamed, temporary shard folders. Call it holding the build lock. Returns what was removed."""
    if not (path / LIVE).is_symlink():
        return []
    live = os.readlink(path / LIVE)
    removed = []
    for entry in path.iterdir():
        stale_gen = entry.name.startswith(GENERATION) and entry.name != live
        if stale_gen or entry.name.startswith((f".{LIVE}-", ".shards-")):
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry, ignore_errors=True)
            else:
                entry.unlink(missing_ok=True)
            removed.append(entry)
    return removed


def format_for(path: Path) -> ox.RdfFormat:
    """The RDF format a file name asks for (``.trig``, ``.nq``, ``.ttl``, ``.nt``, ``.jsonld``)."""
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise StoreError(f"unknown RDF file type {path.suffix or '(none)'!r} for {path}",
                         hint=f"use one of {', '.join(FORMATS)}")
    return fmt


def triples_text(quads: Iterable[ox.Quad]) -> str:
    """The triples of some quads as N-Triples lines (also valid inside SPARQL ``INSERT DATA``).

    Terms are pyoxigraph terms, whose ``str()`` is their escaped N-Triples syntax: no text can break out.
    """
    return "".join(f"{q.subject} {q.predicate} {q.object} .\n" for q in quads)


class GraphStore:
    """An Oxigraph store holding one named graph per article (plus the registry graph)."""

    def __init__(self, path: Path | None = None, *, read_only: bool = False) -> None:
        self.path = path
        #: The Oxigraph database open now (the live generation); None in memory.
        self.location: Path | None = None
        self.read_only = read_only
        try:
            if path is None:
                self.store = ox.Store()
            elif read_only:
                if not path.exists():
                    raise StoreError(f"no store at {path}", hint="run `kg build CORPUS` first, or give --store")
                self.location = store_location(path)
                self.store = ox.Store.read_only(str(self.location))
            else:
                if (path / LIVE).is_dir() and not (path / LIVE).is_symlink():  # a copy: make it a link again
                    generation = f"{GENERATION}{uuid.uuid4().hex[:12]}"
                    os.rename(path / LIVE, path / generation)
                    _point_live(path, generation)
                if not (path / LIVE).is_symlink() and not _is_legacy(path):
                    path.mkdir(parents=True, exist_ok=True)
                    generation = f"{GENERATION}{uuid.uuid4().hex[:12]}"
                    (path / generation).mkdir()
                    _point_live(path, generation)
                self.location = store_location(path)
                self.store = ox.Store(str(self.location))
        except OSError as exc:
            raise StoreError(f"cannot open the store at {path}: {exc}",
                             hint="is another kg process (or kg serve) using it?") from None

    @classmethod
    def open(cls, path: Path | None = None, *, read_only: bool = False) -> GraphStore:
        """Open the store at ``path`` (default: :func:`default_store_path`)."""
        return cls(path or default_store_path(), read_only=read_only)

    def __enter__(self) -> GraphStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if not hasattr(self, "store"):
            return
        if self.path is not None:
            with contextlib.suppress(OSError, RuntimeError):  # RuntimeError: a read-only store
                self.store.flush()
        del self.store

    # -- reading ------------------------------------------------------------------------------------

    def article_hashes(self) -> dict[str, str]:
        """Article graph IRI → the content hash it was built from."""
        q = f"SELECT ?g ?h WHERE {{ GRAPH ?g {{ ?g a <{KG}Article> ; <{KG}contentHash> ?h }} }}"
        return {s["g"].value: s["h"].value for s in self.store.query(q)}  # type: ignore[union-attr]

    def graphs(self) -> list[str]:
        return sorted(g.value for g in self.store.named_graphs() if isinstance(g, ox.NamedNode))

    def graph_nquads(self, graph: str) -> Iterator[bytes]:
        """The quads of one named graph as N-Quads lines."""
        name = ox.NamedNode(graph)
        for q in self.store.quads_for_pattern(None, None, None, name):
            yield f"{q.subject} {q.predicate} {q.object} {name} .\n".encode()

    def __len__(self) -> int:
        return len(self.store)

    def quads(self) -> Iterator[ox.Quad]:
        return iter(self.store)

    # -- writing ------------------------------------------------------------------------------------

    def replace(self, graphs: Mapping[str, Iterable[ox.Quad] | str], *, drop: Iterable[str] = ()) -> None:
        """Replace the given graphs' contents and drop others, in one transaction.

        A graph's contents are quads, or triples already written as N-Triples lines (from
        :func:`triples_text`). Either every change is written or none is: the store never holds half
        a build.
        """
        parts = [f"DROP SILENT GRAPH <{g}>" for g in (*graphs, *drop)]
        inserts: list[str] = []
        for g, quads in graphs.items():
            body = quads if isinstance(quads, str) else triples_text(quads)
            if body:
                inserts.append(f"GRAPH <{g}> {{\n{body}}}")
        if inserts:
            parts.append("INSERT DATA {\n" + "\n".join(inserts) + "\n}")
        if not parts:
            return
        try:
            self.store.update(";\n".join(parts))
        except (OSError, SyntaxError) as exc:
            raise StoreError(f"writing to the store failed, nothing was changed: {exc}") from None

    def replace_in_chunks(self, chunks: Sequence[Path], *, drop: Iterable[str]) -> None:
        """Replace large sets of graphs: drop them in one transaction, then load N-Quads chunk files.

        Each chunk holds whole graphs and loads in its own transaction, so a graph is never half written;
        if the process stops between chunks, the graphs not yet loaded are absent (with no content hash),
        and the next build maps those articles again.
        """
        dropped = [f"DROP SILENT GRAPH <{g}>" for g in drop]
        done = 0
        try:
            if dropped:
                self.store.update(";\n".join(dropped))
            for chunk in chunks:
                self.store.load(path=str(chunk), format=ox.RdfFormat.N_QUADS)
                done += 1
        except (OSError, SyntaxError) as exc:
            raise StoreError(f"writing to the store stopped after {done} of {len(chunks)} chunks: {exc}",
                             hint="run the build again: it redoes the articles that are missing") from None

    @contextlib.contextmanager
    def build_lock(self) -> Iterator[None]:
        """Hold the store folder's build lock (one build at a time) and clear what stopped builds left."""
        if self.path is None:
            yield
            return
        import fcntl

        with (self.path / LOCK).open("a") as lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                raise StoreError(f"another build is writing the store at {self.path}",
                                 hint="wait for it to finish") from None
            remove_leftovers(self.path)
            yield

    def shadow(self, *, fresh: bool) -> Shadow:
        """A new generation to build into: empty (``fresh``) or a checkpoint of this store (hard links).

        Nothing a caller does to it reaches this store until :meth:`Shadow.commit`; call it under
        :meth:`build_lock`.
        """
        if self.path is None:
            store = ox.Store()
            if not fresh:
                store.extend(self.store)
            return Shadow(self, store, None)
        folder = self.path / f"{GENERATION}{uuid.uuid4().hex[:12]}"
        try:
            if fresh:
                store = ox.Store(str(folder))
            else:
                self.store.flush()
                self.store.backup(str(folder))
                store = ox.Store(str(folder))
        except OSError as exc:
            shutil.rmtree(folder, ignore_errors=True)
            raise StoreError(f"cannot prepare a new generation of the store in {folder}: {exc}",
                             hint="is the disk full?") from None
        return Shadow(self, store, folder)

    def _swap(self, shadow: Shadow) -> None:
        """Make ``shadow`` the live store: one atomic rename on disk, then reopen; old generations go."""
        if self.path is None or shadow.folder is None:
            self.store = shadow.store
            return
        old = self.location
        legacy = old == self.path
        del self.store  # release the old generation's lock before the new one is reopened
        _point_live(self.path, shadow.folder.name)
        self.location = shadow.folder
        self.store = ox.Store.read_only(str(shadow.folder)) if self.read_only else ox.Store(str(shadow.folder))
        if legacy:  # the old database's own files sat in the store folder itself
            keep = {LIVE, LOCK, shadow.folder.name}
            for entry in self.path.iterdir():
                if entry.name not in keep and not entry.name.startswith(GENERATION):
                    if entry.is_dir() and not entry.is_symlink():
                        shutil.rmtree(entry, ignore_errors=True)
                    else:
                        entry.unlink(missing_ok=True)
        elif old is not None:
            shutil.rmtree(old, ignore_errors=True)

    def dump(self, path: Path) -> None:
        """Write the whole store to a file; the format comes from the suffix.

        Formats without named graphs (Turtle, N-Triples) get the union of all graphs.
        """
        fmt = format_for(path)
        try:
            if fmt in DATASET_FORMATS:
                self.store.dump(str(path), fmt, prefixes=None if fmt is ox.RdfFormat.N_QUADS else PREFIXES)
            else:
                union = ox.Store()
                union.extend(ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph()) for q in self.store)
                union.dump(str(path), fmt, from_graph=ox.DefaultGraph(),
                           prefixes=PREFIXES if fmt is ox.RdfFormat.TURTLE else None)
        except OSError as exc:
            raise StoreError(f"cannot write {path}: {exc}", hint="check the folder exists and is writable") from None

    def to_rdflib(self) -> rdflib.Dataset:
        """The whole store as an rdflib Dataset (for pyshacl, serialisers, ``rdflib.compare``)."""
        import rdflib

        data = self.store.dump(format=ox.RdfFormat.N_QUADS)
        ds = rdflib.Dataset()
        ds.parse(data=data.decode("utf-8") if data else "", format="nquads")
        return ds


class Shadow:
    """A store being built beside the live one (from :meth:`GraphStore.shadow`).

    Write into it with :meth:`bulk_load` (not transactional: fine, nobody reads a shadow) and
    :meth:`update`; then :meth:`commit` swaps it in, or :meth:`discard` throws it away. A process killed
    in between leaves a ``gen-…`` folder that the next build removes.
    """

    def __init__(self, live: GraphStore, store: ox.Store, folder: Path | None) -> None:
        self.live = live
        self.store = store
        self.folder = folder
        #: the same database, as a store to read (for the statistics and the relation summary)
        self.view = GraphStore.__new__(GraphStore)
        self.view.path, self.view.location, self.view.read_only, self.view.store = None, folder, False, store

    def bulk_load(self, data: Iterable[bytes] | Path) -> None:
        """Load N-Quads, from a file or streamed as chunks of bytes (each ending at a line end), with
        Oxigraph's bulk loader, a segment of about :data:`BULK_SEGMENT` bytes at a time: the loader holds
        a whole batch in memory, so segments keep a build's memory flat however large the corpus."""
        try:
            if isinstance(data, Path):
                self.store.bulk_load(path=str(data), format=ox.RdfFormat.N_QUADS)
                return
            segment: list[bytes] = []
            size = 0
            for chunk in data:
                segment.append(chunk)
                size += len(chunk)
                if size >= BULK_SEGMENT:
                    self.store.bulk_load(input=b"".join(segment), format=ox.RdfFormat.N_QUADS)
                    segment, size = [], 0
            if segment:
                self.store.bulk_load(input=b"".join(segment), format=ox.RdfFormat.N_QUADS)
        except (OSError, SyntaxError) as exc:
            raise StoreError(f"loading the new store failed, the store was not changed: {exc}",
                             hint="is the disk full?" if isinstance(exc, OSError) else None) from None

    def update(self, sparql: str) -> None:
        """Run a SPARQL update (in one transaction)."""
        try:
            self.store.update(sparql)
        except (OSError, SyntaxError) as exc:
            raise StoreError(f"writing the new store failed, the store was not changed: {exc}") from None

    def commit(self, *, optimize: bool = True) -> None:
        """Compact (``optimize``), close and swap the shadow in as the live store."""
        try:
            if self.folder is not None:
                if optimize:
                    self.store.optimize()
                self.store.flush()
        except OSError as exc:
            self.discard()
            raise StoreError(f"finishing the new store failed, the store was not changed: {exc}",
                             hint="is the disk full?") from None
        if self.folder is not None:  # close it: the live store reopens it after the swap
            del self.store, self.view.store
        self.live._swap(self)

    def discard(self) -> None:
        """Throw the shadow away: the live store stays as it was."""
        if self.folder is not None:
            with contextlib.suppress(AttributeError):
                del self.store, self.view.store
            shutil.rmtree(self.folder, ignore_errors=True)


PREFIXES = {
    "kg": KG,
    "acled": "https://w3id.org/kg/acled#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "prov": "http://www.w3.org/ns/prov#",
    "dcterms": "http://purl.org/dc/terms/",
    "schema": "https://schema.org/",
}
