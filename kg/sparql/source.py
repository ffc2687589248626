"""One query interface for the graph, wherever it is: the embedded store or a remote SPARQL endpoint.

A :class:`Source` answers SPARQL with :class:`~kg.sparql.results.QueryResult` values and gives the
quads of a graph. :class:`~kg.sparql.store.GraphStore` (an Oxigraph folder or an in-memory store) and
:class:`Endpoint` (a SPARQL 1.1 Protocol URL: ``kg serve``, Oxigraph, Virtuoso, Fuseki, GraphDB) both
implement it, so code that reads the graph never asks which one it has. :func:`open_source` opens one
from the CLI's ``--store DIR`` / ``--endpoint URL``. Both query the union of all graphs as the default
graph, with kg's prefixes (:data:`kg.vocab.PREFIXES`) declared unless ``prefixes=False``.

>>> with open_source() as source:                   # doctest: +SKIP
...     source.select("SELECT (COUNT(*) AS ?n) WHERE { ?s kg:commands ?o }").values()
>>> from kg.sparql.store import GraphStore
>>> with GraphStore() as store:
...     store.ask("ASK { ?s ?p ?o }"), store.select("SELECT ?x WHERE { VALUES ?x { kg:a } }").records()
(False, [{'x': 'https://w3id.org/kg/ontology#a'}])
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox

from kg.errors import QueryError
from kg.sparql import http
from kg.sparql.base import Source
from kg.sparql.results import Kind, QueryResult, from_serialized
from kg.sparql.text import declare_prefixes, query_kind, syntax_error

__all__ = ["Endpoint", "Source", "open_source"]

ACCEPT = {
    "select": "application/sparql-results+json",
    "ask": "application/sparql-results+json",
    "graph": "application/n-triples, text/turtle;q=0.9",
}
class Endpoint(Source):
    """A SPARQL 1.1 Protocol endpoint, by its query URL (``http://host:7878`` means ``…/query``).

    >>> Endpoint("http://127.0.0.1:7878").url
    'http://127.0.0.1:7878/query'
    >>> Endpoint("ftp://example.org")
    Traceback (most recent call last):
    kg.errors.QueryError: 'ftp://example.org' is not an http(s) URL (for example http://127.0.0.1:7878/query)
    """

    def __init__(self, url: str, *, update_url: str | None = None, credentials: http.Credentials | None = None,
                 timeout: float | None = 300) -> None:
        self.url, self.update_url = http.endpoint_urls(url, update_url)
        self.credentials = credentials
        self.timeout = timeout
        self._client = http.opener(credentials, (self.url, self.update_url))

    def __repr__(self) -> str:
        return f"Endpoint({self.url!r})"

    def post(self, url: str, body: bytes, content_type: str, accept: str, timeout: float | None) -> http.Response:
        """POST to the endpoint's server with its credentials (an error status is returned, not raised)."""
        return http.post(self._client, url, body, content_type, accept, timeout)

    def query(self, text: str, kind: Kind | None = None, *, graphs: list[str] | None = None,
              timeout: float | None = None, prefixes: bool = True) -> QueryResult:
        kind = kind or query_kind(text)
        sent = declare_prefixes(text) if prefixes else text
        fields = [("query", sent)] + [("default-graph-uri", g) for g in graphs or ()]
        body = urllib.parse.urlencode(fields).encode("utf-8")
        wait = timeout if timeout is not None else self.timeout
        try:
            resp = self.post(self.url, body, "application/x-www-form-urlencoded", ACCEPT[kind], wait)
        except TimeoutError:
            raise QueryError(f"the query ran past the time limit of {wait:g} s (no answer from {self.url})",
                             hint="narrow it (LIMIT, more specific patterns) or raise --timeout") from None
        except OSError as exc:
            raise QueryError(f"cannot reach the SPARQL endpoint {self.url}: {http.reason(exc)}",
                             hint="is the server running? check the URL") from None
        if resp.status == 400 and resp.body.startswith(b"error at "):
            raise syntax_error(SyntaxError(resp.body.decode("utf-8", "replace")), text)
        if resp.status == 504 or b"has been cancelled" in resp.body[-200:]:
            raise QueryError(f"the query ran past the server's time limit ({self.url}): {http.message(resp.body)}",
                             hint="narrow it (LIMIT, more specific patterns)")
        if resp.status in (401, 403) and self.credentials is None:
            raise QueryError(f"the endpoint {self.url} asks for credentials ({resp.status})",
                             hint="give --user, and the password in $KG_PASSWORD or at the prompt")
        if resp.status != 200:
            raise QueryError(f"the endpoint {self.url} answered {resp.status}: {http.message(resp.body)}")
        media_type = resp.content_type.split(";")[0].strip() or ACCEPT[kind].split(",")[0]
        try:
            return from_serialized(kind, resp.body, media_type)
        except (SyntaxError, ValueError) as exc:
            raise QueryError(f"cannot read the answer of {self.url} ({resp.content_type}): "
                             f"{' '.join(str(exc).split())}") from None

    def graphs(self) -> list[str]:
        rows = self.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", prefixes=False).rows
        return sorted(r[0].value for r in rows if isinstance(r[0], ox.NamedNode))

    def graph_quads(self, iri: str) -> list[ox.Quad]:
        graph = ox.NamedNode(iri)
        rows = self.select(f"SELECT ?s ?p ?o WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} }}", prefixes=False).rows
        return [ox.Quad(s, p, o, graph) for s, p, o in rows]  # type: ignore[arg-type]

    def quads(self) -> Iterator[ox.Quad]:
        rows = self.select("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }", prefixes=False).rows
        return (ox.Quad(s, p, o, g) for s, p, o, g in rows)  # type: ignore[arg-type]


def open_source(store: Path | None = None, endpoint: str | None = None, *, read_only: bool = True,
                credentials: http.Credentials | None = None, allow_federation: bool = False) -> Source:
    """The endpoint if a URL is given, else the store folder (default: ``$KG_STORE`` or ``.kg-store``).

    ``allow_federation`` lets queries on the embedded store use ``SERVICE`` (off: refused); a remote
    server applies its own rules.
    """
    if endpoint:
        if store is not None:
            raise QueryError("give --store or --endpoint, not both")
        return Endpoint(endpoint, credentials=credentials)
    from kg.sparql.store import GraphStore

    opened = GraphStore.open(store, read_only=read_only)
    opened.allow_federation = allow_federation
    return opened
