"""``kg serve``'s HTTP front: an ASGI app (starlette, run by uvicorn) before Oxigraph's own server.

The front answers on the address users reach; Oxigraph listens on a private loopback port and sees only
what the front forwards. Per request the front

* checks ``Host`` against the names it serves (:func:`host_allowed`), so a page on another site cannot
  reach a local endpoint by DNS rebinding;
* reads a body of at most ``max_body`` bytes within ``body_timeout`` seconds (``413``, ``408``);
* refuses federation (``SERVICE``, ``LOAD``: the engine would send requests to other servers) unless
  ``allow_federation``, and updates unless ``allow_update`` (``403``);
* declares kg's prefixes the query uses without declaring them, as ``kg query`` does;
* waits its turn: at most ``concurrency`` queries run in the engine at once, at most ``queue`` wait, and
  a request that cannot get a place in time gets ``503`` with ``Retry-After``;
* reads the engine's whole answer and refuses one of more than ``max_results`` rows or triples (``413``),
  and turns a query the engine stopped at the time limit into ``504``.

Every refusal is a SPARQL-protocol status with a one-line ``text/plain`` message. The saved questions are
served too: ``GET /questions`` lists them (JSON), ``GET /questions/NAME?param=value`` runs one with its
parameters bound exactly as ``kg query NAME --param`` binds them; a read-only server keeps their
answers (:mod:`kg.sparql.answers`: computed once, sent again with the header ``X-KG-Answer: kept``).
``GET /`` is a small query page (no external scripts). Cross-origin requests are answered only for the
origins given with ``cors``.

Slow clients: uvicorn closes idle keep-alive connections, and :func:`kg.sparql.serve.header_timeout_protocol`
a connection whose request headers have not arrived within ``header_timeout`` seconds.
"""

from __future__ import annotations

import asyncio
import contextlib
import csv
import gzip
import io
import ipaddress
import json
import logging
import math
import urllib.parse
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from importlib import resources
from typing import Any, cast

import pyoxigraph as ox

from kg.errors import KGError
from kg.sparql.answers import ANSWER_TYPES, Answers, accepts_gzip, answer_key, pack
from kg.sparql.text import declare_prefixes, federation, syntax_error
from kg.sparql.warm import Canonical

log = logging.getLogger("kg.serve")

CANCELLED = b"has been cancelled"
#: Seconds past the time limit after which the front gives up on an engine that did not stop a query.
GRACE = 5
FORM = "application/x-www-form-urlencoded"
SPARQL_QUERY = "application/sparql-query"
SPARQL_UPDATE = "application/sparql-update"


@dataclass(frozen=True)
class FrontConfig:
    """What the front needs to know; see the module docstring for each limit."""

    upstream: str
    allow_update: bool = False
    allow_federation: bool = False
    max_results: int = 100_000
    timeout: float = 30
    bind_host: str = "127.0.0.1"
    allowed_hosts: tuple[str, ...] = ()
    cors: tuple[str, ...] = ()
    concurrency: int = 4
    queue: int = 64
    max_body: int = 1_000_000
    body_timeout: float = 10
    header_timeout: float = 10

    @property
    def time_limit(self) -> int:
        return max(1, math.ceil(self.timeout))


_LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})


def host_allowed(host_header: str | None, bind_host: str, allowed: tuple[str, ...] = ()) -> bool:
    """Whether a request's ``Host`` names this server: the bind address, ``localhost`` and loopback
    addresses when bound to loopback, any IP address when bound to all (``0.0.0.0``, ``::``), and the
    names in ``allowed``. A name an attacker's DNS points here (rebinding) is not among them.

    >>> host_allowed("127.0.0.1:7878", "127.0.0.1"), host_allowed("localhost", "127.0.0.1")
    (True, True)
    >>> host_allowed("evil.example:7878", "127.0.0.1"), host_allowed("evil.example", "0.0.0.0")
    (False, False)
    >>> host_allowed("10.1.2.3:7878", "0.0.0.0"), host_allowed("box.lan", "0.0.0.0", ("box.lan",))
    (True, True)
    """
    if not host_header:
        return False
    name = host_header.strip().lower()
    if name.startswith("["):
        name = name[1:].split("]", 1)[0]
    elif name.count(":") == 1:
        name = name.split(":", 1)[0]
    name = name.rstrip(".")
    bind = bind_host.strip("[]").lower()
    if name == bind or name in {a.lower().rstrip(".") for a in allowed}:
        return True
    try:
        bind_ip = ipaddress.ip_address(bind)
    except ValueError:
        bind_ip = None
    if bind_ip is not None and bind_ip.is_loopback and name in _LOOPBACK_NAMES:
        return True
    if bind_ip is not None and bind_ip.is_unspecified:
        try:
            ipaddress.ip_address(name)
        except ValueError:
            return name == "localhost"
        return True
    return False


class _Refusal(Exception):
    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


def make_app(config: FrontConfig, answers: Answers | None = None) -> Callable[..., Awaitable[None]]:
    """The ASGI application of the front; the saved questions' answers are kept in ``answers`` if given."""
    import anyio.to_thread
    import httpx
    from starlette.applications import Starlette
    from starlette.middleware import Middleware
    from starlette.middleware.cors import CORSMiddleware
    from starlette.requests import ClientDisconnect, Request
    from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
    from starlette.routing import Route

    gate = asyncio.Semaphore(config.concurrency)
    canonical = Canonical.of_endpoint(config.upstream + "/query", config.timeout)
    state = {"waiting": 0}
    limits = httpx.Limits(max_connections=config.concurrency + 4, max_keepalive_connections=config.concurrency)
    client_box: list[httpx.AsyncClient] = []

    def client() -> httpx.AsyncClient:
        if not client_box:
            client_box.append(httpx.AsyncClient(base_url=config.upstream, limits=limits,
                                                timeout=config.timeout + GRACE))
        return client_box[0]

    def text(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
        return PlainTextResponse(" ".join(message.split()) + "\n", status_code=status, headers=headers)

    async def body_of(request: Request) -> bytes:
        length = request.headers.get("content-length")
        if length is not None and length.isdigit() and int(length) > config.max_body:
            raise _Refusal(413, f"the request body is larger than this server's limit of {config.max_body} bytes")
        chunks: list[bytes] = []
        size = 0

        async def collect() -> None:
            nonlocal size
            async for chunk in request.stream():
                size += len(chunk)
                if size > config.max_body:
                    raise _Refusal(413, f"the request body is larger than this server's limit of "
                                   f"{config.max_body} bytes")
                chunks.append(chunk)

        try:
            await asyncio.wait_for(collect(), config.body_timeout)
        except TimeoutError:
            raise _Refusal(408, f"the request body did not arrive within {config.body_timeout:g} s") from None
        return b"".join(chunks)

    async def turn() -> None:
        """Wait for a place in the engine (the caller releases ``gate``)."""
        if gate.locked() and state["waiting"] >= config.queue:
            raise _Refusal(503, f"the server is busy ({config.queue} requests waiting): try again shortly",
                           {"Retry-After": "1"})
        state["waiting"] += 1
        try:
            await asyncio.wait_for(gate.acquire(), config.timeout)
        except TimeoutError:
            raise _Refusal(503, f"the server stayed busy for {config.timeout:g} s: try again shortly",
                           {"Retry-After": "2"}) from None
        finally:
            state["waiting"] -= 1

    def refuse_federation(sparql: str) -> None:
        if not config.allow_federation and (word := federation(sparql)):
            raise _Refusal(403, f"{word} (federation) is refused: this server sends no requests to other "
                           "servers (start kg serve with --allow-federation to allow it)")

    async def relay(method: str, path: str, *, params: list[tuple[str, str]] | None = None,
                    content: bytes | None = None, content_type: str | None = None, accept: str | None = None,
                    count: bool = False, sparql: str = "") -> Response:
        headers = {k: v for k, v in (("Content-Type", content_type), ("Accept", accept)) if v}
        await turn()
        try:
            resp = await client().request(method, path, params=cast(Any, params), content=content, headers=headers)
        except httpx.TimeoutException:
            raise _Refusal(504, f"the query ran past this server's time limit of {config.time_limit} s; the "
                           "engine did not stop it in time and may stay busy with it") from None
        except httpx.HTTPError as exc:
            raise _Refusal(502, f"the SPARQL engine did not answer: {exc}") from None
        finally:
            gate.release()
        media_type = (resp.headers.get("content-type") or "").split(";")[0].strip()
        data = resp.content
        if resp.status_code == 200 and count:
            verdict = await anyio.to_thread.run_sync(_verdict, data, media_type, config.max_results)
            if verdict == "cancelled":
                raise _Refusal(504, f"the query ran past this server's time limit of {config.time_limit} s "
                               "and was stopped")
            if verdict == "too large":
                raise _Refusal(413, f"the answer has more than {config.max_results} results, this server's "
                               "limit: add a LIMIT or narrow the query")
            if verdict != "ok":
                raise _Refusal(502, f"unreadable answer from the SPARQL engine: {verdict}")
        if resp.status_code >= 400:
            message = data.decode("utf-8", "replace")
            if resp.status_code == 400 and message.startswith("error at "):
                message = str(syntax_error(SyntaxError(message), sparql))
            raise _Refusal(resp.status_code, message or resp.reason_phrase)
        out = {k: v for k in ("content-type", "location") if (v := resp.headers.get(k))}
        return Response(data, status_code=resp.status_code, headers=out)

    async def query(request: Request) -> Response:
        dataset = [(k, v) for k, v in request.query_params.multi_items()
                   if k in ("default-graph-uri", "named-graph-uri")]
        if request.method in ("GET", "HEAD"):
            sparql = request.query_params.get("query")
        else:
            kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
            body = await body_of(request)
            if kind == FORM:
                fields = urllib.parse.parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True)
                if any(k == "update" for k, _ in fields):
                    raise _Refusal(400, "this is the query endpoint: send updates to /update")
                sparql = next((v for k, v in fields if k == "query"), None)
                dataset += [(k, v) for k, v in fields if k in ("default-graph-uri", "named-graph-uri")]
            elif kind == SPARQL_QUERY:
                sparql = body.decode("utf-8", "replace")
            else:
                raise _Refusal(415, f"send the query as {FORM} (query=…) or {SPARQL_QUERY}, not {kind or 'no type'}")
        if not sparql:
            raise _Refusal(400, "no query: give it as ?query=… or in a POST body")
        refuse_federation(sparql)
        sparql = declare_prefixes(sparql)
        form = urllib.parse.urlencode([("query", sparql), *dataset]).encode("utf-8")
        return await relay("POST", "/query", content=form, content_type=FORM, accept=request.headers.get("accept"),
                           count=config.max_results > 0, sparql=sparql)

    async def update(request: Request) -> Response:
        if not config.allow_update:
            raise _Refusal(403, "this SPARQL endpoint is read-only: updates are refused "
                           "(start kg serve with --allow-update to accept them)")
        body = await body_of(request)
        kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if kind == FORM:
            fields = urllib.parse.parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True)
            sparql = next((v for k, v in fields if k == "update"), "")
        elif kind == SPARQL_UPDATE:
            sparql = body.decode("utf-8", "replace")
        else:
            raise _Refusal(415, f"send the update as {FORM} (update=…) or {SPARQL_UPDATE}")
        refuse_federation(sparql)
        sparql = declare_prefixes(sparql)
        return await relay("POST", "/update", content=sparql.encode("utf-8"), content_type=SPARQL_UPDATE,
                           sparql=sparql)

    async def graph_store(request: Request) -> Response:
        params = list(request.query_params.multi_items())
        if request.method in ("GET", "HEAD"):
            return await relay(request.method, "/store", params=params, accept=request.headers.get("accept"),
                               count=config.max_results > 0 and request.method == "GET")
        if not config.allow_update:
            raise _Refusal(403, "this SPARQL endpoint is read-only: the graph store cannot be changed "
                           "(start kg serve with --allow-update)")
        body = await body_of(request)
        return await relay(request.method, "/store", params=params, content=body,
                           content_type=request.headers.get("content-type"))

    async def questions(request: Request) -> Response:
        from kg.sparql.query import saved_queries

        return JSONResponse([_describe(q) for q in saved_queries().values()])

    async def question(request: Request) -> Response:
        from kg.sparql.query import saved_queries

        name = request.path_params["name"]
        saved = saved_queries().get(name)
        if saved is None:
            raise _Refusal(404, f"no saved question named {name!r}: GET /questions lists them")
        params = dict(request.query_params)
        fmt = params.pop("format", None) or _format_from_accept(request.headers.get("accept", ""))
        if fmt not in ANSWER_TYPES:
            raise _Refusal(400, f"unknown format {fmt!r}: use one of {', '.join(ANSWER_TYPES)}")
        if answers is not None:  # an actor named or given by IRI: one answer, asked with the IRI
            known = canonical.params(saved, params, resolve=False)
            if known is None:  # a name never seen: resolving it asks the engine, so it waits for a turn
                await turn()
                try:
                    known = await anyio.to_thread.run_sync(canonical.params, saved, params)
                finally:
                    gate.release()
            params = known or params
        key = answer_key(name, params, fmt)
        gzipped = accepts_gzip(request.headers.get("accept-encoding", ""))
        if answers is not None and (packed := await kept_answer(key)) is not None:
            return await answer(packed, fmt, gzipped, {"X-KG-Answer": "kept"})
        packed, took = None, 0.0
        try:
            await turn()
            begin = asyncio.get_running_loop().time()
            try:
                result = await anyio.to_thread.run_sync(_ask_saved, config.upstream, name, params,
                                                        config.timeout + GRACE, config.time_limit)
            finally:
                gate.release()
                took = asyncio.get_running_loop().time() - begin
            if config.max_results and len(result) > config.max_results:
                raise _Refusal(413, f"the answer has more than {config.max_results} results, this server's limit")
            packed = await anyio.to_thread.run_sync(pack, result, fmt)
        finally:
            if answers is not None:
                answers.keep(key, packed, took)
        return await answer(packed, fmt, gzipped, {})

    async def answer(packed: bytes, fmt: str, gzipped: bool, headers: dict[str, str]) -> Response:
        """A saved question's answer, gzip-compressed as kept if the client accepts it."""
        headers = {**headers, "Vary": "Accept-Encoding"}
        if gzipped:
            return Response(packed, media_type=ANSWER_TYPES[fmt], headers={**headers, "Content-Encoding": "gzip"})
        data = await anyio.to_thread.run_sync(gzip.decompress, packed)
        return Response(data, media_type=ANSWER_TYPES[fmt], headers=headers)

    async def kept_answer(key: Any) -> bytes | None:
        """The kept answer, waiting for a computation of it under way; ``None``: the caller computes it."""
        assert answers is not None
        deadline = asyncio.get_running_loop().time() + config.timeout
        while not isinstance(claimed := answers.claim(key), bytes | None):
            if asyncio.get_running_loop().time() > deadline:
                raise _Refusal(503, f"this answer is still being computed after {config.timeout:g} s (large "
                               "answers are prepared when the server starts): try again shortly",
                               {"Retry-After": "10"})
            await asyncio.sleep(0.05)
        return claimed

    async def page(request: Request) -> Response:
        return HTMLResponse(query_page())

    allowed = {"/": "GET, HEAD", "/query": "GET, HEAD, POST", "/sparql": "GET, HEAD, POST", "/update": "POST",
               "/store": "GET, HEAD, POST, PUT, DELETE", "/questions": "GET, HEAD"}

    async def not_found(request: Request) -> Response:
        path = request.url.path
        if path in allowed or path.startswith("/questions/"):
            methods = allowed.get(path, "GET, HEAD")
            raise _Refusal(405, f"{request.method} is not served at {path} (use {methods})", {"Allow": methods})
        raise _Refusal(404, f"nothing at {request.url.path}: the endpoints are /query, /update, /store, "
                       "/questions and the query page at /")

    def guarded(handler: Callable[[Request], Awaitable[Response]]) -> Callable[[Request], Awaitable[Response]]:
        async def run(request: Request) -> Response:
            try:
                return await handler(request)
            except _Refusal as refusal:
                return text(refusal.status, refusal.message, refusal.headers)
            except KGError as exc:
                return text(400, str(exc))
            except ClientDisconnect:
                return text(400, "the client went away before its request was complete")
        return run

    @contextlib.asynccontextmanager
    async def lifespan(app: Any) -> AsyncIterator[None]:
        yield
        if client_box:
            await client_box.pop().aclose()

    all_methods = ["GET", "POST", "PUT", "DELETE", "PATCH"]
    routes = [
        Route("/", guarded(page), methods=["GET"]),
        Route("/query", guarded(query), methods=["GET", "POST"]),
        Route("/sparql", guarded(query), methods=["GET", "POST"]),
        Route("/update", guarded(update), methods=["POST"]),
        Route("/store", guarded(graph_store), methods=["GET", "POST", "PUT", "DELETE"]),
        Route("/questions", guarded(questions), methods=["GET"]),
        Route("/questions/{name}", guarded(question), methods=["GET"]),
        Route("/{rest:path}", guarded(not_found), methods=all_methods),
    ]
    middleware = []
    if config.cors:
        middleware.append(Middleware(CORSMiddleware, allow_origins=list(config.cors), allow_methods=["GET", "POST"],
                                     allow_headers=["Accept", "Content-Type"]))
    app = Starlette(routes=routes, middleware=middleware, lifespan=lifespan)
    return _HostCheck(app, config)


class _HostCheck:
    """ASGI middleware: refuse requests whose ``Host`` this server does not serve (400, one line)."""

    def __init__(self, app: Any, config: FrontConfig) -> None:
        self.app = app
        self.config = config

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            host = next((v.decode("latin-1") for k, v in scope["headers"] if k == b"host"), None)
            if not host_allowed(host, self.config.bind_host, self.config.allowed_hosts):
                body = (f"Host {host!r} is not served here (start kg serve with --allowed-host NAME to "
                        "serve it)\n").encode()
                await send({"type": "http.response.start", "status": 400,
                            "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                                        (b"content-length", str(len(body)).encode())]})
                await send({"type": "http.response.body", "body": body})
                return
        await self.app(scope, receive, send)


def _verdict(data: bytes, media_type: str, limit: int) -> str:
    """``ok``, ``too large`` (more than ``limit`` results), ``cancelled`` (stopped at the time limit) or why
    the answer cannot be read."""
    if CANCELLED in data[-300:]:
        return "cancelled"
    try:
        results = ox.QueryResultsFormat.from_media_type(media_type) if media_type else None
        items: Any
        if media_type == "text/csv":
            rows = csv.reader(io.StringIO(data.decode("utf-8"), newline=""))
            items = (r for i, r in enumerate(rows) if i > 0)
        elif results is not None:
            answer = ox.parse_query_results(data, format=results)
            if isinstance(answer, ox.QueryBoolean):
                return "ok"
            items = answer
        else:
            rdf = ox.RdfFormat.from_media_type(media_type) if media_type else None
            if rdf is None:
                return "ok"
            items = ox.parse(data, format=rdf)
        for n, _ in enumerate(items, 1):
            if n > limit:
                return "too large"
    except (SyntaxError, ValueError, UnicodeDecodeError) as exc:
        return " ".join(str(exc).split())[:200]
    return "ok"


def _ask_saved(upstream: str, name: str, params: dict[str, str], timeout: float, limit: int) -> Any:
    from kg.errors import QueryError
    from kg.sparql.query import run_query
    from kg.sparql.source import Endpoint

    try:
        return run_query(Endpoint(upstream + "/query", timeout=timeout), name, params=params)
    except QueryError as exc:
        if "time limit" in str(exc):
            raise _Refusal(504, f"the question ran past this server's time limit of {limit} s and was "
                           "stopped") from None
        raise


def _format_from_accept(accept: str) -> str:
    for part in accept.split(","):
        media = part.split(";")[0].strip().lower()
        for fmt, media_type in ANSWER_TYPES.items():
            if media == media_type.split(";")[0]:
                return fmt
    return "json"


def _describe(saved: Any) -> dict[str, Any]:
    return {"name": saved.name, "title": saved.title, "description": saved.description,
            "url": f"/questions/{saved.name}",
            "params": [{"name": p.name, "kind": p.kind, "default": p.default, "required": p.required,
                        "help": p.help} for p in saved.params]}


def query_page() -> str:
    """The query page: kg's prefixes and saved questions written into a small self-contained HTML page."""
    from kg.sparql.query import saved_queries
    from kg.sparql.results import display_prefixes
    from kg.vocab import PREFIXES

    data = {"prefixes": PREFIXES, "display": display_prefixes(),
            "questions": [_describe(q) for q in saved_queries().values()]}
    script = json.dumps(data, ensure_ascii=False).replace("</", "<\\/")
    template = (resources.files("kg.sparql") / "page.html").read_text(encoding="utf-8")
    return template.replace("/*KG_DATA*/null", script)
