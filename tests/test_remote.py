"""kg.sparql.remote: push the store into a real Oxigraph server and ask it the same questions."""

from __future__ import annotations

import json
import re
import shutil
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from typer.testing import CliRunner

from kg.cli import app
from kg.errors import QueryError, StoreError
from kg.sparql.http import endpoint_urls
from kg.sparql.query import run_query, saved_queries
from kg.sparql.remote import push, remote_graphs
from kg.sparql.serve import SparqlServer, free_port
from kg.sparql.source import Endpoint
from kg.sparql.store import GraphStore

runner = CliRunner()
COUNT_ALL = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
SEED_PARAMS = {"group": "BDB", "actor": "Khalifa Haftar", "x": "BRSC", "y": "غرفة عمليات أجدابيا",
               "claimant": "مصادر من سرايا الدفاع"}
MULTI_PARAMS = {"group": "السرايا", "actor": "LNA", "x": "BDB", "y": "GNA", "claimant": "Al Jazeera"}


def no_sleep(seconds: float) -> None:
    pass


def assert_same_answers(url: str, store: GraphStore, params: dict[str, str]) -> None:
    for name, saved in saved_queries().items():
        given = {p.name: params[p.name] for p in saved.params if p.required}
        local = run_query(store, name, params=given)
        remote = run_query(Endpoint(url), name, params=given)
        assert remote.variables == local.variables, name
        assert remote.rows == local.rows, name
        optional = {p.name: params[p.name] for p in saved.params if not p.required and p.name in params}
        if optional:
            both = {**given, **optional}
            assert run_query(Endpoint(url), name, params=both).rows == run_query(store, name, params=both).rows, name


def test_push_the_seed_then_every_saved_question_answers_the_same(oxigraph_server, seed_store):
    report = push(seed_store, oxigraph_server)
    assert report.graphs == len(seed_store.graphs()) and report.triples == len(seed_store)
    assert report.union_default is True and report.retries == 0
    assert remote_graphs(oxigraph_server) == set(seed_store.graphs())
    assert run_query(Endpoint(oxigraph_server), COUNT_ALL).records()[0]["n"] == str(len(seed_store))
    assert_same_answers(oxigraph_server, seed_store, SEED_PARAMS)
    # ad hoc SPARQL with a bound parameter, and the --graph limit, the same way
    query = "SELECT ?name WHERE { ?c kg:commands ?g ; rdfs:label ?name } ORDER BY ?name"
    g = "https://w3id.org/kg/id/actor/bdb"
    assert run_query(Endpoint(oxigraph_server), query, params={"g": g}).rows == run_query(seed_store, query, params={"g": g}).rows
    article = seed_store.graphs()[0]
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    assert run_query(Endpoint(oxigraph_server), count, graph=article).rows == run_query(seed_store, count, graph=article).rows


def test_push_the_multi_fixture_and_compare_cross_article_answers(oxigraph_server, multi_store):
    report = push(multi_store, oxigraph_server, batch_size=1)
    assert report.requests == report.graphs  # one graph per request, never split
    assert_same_answers(oxigraph_server, multi_store, MULTI_PARAMS)
    assert run_query(Endpoint(oxigraph_server), "corroborated").rows == run_query(multi_store, "corroborated").rows
    assert len(run_query(Endpoint(oxigraph_server), "corroborated")) == 5


def test_a_second_push_needs_replace_and_replace_does_not_duplicate(oxigraph_server, multi_store, tmp_path):
    push(multi_store, oxigraph_server)
    with pytest.raises(StoreError, match="already holds .* --replace"):
        push(multi_store, oxigraph_server)
    # a changed graph is replaced, not merged (graphs the store lacks are left alone)
    changed = GraphStore()
    changed.replace({g: multi_store.graph_quads(g) for g in multi_store.graphs()})
    graph = multi_store.graphs()[0]
    changed.replace({graph: changed.graph_quads(graph)[:10]})
    report = push(changed, oxigraph_server, replace=True)
    assert report.triples == len(changed)
    # the relation summary is recomputed on the server (the hand-cut graph left the store's own stale)
    sourced = COUNT_ALL.replace("} }", "} FILTER(!STRENDS(STR(?g), 'graph/relations')) }")
    assert run_query(Endpoint(oxigraph_server), sourced).records() == run_query(changed, sourced).records()


def test_push_refused_by_a_read_only_server_says_so(seed_store_dir, seed_store, tmp_path):
    copy = tmp_path / "store"
    shutil.copytree(seed_store_dir, copy)
    with SparqlServer(copy, port=free_port()) as server, \
            pytest.raises(StoreError, match="refused the update \\(403\\).*read-only"):
        push(seed_store, server.base, replace=True, sleep=no_sleep)


def test_push_to_nothing_says_unreachable_after_retries(seed_store):
    slept: list[float] = []
    with pytest.raises(StoreError, match="cannot reach the SPARQL server .*is the server running"):
        push(seed_store, f"http://127.0.0.1:{free_port()}", replace=True, retries=3, sleep=slept.append)
    assert slept == [0.5, 1.0, 2.0]
    with pytest.raises(QueryError, match="cannot reach the SPARQL endpoint"):
        run_query(Endpoint(f"http://127.0.0.1:{free_port()}/query"), "ASK {}")


class _Flaky(BaseHTTPRequestHandler):
    """Answers queries; fails the first two updates with 503."""

    updates: list[bytes] = []

    def log_message(self, *args: object) -> None:
        pass

    def do_POST(self) -> None:  # noqa: N802
        body = self.rfile.read(int(self.headers["Content-Length"]))
        if self.path == "/update":
            type(self).updates.append(body)
            status, data = (503, b"busy") if len(type(self).updates) <= 2 else (204, b"")
            self.send_response(status)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
            return
        answer = {"head": {}, "boolean": True} if b"ASK" in body else {"head": {"vars": ["g"]}, "results": {"bindings": []}}
        data = json.dumps(answer).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


@pytest.fixture()
def flaky() -> Iterator[str]:
    _Flaky.updates = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Flaky)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_transient_failures_are_retried_with_backoff(flaky, multi_store):
    slept: list[float] = []
    report = push(multi_store, flaky, sleep=slept.append)
    assert report.retries == 2 and slept == [0.5, 1.0]
    assert len(_Flaky.updates) == 4 and _Flaky.updates[0] == _Flaky.updates[2]  # the same batch again
    assert b"graph/relations" in _Flaky.updates[3]  # then the relation summary, recomputed there


def test_endpoint_urls():
    assert endpoint_urls("http://h:7878/query") == ("http://h:7878/query", "http://h:7878/update")
    assert endpoint_urls("http://h/ds/update") == ("http://h/ds/query", "http://h/ds/update")
    assert endpoint_urls("http://h/repo", "http://h/repo/statements") == ("http://h/repo", "http://h/repo/statements")
    with pytest.raises(QueryError, match="not an http"):
        endpoint_urls("ftp://h/query")


def test_remote_query_time_limit(oxigraph_server, seed_store):
    push(seed_store, oxigraph_server)
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    with pytest.raises(QueryError, match="time limit of 0.5 s"):
        run_query(Endpoint(oxigraph_server), slow, timeout=0.5)


def test_cli_push_then_query_the_endpoint(oxigraph_server, seed_store_dir, tmp_path):
    copy = tmp_path / "store"
    shutil.copytree(seed_store_dir, copy)
    out = runner.invoke(app, ["push", "--endpoint", oxigraph_server, "--store", str(copy)])
    assert out.exit_code == 0, out.stderr
    assert out.stdout.startswith("pushed ")
    again = runner.invoke(app, ["push", "--endpoint", oxigraph_server, "--store", str(copy)])
    assert again.exit_code == 1 and "--replace" in again.stderr and again.stderr.count("\n") == 1
    args = ["query", "commanders", "-p", "group=سرايا الدفاع", "-f", "csv"]
    local = runner.invoke(app, [*args, "--store", str(copy)])
    remote = runner.invoke(app, [*args, "--endpoint", oxigraph_server + "/query"])
    assert remote.exit_code == 0, remote.stderr
    assert remote.stdout == local.stdout and "مصطفى الشركسي" in remote.stdout


def test_two_corpora_in_one_server_keep_all_their_labels(oxigraph_server, seed_store, multi_store):
    from conftest import MULTI, SEEDS

    from kg import build

    both = GraphStore()
    build([SEEDS, MULTI], store=both)
    push(seed_store, oxigraph_server)
    push(multi_store, oxigraph_server)  # shares the registry graph: merged, no --replace needed
    push(multi_store, oxigraph_server, replace=True)  # replacing one corpus keeps the other's labels
    remote = Endpoint(oxigraph_server)
    assert set(remote.graphs()) == set(both.graphs())
    # questions that need both corpora: a name only the seed's registry knows, one only the fixture's
    for params in (SEED_PARAMS, MULTI_PARAMS):
        for name, saved in saved_queries().items():
            given = {p.name: params[p.name] for p in saved.params if p.required}
            try:
                expected = run_query(both, name, params=given).rows
            except QueryError as exc:  # a name both corpora use for different actors: the same error remotely
                with pytest.raises(QueryError, match=re.escape(str(exc).split(":")[0])):
                    run_query(remote, name, params=given)
                continue
            assert run_query(remote, name, params=given).rows == expected, name
    seed_only = "غرفة عمليات أجدابيا"
    assert run_query(remote, "commanders", params={"group": seed_only}).rows == \
        run_query(both, "commanders", params={"group": seed_only}).rows
    labels = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s rdfs:label ?l } FILTER(STRENDS(STR(?g), 'registry')) }"
    assert remote.select(labels).rows == both.select(labels).rows


def test_a_server_without_the_union_default_graph_is_named_as_the_cause(tmp_path, seed_store):
    import subprocess

    from conftest import stop_process, wait_for_http

    from kg.sparql.serve import find_oxigraph

    port = free_port()
    proc = subprocess.Popen([find_oxigraph(), "serve", "--location", str(tmp_path / "plain"), "--bind",
                             f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for_http(f"http://127.0.0.1:{port}/query?query=ASK%7B%7D", proc)
        report = push(seed_store, f"http://127.0.0.1:{port}")
        assert report.union_default is False
        with pytest.raises(QueryError, match="no labels at all.*union-default-graph"):
            run_query(Endpoint(f"http://127.0.0.1:{port}"), "commanders", params={"group": "LNA"})
    finally:
        stop_process(proc)
