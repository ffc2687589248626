"""Query results: rows, a truth value or triples, printed as a table, CSV, TSV, SPARQL JSON or Turtle.

>>> r = QueryResult("select", ["name", "n"], [(ox.Literal("سرايا الدفاع", language="ar"), ox.Literal(2))])
>>> print(r.format("table"))
name          n
------------  -
سرايا الدفاع  2
(1 row)
>>> r.to_dataframe().to_dict("records")
[{'name': 'سرايا الدفاع', 'n': 2}]
"""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, TypeAlias

import pyoxigraph as ox

from kg.errors import QueryError
from kg.vocab import PREFIXES

if TYPE_CHECKING:
    import pandas

XSD = "http://www.w3.org/2001/XMLSchema#"
#: The default base of instance IRIs (actors, places, articles), shown as ``id:`` in tables.
ID_BASE = "https://w3id.org/kg/id/"
FORMATS = ("table", "csv", "tsv", "json", "turtle", "ntriples")

Term: TypeAlias = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
Kind: TypeAlias = Literal["select", "ask", "graph"]
_NUMBERS: dict[str, Callable[[str], Any]] = {
    **{XSD + t: int for t in ("integer", "int", "long", "short", "nonNegativeInteger", "positiveInteger")},
    **{XSD + t: float for t in ("decimal", "double", "float")},
}


@dataclass
class QueryResult:
    """The answer to one query: rows of a SELECT, the truth of an ASK, or the triples of a graph query."""

    kind: Kind
    variables: list[str] = field(default_factory=list)
    rows: list[tuple[Term | None, ...]] = field(default_factory=list)
    boolean: bool | None = None
    triples: list[ox.Triple] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.triples) if self.kind == "graph" else len(self.rows)

    def records(self) -> list[dict[str, str | None]]:
        """The rows as dicts of plain strings (IRIs, lexical forms); ``None`` when unbound.

        >>> r = QueryResult("select", ["x"], [(ox.Literal("سرايا", language="ar"),)])
        >>> r.records()
        [{'x': 'سرايا'}]
        """
        if self.kind == "graph":
            return [{"subject": _plain(t.subject), "predicate": _plain(t.predicate), "object": _plain(t.object)}
                    for t in self.triples]
        return [{v: _plain(t) for v, t in zip(self.variables, row, strict=True)} for row in self.rows]

    def values(self) -> list[dict[str, Any]]:
        """The rows as dicts of Python values: numbers and booleans converted, other terms as strings."""
        return [{v: _python(t) for v, t in zip(self.variables, row, strict=True)} for row in self.rows]

    def to_dataframe(self) -> pandas.DataFrame:
        """The rows as a pandas DataFrame (columns in the query's order, even with no rows)."""
        import pandas

        if self.kind != "select":
            raise QueryError("only SELECT results make a table", hint="use .boolean or .triples")
        return pandas.DataFrame(self.values(), columns=self.variables)

    def format(self, fmt: str = "table") -> str:
        """The result as ``table``, ``csv``, ``tsv``, ``json`` (SPARQL 1.1 Query Results JSON), ``turtle``
        or ``ntriples``. Graph results print as Turtle for ``table``, JSON-LD for ``json`` and a
        subject/predicate/object table for ``csv``/``tsv``."""
        if fmt not in FORMATS:
            raise QueryError(f"unknown format {fmt!r}", hint=f"use one of {', '.join(FORMATS)}")
        if self.kind == "graph":
            return self._format_graph(fmt)
        if fmt in ("turtle", "ntriples"):
            raise QueryError(f"--format {fmt} is for CONSTRUCT and DESCRIBE results",
                             hint="use table, csv, tsv or json")
        if self.kind == "ask":
            if fmt == "json":
                return json.dumps({"head": {}, "boolean": bool(self.boolean)})
            return ("true" if self.boolean else "false") + ("" if fmt == "table" else "\n")
        if fmt == "json":
            return json.dumps(
                {"head": {"vars": self.variables},
                 "results": {"bindings": [{v: _json_term(t) for v, t in zip(self.variables, row, strict=True)
                                           if t is not None} for row in self.rows]}},
                ensure_ascii=False, indent=2)
        if fmt == "csv":
            out = io.StringIO()
            writer = csv.writer(out, lineterminator="\r\n")
            writer.writerow(self.variables)
            writer.writerows([_csv_term(t) for t in row] for row in self.rows)
            return out.getvalue()
        if fmt == "tsv":
            lines = ["\t".join(f"?{v}" for v in self.variables)]
            lines += ["\t".join("" if t is None else str(t) for t in row) for row in self.rows]
            return "\n".join(lines) + "\n"
        return table(self.variables, [[display_term(t) for t in row] for row in self.rows])

    def _format_graph(self, fmt: str) -> str:
        if fmt in ("csv", "tsv"):
            rows = [(t.subject, t.predicate, t.object) for t in self.triples]
            return QueryResult("select", ["subject", "predicate", "object"], list(rows)).format(fmt)
        rdf_format = {"json": ox.RdfFormat.JSON_LD, "ntriples": ox.RdfFormat.N_TRIPLES}.get(fmt, ox.RdfFormat.TURTLE)
        quads = (ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in dict.fromkeys(self.triples))
        prefixes = None if rdf_format is ox.RdfFormat.N_TRIPLES else PREFIXES
        data = ox.serialize(quads, format=rdf_format, prefixes=prefixes) or b""
        return data.decode("utf-8")


def display_prefixes() -> dict[str, str]:
    return {**PREFIXES, "id": ID_BASE}


def _plain(term: Term | None) -> str | None:
    if term is None:
        return None
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Triple):
        return str(term)
    return term.value


def _python(term: Term | None) -> Any:
    if isinstance(term, ox.Literal):
        convert = _NUMBERS.get(term.datatype.value)
        if convert is not None:
            try:
                return convert(term.value)
            except ValueError:
                return term.value
        if term.datatype.value == XSD + "boolean":
            return term.value in ("true", "1")
    return _plain(term)


def _csv_term(term: Term | None) -> str:
    return "" if term is None else _plain(term) or ""


def _json_term(term: Term) -> dict[str, object]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Triple):
        return {"type": "triple", "value": {"subject": _json_term(term.subject),
                                            "predicate": _json_term(term.predicate),
                                            "object": _json_term(term.object)}}
    out: dict[str, object] = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype.value != XSD + "string":
        out["datatype"] = term.datatype.value
    return out


def display_term(term: Term | None) -> str:
    """A cell of a table: IRIs with a prefix where one fits, literals as their text."""
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        for prefix, ns in display_prefixes().items():
            if term.value.startswith(ns) and len(term.value) > len(ns):
                return f"{prefix}:{term.value[len(ns):]}"
        return f"<{term.value}>"
    if isinstance(term, ox.Literal):
        return term.value
    return _plain(term) or ""


def _width(text: str) -> int:
    """Columns a string takes in a terminal (combining marks take none, wide characters two)."""
    return sum(0 if unicodedata.combining(c) or unicodedata.category(c) == "Cf"
               else 2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def clip(text: str, limit: int) -> str:
    text = " ".join(text.split())
    if _width(text) <= limit:
        return text
    out, used = [], 0
    for c in text:
        used += _width(c)
        if used > limit - 1:
            break
        out.append(c)
    return "".join(out) + "…"


def table(headers: list[str], rows: list[list[str]], *, max_width: int = 48) -> str:
    """A plain-text table, padded by display width (Arabic and wide characters line up).

    >>> print(table(["name", "n"], [["سرايا الدفاع", "2"]]))
    name          n
    ------------  -
    سرايا الدفاع  2
    (1 row)
    """
    cells = [[clip(c, max_width) for c in row] for row in rows]
    widths = [max([_width(h)] + [_width(r[i]) for r in cells]) for i, h in enumerate(headers)]

    def line(values: list[str]) -> str:
        return "  ".join(v + " " * (w - _width(v)) for v, w in zip(values, widths, strict=True)).rstrip()

    out = [line(headers), line(["-" * w for w in widths])] + [line(r) for r in cells]
    out.append(f"({len(rows)} row{'' if len(rows) == 1 else 's'})")
    return "\n".join(out)


# -- reading answers ---------------------------------------------------------------------------------


def materialize(answer: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples, kind: Kind) -> QueryResult:
    if isinstance(answer, ox.QueryBoolean):
        return QueryResult("ask", boolean=bool(answer))
    if isinstance(answer, ox.QuerySolutions):
        variables = [v.value for v in answer.variables]
        rows = [tuple(sol[i] for i in range(len(variables))) for sol in answer]
        return QueryResult("select", variables, rows)
    return QueryResult("graph", triples=list(answer))


def from_serialized(kind: Kind, data: bytes, media_type: str) -> QueryResult:
    """A result from SPARQL results (JSON, XML, TSV) or RDF bytes, by media type."""
    if kind == "graph" or ox.RdfFormat.from_media_type(media_type) is not None:
        rdf = ox.RdfFormat.from_media_type(media_type) or ox.RdfFormat.N_TRIPLES
        quads = ox.parse(data, format=rdf)
        return QueryResult("graph", triples=[q.triple for q in quads])
    fmt = ox.QueryResultsFormat.from_media_type(media_type) or ox.QueryResultsFormat.JSON
    result = materialize(ox.parse_query_results(data, format=fmt), kind)
    if result.kind == "select":
        result.rows = [tuple(canonical(t) for t in row) for row in result.rows]
    return result


_BOOLEAN = ox.NamedNode(XSD + "boolean")


def canonical(term: Any) -> Any:
    """A boolean literal in its canonical form (Virtuoso answers ``"1"^^xsd:boolean`` for ``true``).

    >>> canonical(ox.Literal("0", datatype=_BOOLEAN)).value, canonical(ox.Literal("1")).value
    ('false', '1')
    """
    if isinstance(term, ox.Literal) and term.datatype == _BOOLEAN and term.value in ("0", "1"):
        return ox.Literal(term.value == "1")
    return term
