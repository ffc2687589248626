"""The interface every query source implements (see :mod:`kg.sparql.source`).

Kept apart from :mod:`kg.sparql.source` so that the store can implement it without importing the
module that opens stores and endpoints.
"""

from __future__ import annotations

import abc
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from kg.errors import QueryError, StoreError
from kg.sparql.results import Kind, QueryResult
from kg.sparql.text import query_kind
from kg.vocab import PREFIXES

if TYPE_CHECKING:
    from typing import Self

#: The formats :meth:`Source.dump` writes, by file suffix (the store writes the same).
_DUMP = {".trig": ox.RdfFormat.TRIG, ".nq": ox.RdfFormat.N_QUADS, ".ttl": ox.RdfFormat.TURTLE,
         ".nt": ox.RdfFormat.N_TRIPLES, ".jsonld": ox.RdfFormat.JSON_LD}


class Source(abc.ABC):
    """Where SPARQL questions go: ``select``, ``construct``, ``ask``, ``graph_quads``; close when done."""

    @abc.abstractmethod
    def query(self, text: str, kind: Kind | None = None, *, graphs: list[str] | None = None,
              timeout: float | None = None, prefixes: bool = True) -> QueryResult:
        """Run one query (already bound); ``graphs`` limits the default graph to those graphs."""

    @abc.abstractmethod
    def graphs(self) -> list[str]:
        """The names of the named graphs, sorted."""

    @abc.abstractmethod
    def graph_quads(self, iri: str) -> list[ox.Quad]:
        """The quads of one named graph."""

    @abc.abstractmethod
    def quads(self) -> Iterator[ox.Quad]:
        """Every quad of every named graph."""

    def select(self, query: str, *, prefixes: bool = True, timeout: float | None = None,
               graphs: list[str] | None = None) -> QueryResult:
        """The rows of a SELECT."""
        return self._expect("select", query, prefixes=prefixes, timeout=timeout, graphs=graphs)

    def construct(self, query: str, *, prefixes: bool = True, timeout: float | None = None,
                  graphs: list[str] | None = None) -> QueryResult:
        """The triples of a CONSTRUCT or DESCRIBE (``.triples``)."""
        return self._expect("graph", query, prefixes=prefixes, timeout=timeout, graphs=graphs)

    def ask(self, query: str, *, prefixes: bool = True, timeout: float | None = None,
            graphs: list[str] | None = None) -> bool:
        """The truth of an ASK."""
        return bool(self._expect("ask", query, prefixes=prefixes, timeout=timeout, graphs=graphs).boolean)

    def _expect(self, kind: Kind, query: str, **options: object) -> QueryResult:
        found = query_kind(query)
        if found != kind:
            raise QueryError(f"expected a {kind} query, got a {found} query")
        return self.query(query, kind, **options)  # type: ignore[arg-type]

    def dump(self, path: Path) -> None:
        """Write every graph to a file, the format from the suffix (Turtle, N-Triples: their union)."""
        fmt = _DUMP.get(path.suffix.lower())
        if fmt is None:
            raise StoreError(f"unknown RDF file type {path.suffix or '(none)'!r} for {path}",
                             hint=f"use one of {', '.join(_DUMP)}")
        quads: Iterator[ox.Quad] = self.quads()
        if fmt not in (ox.RdfFormat.TRIG, ox.RdfFormat.N_QUADS, ox.RdfFormat.JSON_LD):
            quads = (ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph()) for q in quads)
        prefixes = None if fmt in (ox.RdfFormat.N_QUADS, ox.RdfFormat.N_TRIPLES) else PREFIXES
        try:
            ox.serialize(quads, str(path), format=fmt, prefixes=prefixes)
        except OSError as exc:
            raise StoreError(f"cannot write {path}: {exc}", hint="check the folder exists and is writable") from None

    def close(self) -> None:  # noqa: B027 - a remote source holds nothing open
        """Release what the source holds; closing twice is harmless."""

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
