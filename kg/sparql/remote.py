"""Remote SPARQL 1.1 servers: ask them questions, and push the store's graphs into them.

An endpoint is given by its query URL (``http://host:7878/query``, Fuseki's ``…/ds/sparql``); for
Oxigraph and ``kg serve`` the bare ``http://host:port`` does too. The update URL is derived from it
(``…/query`` or ``…/sparql`` → ``…/update``) unless given.

:func:`push` loads every named graph of the store (one per article, plus the registry) with SPARQL 1.1
Update (``INSERT DATA``), many graphs per request, each graph whole inside one request; with
``replace=True`` each graph is dropped and refilled in that same request. Requests that fail
transiently (connection refused or reset, 5xx, 408, 429) are retried with exponential backoff; a
refusal (other 4xx) stops at once with the server's message.

The server should use the union of its named graphs as its default graph (Oxigraph:
``--union-default-graph``; ``kg serve`` does), as the embedded store is queried: :func:`push` reports
whether it does.

>>> endpoint_urls("http://127.0.0.1:7878")
('http://127.0.0.1:7878/query', 'http://127.0.0.1:7878/update')
>>> endpoint_urls("http://localhost:3030/ds/sparql")
('http://localhost:3030/ds/sparql', 'http://localhost:3030/ds/update')
"""

from __future__ import annotations

import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pyoxigraph as ox

from kg.errors import QueryError, StoreError
from kg.query import Kind, QueryResult, from_serialized, syntax_error

if TYPE_CHECKING:
    from kg.store import GraphStore

#: Statuses worth another try.
TRANSIENT = frozenset({408, 429, 500, 502, 503, 504})
ACCEPT = {
    "select": "application/sparql-results+json",
    "ask": "application/sparql-results+json",
    "graph": "application/n-triples, text/turtle;q=0.9",
}
USER_AGENT = "kg (SPARQL client)"


def endpoint_urls(url: str, update: str | None = None) -> tuple[str, str]:
    """(query URL, update URL) of an endpoint."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise QueryError(f"{url!r} is not an http(s) URL", hint="for example http://127.0.0.1:7878/query")
    path = parts.path.rstrip("/")
    base = urllib.parse.urlunsplit((parts.scheme, parts.netloc, "", "", ""))
    if not path:
        query_url, update_url = f"{base}/query", f"{base}/update"
    elif path.endswith(("/query", "/sparql")):
        query_url, update_url = url, base + path.rsplit("/", 1)[0] + "/update"
    elif path.endswith("/update"):
        query_url, update_url = base + path[: -len("update")] + "query", url
    else:
        query_url = update_url = url
    return query_url, update or update_url


@dataclass(frozen=True)
class _Response:
    status: int
    content_type: str
    body: bytes


def _post(url: str, body: bytes, content_type: str, accept: str, timeout: float | None) -> _Response:
    """POST; an HTTP error status is returned, not raised. Network failures raise OSError."""
    request = urllib.request.Request(url, data=body, method="POST", headers={
        "Content-Type": content_type, "Accept": accept, "User-Agent": USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as resp:  # noqa: S310 - http(s) checked
            return _Response(resp.status, resp.headers.get("Content-Type", ""), resp.read())
    except urllib.error.HTTPError as exc:
        with exc:
            return _Response(exc.code, exc.headers.get("Content-Type", ""), exc.read())


def _message(body: bytes) -> str:
    text = " ".join(body.decode("utf-8", "replace").split())
    return text[:300] + ("…" if len(text) > 300 else "") or "(no message)"


def _reason(exc: BaseException) -> str:
    reason = getattr(exc, "reason", exc)
    return str(getattr(reason, "strerror", None) or reason)


# -- queries -----------------------------------------------------------------------------------------


def query_endpoint(url: str, query: str, *, kind: Kind, graphs: list[str] | None = None,
                   timeout: float | None = None) -> QueryResult:
    """Run a query (already bound) on a SPARQL 1.1 Protocol endpoint."""
    query_url, _ = endpoint_urls(url)
    fields = [("query", query)] + [("default-graph-uri", g) for g in graphs or ()]
    body = urllib.parse.urlencode(fields).encode("utf-8")
    try:
        resp = _post(query_url, body, "application/x-www-form-urlencoded", ACCEPT[kind], timeout)
    except TimeoutError:
        raise QueryError(f"the query ran past the time limit of {timeout:g} s (no answer from {query_url})",
                         hint="narrow it (LIMIT, more specific patterns) or raise --timeout") from None
    except OSError as exc:
        raise QueryError(f"cannot reach the SPARQL endpoint {query_url}: {_reason(exc)}",
                         hint="is the server running? check the URL") from None
    if resp.status == 400 and resp.body.startswith(b"error at "):
        raise syntax_error(SyntaxError(resp.body.decode("utf-8", "replace")), query)
    if resp.status == 504 or b"has been cancelled" in resp.body[-200:]:
        raise QueryError(f"the query ran past the server's time limit ({query_url}): {_message(resp.body)}",
                         hint="narrow it (LIMIT, more specific patterns)")
    if resp.status != 200:
        raise QueryError(f"the endpoint {query_url} answered {resp.status}: {_message(resp.body)}")
    try:
        return from_serialized(kind, resp.body, resp.content_type.split(";")[0].strip() or ACCEPT[kind])
    except (SyntaxError, ValueError) as exc:
        raise QueryError(f"cannot read the answer of {query_url} ({resp.content_type}): "
                         f"{' '.join(str(exc).split())}") from None


# -- pushing -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PushReport:
    """What :func:`push` sent."""

    graphs: int
    triples: int
    requests: int
    retries: int
    #: Whether the server's default graph shows the pushed triples (``None``: could not ask).
    union_default: bool | None


def _batches(store: GraphStore, graphs: list[str], batch_size: int, replace: bool) -> Iterator[tuple[str, int, int]]:
    """(update text, graphs, triples) for requests of about ``batch_size`` triples, graphs kept whole."""
    from kg.store import triples_text

    parts_drop: list[str] = []
    parts_insert: list[str] = []
    n_graphs = n_triples = 0

    def flush() -> tuple[str, int, int]:
        text = ";\n".join(parts_drop + (["INSERT DATA {\n" + "\n".join(parts_insert) + "\n}"] if parts_insert else []))
        return text, n_graphs, n_triples

    for g in graphs:
        quads = list(store.store.quads_for_pattern(None, None, None, ox.NamedNode(g)))
        if n_graphs and n_triples + len(quads) > batch_size:
            yield flush()
            parts_drop, parts_insert, n_graphs, n_triples = [], [], 0, 0
        if replace:
            parts_drop.append(f"DROP SILENT GRAPH <{g}>")
        if quads:
            parts_insert.append(f"GRAPH <{g}> {{\n{triples_text(quads)}}}")
        n_graphs += 1
        n_triples += len(quads)
    if n_graphs:
        yield flush()


def _send_update(url: str, text: str, *, retries: int, backoff: float, timeout: float,
                 sleep: Callable[[float], None]) -> int:
    """POST one update, retrying transient failures; the number of retries it took."""
    body = text.encode("utf-8")
    for attempt in range(retries + 1):
        try:
            resp = _post(url, body, "application/sparql-update", "text/plain, */*", timeout)
        except OSError as exc:
            if attempt == retries:
                raise StoreError(f"cannot reach the SPARQL server at {url}: {_reason(exc)}",
                                 hint="is the server running? check the URL") from None
        else:
            if 200 <= resp.status < 300:
                return attempt
            if resp.status not in TRANSIENT:
                hint = ("the server is read-only: start it with updates allowed (kg serve --allow-update)"
                        if resp.status in (401, 403, 405) else None)
                raise StoreError(f"the SPARQL server at {url} refused the update ({resp.status}): "
                                 f"{_message(resp.body)}", hint=hint)
            if attempt == retries:
                raise StoreError(f"the SPARQL server at {url} kept failing ({resp.status}): {_message(resp.body)}",
                                 hint="try again later")
        sleep(backoff * 2**attempt)
    raise AssertionError("unreachable")  # pragma: no cover


def remote_graphs(url: str, *, timeout: float = 60) -> set[str]:
    """The names of the graphs a server holds."""
    result = query_endpoint(url, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", kind="select",
                            timeout=timeout)
    return {row[0].value for row in result.rows if isinstance(row[0], ox.NamedNode)}


def push(
    store: GraphStore,
    endpoint: str,
    *,
    update_endpoint: str | None = None,
    replace: bool = False,
    batch_size: int = 20_000,
    retries: int = 4,
    backoff: float = 0.5,
    timeout: float = 120,
    progress: Callable[[int, int], None] | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> PushReport:
    """Load every named graph of the store into a SPARQL 1.1 server.

    Without ``replace``, graphs the server already holds are an error (nothing is sent), so that a
    second push never mixes old and new triples; with it, each graph is dropped and written anew.
    """
    query_url, update_url = endpoint_urls(endpoint, update_endpoint)
    graphs = store.graphs()
    if not replace:
        try:
            existing = remote_graphs(query_url, timeout=timeout) & set(graphs)
        except QueryError as exc:
            raise StoreError(str(exc)) from None
        if existing:
            raise StoreError(f"the server already holds {len(existing)} of these graphs "
                             f"(e.g. {sorted(existing)[0]})", hint="use --replace to replace them")
    total = len(graphs)
    done = sent_triples = requests = retried = 0
    for text, n_graphs, n_triples in _batches(store, graphs, batch_size, replace):
        retried += _send_update(update_url, text, retries=retries, backoff=backoff, timeout=timeout, sleep=sleep)
        requests += 1
        done += n_graphs
        sent_triples += n_triples
        if progress:
            progress(done, total)
    union: bool | None
    try:
        union = bool(query_endpoint(query_url, "ASK { ?s ?p ?o }", kind="ask", timeout=timeout).boolean) \
            if sent_triples else None
    except QueryError:
        union = None
    return PushReport(len(graphs), sent_triples, requests, retried, union)
