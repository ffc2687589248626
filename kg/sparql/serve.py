"""``kg serve``: a SPARQL 1.1 Protocol endpoint over the store, safe to leave running on a shared box.

The SPARQL work is done by Oxigraph's own server (the ``oxigraph`` program of the PyPI package
``oxigraph``), run as a child process on the store folder and bound to a private loopback port:
``serve-read-only`` by default (other readers may use the store meanwhile), ``serve`` with
``allow_update``; the union of all graphs is the default graph, and queries stop at the time limit
(``--timeout-s``, whole seconds).

Clients talk to the front (:mod:`kg.sparql.front`: starlette, run by uvicorn in a thread of this
process), which checks ``Host``, bounds request sizes, time and concurrency, refuses updates and
federation unless allowed, declares kg's prefixes, refuses over-large answers (``413``), turns a
stopped query into ``504``, serves the saved questions at ``/questions`` and a query page at ``/``.
A read-only server keeps the saved questions' answers and prepares the large ones at start
(:mod:`kg.sparql.answers`).

Oxigraph checks its deadline inside most operators, not all: a four-way cross product under ``COUNT``
runs on past it. The front then answers ``504`` :data:`~kg.sparql.front.GRACE` seconds after the
limit, but the engine stays busy with that query until it ends; only a restart of ``kg serve`` frees it.

SIGTERM and Ctrl-C stop the front, then send SIGTERM to Oxigraph and wait for it to exit, so the store
is closed cleanly (and its lock released) before ``kg serve`` returns.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
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
from pathlib import Path
from types import FrameType
from typing import Any

from kg.errors import StoreError
from kg.sparql.answers import Answers, without_parameters
from kg.sparql.answers import prepare as prepare_answers
from kg.sparql.front import FrontConfig, make_app
from kg.sparql.kept import KeptAnswers
from kg.sparql.warm import prepare_actors


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
    """Oxigraph's server on a store folder, behind kg's front; start, use, stop.

    >>> SparqlServer(Path("no-such-store")).start()
    Traceback (most recent call last):
    kg.errors.StoreError: no store at no-such-store (run `kg build CORPUS` first, or give --store)
    """

    def __init__(self, store: Path, *, host: str = "127.0.0.1", port: int = 7878, allow_update: bool = False,
                 allow_federation: bool = False, timeout: float = 30, max_results: int = 100_000,
                 allowed_hosts: Iterable[str] = (), cors: Iterable[str] = (), concurrency: int = 4,
                 queue: int = 64, max_body: int = 1_000_000, body_timeout: float = 10,
                 header_timeout: float = 10, keep_answers: int = 256, prepare: bool = True,
                 prepare_timeout: float = 600, prepare_actors: bool = True) -> None:
        self.store = store
        self.host = host
        self.port = port
        self.allow_update = allow_update
        self.timeout = timeout
        self.config = FrontConfig(
            upstream="", allow_update=allow_update, allow_federation=allow_federation, max_results=max_results,
            timeout=timeout, bind_host=host, allowed_hosts=tuple(allowed_hosts), cors=tuple(cors),
            concurrency=concurrency, queue=queue, max_body=max_body, body_timeout=body_timeout,
            header_timeout=header_timeout)
        #: The saved questions' answers kept (``keep_answers`` MB; none for a server that takes updates).
        self.answers = Answers(keep_answers * 1_000_000) if keep_answers > 0 and not allow_update else None
        self.prepare = prepare
        self.prepare_timeout = prepare_timeout
        self.prepare_actors = prepare and prepare_actors
        self._stop_preparing = threading.Event()
        self.child: subprocess.Popen[bytes] | None = None
        self.front: object | None = None
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
        from kg.sparql.store import store_location

        if not self.store.is_dir():
            raise StoreError(f"no store at {self.store}", hint="run `kg build CORPUS` first, or give --store")
        try:
            listener = _listen(self.host, self.port)
        except OSError as exc:
            raise StoreError(f"cannot listen on {self.host}:{self.port}: {exc.strerror or exc}",
                             hint="choose another --port") from None
        inner_port = free_port()
        location = store_location(self.store)
        if self.answers is not None:
            self.answers.disk = KeptAnswers.at(self.store, location)
        command = [find_oxigraph(), "serve" if self.allow_update else "serve-read-only",
                   "--location", str(location), "--bind", f"127.0.0.1:{inner_port}",
                   "--union-default-graph", "--timeout-s", str(max(1, math.ceil(self.timeout)))]
        self.child = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=self._log, stderr=self._log,
                                      start_new_session=True)
        inner = f"http://127.0.0.1:{inner_port}"
        try:
            self._wait_ready(inner, ready_within)
            self._start_front(listener, inner, ready_within)
        except BaseException:
            listener.close()
            self.stop()
            raise
        if self.answers is not None:
            if self.prepare:
                threading.Thread(target=self._prepare, args=(location,), daemon=True, name="kg-serve-prepare").start()
            else:
                self.answers.prepared.set()
                self.answers.actors_prepared.set()

    def _prepare(self, location: Path) -> None:
        """The large answers, then those about each actor (:mod:`kg.sparql.warm`)."""
        assert self.answers is not None
        try:
            prepare_answers(self.answers, location, timeout=self.prepare_timeout, max_rows=self.config.max_results,
                            stop=self._stop_preparing)
            if self.prepare_actors and not self._stop_preparing.is_set():
                self.answers.preparation[ACTORS] = prepare_actors(self.answers, location, stop=self._stop_preparing,
                                                                  max_rows=self.config.max_results)
        finally:
            self.answers.actors_prepared.set()

    def _start_front(self, listener: socket.socket, inner: str, within: float) -> None:
        import uvicorn

        config = dataclasses.replace(self.config, upstream=inner)
        app = make_app(config, self.answers)
        uv = uvicorn.Config(
            app, log_config=None, log_level="warning", access_log=False, lifespan="on",
            http=header_timeout_protocol(config.header_timeout), ws="none",
            limit_concurrency=config.concurrency + config.queue + 32, backlog=1024, timeout_keep_alive=5,
            timeout_graceful_shutdown=5, server_header=False, h11_max_incomplete_event_size=64 * 1024)
        server = uvicorn.Server(uv)
        thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, name="kg-serve", daemon=True)
        thread.start()
        deadline = time.monotonic() + within
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise StoreError("kg serve's front did not start", hint="see the messages above")
            time.sleep(0.02)
        self.front, self._front_thread = server, thread

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
        self._stop_preparing.set()
        if self.front is not None:
            self.front.should_exit = True  # type: ignore[attr-defined]
            if self._front_thread is not None:
                self._front_thread.join(15)
            self.front = self._front_thread = None
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


def _listen(host: str, port: int) -> socket.socket:
    # IPPROTO_TCP named: asyncio sets TCP_NODELAY only on sockets that say so, and without it each small answer
    # waited 40 ms for the client's delayed acknowledgement (Nagle's algorithm) before its body went out
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host.strip("[]"), port))
        sock.listen(1024)
    except OSError:
        sock.close()
        raise
    sock.set_inheritable(True)
    return sock


def serve(store: Path, *, echo: Callable[[str], None] = print, **options: Any) -> None:
    """Serve until SIGTERM or Ctrl-C, then stop cleanly; ``options`` are :class:`SparqlServer`'s."""
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    _log_to_stderr()
    server = SparqlServer(store, **options)
    previous = signal.signal(signal.SIGTERM, on_signal)
    try:
        server.start()
        config = server.config
        mode = "read-write" if config.allow_update else "read-only"
        limit = f", at most {config.max_results} results" if config.max_results else ""
        echo(f"SPARQL endpoint {server.url} ({mode}, {config.timeout:g} s per query{limit}, "
             f"{config.concurrency} at once); query page {server.base}/, saved questions {server.base}/questions. "
             "Ctrl-C stops.")
        if server.answers is not None and server.prepare:
            then = ", then those about each actor" if server.prepare_actors else ""
            echo(f"preparing the answers of {', '.join(without_parameters())}{then} in the background "
                 "(--no-prepare skips it)")
            threading.Thread(target=_report_prepared, args=(server, echo), daemon=True).start()
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


#: The key in ``Answers.preparation`` of what preparing the answers about each actor did.
ACTORS = "about each actor"


def _report_prepared(server: SparqlServer, echo: Callable[[str], None]) -> None:
    begin = time.monotonic()
    assert server.answers is not None
    server.answers.prepared.wait()
    done = "; ".join(f"{name} {how}" for name, how in server.answers.preparation.items()) or "none"
    echo(f"answers prepared in {time.monotonic() - begin:.0f} s: {done}")
    if server.prepare_actors:
        server.answers.actors_prepared.wait()
        echo(f"answers about each actor prepared: {server.answers.preparation.get(ACTORS, 'none')}")


def _log_to_stderr() -> None:
    """The front's warnings (one line each: a refused or malformed request) on stderr."""
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    for name in ("uvicorn", "uvicorn.error", "kg.serve"):
        logger = logging.getLogger(name)
        if not logger.handlers:
            logger.addHandler(handler)
            logger.setLevel(logging.WARNING)
            logger.propagate = False


def header_timeout_protocol(header_timeout: float) -> type:
    """uvicorn's HTTP protocol, closing a connection whose request headers take more than ``header_timeout`` s.

    uvicorn times out idle keep-alive connections, but not a client that sends its headers slowly.
    """
    from uvicorn.protocols.http.h11_impl import H11Protocol

    class Protocol(H11Protocol):
        _header_timer: asyncio.TimerHandle | None = None

        def _waiting_for_headers(self) -> bool:
            return self.cycle is None or self.cycle.response_complete

        def _arm(self) -> None:
            self._disarm()
            self._header_timer = self.loop.call_later(header_timeout, self._too_slow)

        def _disarm(self) -> None:
            if self._header_timer is not None:
                self._header_timer.cancel()
                self._header_timer = None

        def _too_slow(self) -> None:
            self._header_timer = None
            if self._waiting_for_headers() and not self.transport.is_closing():
                self.transport.close()

        def connection_made(self, transport: Any) -> None:  # type: ignore[override]
            super().connection_made(transport)
            self._arm()

        def connection_lost(self, exc: Exception | None) -> None:
            self._disarm()
            super().connection_lost(exc)

        def data_received(self, data: bytes) -> None:
            super().data_received(data)
            if not self._waiting_for_headers():
                self._disarm()
            elif self._header_timer is None:
                self._arm()

        def on_response_complete(self) -> None:
            super().on_response_complete()
            if not self.transport.is_closing():
                self._arm()

    return Protocol
