"""The RDF store: embedded Oxigraph on disk (default), in memory (tests), with all-or-nothing writes.

The default store is the folder ``.kg-store`` in the working directory; the environment variable
``KG_STORE`` overrides it, and every command's ``--store DIR`` overrides both.

>>> store = GraphStore()                      # in memory
>>> store.replace({"https://example.org/a": []}, drop=())
>>> store.article_hashes()
{}
"""

from __future__ import annotations

import contextlib
import os
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


class GraphStore:
    """An Oxigraph store holding one named graph per article (plus the registry graph)."""

    def __init__(self, path: Path | None = None, *, read_only: bool = False) -> None:
        self.path = path
        try:
            if path is None:
                self.store = ox.Store()
            elif read_only:
                if not path.exists():
                    raise StoreError(f"no store at {path}", hint="run `kg build CORPUS` first, or give --store")
                self.store = ox.Store.read_only(str(path))
            else:
                self.store = ox.Store(str(path))
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
