"""The RDF store: embedded Oxigraph on disk (default), in memory (tests), with all-or-nothing writes.

This is the only module that touches ``pyoxigraph.Store``. :class:`GraphStore` is a
:class:`~kg.sparql.source.Source`: it answers ``select``, ``construct``, ``ask`` and ``graph_quads``
like a remote endpoint does, querying the union of its graphs with kg's prefixes declared, and refuses
``SERVICE`` (a query that would make this process send requests elsewhere) unless
``allow_federation`` is set.

The default store is ``.kg-store`` in the working directory; ``$KG_STORE`` overrides it, ``--store DIR`` both.

On disk a store folder holds generations of the database and a ``live`` link to the current one
(:mod:`kg.sparql.generations`); a build writes a :class:`Shadow` generation and swaps it in with one
atomic rename.

>>> store = GraphStore()                      # in memory
>>> store.replace({"https://example.org/a": []}, drop=())
>>> store.article_hashes()
{}
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import shutil
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from kg.errors import QueryError, StoreError
from kg.sparql.base import Source
from kg.sparql.generations import (
    ANSWERS,
    GENERATION,
    LIVE,
    LOCK,
    is_legacy,
    new_generation,
    remove_leftovers,
)
from kg.sparql.generations import point_live as _point_live
from kg.sparql.generations import store_location as store_location
from kg.sparql.results import Kind, QueryResult, from_serialized, materialize
from kg.sparql.segment import Segment
from kg.sparql.text import query_kind, refuse_federation, syntax_error
from kg.vocab import KG, PREFIXES

if TYPE_CHECKING:
    import rdflib

DEFAULT_STORE = ".kg-store"
STORE_ENV = "KG_STORE"
#: N-Quads bytes a bulk-loader call gets (its memory grows with them; 30,000 articles: 699 MB peak, 1,037 at 128 MB)
BULK_SEGMENT = 64 * 1024 * 1024

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


class GraphStore(Source):
    """An Oxigraph store holding one named graph per article (plus the registry graph)."""

    #: Whether queries may use ``SERVICE`` (federation): off unless asked for.
    allow_federation: bool = False

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
                    generation = new_generation()
                    os.rename(path / LIVE, path / generation)
                    _point_live(path, generation)
                if not (path / LIVE).is_symlink() and not is_legacy(path):
                    path.mkdir(parents=True, exist_ok=True)
                    generation = new_generation()
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
        """Flush and release the store; closing twice is harmless."""
        store = self.__dict__.pop("store", None)
        if store is not None and self.path is not None:
            with contextlib.suppress(OSError, RuntimeError):  # RuntimeError: a read-only store
                store.flush()

    # -- reading ------------------------------------------------------------------------------------

    def article_hashes(self) -> dict[str, str]:
        """Article graph IRI → its content hash, read from the index (a query took 7 s for 100,000 articles)."""
        found = self.store.quads_for_pattern(None, ox.NamedNode(f"{KG}contentHash"), None, None)
        return {q.subject.value: q.object.value for q in found if q.subject == q.graph_name}  # type: ignore[union-attr]

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

    def graph_quads(self, iri: str) -> list[ox.Quad]:
        return list(self.store.quads_for_pattern(None, None, None, ox.NamedNode(iri)))

    def quads_for_pattern(self, subject: ox.NamedNode | None, predicate: ox.NamedNode | None,
                          obj: ox.NamedNode | ox.BlankNode | ox.Literal | None = None,
                          graph: ox.NamedNode | None = None) -> Iterator[ox.Quad]:
        """The quads matching a pattern (``None`` matches anything): the engine's own index lookup, for the
        build's bookkeeping where a query would cost more than the answer."""
        return iter(self.store.quads_for_pattern(subject, predicate, obj, graph))

    def solutions(self, text: str, *, union: bool = False) -> Iterator[Any]:
        """The engine's solutions of a trusted SELECT written by kg itself (no prefixes, no binding, no limits):
        the build's fast path. Questions from users go through :meth:`query`."""
        yield from self.store.query(text, use_default_graph_as_union=union)  # type: ignore[misc]

    def query(self, text: str, kind: Kind | None = None, *, graphs: list[str] | None = None,
              timeout: float | None = None, prefixes: bool = True) -> QueryResult:
        """Run one query on the union of the graphs (or on ``graphs``).

        ``timeout`` (seconds) runs it in a child process that is killed at the deadline: pyoxigraph cannot
        cancel a running query.
        """
        if not self.allow_federation:
            refuse_federation(text)
        kind = kind or query_kind(text)
        if timeout is not None:
            return _run_with_deadline(self, text, kind, graphs, timeout, prefixes)
        try:
            return materialize(_evaluate(self.store, text, graphs, prefixes), kind)
        except SyntaxError as exc:
            raise syntax_error(exc, text) from None
        except (OSError, RuntimeError, ValueError) as exc:
            raise QueryError(f"the query failed: {' '.join(str(exc).split())}") from None

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

    def update(self, sparql: str) -> None:
        """Run a SPARQL update on the store, in one transaction."""
        try:
            self.store.update(sparql)
        except (OSError, SyntaxError) as exc:
            raise StoreError(f"updating the store failed, nothing was changed: {exc}") from None

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
        folder = self.path / new_generation()
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
        elif old is not None:  # the old generation and the answers kept for it (kg.sparql.kept)
            for folder in (old, self.path / ANSWERS / old.name):
                shutil.rmtree(folder, ignore_errors=True)

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
        Oxigraph's bulk loader, about :data:`BULK_SEGMENT` bytes a call: the loader holds what one call
        reads (up to a million quads) in memory, so segments keep a build's memory flat however large the
        corpus. The loader reads each segment from the stream as it comes (no copy of it is joined first)."""
        try:
            if isinstance(data, Path):
                self.store.bulk_load(path=str(data), format=ox.RdfFormat.N_QUADS, lenient=True)
                return
            chunks = iter(data)
            while True:
                segment = Segment(chunks, BULK_SEGMENT)
                if not segment.peek():
                    break
                self.store.bulk_load(input=segment, format=ox.RdfFormat.N_QUADS, lenient=True)  # type: ignore[arg-type]
                if segment.error is not None:
                    raise segment.error
                if segment.exhausted:
                    break
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


# -- querying -----------------------------------------------------------------------------------------
# A query with a deadline runs in a forked child (the in-memory store is shared copy-on-write; an on-disk
# store is reopened read-only) and the child is killed at the deadline: pyoxigraph cannot cancel a running
# query, and a thread could only be abandoned, still computing.


def _evaluate(store: ox.Store, text: str, graphs: list[str] | None, prefixes: bool
              ) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
    declared = PREFIXES if prefixes else None
    if graphs:
        return store.query(text, prefixes=declared, default_graph=[ox.NamedNode(g) for g in graphs])
    return store.query(text, prefixes=declared, use_default_graph_as_union=True)


def _child(store: ox.Store | None, path: str | None, text: str, graphs: list[str] | None, prefixes: bool,
           conn: object) -> None:
    send = conn.send_bytes  # type: ignore[attr-defined]
    try:
        st = ox.Store.read_only(path) if path else store
        answer = _evaluate(st, text, graphs, prefixes)  # type: ignore[arg-type]
        if isinstance(answer, ox.QueryTriples):
            send(b"G" + (answer.serialize(format=ox.RdfFormat.N_TRIPLES) or b""))
        else:
            send(b"R" + (answer.serialize(format=ox.QueryResultsFormat.JSON) or b""))
    except SyntaxError as exc:
        send(b"S" + str(exc).encode("utf-8"))
    except Exception as exc:  # noqa: BLE001 - every failure goes back to the parent as one message
        send(b"E" + " ".join(str(exc).split()).encode("utf-8"))


def _run_with_deadline(source: GraphStore, text: str, kind: Kind, graphs: list[str] | None,
                       timeout: float, prefixes: bool) -> QueryResult:
    if "fork" not in multiprocessing.get_all_start_methods():
        return _run_in_thread(source, text, kind, graphs, timeout, prefixes)
    if source.path is not None:
        with contextlib.suppress(OSError, RuntimeError):  # a read-only store has nothing to flush
            source.store.flush()
    ctx = multiprocessing.get_context("fork")
    recv, send = ctx.Pipe(duplex=False)
    path = str(source.location) if source.location is not None else None
    proc = ctx.Process(target=_child, args=(None if path else source.store, path, text, graphs, prefixes, send),
                       daemon=True)
    proc.start()
    send.close()
    try:
        if not recv.poll(timeout):
            raise QueryError(f"the query ran past the time limit of {timeout:g} s and was stopped",
                             hint="narrow it (LIMIT, more specific patterns) or raise --timeout")
        try:
            message = recv.recv_bytes()
        except EOFError:
            raise QueryError(f"the query process ended without an answer (exit code {proc.exitcode})") from None
    finally:
        if proc.is_alive():
            proc.kill()
        proc.join()
        recv.close()
    tag, data = message[:1], message[1:]
    if tag == b"S":
        raise syntax_error(SyntaxError(data.decode("utf-8")), text)
    if tag == b"E":
        raise QueryError(f"the query failed: {data.decode('utf-8')}")
    if tag == b"G":
        return from_serialized("graph", data, "application/n-triples")
    return from_serialized(kind, data, "application/sparql-results+json")


def _run_in_thread(source: GraphStore, text: str, kind: Kind, graphs: list[str] | None,
                   timeout: float, prefixes: bool) -> QueryResult:
    """Without fork (Windows): the caller gets control back at the deadline; the query finishes unseen."""
    box: list[QueryResult | BaseException] = []

    def work() -> None:
        try:
            box.append(source.query(text, kind, graphs=graphs, prefixes=prefixes))
        except BaseException as exc:  # noqa: BLE001 - handed to the caller
            box.append(exc)

    worker = threading.Thread(target=work, daemon=True)
    worker.start()
    worker.join(timeout)
    if not box:
        raise QueryError(f"the query ran past the time limit of {timeout:g} s",
                         hint="narrow it (LIMIT, more specific patterns) or raise --timeout")
    if isinstance(box[0], BaseException):
        raise box[0]
    return box[0]
