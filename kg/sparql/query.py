"""SPARQL over the knowledge graph: ad hoc, from files, or by the name of a saved question.

:func:`run_query` asks any :class:`~kg.sparql.source.Source` (the embedded store, a remote SPARQL 1.1
endpoint) the same question in the same way, and returns a :class:`QueryResult` that prints as
a table, CSV, TSV, SPARQL JSON or Turtle. The union of all article graphs is queried unless
``graph=`` names some.

Parameters (``params={"group": "LNA"}``, ``kg query … --param group=LNA``) are bound as RDF terms by a
``VALUES`` clause placed at the start of the query's outermost ``WHERE`` group (and of each subquery that
passes the variable up unchanged, so that the engine narrows it early), never pasted into the query
text: whatever a value holds (quotes, ``}``, newlines), it stays one term. A value is read as

* an IRI when written ``<…>`` or when it starts with ``http://``, ``https://`` or ``urn:``;
* an integer (``2``), a decimal (``2.5``) or an ``xsd:date`` (``2016-07-18``) when it looks like one;
* a literal in N-Triples syntax when it starts with ``"`` (``"2016-07"^^<http://www.w3.org/2001/XMLSchema#gYearMonth>``);
* a language-tagged literal when it ends in ``@`` and a tag (``قوات حفتر@ar``);
* else a plain string.

A saved question may mark a line ``# only with NAME`` (kept only when parameter NAME is given) or
``# only without NAME`` (kept only when it is not; ``# only with A, without B``): the same question then
reads an index when it knows an actor and scans when it does not, each shape the fastest for its case
(:func:`select_lines`). It may also say where its parameters are bound, with lines
``# parameters bound here`` (each becomes the ``VALUES`` clause): in each branch of a top-level ``UNION``,
say, so that every branch starts from the actor it was given (Oxigraph evaluates such a branch on its
own, not from the bindings outside it).

A saved question declares its parameters in its header; a parameter of kind ``actor`` also takes a
registry id (``lna``) or any label or alias in Arabic or English (``"قوات حفتر"``, ``"Haftar's forces"``),
resolved to one actor before the query runs (an unknown or ambiguous name is an error that lists the
candidates).

>>> from kg.sparql.store import GraphStore
>>> store = GraphStore()
>>> run_query(store, "ASK { ?s ?p ?o }").boolean
False
>>> run_query(store, "SELECT ?x WHERE { }", params={"x": 'a "quoted" } value'}).format("tsv").splitlines()
['?x', '"a \\\\"quoted\\\\" } value"']
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from kg.errors import QueryError, UnknownActorError
from kg.sparql.results import QueryResult, Term, display_term
from kg.sparql.text import KEYWORDS, bind_values, query_kind
from kg.vocab import KG, XSD

if TYPE_CHECKING:
    from kg.sparql.source import Source


_IRI_START = re.compile(r"^(?:https?://|urn:)\S+$", re.I)
_LANG = re.compile(r"^(.+)@([A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*)$", re.S)
_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")
_HEADER = re.compile(r"^#\s*(title|description|param)\s*:\s*(.*)$")
_PARAM = re.compile(r"^(\w+)\s*(?:\(([^)]*)\))?\s*(?:[—–-]+\s*(.*))?$")
_ONLY = re.compile(r"#\s*only\s+((?:with|without)\s+\w+(?:\s*,\s*(?:with|without)\s+\w+)*)\s*$")
PARAM_KINDS = ("actor", "relation", "integer", "text", "iri", "any")


# -- saved questions ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Param:
    """A parameter of a saved question, from a ``# param: name (kind, default V, optional) — help`` line."""

    name: str
    kind: str = "any"
    default: str | None = None
    required: bool = True
    help: str = ""


@dataclass(frozen=True)
class SavedQuery:
    """A question kept in ``kg/queries/NAME.rq`` with a title, a description and its parameters."""

    name: str
    title: str
    description: str
    params: tuple[Param, ...]
    text: str

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)


def parse_saved(name: str, text: str) -> SavedQuery:
    """Read a saved question's header (comment lines before the query).

    >>> q = parse_saved("x", "# title: T\\n# description: D\\n# param: min (integer, default 2) — at least\\nASK {}")
    >>> q.title, q.params[0].kind, q.params[0].default, q.params[0].required
    ('T', 'integer', '2', False)
    """
    title, description, params = "", [], []  # type: tuple[str, list[str], list[Param]]
    for raw in text.splitlines():
        line = raw.strip()
        if not line.startswith("#"):
            if line:
                break
            continue
        m = _HEADER.match(line)
        if m is None:
            if description and line.lstrip("#").strip():
                description.append(line.lstrip("#").strip())
            continue
        key, value = m.group(1), m.group(2).strip()
        if key == "title":
            title = value
        elif key == "description":
            description.append(value)
        else:
            pm = _PARAM.match(value)
            if pm is None:
                raise QueryError(f"saved query {name}: cannot read the parameter line {value!r}",
                                 hint="write `# param: NAME (KIND[, default VALUE][, optional]) — help`")
            kind, default, required = "any", None, True
            for part in (p.strip() for p in (pm.group(2) or "").split(",")):
                if part in PARAM_KINDS:
                    kind = part
                elif part.startswith("default "):
                    default, required = part[len("default "):].strip(), False
                elif part == "optional":
                    required = False
            params.append(Param(pm.group(1), kind, default, required, (pm.group(3) or "").strip()))
    if not title:
        raise QueryError(f"saved query {name} has no `# title:` line")
    return SavedQuery(name, title, " ".join(description), tuple(params), text)


def saved_queries() -> dict[str, SavedQuery]:
    """Every saved question of ``kg/queries``, by name (the file name without ``.rq``)."""
    return dict(_saved_queries())


@lru_cache(maxsize=1)
def _saved_queries() -> dict[str, SavedQuery]:
    """The saved questions, read once a process (they are files of the package)."""
    folder = resources.files("kg") / "queries"
    out = {}
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".rq"):
            name = entry.name[:-3]
            out[name] = parse_saved(name, entry.read_text(encoding="utf-8"))
    return out


def select_lines(text: str, given: set[str] | frozenset[str]) -> str:
    """The text without the lines marked ``# only with NAME`` whose parameter is not ``given``, and those marked
    ``# only without NAME`` whose parameter is (``# only with A, without B``: both must hold).

    >>> select_lines("a\\nb # only with actor\\nc # only without actor", {"actor"})
    'a\\nb # only with actor'
    >>> select_lines("a\\nb # only with actor\\nc # only without actor", set())
    'a\\nc # only without actor'
    >>> select_lines("x # only with relation, without actor", {"relation"})
    'x # only with relation, without actor'
    """
    kept = []
    for line in text.split("\n"):
        m = _ONLY.search(line)
        conditions = [c.split() for c in m.group(1).split(",")] if m else []
        if all((how == "with") == (name in given) for how, name in conditions):
            kept.append(line)
    return "\n".join(kept)


def bound_query(source: Source, query: str, params: Mapping[str, str | Term] | None = None) -> str:
    """The text :func:`run_query` sends: the query (text, ``@file.rq`` or a saved name), its marked lines
    selected and its parameters bound."""
    text, saved = load_query(query)
    bindings = _bindings(source, text, saved, params or {})
    if saved is not None:
        text = select_lines(text, set(bindings))
    return bind_values(text, bindings)


def load_query(query: str) -> tuple[str, SavedQuery | None]:
    """SPARQL text from text, ``@file.rq`` or a saved question's name.

    >>> load_query("commanders")[1].title
    'Commanders of a group'
    >>> load_query("comanders")
    Traceback (most recent call last):
    kg.errors.QueryError: no saved query named 'comanders' (did you mean commanders? `kg query --list` shows all)
    """
    if query.startswith("@"):
        path = Path(query[1:])
        try:
            return path.read_text(encoding="utf-8-sig"), None
        except OSError as exc:
            raise QueryError(f"cannot read {path}: {exc.strerror or exc}") from None
    text = query.strip()
    if _NAME.match(text) and text.upper() not in KEYWORDS:
        saved = saved_queries()
        if text in saved:
            return saved[text].text, saved[text]
        close = difflib.get_close_matches(text, list(saved), n=3, cutoff=0.6)
        hint = (f"did you mean {', '.join(close)}? " if close else "") + "`kg query --list` shows all"
        raise QueryError(f"no saved query named {text!r}", hint=hint)
    return query, None


# -- parameters --------------------------------------------------------------------------------------


def parse_term(value: str) -> ox.NamedNode | ox.Literal:
    """A parameter value as one RDF term (see the module docstring for the rules).

    >>> parse_term("<https://w3id.org/kg/id/actor/lna>").value
    'https://w3id.org/kg/id/actor/lna'
    >>> parse_term("2").datatype.value, parse_term("قوات حفتر@ar").language, parse_term('x" } .').value
    ('http://www.w3.org/2001/XMLSchema#integer', 'ar', 'x" } .')
    """
    try:
        if value.startswith("<") and value.endswith(">"):
            return ox.NamedNode(value[1:-1])
        if _IRI_START.match(value):
            return ox.NamedNode(value)
    except ValueError as exc:
        raise QueryError(f"{value!r} is not a valid IRI: {exc}") from None
    if re.fullmatch(r"[+-]?\d+", value):
        return ox.Literal(value, datatype=ox.NamedNode(XSD + "integer"))
    if re.fullmatch(r"[+-]?\d*\.\d+", value):
        return ox.Literal(value, datatype=ox.NamedNode(XSD + "decimal"))
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return ox.Literal(value, datatype=ox.NamedNode(XSD + "date"))
    if value.startswith('"'):
        try:
            quads = list(ox.parse(f"<urn:kg:s> <urn:kg:p> {value} .", format=ox.RdfFormat.N_TRIPLES))
        except SyntaxError as exc:
            raise QueryError(f"{value!r} is not a literal in N-Triples syntax: {exc}") from None
        if len(quads) != 1 or not isinstance(quads[0].object, ox.Literal):
            raise QueryError(f"{value!r} is not one literal")
        return quads[0].object
    m = _LANG.match(value)
    if m and not m.group(1).endswith(" "):
        return ox.Literal(m.group(1), language=m.group(2).lower())
    return ox.Literal(value)


def parse_params(items: list[str]) -> dict[str, str]:
    """``["name=value", …]`` (the CLI's ``--param``) as a dict.

    >>> parse_params(["group=LNA", "q=a=b"])
    {'group': 'LNA', 'q': 'a=b'}
    """
    out = {}
    for item in items:
        name, sep, value = item.partition("=")
        name = name.strip().lstrip("?$")
        if not sep or not re.fullmatch(r"\w+", name):
            raise QueryError(f"--param {item!r} is not NAME=VALUE", hint="for example --param group=LNA")
        out[name] = value
    return out


def _param_term(source: Source, param: Param | None, value: str | Term) -> Term:
    if not isinstance(value, str):
        return value
    kind = param.kind if param else "any"
    if kind == "actor":
        return resolve_actor(source, value)
    if kind == "relation":
        if value.startswith(("<", "http")):
            return parse_term(value)
        name = value.split(":")[-1]
        if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", name):
            raise QueryError(f"{value!r} is not a relation name", hint="for example commands, supports, hostileTo")
        return ox.NamedNode(KG + name)
    if kind == "integer":
        if not re.fullmatch(r"[+-]?\d+", value.strip()):
            raise QueryError(f"parameter {param.name if param else ''} must be a whole number, not {value!r}")
        return ox.Literal(value.strip(), datatype=ox.NamedNode(XSD + "integer"))
    if kind == "text":
        m = _LANG.match(value)
        return ox.Literal(m.group(1), language=m.group(2).lower()) if m else ox.Literal(value)
    term = parse_term(value)
    if kind == "iri" and not isinstance(term, ox.NamedNode):
        raise QueryError(f"parameter {param.name if param else ''} must be an IRI, not {value!r}")
    return term


_LABELS = """SELECT DISTINCT ?e ?name WHERE {
  ?e <http://www.w3.org/2000/01/rdf-schema#label>|<http://www.w3.org/2004/02/skos/core#altLabel> ?name
  FILTER(isIRI(?e))
}"""
_EXACT = """SELECT DISTINCT ?e ?name WHERE {
  ?e <http://www.w3.org/2000/01/rdf-schema#label>|<http://www.w3.org/2004/02/skos/core#altLabel> ?name
  FILTER(isIRI(?e) && (STR(?name) = ?value || STRENDS(STR(?e), CONCAT("/", ?value))))
}"""


def _names(result: QueryResult) -> dict[str, set[str]]:
    names: dict[str, set[str]] = {}
    for e, name in result.rows:
        if isinstance(e, ox.NamedNode) and isinstance(name, ox.Literal):
            names.setdefault(e.value, set()).add(name.value)
    return names


def resolve_actor(source: Source, value: str) -> ox.NamedNode:
    """The node a name denotes: an IRI as given, else a registry id, a label or an alias (either language),
    matched exactly, then with spelling folded, then as whole words of one label ("الغرياني").

    >>> from kg.sparql.store import GraphStore
    >>> resolve_actor(GraphStore(), "<https://w3id.org/kg/id/actor/lna>").value
    'https://w3id.org/kg/id/actor/lna'
    """
    from kg.network.names import name_index, resolve_name

    text = value.strip()
    if (text.startswith("<") and text.endswith(">")) or _IRI_START.match(text):
        term = parse_term(text)
        if isinstance(term, ox.NamedNode):
            return term
    exact = _names(source.select(bind_values(_EXACT, {"value": ox.Literal(text)}), prefixes=False))
    pool = exact if len(exact) == 1 else None
    if pool is None:
        try:
            pool = _names(source.select(_LABELS, prefixes=False))
        except QueryError as exc:
            raise QueryError(f"no label or id is exactly {text!r}, and the names could not be listed: {exc}",
                             hint="give the exact label or the IRI") from None
    if not pool:
        raise QueryError(f"no actor, place or source named {text!r}",
                         hint="the graph has no labels at all; a remote server must use the union of its graphs as "
                         "the default graph (oxigraph serve --union-default-graph)")
    index = name_index((iri, sorted(names), ()) for iri, names in pool.items())
    try:
        return ox.NamedNode(resolve_name(index, text, what="actor", hint="give an IRI, a registry id or a label in "
                                         "the graph", describe=lambda i: f"{display_term(ox.NamedNode(i))} "
                                                                         f"({', '.join(sorted(pool[i])[:2])})"))
    except UnknownActorError as exc:
        message = exc.message.replace("no actor named", "no actor, place or source named")
        raise QueryError(message, hint=exc.hint) from None


# -- running -----------------------------------------------------------------------------------------


def run_query(
    source: Source,
    query: str,
    *,
    params: Mapping[str, str | Term] | None = None,
    graph: str | list[str] | None = None,
    timeout: float | None = None,
) -> QueryResult:
    """Run SPARQL text, ``@file.rq`` or a saved question on a source (the store, or an endpoint).

    ``graph`` limits the default graph to those article graphs (else: the union of all graphs).
    ``timeout`` (seconds) stops the query: locally it runs in a child process that is killed at the
    deadline; remotely it bounds the wait for the server (the server's own limit applies too).
    """
    text = bound_query(source, query, params)
    graphs = [graph] if isinstance(graph, str) else list(graph) if graph else None
    return source.query(text, query_kind(text), graphs=graphs, timeout=timeout)


def _bindings(source: Source, text: str, saved: SavedQuery | None,
              params: Mapping[str, str | Term]) -> dict[str, Term]:
    if saved is None:
        return {name: parse_term(v) if isinstance(v, str) else v for name, v in params.items()}
    unknown = sorted(set(params) - {p.name for p in saved.params})
    if unknown:
        names = ", ".join(p.name for p in saved.params) or "none"
        raise QueryError(f"saved query {saved.name} has no parameter {unknown[0]!r}", hint=f"its parameters: {names}")
    out: dict[str, Term] = {}
    for p in saved.params:
        value = params.get(p.name, p.default)
        if value is None:
            if p.required:
                raise QueryError(f"saved query {saved.name} needs --param {p.name}=…", hint=p.help or None)
            continue
        out[p.name] = _param_term(source, p, value)
    return out
