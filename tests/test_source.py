"""kg.sparql.source: one interface for the embedded store and a remote endpoint, the same answers from both."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
from typer.testing import CliRunner

from kg.cli import app
from kg.errors import QueryError
from kg.sparql.remote import push
from kg.sparql.source import Endpoint, Source, open_source
from kg.sparql.store import GraphStore

runner = CliRunner()


@pytest.fixture()
def store_copy(seed_store_dir: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "store"
    shutil.copytree(seed_store_dir, copy)
    return copy


def test_both_sources_implement_the_interface(oxigraph_server, seed_store):
    push(seed_store, oxigraph_server)
    endpoint = Endpoint(oxigraph_server)
    for source in (seed_store, endpoint):
        assert isinstance(source, Source)
        assert source.ask("ASK { ?s a kg:Assertion }") is True
        assert source.graphs() == seed_store.graphs()
        graph = seed_store.graphs()[0]
        assert set(source.graph_quads(graph)) == set(seed_store.graph_quads(graph))
        triples = source.construct("CONSTRUCT { ?c kg:commands ?g } WHERE { ?c kg:commands ?g }").triples
        assert len(triples) > 0
        with pytest.raises(QueryError, match="expected a select query"):
            source.select("ASK {}")
    query = "SELECT ?s ?o WHERE { ?s kg:commands ?o } ORDER BY ?s ?o"
    assert endpoint.select(query).rows == seed_store.select(query).rows
    with pytest.raises(QueryError, match="Prefix|prefix"):
        seed_store.select("SELECT ?s WHERE { ?s kg:commands ?o }", prefixes=False)


def test_stats_and_a_saved_question_agree_on_the_store_and_a_real_oxigraph_server(oxigraph_server, store_copy):
    pushed = runner.invoke(app, ["push", "--endpoint", oxigraph_server, "--store", str(store_copy)])
    assert pushed.exit_code == 0, pushed.stderr
    local = runner.invoke(app, ["stats", "--format", "json", "--store", str(store_copy)])
    remote = runner.invoke(app, ["stats", "--format", "json", "--endpoint", oxigraph_server + "/query"])
    assert remote.exit_code == 0, remote.stderr
    assert json.loads(remote.stdout) == json.loads(local.stdout)
    assert json.loads(local.stdout)["articles"] == 1
    args = ["query", "claims-by", "-p", "claimant=مصادر من سرايا الدفاع", "-f", "json"]
    local = runner.invoke(app, [*args, "--store", str(store_copy)])
    remote = runner.invoke(app, [*args, "--endpoint", oxigraph_server])
    assert remote.exit_code == 0, remote.stderr
    assert json.loads(remote.stdout) == json.loads(local.stdout)
    both = runner.invoke(app, ["stats", "--store", str(store_copy), "--endpoint", oxigraph_server])
    assert both.exit_code == 1 and "not both" in both.stderr


def test_export_reads_an_endpoint_as_it_reads_the_store(oxigraph_server, seed_store, tmp_path):
    from kg.exports import export

    push(seed_store, oxigraph_server)
    local, remote = tmp_path / "local.trig", tmp_path / "remote.trig"
    export(seed_store, local)
    with open_source(endpoint=oxigraph_server) as source:
        export(source, remote)
    a = set(ox.parse(path=str(local), format=ox.RdfFormat.TRIG))
    b = set(ox.parse(path=str(remote), format=ox.RdfFormat.TRIG))
    assert len(a) == len(seed_store) and a == b  # the seed has no blank nodes


def test_open_source_opens_the_store_read_only_by_default(store_copy):
    with open_source(store_copy) as source:
        assert isinstance(source, GraphStore) and len(source) > 0
        assert source.allow_federation is False
    with open_source(store_copy, allow_federation=True) as source:
        assert source.allow_federation is True  # type: ignore[attr-defined]


def test_closing_twice_is_harmless(store_copy):
    store = GraphStore(store_copy, read_only=True)
    store.close()
    store.close()
    with GraphStore() as memory:
        memory.replace({"urn:x:g": [ox.Quad(ox.NamedNode("urn:x:a"), ox.NamedNode("urn:x:b"), ox.Literal("c"),
                                            ox.NamedNode("urn:x:g"))]})
    memory.close()


def test_an_endpoint_that_asks_for_credentials_is_answered_with_basic_auth():
    import base64
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    from kg.sparql.http import Credentials

    seen: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_POST(self) -> None:  # noqa: N802
            self.rfile.read(int(self.headers["Content-Length"]))
            auth = self.headers.get("Authorization", "")
            seen.append(auth.split(" ")[0])
            if auth != "Basic " + base64.b64encode(b"analyst:s3cret").decode():
                self.send_response(401)
                self.send_header("WWW-Authenticate", 'Basic realm="kg"')
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            data = b'{"head": {}, "boolean": true}'
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/sparql"
    try:
        with pytest.raises(QueryError, match="asks for credentials .*--user"):
            Endpoint(url).ask("ASK {}")
        assert Endpoint(url, credentials=Credentials("analyst", "s3cret")).ask("ASK {}") is True
        assert "Basic" in seen
        with pytest.raises(QueryError) as info:
            Endpoint(url, credentials=Credentials("analyst", "wrong")).ask("ASK {}")
        assert "wrong" not in str(info.value)
        out = runner.invoke(app, ["query", "ASK {}", "--endpoint", url, "--user", "analyst"],
                            env={"KG_PASSWORD": "s3cret"})
        assert out.exit_code == 0 and out.stdout.strip() == "true", out.stderr
        assert "s3cret" not in out.stdout + out.stderr
    finally:
        server.shutdown()
        server.server_close()


def test_a_user_without_a_password_is_told_where_to_put_it(store_copy):
    out = runner.invoke(app, ["query", "ASK {}", "--endpoint", "http://127.0.0.1:9/sparql", "--user", "analyst"],
                        env={"KG_PASSWORD": None})
    assert out.exit_code == 1 and "KG_PASSWORD" in out.stderr and out.stderr.count("\n") == 1
