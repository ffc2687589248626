"""SPARQL text: what kind of query it is, binding parameters into it, kg's prefixes, and federation.

Nothing here runs a query: these are pure functions over the query text, shared by the embedded store,
a remote endpoint and ``kg serve``'s front.

The scanner reads SPARQL tokens (comments, strings, IRIs, variables, words, braces) well enough to find
the query form, the outermost ``WHERE`` group and the keywords that make a server send requests
elsewhere (:data:`FEDERATION`): a word inside a string, an IRI or a comment is not a keyword.

>>> federation("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
'SERVICE'
>>> federation('SELECT * WHERE { ?s ?p "SERVICE" } # SERVICE')
>>> query_kind("ASK { ?s ?p ?o }")
'ask'
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from kg.errors import QueryError
from kg.sparql.results import Kind, Term, clip
from kg.vocab import PREFIXES

_SYNTAX = re.compile(r"error at (\d+):(\d+): ?(.*)", re.S)
_TOKEN = re.compile(
    r"""(?P<comment>\#[^\n]*)
      | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*'''
                  |"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
      | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
      | (?P<var>[?$][A-Za-z0-9_\u00B7\u00C0-\uFFFF]+)
      | (?P<word>[A-Za-z_][A-Za-z0-9_\-]*(?::[\w.\-%]*)?)
      | (?P<open>\{) | (?P<close>\})
      | (?P<space>\s+)
      | (?P<other>.)""",
    re.X | re.S,
)
_BIND_HERE = re.compile(r"^[ \t]*#[ \t]*parameters bound here[ \t]*$", re.M)
_FORMS = {"SELECT": "select", "ASK": "ask", "CONSTRUCT": "graph", "DESCRIBE": "graph"}
_UPDATES = {"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"}
#: Words that start SPARQL text (so a saved question cannot be named after one).
KEYWORDS = frozenset({*_FORMS, *_UPDATES, "PREFIX", "BASE"})


# -- the query's shape --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Parsed:
    kind: Kind
    where: int | None  # index just after the outermost WHERE group's "{"
    variables: frozenset[str]


@lru_cache(maxsize=256)
def _scan(text: str) -> _Parsed:
    """The query form, where its WHERE group opens, and the variables it names (outside strings); kept for
    the texts scanned last (a saved question is scanned for each asking)."""
    tokens = [(m.lastgroup, m.group(), m.end()) for m in _TOKEN.finditer(text)]
    code = [t for t in tokens if t[0] not in ("comment", "space")]
    variables = frozenset(t[1][1:] for t in code if t[0] == "var")
    for i, (group, value, _end) in enumerate(code):
        if group != "word":
            continue
        word = value.upper()
        if word in _UPDATES:
            raise QueryError(f"this is a SPARQL update ({word}), and kg query only reads",
                             hint="use kg build to change the store")
        if word not in _FORMS:
            continue
        kind: Kind = _FORMS[word]  # type: ignore[assignment]
        rest = code[i + 1:]
        if word == "CONSTRUCT" and rest and rest[0][0] == "open":
            depth, skip = 0, len(rest)
            for n, tok in enumerate(rest):
                depth += {"open": 1, "close": -1}.get(tok[0] or "", 0)
                if depth == 0:
                    skip = n + 1
                    break
            rest = rest[skip:]
        elif word == "CONSTRUCT":
            return _Parsed(kind, None, variables)  # CONSTRUCT WHERE { … }: no group to bind in
        where = next((end for group, _v, end in rest if group == "open"), None)
        return _Parsed(kind, where, variables)
    raise QueryError("not a SPARQL query: no SELECT, ASK, CONSTRUCT or DESCRIBE",
                     hint="give SPARQL text, @file.rq or a saved query name (`kg query --list`)")


def _subquery_wheres(text: str, name: str) -> list[int]:
    """Where the WHERE group of each subquery that passes ``?name`` up to the outer query opens.

    A subquery qualifies when it projects ``?name`` as a plain variable (or with ``SELECT *``), has no
    ``LIMIT`` or ``OFFSET``, and every subquery around it qualifies too: binding the variable inside it
    then keeps exactly the solutions the outer binding keeps (the variable is constant within each of its
    groups), so the engine need not compute the others. Offsets are just after each group's ``{``.
    """
    code = [(g, v, end) for g, v, end in ((m.lastgroup, m.group(), m.end()) for m in _TOKEN.finditer(text))
            if g not in ("comment", "space")]
    match: dict[int, int] = {}
    opened: list[int] = []
    enclosing: dict[int, int] = {}  # SELECT token index -> index of the innermost open brace around it
    for i, (group, value, _end) in enumerate(code):
        if group == "open":
            opened.append(i)
        elif group == "close" and opened:
            match[opened.pop()] = i
        elif group == "word" and value.upper() == "SELECT" and opened:
            enclosing[i] = opened[-1]
    spans: list[tuple[int, int, bool]] = []  # (where open, where close, qualifies on its own)
    for k, around in enclosing.items():
        projected, parens, j, alias = set(), 0, k + 1, False
        while j < len(code) and not (code[j][0] == "open" and parens == 0):
            group, value, _end = code[j]
            if value == "(":
                parens += 1
            elif value == ")":
                parens -= 1
            elif parens == 0 and value == "*":
                projected.add("*")
            elif group == "var" and parens == 0 and not alias:
                projected.add(value[1:])
            alias = group == "word" and value.upper() == "AS"
            j += 1
        if j >= len(code) or j not in match:
            continue
        tail = code[match[j] + 1:match.get(around, len(code))]
        limited = any(g == "word" and v.upper() in ("LIMIT", "OFFSET") for g, v, _e in tail)
        spans.append((j, match[j], bool(projected & {name, "*"}) and not limited))
    return [code[w][2] for w, end, ok in spans
            if ok and all(inner_ok for ow, oend, inner_ok in spans if ow < w and end < oend)]


def bind_values(query: str, bindings: dict[str, Term]) -> str:
    """The query with ``VALUES`` binding each variable: on each line ``# parameters bound here`` when the query
    has such lines (in each branch of a UNION, say, which Oxigraph evaluates on its own); else at the start of
    its outermost WHERE group and of each subquery that projects the variable to it (:func:`_subquery_wheres`).

    Terms are written by pyoxigraph in N-Triples syntax (escaped), so no value can change the query.

    >>> import pyoxigraph as ox
    >>> bind_values("SELECT ?s WHERE { ?s ?p ?o }", {"o": ox.Literal('"}')})
    'SELECT ?s WHERE {\\nVALUES (?o) { ("\\\\"}") }\\n ?s ?p ?o }'
    >>> bind_values("SELECT ?n WHERE { { SELECT ?g (COUNT(*) AS ?n) WHERE { ?x ?p ?g } GROUP BY ?g } }",
    ...             {"g": ox.NamedNode("urn:g")}).count("VALUES (?g)")
    2
    """
    if not bindings:
        return query
    parsed = _scan(query)
    unknown = sorted(set(bindings) - parsed.variables)
    if unknown:
        raise QueryError(f"the query has no variable ?{unknown[0]} to bind",
                         hint=f"its variables: {', '.join('?' + v for v in sorted(parsed.variables)) or 'none'}")
    if parsed.where is None:
        raise QueryError("cannot bind parameters in a query without a WHERE group",
                         hint="write CONSTRUCT { … } WHERE { … } or DESCRIBE ?x WHERE { … }")
    if _BIND_HERE.search(query):
        row = (f"VALUES ({' '.join(f'?{n}' for n in bindings)}) "
               f"{{ ({' '.join(str(t) for t in bindings.values())}) }}")
        return _BIND_HERE.sub(lambda _: row, query)
    at: dict[int, list[str]] = {parsed.where: list(bindings)}
    for name in bindings:
        for offset in _subquery_wheres(query, name):
            at.setdefault(offset, []).append(name)
    out = query
    for offset in sorted(at, reverse=True):
        names = " ".join(f"?{n}" for n in at[offset])
        values = " ".join(str(bindings[n]) for n in at[offset])
        out = f"{out[:offset]}\nVALUES ({names}) {{ ({values}) }}\n{out[offset:]}"
    return out


def query_kind(query: str) -> Kind:
    """``select``, ``ask`` or ``graph`` (CONSTRUCT, DESCRIBE).

    >>> query_kind("PREFIX x: <urn:x:> # SELECT\\nCONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
    'graph'
    """
    return _scan(query).kind


def syntax_error(exc: SyntaxError, query: str) -> QueryError:
    """pyoxigraph's parse error as one line naming line and column."""
    message = " ".join(str(exc).split())
    m = _SYNTAX.match(message)
    if m:
        line, col, what = int(m.group(1)), int(m.group(2)), m.group(3)
        if "Prefix not found" in what:
            what = "a prefix that is not declared (add PREFIX name: <IRI>)"
        elif len(what) > 120:
            what = what[:120].rsplit(" ", 1)[0] + " …"
        lines = query.splitlines()
        near = lines[line - 1].strip() if 0 < line <= len(lines) else ""
        return QueryError(f"SPARQL syntax error at line {line}, column {col}: {what}"
                          + (f" (near: {clip(near, 60)})" if near else ""))
    return QueryError(f"SPARQL syntax error: {message}")



#: Keywords that make the engine fetch from another server: ``SERVICE`` (federated query) and ``LOAD``
#: (an update that reads a URL).
FEDERATION = ("SERVICE", "LOAD")
_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


def _unescape(text: str) -> str:
    """SPARQL's codepoint escapes (``\\u0053``) decoded, as the grammar allows them anywhere."""
    return _CODEPOINT.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), text)


def federation(text: str) -> str | None:
    """The first keyword of :data:`FEDERATION` the query or update uses outside strings, IRIs and comments.

    >>> federation("LOAD <http://example.org/data.ttl>")
    'LOAD'
    >>> federation(r"ASK { \\u0053ERVICE <http://example.org/> { ?s ?p ?o } }")
    'SERVICE'
    """
    for m in _TOKEN.finditer(_unescape(text)):
        if m.lastgroup == "word" and m.group().upper() in FEDERATION:
            return m.group().upper()
    return None


def refuse_federation(text: str) -> None:
    """Raise :class:`QueryError` when the text would make the engine send a request to another server.

    >>> refuse_federation("ASK { SERVICE SILENT <http://127.0.0.1:9/> { ?s ?p ?o } }")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    kg.errors.QueryError: SERVICE (federation) is refused: this would send a request to another server (...)
    """
    word = federation(text)
    if word is not None:
        raise QueryError(f"{word} (federation) is refused: this would send a request to another server",
                         hint="pass --allow-federation to allow it")


def declare_prefixes(query: str) -> str:
    """The query with ``PREFIX`` lines for the usual prefixes it uses without declaring (on its first line,
    so that line numbers stay; the embedded store knows them without this).

    >>> declare_prefixes("SELECT ?c WHERE { ?c kg:commands ?g }")
    'PREFIX kg: <https://w3id.org/kg/ontology#> SELECT ?c WHERE { ?c kg:commands ?g }'
    """
    words = [m.group() for m in _TOKEN.finditer(query) if m.lastgroup == "word"]
    declared = {nxt.split(":")[0].lower() for w, nxt in zip(words, words[1:], strict=False) if w.upper() == "PREFIX"}
    used = {w.split(":")[0] for w in words if ":" in w}
    missing = [p for p in PREFIXES if p in used and p.lower() not in declared]
    return "".join(f"PREFIX {p}: <{PREFIXES[p]}> " for p in missing) + query
