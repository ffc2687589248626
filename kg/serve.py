"""``kg serve``: a SPARQL 1.1 Protocol endpoint over the store.

The SPARQL work is done by Oxigraph's own server (the ``oxigraph`` program of the PyPI package
``oxigraph``), run as a child process on the store folder: ``serve-read-only`` by default (other
readers may use the store meanwhile; updates get 403), ``serve`` with ``allow_update``. It answers GET
and POST queries at ``/query`` in JSON, XML, CSV or TSV by ``Accept``, with the union of all graphs as
the default graph, and stops queries at the time limit (``--timeout-s``, whole seconds).

Oxigraph has no limit on the size of a result, and reports a query stopped at the time limit inside
an already started ``200`` answer. A thin front (the standard library's threading HTTP server, no
parsing of HTTP of our own) therefore relays each request to the child and reads the answer before
passing it on: an answer of more than ``max_results`` rows or triples becomes ``413 Result Too Large``,
and a stopped query ``504 Query Timeout``, both with a one-line message. ``max_results=0`` leaves the
front out and lets clients talk to Oxigraph directly.

Oxigraph checks its deadline inside most operators, not all: a four-way cross product under ``COUNT``
runs on past it. The front then answers ``504`` :data:`GRACE` seconds after the limit, but the engine
stays busy with that query until it ends; only a restart of ``kg serve`` frees it.

SIGTERM and Ctrl-C stop the front, then send SIGTERM to Oxigraph and wait for it to exit, so the store
is closed cleanly (and its lock released) before ``kg serve`` returns.
"""

from __future__ import annotations

import csv
import http.client
import io
import math
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import FrameType
from typing import IO, cast

import pyoxigraph as ox

from kg.errors import StoreError

#: Paths that change the store.
WRITE_PATHS = ("/update",)
CANCELLED = b"has been cancelled"
#: Seconds past the time limit after which the front gives up on an engine that did not stop a query.
GRACE = 5


def find_oxigraph() -> str:
    """The ``oxigraph`` program: beside this Python, else on ``PATH``."""
    beside = Path(sys.executable).parent / ("oxigraph.exe" if os.name == "nt" else "oxigraph")
    found = str(beside) if beside.exists() else shutil.which("oxigraph")
    if not found:
        raise StoreError("the oxigraph server program is not installed", hint="pip install oxigraph")
    return found


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port free on ``host`` now."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


class SparqlServer:
    """Oxigraph's server on a store folder, behind the result-size guard; start, use, stop.

    >>> SparqlServer(Path("no-such-store")).start()
    Traceback (most recent call last):
    kg.errors.StoreError: no store at no-such-store (run `kg build CORPUS` first, or give --store)
    """

    def __init__(self, store: Path, *, host: str = "127.0.0.1", port: int = 7878, allow_update: bool = False,
                 timeout: float = 30, max_results: int = 100_000) -> None:
        self.store = store
        self.host = host
        self.port = port
        self.allow_update = allow_update
        self.timeout = timeout
        self.max_results = max_results
        self.child: subprocess.Popen[bytes] | None = None
        self.front: _Front | None = None
        self._front_thread: threading.Thread | None = None
        self._log = tempfile.TemporaryFile()  # noqa: SIM115 - kept open for the child's lifetime

    @property
    def base(self) -> str:
        return f"http://{_url_host(self.host)}:{self.port}"

    @property
    def url(self) -> str:
        """The query endpoint."""
        return f"{self.base}/query"

    def __enter__(self) -> SparqlServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self, *, ready_within: float = 60) -> None:
        from kg.store import store_location

        if not self.store.is_dir():
            raise StoreError(f"no store at {self.store}", hint="run `kg build CORPUS` first, or give --store")
        guarded = self.max_results > 0
        inner_host, inner_port = ("127.0.0.1", free_port()) if guarded else (self.host, self.port)
        command = [find_oxigraph(), "serve" if self.allow_update else "serve-read-only",
                   "--location", str(store_location(self.store)), "--bind", f"{_url_host(inner_host)}:{inner_port}",
                   "--union-default-graph", "--timeout-s", str(max(1, math.ceil(self.timeout)))]
        self.child = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=self._log, stderr=self._log,
                                      start_new_session=True)
        inner = f"http://{_url_host(inner_host)}:{inner_port}"
        try:
            self._wait_ready(inner, ready_within)
            if guarded:
                try:
                    self.front = _Front((self.host, self.port), upstream=(inner_host, inner_port),
                                        allow_update=self.allow_update, max_results=self.max_results,
                                        timeout=self.timeout)
                except OSError as exc:
                    raise StoreError(f"cannot listen on {self.host}:{self.port}: {exc.strerror or exc}",
                                     hint="choose another --port") from None
                self._front_thread = threading.Thread(target=self.front.serve_forever, name="kg-serve",
                                                      daemon=True)
                self._front_thread.start()
        except BaseException:
            self.stop()
            raise

    def _wait_ready(self, inner: str, within: float) -> None:
        deadline = time.monotonic() + within
        probe = inner + "/query?" + urllib.parse.urlencode({"query": "ASK {}"})
        child = self.child
        while child is not None and time.monotonic() < deadline:
            if child.poll() is not None:
                raise StoreError(f"the oxigraph server stopped at once: {self.output() or 'no message'}",
                                 hint="is the store used by another process, or the port taken?")
            try:
                with urllib.request.urlopen(probe, timeout=2) as resp:  # noqa: S310 - our own child
                    if resp.status == 200:
                        return
            except OSError:
                pass
            time.sleep(0.05)
        raise StoreError(f"the oxigraph server did not answer within {within:g} s")

    def output(self) -> str:
        """What the oxigraph process printed (its errors), on one line."""
        self._log.seek(0)
        return " ".join(self._log.read().decode("utf-8", "replace").split())[-500:]

    def running(self) -> bool:
        return self.child is not None and self.child.poll() is None

    def stop(self, *, grace: float = 60) -> int | None:
        """Stop the front, then SIGTERM Oxigraph and wait for it (SIGKILL after ``grace`` seconds)."""
        if self.front is not None:
            self.front.shutdown()
            self.front.server_close()
            self.front = None
        code = None
        if self.child is not None:
            if self.child.poll() is None:
                self.child.terminate()
                try:
                    self.child.wait(grace)
                except subprocess.TimeoutExpired:
                    self.child.kill()
                    self.child.wait()
            code = self.child.returncode
            self.child = None
        return code


def serve(store: Path, *, host: str = "127.0.0.1", port: int = 7878, allow_update: bool = False,
          timeout: float = 30, max_results: int = 100_000, echo: Callable[[str], None] = print) -> None:
    """Serve until SIGTERM or Ctrl-C, then stop cleanly."""
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    server = SparqlServer(store, host=host, port=port, allow_update=allow_update, timeout=timeout,
                          max_results=max_results)
    previous = signal.signal(signal.SIGTERM, on_signal)
    try:
        server.start()
        mode = "read-write" if allow_update else "read-only"
        limit = f", at most {max_results} results" if max_results else ""
        echo(f"SPARQL endpoint {server.url} ({mode}, {timeout:g} s per query{limit}); "
             f"updates: {server.base}/update. Ctrl-C stops.")
        while not stop.wait(0.5):
            if not server.running():
                raise StoreError(f"the oxigraph server stopped: {server.output() or 'no message'}")
    except KeyboardInterrupt:
        pass
    finally:
        code = server.stop()
        signal.signal(signal.SIGTERM, previous)
    how = "cleanly" if code in (0, -signal.SIGTERM) else f"with status {code}"
    echo(f"stopped {how}; the store at {store} is closed")


# -- the front: relay, and refuse over-large answers --------------------------------------------------


class _Front(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], *, upstream: tuple[str, int], allow_update: bool,
                 max_results: int, timeout: float) -> None:
        self.address_family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
        super().__init__(address, _Relay)
        self.upstream = upstream
        self.allow_update = allow_update
        self.max_results = max_results
        self.query_timeout = timeout


class _Tee(io.RawIOBase):
    """Reads the upstream answer for a parser while keeping every byte read."""

    def __init__(self, raw: http.client.HTTPResponse) -> None:
        self.raw = raw
        self.kept = bytearray()

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        chunk = self.raw.read(min(len(buffer), 65536))
        buffer[: len(chunk)] = chunk
        self.kept += chunk
        return len(chunk)


class _TooLarge(Exception):
    pass


def _count(tee: _Tee, media_type: str, limit: int) -> None:
    """Read the whole answer through the parser; raise _TooLarge past ``limit`` results."""
    stream = cast(IO[bytes], tee)
    results = ox.QueryResultsFormat.from_media_type(media_type)
    items: Iterable[object]
    if media_type == "text/csv":
        rows = csv.reader(io.TextIOWrapper(stream, encoding="utf-8", newline=""))
        items = (r for i, r in enumerate(rows) if i > 0)
    elif results is not None:
        answer = ox.parse_query_results(stream, format=results)
        if isinstance(answer, ox.QueryBoolean):
            return
        items = answer
    else:
        rdf = ox.RdfFormat.from_media_type(media_type)
        if rdf is None:
            tee.kept += tee.raw.read()
            return
        items = ox.parse(stream, format=rdf)
    for n, _ in enumerate(items, 1):
        if n > limit:
            raise _TooLarge
    tee.kept += tee.raw.read()


class _Relay(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Front
    server_version = "kg-serve"

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        pass

    def do_GET(self) -> None:  # noqa: N802 - http.server's names
        self._relay()

    def do_POST(self) -> None:  # noqa: N802
        self._relay()

    def do_PUT(self) -> None:  # noqa: N802
        self._relay()

    def do_DELETE(self) -> None:  # noqa: N802
        self._relay()

    def do_HEAD(self) -> None:  # noqa: N802
        self._relay()

    def _reply(self, status: int, reason: str, message: str) -> None:
        body = (message + "\n").encode("utf-8")
        self.send_response(status, reason)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _relay(self) -> None:
        parts = urllib.parse.urlsplit(self.path)
        path = "/query" if parts.path.rstrip("/") == "/sparql" else parts.path
        writes = path in WRITE_PATHS or (path == "/store" and self.command in ("PUT", "POST", "DELETE"))
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            self._reply(411, "Length Required", "send the request body with a Content-Length")
            return
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        if writes and not self.server.allow_update:
            self._reply(403, "Forbidden", "this SPARQL endpoint is read-only: updates are refused "
                        "(start kg serve with --allow-update to accept them)")
            return
        headers = {k: v for k in ("Accept", "Content-Type") if (v := self.headers.get(k))}
        target = urllib.parse.urlunsplit(("", "", path, parts.query, ""))
        conn = http.client.HTTPConnection(*self.server.upstream, timeout=self.server.query_timeout + GRACE)
        try:
            conn.request(self.command, target, body=body, headers=headers)
            resp = conn.getresponse()
            media_type = (resp.headers.get("Content-Type") or "").split(";")[0].strip()
            tee = _Tee(resp)
            if resp.status == 200 and self.command != "HEAD" and path in ("/query", "/store"):
                try:
                    _count(tee, media_type, self.server.max_results)
                except _TooLarge:
                    self._reply(413, "Result Too Large",
                                f"the answer has more than {self.server.max_results} results, this server's "
                                "limit: add a LIMIT or narrow the query")
                    return
                except (SyntaxError, ValueError, UnicodeDecodeError) as exc:
                    if CANCELLED in tee.kept[-300:]:
                        self._reply(504, "Query Timeout", "the query ran past this server's time limit of "
                                    f"{max(1, math.ceil(self.server.query_timeout))} s and was stopped")
                    else:
                        self._reply(502, "Bad Gateway", f"unreadable answer from the SPARQL engine: {exc}")
                    return
                if media_type == "text/csv" and CANCELLED in tee.kept[-300:]:
                    self._reply(504, "Query Timeout", "the query ran past this server's time limit of "
                                f"{max(1, math.ceil(self.server.query_timeout))} s and was stopped")
                    return
            else:
                tee.kept += resp.read()
            self.send_response(resp.status, resp.reason)
            for name in ("Content-Type", "Location"):
                if value := resp.headers.get(name):
                    self.send_header(name, value)
            self.send_header("Content-Length", str(len(tee.kept)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(tee.kept)
        except TimeoutError:
            self._reply(504, "Query Timeout", "the query ran past this server's time limit of "
                        f"{max(1, math.ceil(self.server.query_timeout))} s; the engine did not stop it in time "
                        "and may stay busy with it")
        except OSError as exc:
            self._reply(502, "Bad Gateway", f"the SPARQL engine did not answer: {exc}")
        finally:
            conn.close()
