"""Pushing the store's graphs into a remote SPARQL 1.1 server (Oxigraph, ``kg serve``, Virtuoso, Fuseki).

The server is given by its query URL (``http://host:7878/query``, Fuseki's ``…/ds/sparql``); for
Oxigraph and ``kg serve`` the bare ``http://host:port`` does too. The update URL is derived from it
(``…/query`` or ``…/sparql`` → ``…/update``) unless given (Virtuoso: ``…/sparql-auth``, with digest
credentials). Questions go to the server through :class:`kg.sparql.source.Endpoint`.

:func:`push` loads every named graph of the store (one per article, plus the registry) with SPARQL 1.1
Update (``INSERT DATA``), many graphs per request, each graph whole inside one request; with
``replace=True`` each article graph is dropped and refilled in that same request. The registry graph is
merged rather than replaced, so several corpora pushed into one server keep all their labels. Requests that fail
transiently (connection refused or reset, 5xx, 408, 429) are retried with exponential backoff; a
refusal (other 4xx) stops at once with the server's message.

The server should use the union of its named graphs as its default graph (Oxigraph:
``--union-default-graph``; ``kg serve`` does), as the embedded store is queried: :func:`push` reports
whether it does.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kg.errors import QueryError, StoreError
from kg.sparql import http
from kg.sparql.source import Endpoint
from kg.sparql.store import triples_text
from kg.vocab import KG

if TYPE_CHECKING:
    from kg.sparql.base import Source

#: Statuses worth another try.
TRANSIENT = frozenset({408, 429, 500, 502, 503, 504})


def shared_graph(iri: str) -> bool:
    """Whether a graph is shared by corpora (a registry graph, ``{base}graph/registry``): merged, never dropped.

    >>> shared_graph("https://w3id.org/kg/id/graph/registry"), shared_graph("https://w3id.org/kg/id/article/a")
    (True, False)
    """
    return iri.rstrip("/").endswith("/graph/registry")


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


def _batches(store: Source, graphs: list[str], batch_size: int, replace: bool) -> Iterator[tuple[str, int, int]]:
    """(update text, graphs, triples) for requests of about ``batch_size`` triples, graphs kept whole.

    Article graphs are dropped first with ``replace``; shared graphs (the registry) never are: their
    triples are added to what the server holds, so another corpus's labels stay.
    """
    parts: list[str] = []
    n_graphs = n_triples = 0

    def flush() -> tuple[str, int, int]:
        return ";\n".join(parts), n_graphs, n_triples

    for g in graphs:
        quads = store.graph_quads(g)
        if n_graphs and n_triples + len(quads) > batch_size:
            yield flush()
            parts, n_graphs, n_triples = [], 0, 0
        if replace and not shared_graph(g):
            parts.append(f"DROP SILENT GRAPH <{g}>")
        if quads:  # one INSERT DATA a graph: Virtuoso compiles a many-graph INSERT DATA past its size limit
            parts.append(f"INSERT DATA {{ GRAPH <{g}> {{\n{triples_text(quads)}}} }}")
        n_graphs += 1
        n_triples += len(quads)
    if n_graphs:
        yield flush()


def _send_update(endpoint: Endpoint, text: str, *, retries: int, backoff: float, timeout: float,
                 sleep: Callable[[float], None]) -> int:
    """POST one update, retrying transient failures; the number of retries it took."""
    body = text.encode("utf-8")
    url = endpoint.update_url
    for attempt in range(retries + 1):
        try:
            resp = endpoint.post(url, body, "application/sparql-update; charset=utf-8", "text/plain, */*", timeout)
        except OSError as exc:
            if attempt == retries:
                raise StoreError(f"cannot reach the SPARQL server at {url}: {http.reason(exc)}",
                                 hint="is the server running? check the URL") from None
        else:
            if 200 <= resp.status < 300:
                return attempt
            if resp.status not in TRANSIENT:
                hint = ("the server asks for credentials: give --user, and the password in $KG_PASSWORD "
                        "or at the prompt" if resp.status == 401 else
                        "the server is read-only: start it with updates allowed (kg serve --allow-update)"
                        if resp.status in (403, 405) else None)
                raise StoreError(f"the SPARQL server at {url} refused the update ({resp.status}): "
                                 f"{http.message(resp.body)}", hint=hint)
            if attempt == retries:
                raise StoreError(f"the SPARQL server at {url} kept failing ({resp.status}): {http.message(resp.body)}",
                                 hint="try again later")
        sleep(backoff * 2**attempt)
    raise AssertionError("unreachable")  # pragma: no cover


def remote_graphs(url: str, *, credentials: http.Credentials | None = None, timeout: float = 60) -> set[str]:
    """The names of the graphs a server holds."""
    return set(Endpoint(url, credentials=credentials, timeout=timeout).graphs())


def push(
    store: Source,
    endpoint: str,
    *,
    update_endpoint: str | None = None,
    credentials: http.Credentials | None = None,
    replace: bool = False,
    batch_size: int = 20_000,
    retries: int = 4,
    backoff: float = 0.5,
    timeout: float = 120,
    progress: Callable[[int, int], None] | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> PushReport:
    """Load every named graph of the store into a SPARQL 1.1 server.

    Without ``replace``, article graphs the server already holds are an error (nothing is sent), so
    that a second push never mixes old and new triples; with it, each is dropped and written anew. The
    registry graph is merged (see :func:`shared_graph`): corpora that share a base keep each other's
    labels. The relation summary graph is not copied but recomputed on the server (one update), so it
    counts the articles of every store pushed there. ``credentials`` answer a server's basic or digest
    challenge.
    """
    from kg.building.summary import is_summary_graph, refresh_update

    remote = Endpoint(endpoint, update_url=update_endpoint, credentials=credentials, timeout=timeout)
    # the relation summary is derived: recomputed on the server from everything it holds once the rest is in
    summaries = [g for g in store.graphs() if is_summary_graph(g)]
    graphs = [g for g in store.graphs() if not is_summary_graph(g)]
    if not replace:
        try:
            existing = {g for g in set(remote.graphs()) & set(graphs) if not shared_graph(g)}
        except QueryError as exc:
            raise StoreError(str(exc)) from None
        if existing:
            raise StoreError(f"the server already holds {len(existing)} of these graphs "
                             f"(e.g. {sorted(existing)[0]})", hint="use --replace to replace them")
    total = len(graphs) + len(summaries)
    done = sent_triples = requests = retried = 0
    for text, n_graphs, n_triples in _batches(store, graphs, batch_size, replace):
        if text:
            retried += _send_update(remote, text, retries=retries, backoff=backoff, timeout=timeout, sleep=sleep)
            requests += 1
        done += n_graphs
        sent_triples += n_triples
        if progress:
            progress(done, total)
    for g in summaries:
        # the build's kept counts (one quad on the summary graph) travel as they are, after the recomputation
        rows = store.select(f"SELECT ?s ?v WHERE {{ GRAPH <{g}> {{ ?s <{KG}statistics> ?v }} }}").rows
        kept = " ".join(f"{s} <{KG}statistics> {v} ." for s, v in rows)
        update = refresh_update(g) + (f" ;\nINSERT DATA {{ GRAPH <{g}> {{ {kept} }} }}" if kept else "")
        retried += _send_update(remote, update, retries=retries, backoff=backoff, timeout=timeout,
                                sleep=sleep)
        requests += 1
        done += 1
        sent_triples += len(store.graph_quads(g))
        if progress:
            progress(done, total)
    union: bool | None
    try:
        union = remote.ask("ASK { ?s ?p ?o }", prefixes=False) if sent_triples else None
    except QueryError:
        union = None
    return PushReport(total, sent_triples, requests, retried, union)
