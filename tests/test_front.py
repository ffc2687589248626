"""kg serve's front: no outbound requests, Host check, slow and malformed clients, limits, questions, the page, load."""

from __future__ import annotations

import http.client
import json
import logging
import re
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kg.cli import app
from kg.errors import QueryError
from kg.sparql.query import run_query, saved_queries
from kg.sparql.serve import SparqlServer, free_port
from kg.sparql.source import Endpoint
from kg.sparql.store import GraphStore

runner = CliRunner()
SEED_PARAMS = {"group": "BDB", "actor": "Khalifa Haftar", "x": "BRSC", "y": "غرفة عمليات أجدابيا",
               "claimant": "مصادر من سرايا الدفاع"}


class Listener:
    """A TCP listener on another loopback port that records every connection made to it."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(2)
        self.sock.close()


@pytest.fixture()
def listener() -> Iterator[Listener]:
    lst = Listener()
    try:
        yield lst
    finally:
        lst.close()


@pytest.fixture()
def served(store_copy: Path) -> Iterator[SparqlServer]:
    with SparqlServer(store_copy, port=free_port(), timeout=2, max_results=500, header_timeout=1,
                      body_timeout=1, max_body=20_000, allowed_hosts=("kg.example",)) as server:
        yield server


def request(url: str, *, data: bytes | None = None, headers: dict[str, str] | None = None,
            method: str | None = None) -> tuple[int, dict[str, str], bytes]:
    req = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return resp.status, dict(resp.headers), resp.read()
    except urllib.error.HTTPError as exc:
        with exc:
            return exc.code, dict(exc.headers), exc.read()


def raw(port: int, data: bytes, *, wait: float = 5) -> bytes:
    """Send raw bytes and read until the server closes (bounded by ``wait``)."""
    with socket.create_connection(("127.0.0.1", port), timeout=wait) as sock:
        sock.sendall(data)
        chunks = []
        try:
            while chunk := sock.recv(65536):
                chunks.append(chunk)
        except TimeoutError:
            chunks.append(b"<still open>")
    return b"".join(chunks)


def federated(port: int) -> list[str]:
    target = f"<http://127.0.0.1:{port}/sparql>"
    return [f"SELECT * WHERE {{ SERVICE {target} {{ ?s ?p ?o }} }}",
            f"SELECT * WHERE {{ service silent {target} {{ ?s ?p ?o }} }}",
            f"ASK {{ ?x ?y ?z . SERVICE{target}{{ ?s ?p ?o }} }}",
            f"# a comment\nSELECT * WHERE {{ {{ SELECT * WHERE {{ SERVICE SILENT {target} {{ ?s ?p ?o }} }} }} }}"]


# -- no outbound requests ------------------------------------------------------------------------------


def test_kg_serve_sends_nothing_to_another_server(served, listener):
    for query in federated(listener.port):
        for status, _, body in (
            request(served.url + "?" + urllib.parse.urlencode({"query": query})),
            request(served.url, data=urllib.parse.urlencode({"query": query}).encode(),
                    headers={"Content-Type": "application/x-www-form-urlencoded"}),
            request(served.url, data=query.encode(), headers={"Content-Type": "application/sparql-query"}),
        ):
            assert status == 403, body
            assert body.count(b"\n") == 1 and b"SERVICE (federation) is refused" in body
    time.sleep(0.3)
    assert listener.connections == 0


def test_load_is_refused_even_when_updates_are_allowed(store_copy, listener):
    with SparqlServer(store_copy, port=free_port(), allow_update=True) as server:
        status, _, body = request(server.base + "/update", data=f"LOAD <http://127.0.0.1:{listener.port}/x.ttl>".encode(),
                                  headers={"Content-Type": "application/sparql-update"})
        assert status == 403 and b"LOAD (federation) is refused" in body
    assert listener.connections == 0


def test_the_embedded_store_refuses_federation_unless_allowed(seed_store, listener, store_copy):
    query = federated(listener.port)[1]
    with pytest.raises(QueryError, match="SERVICE .*refused.*--allow-federation"):
        run_query(seed_store, query)
    out = runner.invoke(app, ["query", query, "--store", str(store_copy)])
    assert out.exit_code == 1 and out.stderr.count("\n") == 1 and "--allow-federation" in out.stderr
    time.sleep(0.3)
    assert listener.connections == 0
    # the control: with --allow-federation the engine does reach the listener (so the test can see it)
    allowed = runner.invoke(app, ["query", query, "--store", str(store_copy), "--allow-federation"])
    assert allowed.exit_code == 0, allowed.stderr
    deadline = time.monotonic() + 5
    while listener.connections == 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert listener.connections >= 1


def test_federation_words_in_strings_iris_and_comments_are_not_refused(served):
    query = 'SELECT ?x WHERE { VALUES ?x { "SERVICE <http://127.0.0.1:9/>" <urn:x:SERVICE> } } # SERVICE'
    assert len(run_query(Endpoint(served.url), query)) == 2


# -- Host, CORS --------------------------------------------------------------------------------------


def test_host_is_checked_against_the_bind_address_and_allowed_hosts(served):
    url = served.url + "?query=ASK%7B%7D"
    for host, expected in (("evil.example", 400), (f"evil.example:{served.port}", 400), ("localhost", 200),
                           (f"127.0.0.1:{served.port}", 200), ("kg.example", 200)):
        status, _, body = request(url, headers={"Host": host})
        assert status == expected, (host, body)
        if status == 400:
            assert b"--allowed-host" in body and body.count(b"\n") == 1


def test_cors_is_off_unless_an_origin_is_given(served, store_copy):
    status, headers, _ = request(served.url + "?query=ASK%7B%7D", headers={"Origin": "https://web.example"})
    assert status == 200 and not any(k.lower().startswith("access-control") for k in headers)
    with SparqlServer(store_copy, port=free_port(), cors=("https://web.example",)) as server:
        status, headers, _ = request(server.url + "?query=ASK%7B%7D", headers={"Origin": "https://web.example"})
        assert status == 200 and headers.get("access-control-allow-origin") == "https://web.example"
        status, headers, _ = request(server.url, method="OPTIONS", headers={
            "Origin": "https://web.example", "Access-Control-Request-Method": "POST"})
        assert status == 200 and "POST" in headers.get("access-control-allow-methods", "")
        status, headers, _ = request(server.url + "?query=ASK%7B%7D", headers={"Origin": "https://other.example"})
        assert "access-control-allow-origin" not in {k.lower() for k in headers}


# -- slow, large and malformed requests --------------------------------------------------------------


def test_slow_headers_are_cut_off(served):
    start = time.monotonic()
    answer = raw(served.port, f"GET /query?query=ASK%7B%7D HTTP/1.1\r\nHost: 127.0.0.1:{served.port}\r\n".encode(),
                 wait=10)
    assert answer != b"<still open>" and time.monotonic() - start < 9


def test_a_body_that_does_not_arrive_gets_408(served):
    head = (b"POST /query HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/sparql-query\r\n"
            b"Content-Length: 100\r\n\r\nASK")
    answer = raw(served.port, head, wait=10)
    assert answer.startswith(b"HTTP/1.1 408") and b"did not arrive within 1 s" in answer


def test_a_body_over_the_limit_gets_413(served):
    status, _, body = request(served.url, data=b"ASK {}" + b" " * 30_000, headers={"Content-Type": "application/sparql-query"})
    assert status == 413 and b"limit of 20000 bytes" in body
    # and a chunked body over the limit too
    chunk = b" " * 8000
    data = b"".join(b"%x\r\n%s\r\n" % (len(chunk), chunk) for _ in range(4)) + b"0\r\n\r\n"
    answer = raw(served.port, b"POST /query HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/sparql-query\r\n"
                 b"Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n" + data)
    assert answer.startswith(b"HTTP/1.1 413")


def test_malformed_requests_get_400_and_no_traceback_in_the_log(served, caplog):
    caplog.set_level(logging.DEBUG)
    answer = raw(served.port, b"POST /query HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: abc\r\n\r\n")
    assert answer.startswith(b"HTTP/1.1 400")
    answer = raw(served.port, b"GARBAGE\r\n\r\n")
    assert answer.startswith(b"HTTP/1.1 400")
    # a truncated body: the client goes away; nothing is forwarded
    with socket.create_connection(("127.0.0.1", served.port), timeout=5) as sock:
        sock.sendall(b"POST /query HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/sparql-query\r\n"
                     b"Content-Length: 500\r\n\r\nSELECT")
    status, _, body = request(served.url, data=b"SELEKT * WHERE { ?s ?p ?o }",
                              headers={"Content-Type": "application/sparql-query"})
    assert status == 400 and body.count(b"\n") == 1 and b"SPARQL syntax error at line 1" in body
    status, _, body = request(served.url, data=b"query=ASK{}", headers={"Content-Type": "text/plain"})
    assert status == 415 and body.count(b"\n") == 1
    time.sleep(1.5)  # the truncated request's body timeout
    assert run_query(Endpoint(served.url), "ASK {}").boolean is True
    assert any("Invalid HTTP request" in r.getMessage() for r in caplog.records)  # the log is captured
    assert not [r for r in caplog.records if r.exc_info or "Traceback" in r.getMessage()]


def test_a_full_queue_gets_503_with_retry_after(store_copy):
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    with SparqlServer(store_copy, port=free_port(), timeout=2, concurrency=1, queue=0) as server:
        box: list[int] = []
        worker = threading.Thread(target=lambda: box.append(
            request(server.url + "?" + urllib.parse.urlencode({"query": slow}))[0]))
        worker.start()
        time.sleep(0.5)
        status, headers, body = request(server.url + "?query=ASK%7B%7D")
        worker.join(30)
        assert status == 503 and headers.get("retry-after") and b"busy" in body
        assert box == [504]


# -- the protocol as kg query has it -----------------------------------------------------------------


def test_kg_prefixes_are_declared_over_http(served):
    query = "SELECT ?name WHERE { ?c kg:commands ?g ; rdfs:label ?name } ORDER BY ?name LIMIT 3"
    status, _, body = request(served.url + "?" + urllib.parse.urlencode({"query": query}),
                              headers={"Accept": "application/sparql-results+json"})
    assert status == 200 and len(json.loads(body)["results"]["bindings"]) == 3


def test_saved_questions_are_listed_and_answered_over_http(served, seed_store):
    status, _, body = request(served.base + "/questions")
    listed = json.loads(body)
    assert status == 200 and [q["name"] for q in listed] == list(saved_queries())
    assert listed[0]["params"] and {"name", "kind", "required"} <= set(listed[0]["params"][0])
    for name, saved in saved_queries().items():
        given = {p.name: SEED_PARAMS[p.name] for p in saved.params if p.required}
        status, headers, body = request(f"{served.base}/questions/{name}?" + urllib.parse.urlencode(given))
        assert status == 200, body
        assert headers["content-type"].startswith("application/sparql-results+json")
        assert json.loads(body) == json.loads(run_query(seed_store, name, params=given).format("json")), name
    status, headers, body = request(f"{served.base}/questions/commanders?group=BDB&format=csv")
    assert status == 200 and headers["content-type"].startswith("text/csv") and "مصطفى الشركسي" in body.decode()


def test_question_parameters_are_bound_as_safely_as_the_cli(served):
    evil = 'x" } ; DROP ALL ; SELECT * { "'
    status, _, body = request(f"{served.base}/questions/commanders?" + urllib.parse.urlencode({"group": evil}))
    assert status == 400 and body.count(b"\n") == 1 and b"no actor" in body
    status, _, body = request(f"{served.base}/questions/commanders?nope=1&group=BDB")
    assert status == 400 and b"has no parameter 'nope'" in body
    status, _, body = request(f"{served.base}/questions/no-such-question")
    assert status == 404 and b"/questions" in body
    assert run_query(Endpoint(served.url), "ASK { ?s a kg:Assertion }").boolean is True


def test_the_query_page_is_offline_and_offers_prefixes_and_questions(served):
    status, headers, body = request(served.base + "/")
    page = body.decode("utf-8")
    assert status == 200 and headers["content-type"].startswith("text/html")
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)  # nothing loaded from elsewhere
    assert '"kg": "https://w3id.org/kg/ontology#"' in page
    for name in saved_queries():
        assert f'"name": "{name}"' in page
    assert request(served.base + "/nothing-here")[0] == 404
    status, headers, _ = request(served.url, method="PUT", data=b"x")
    assert status == 405 and "POST" in headers["allow"]


def test_the_query_page_runs_a_saved_question_in_a_browser(served):
    import os

    from browser import CHROMIUM_ARGS, chromium_path

    executable = chromium_path()
    if executable is None:
        if os.environ.get("CI"):
            pytest.fail("no Chromium: run scripts/ensure-chromium")
        pytest.skip("no Chromium (run scripts/ensure-chromium)")
    from playwright.sync_api import sync_playwright

    requests: list[str] = []
    errors: list[str] = []
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)
        try:
            page = chromium.new_page()
            page.on("request", lambda r: requests.append(r.url))
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(served.base + "/")
            page.select_option("#question", index=list(saved_queries()).index("commanders"))
            page.fill("#params input[name=group]", "BDB")
            page.click("#ask")
            page.wait_for_selector("#result table", timeout=30_000)
            assert "مصطفى الشركسي" in page.inner_text("#result")
            page.fill("#sparql", "SELECT ?g WHERE { ?g a kg:Article }")
            page.click("#run")
            page.wait_for_function("document.querySelector('#status').textContent.includes('1 result')",
                                   timeout=30_000)
        finally:
            chromium.close()
    assert errors == []
    assert requests and all(r.startswith(served.base + "/") for r in requests), requests


# -- load ----------------------------------------------------------------------------------------------


@pytest.mark.slow
def test_eight_clients_for_a_few_seconds_get_no_errors(served, seed_store):
    names = list(saved_queries())
    errors: list[str] = []
    answers = [0]
    lock = threading.Lock()
    stop_at = time.monotonic() + 4

    def client(n: int) -> None:
        i = n
        while time.monotonic() < stop_at:
            name = names[i % len(names)]
            saved = saved_queries()[name]
            given = {p.name: SEED_PARAMS[p.name] for p in saved.params if p.required}
            status, _, body = request(f"{served.base}/questions/{name}?" + urllib.parse.urlencode(given))
            with lock:
                if status == 200:
                    answers[0] += 1
                else:
                    errors.append(f"{name}: {status} {body[:100]!r}")
            i += 1

    threads = [threading.Thread(target=client, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    assert answers[0] >= 8


def test_closing_a_store_twice_is_harmless(tmp_path):
    store = GraphStore(tmp_path / "s")
    store.close()
    store.close()
    with GraphStore() as memory:
        memory.close()


def test_answers_go_out_without_waiting_for_the_clients_acknowledgement(served):
    """TCP_NODELAY on every connection: without it, each small answer waited 40 ms for a delayed ACK."""
    conn = http.client.HTTPConnection("127.0.0.1", served.port, timeout=10)
    try:
        conn.request("GET", "/questions")
        assert conn.getresponse().read()
        connections = list(served.front.server_state.connections)
        assert connections
        for protocol in connections:
            sock = protocol.transport.get_extra_info("socket")
            assert sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 1
    finally:
        conn.close()
