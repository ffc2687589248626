"""A second real remote store: Virtuoso 7 (Debian's virtuoso-opensource), updates behind digest authentication.

The test starts its own ``virtuoso-t +configfile INI +foreground`` with both ports on 127.0.0.1 and the
database in a temporary folder; ``kg push`` fills it through ``/sparql-auth`` (user ``dba``, password from
``$KG_PASSWORD``), and every saved question asked through ``kg query --endpoint …/sparql`` must answer as
the embedded store does.
"""

from __future__ import annotations

import os
import re
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import SEEDS, stop_process
from typer.testing import CliRunner

from kg.cli import app
from kg.sparql.http import Credentials
from kg.sparql.query import run_query, saved_queries
from kg.sparql.serve import free_port
from kg.sparql.source import Endpoint
from kg.sparql.store import GraphStore

VIRTUOSO = os.environ.get("KG_VIRTUOSO", "/usr/bin/virtuoso-t")
INI = Path("/etc/virtuoso-opensource-7/virtuoso.ini")
PARAMS = {"group": "BDB", "actor": "Khalifa Haftar", "x": "BRSC", "y": "غرفة عمليات أجدابيا",
          "claimant": "مصادر من سرايا الدفاع"}
runner = CliRunner()


def _ini(tmp: Path, sql_port: int, http_port: int) -> Path:
    """Debian's virtuoso.ini with the database in ``tmp`` and both servers on 127.0.0.1 only."""
    text = INI.read_text(encoding="utf-8").replace("/var/lib/virtuoso-opensource-7/db", str(tmp))
    out, section = [], ""
    for line in text.splitlines():
        if m := re.match(r"\s*\[(.+)\]", line):
            section = m.group(1)
        if re.match(r"\s*ServerPort\s*=", line) and section in ("Parameters", "HTTPServer"):
            line = f"ServerPort = 127.0.0.1:{sql_port if section == 'Parameters' else http_port}"
        out.append(line)
    path = tmp / "virtuoso.ini"
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A fresh Virtuoso on free loopback ports; its base URL (``/sparql``, ``/sparql-auth``)."""
    if not (Path(VIRTUOSO).exists() and INI.exists()):
        if os.environ.get("CI"):
            pytest.fail(f"Virtuoso is missing ({VIRTUOSO}): run scripts/ensure-virtuoso")
        pytest.skip(f"Virtuoso is not installed ({VIRTUOSO}); run `bash scripts/ensure-virtuoso` (as root)")
    tmp = tmp_path_factory.mktemp("virtuoso")
    http_port = free_port()
    ini = _ini(tmp, free_port(), http_port)
    log = (tmp / "out.log").open("wb")
    proc = subprocess.Popen([VIRTUOSO, "+configfile", str(ini), "+foreground"], cwd=tmp,
                            stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{http_port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"virtuoso exited with {proc.returncode}: {(tmp / 'out.log').read_text()[-500:]}")
            try:
                with urllib.request.urlopen(f"{base}/sparql?query=ASK%7B%7D", timeout=2) as resp:
                    if resp.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("virtuoso did not answer within 120 s")
            time.sleep(0.2)
        yield base
    finally:
        stop_process(proc)
        log.close()


@pytest.fixture(scope="module")
def pushed(virtuoso: str, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    """The seed store pushed into Virtuoso with ``kg push`` (digest credentials from $KG_PASSWORD)."""
    from kg import build

    store_dir = tmp_path_factory.mktemp("virtuoso-seed") / "store"
    with GraphStore(store_dir) as store:
        build([SEEDS], store=store)
    out = runner.invoke(app, ["push", "--endpoint", f"{virtuoso}/sparql", "--update-endpoint",
                              f"{virtuoso}/sparql-auth", "--user", "dba", "--store", str(store_dir)],
                        env={"KG_PASSWORD": "dba"})
    assert out.exit_code == 0, out.stderr
    assert "dba" not in out.stdout.replace("--user dba", "")
    return virtuoso, store_dir


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(saved_queries()))
def test_every_saved_question_through_kg_query_on_virtuoso(pushed, seed_store, name):
    base, store_dir = pushed
    saved = saved_queries()[name]
    args = ["query", name, "-f", "tsv"] + [a for p in saved.params if p.required for a in ("-p", f"{p.name}={PARAMS[p.name]}")]
    local = runner.invoke(app, [*args, "--store", str(store_dir)])
    remote = runner.invoke(app, [*args, "--endpoint", f"{base}/sparql"])
    assert remote.exit_code == 0, remote.stderr
    assert local.exit_code == 0, local.stderr
    assert remote.stdout == local.stdout


@pytest.mark.slow
def test_virtuoso_holds_the_pushed_triples_and_answers_ad_hoc_queries_alike(pushed, seed_store):
    base, _ = pushed
    endpoint = Endpoint(f"{base}/sparql")
    # the relation summary is recomputed by the server (Virtuoso keeps booleans as 1): the sourced graphs are equal
    count = ("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), 'https://w3id.org/kg/') "
             "&& !STRENDS(STR(?g), 'graph/relations')) }")
    assert endpoint.select(count).rows == seed_store.select(count).rows
    names = "SELECT ?name WHERE { ?c kg:commands ?g ; rdfs:label ?name FILTER(LANG(?name) = 'ar') } ORDER BY ?name"
    group = {"g": "<https://w3id.org/kg/id/actor/bdb>"}
    assert run_query(endpoint, names, params=group).rows == run_query(seed_store, names, params=group).rows
    # actor names resolve the same way remotely (registry ids, Arabic labels)
    assert run_query(endpoint, "chain-of-command", params={"actor": "BDB"}).rows == \
        run_query(seed_store, "chain-of-command", params={"actor": "BDB"}).rows


@pytest.mark.slow
def test_virtuoso_refuses_updates_without_credentials_and_with_a_wrong_password(virtuoso, seed_store):
    from kg.errors import StoreError
    from kg.sparql.remote import push

    with pytest.raises(StoreError, match="401.*credentials"):
        push(seed_store, f"{virtuoso}/sparql", update_endpoint=f"{virtuoso}/sparql-auth", replace=True, retries=0)
    secret = "not-the-password-x9"
    with pytest.raises(StoreError) as info:
        push(seed_store, f"{virtuoso}/sparql", update_endpoint=f"{virtuoso}/sparql-auth", replace=True, retries=0,
             credentials=Credentials("dba", secret))
    assert secret not in str(info.value)
    out = runner.invoke(app, ["push", "--endpoint", f"{virtuoso}/sparql", "--update-endpoint", f"{virtuoso}/sparql-auth",
                              "--user", "dba", "--replace", "--store", str(Path("no-such-store"))], env={"KG_PASSWORD": secret})
    assert out.exit_code == 1 and secret not in out.stdout + out.stderr


def test_the_password_is_never_an_option():
    out = runner.invoke(app, ["push", "--help"])
    assert "--user" in out.stdout and "--password" not in out.stdout and "KG_PASSWORD" in out.stdout
