"""kg serve keeps the saved questions' answers: computed once, prepared at start, one computation at a time."""

from __future__ import annotations

import gzip
import json
import os
import re
import shutil
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from conftest import SEEDS
from typer.testing import CliRunner

from kg.cli import app
from kg.sparql import kept as kept_module
from kg.sparql.answers import Answers, answer_key, without_parameters
from kg.sparql.query import run_query
from kg.sparql.serve import SparqlServer, free_port
from kg.sparql.store import GraphStore

runner = CliRunner()
KEPT = "x-kg-answer"


def request(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers or {}), timeout=60) as resp:
            return resp.status, {k.lower(): v for k, v in resp.headers.items()}, resp.read()
    except urllib.error.HTTPError as exc:
        with exc:
            return exc.code, {k.lower(): v for k, v in exc.headers.items()}, exc.read()


def test_the_questions_without_parameters_are_the_large_tables():
    assert set(without_parameters()) == {"conflicting-claims", "corroborated", "shared-backers", "timeline"}


def test_answers_are_dropped_oldest_first_past_the_budget_and_too_large_ones_are_not_kept():
    kept = Answers(budget=12)
    for name, data in (("a", b"1234"), ("b", b"5678"), ("c", b"xyz")):
        assert kept.claim(answer_key(name, {}, "json")) is None
        kept.keep(answer_key(name, {}, "json"), data)
    assert kept.claim(answer_key("a", {}, "json")) == b"1234"  # asked again: now the most recent
    assert kept.claim(answer_key("d", {}, "json")) is None
    kept.keep(answer_key("d", {}, "json"), b"12")  # 4 + 4 + 3 + 2 > 12: b (least recently asked) goes
    assert kept.kept(answer_key("b", {}, "json")) is None and kept.size == 9 and len(kept) == 3
    assert kept.claim(answer_key("e", {}, "json")) is None
    kept.keep(answer_key("e", {}, "json"), b"x" * 13)
    assert kept.kept(answer_key("e", {}, "json")) is None and kept.size == 9


def test_one_computation_at_a_time_and_a_failed_one_hands_over():
    kept = Answers(budget=100)
    key = answer_key("q", {"group": "LNA"}, "csv")
    assert kept.claim(key) is None
    waiting = kept.claim(key)
    assert isinstance(waiting, threading.Event) and not waiting.is_set()
    kept.keep(key, None)  # the computation failed: the waiters are woken, the next caller computes
    assert waiting.is_set() and kept.claim(key) is None
    kept.keep(key, b"answer")
    assert kept.claim(key) == b"answer"


def test_the_server_prepares_the_large_answers_and_keeps_every_answer(store_copy: Path, seed_store):
    with SparqlServer(store_copy, port=free_port(), timeout=5) as server:
        assert server.answers is not None and server.answers.prepared.wait(60)
        assert set(without_parameters()) <= set(server.answers.preparation)
        assert all(re.search(r"^\d+ rows? in ", server.answers.preparation[n]) for n in without_parameters())
        for name in without_parameters():
            status, headers, body = request(f"{server.base}/questions/{name}")
            assert status == 200 and headers.get(KEPT) == "kept", name
            assert body == run_query(seed_store, name).format("json").encode("utf-8"), name
            status, headers, packed = request(f"{server.base}/questions/{name}", {"Accept-Encoding": "gzip, br"})
            assert status == 200 and headers["content-encoding"] == "gzip" and gzip.decompress(packed) == body
            assert len(packed) < len(body) and "Accept-Encoding" in headers["vary"]
            status, headers, body = request(f"{server.base}/questions/{name}?format=csv")
            assert status == 200 and headers.get(KEPT) == "kept", name  # prepared in every format
            assert body == run_query(seed_store, name).format("csv").encode("utf-8"), name
        url = f"{server.base}/questions/commanders?" + urllib.parse.urlencode({"group": "BDB", "format": "csv"})
        first = request(url)
        again = request(url)
        assert first[0] == again[0] == 200 and KEPT not in first[1] and again[1].get(KEPT) == "kept"
        assert first[2] == again[2] and "مصطفى الشركسي" in again[2].decode("utf-8")
        status, headers, _ = request(f"{server.base}/questions/commanders?group=no-such-actor")
        assert status == 400 and KEPT not in headers  # a mistake is not kept: it is asked again
        assert request(f"{server.base}/questions/commanders?group=no-such-actor")[0] == 400


def test_a_request_waits_for_the_computation_under_way(store_copy: Path):
    with SparqlServer(store_copy, port=free_port(), timeout=2, prepare=False) as server:
        assert server.answers is not None and server.answers.prepared.is_set()
        key = answer_key("commanders", {"group": "<https://w3id.org/kg/id/actor/bdb>"}, "json")  # "BDB": its IRI
        assert server.answers.claim(key) is None  # as if another request were computing it
        box: list[tuple[int, dict[str, str], bytes]] = []
        asker = threading.Thread(target=lambda: box.append(request(f"{server.base}/questions/commanders?group=BDB")))
        asker.start()
        time.sleep(0.5)
        assert not box  # still waiting: it did not start a computation of its own
        server.answers.keep(key, gzip.compress(b'{"computed": "elsewhere"}'))
        asker.join(10)
        assert box[0][0] == 200 and box[0][1].get(KEPT) == "kept" and box[0][2] == b'{"computed": "elsewhere"}'
        other = answer_key("allies", {"group": "<https://w3id.org/kg/id/actor/bdb>"}, "json")
        assert server.answers.claim(other) is None  # never finished: after the time limit, 503
        status, headers, body = request(f"{server.base}/questions/allies?group=BDB")
        assert status == 503 and headers.get("retry-after") and body.count(b"\n") == 1


def test_answers_over_the_result_limit_are_not_kept(store_copy: Path):
    with SparqlServer(store_copy, port=free_port(), timeout=5, max_results=3) as server:
        assert server.answers is not None and server.answers.prepared.wait(60)
        assert "over the limit of 3 results" in server.answers.preparation["timeline"]
        status, headers, body = request(f"{server.base}/questions/timeline")
        assert status == 413 and KEPT not in headers and b"limit" in body


def test_a_server_that_takes_updates_keeps_no_answers(store_copy: Path):
    with SparqlServer(store_copy, port=free_port(), timeout=5, allow_update=True) as server:
        assert server.answers is None
        url = f"{server.base}/questions/commanders?group=BDB"
        assert request(url)[0] == 200 and KEPT not in request(url)[1]


def test_a_prepared_answer_past_its_own_time_limit_is_reported_and_asked_as_usual(store_copy: Path):
    with SparqlServer(store_copy, port=free_port(), timeout=5, prepare_timeout=0.0001, prepare_actors=False) as server:
        assert server.answers is not None and server.answers.prepared.wait(60)
        assert all(how.startswith("not prepared") for how in server.answers.preparation.values())
        status, headers, body = request(f"{server.base}/questions/corroborated")
        assert status == 200 and KEPT not in headers and json.loads(body)["results"]["bindings"]


def test_kg_serve_help_documents_the_kept_answers():
    result = runner.invoke(app, ["serve", "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    assert "--keep-answers" in result.output and "--no-prepare" in result.output


@pytest.mark.parametrize("budget", [0])
def test_no_budget_keeps_nothing(store_copy: Path, budget: int):
    with SparqlServer(store_copy, port=free_port(), timeout=5, keep_answers=budget) as server:
        assert server.answers is None
        url = f"{server.base}/questions/corroborated"
        assert request(url)[0] == 200 and KEPT not in request(url)[1]


# -- kept on disk with the generation ------------------------------------------------------------------------


def kept_files(store: Path) -> list[Path]:
    return sorted((store / "answers").glob("gen-*/*/*.gz"))


@pytest.fixture()
def store_folder(store_copy: Path) -> Path:
    """The seed store copy with its ``live`` link again (a copied folder's link became a folder)."""
    GraphStore(store_copy).close()
    assert (store_copy / "live").is_symlink()
    return store_copy


def test_kg_query_keeps_a_slow_answer_with_its_generation_and_reads_it_back(store_folder: Path, monkeypatch):
    monkeypatch.setattr(kept_module, "KEEP_AFTER", 0.0)  # every answer counts as slow on the seed
    args = ["query", "commanders", "-p", "group=BDB", "--format", "csv", "--store", str(store_folder)]
    first = runner.invoke(app, args)
    assert first.exit_code == 0 and "مصطفى الشركسي" in first.output
    files = kept_files(store_folder)
    assert len(files) == 1 and files[0].parent.parent.name == os.readlink(store_folder / "live")
    kept_text = gzip.decompress(files[0].read_bytes()).decode("utf-8")
    assert kept_text.replace("\r\n", "\n") == first.output.replace("\r\n", "\n")
    files[0].write_bytes(gzip.compress(b"kept,answer\n"))  # what is kept is what is printed
    assert runner.invoke(app, args).output == "kept,answer\n"
    other = runner.invoke(app, [*args[:3], "group=LNA", *args[4:]])  # other parameters: another answer
    assert other.exit_code == 0 and other.output != "kept,answer\n" and len(kept_files(store_folder)) == 2
    table = runner.invoke(app, [*args[:4], "--store", str(store_folder)])  # another format: another answer
    assert table.exit_code == 0 and "kept,answer" not in table.output


def test_quick_answers_and_ad_hoc_queries_are_not_kept(store_folder: Path):
    assert runner.invoke(app, ["query", "commanders", "-p", "group=BDB", "--store", str(store_folder)]).exit_code == 0
    assert runner.invoke(app, ["query", "ASK { ?s ?p ?o }", "--store", str(store_folder)]).exit_code == 0
    assert kept_files(store_folder) == []


def test_a_generation_written_in_place_drops_its_kept_answers(store_folder: Path, monkeypatch):
    monkeypatch.setattr(kept_module, "KEEP_AFTER", 0.0)
    args = ["query", "commanders", "-p", "group=BDB", "--format", "csv", "--store", str(store_folder)]
    runner.invoke(app, args)
    [kept] = kept_files(store_folder)
    kept.write_bytes(gzip.compress(b"stale\n"))
    with GraphStore(store_folder) as store:  # a program writing to the live generation
        store.update("INSERT DATA { GRAPH <https://example.org/g> { <https://example.org/a> "
                     "<https://example.org/b> <https://example.org/c> } }")
    again = runner.invoke(app, args)
    assert again.exit_code == 0 and "stale" not in again.output and "مصطفى الشركسي" in again.output


def test_a_build_removes_the_answers_of_the_generation_it_replaces(store_folder: Path, tmp_path: Path, monkeypatch):
    monkeypatch.setattr(kept_module, "KEEP_AFTER", 0.0)
    runner.invoke(app, ["query", "corroborated", "--store", str(store_folder)])
    [kept] = kept_files(store_folder)
    corpus = tmp_path / "corpus"
    shutil.copytree(SEEDS, corpus)
    article = next(corpus.rglob("*.txt"))
    article.write_text(article.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    result = runner.invoke(app, ["build", str(corpus), "--store", str(store_folder)])
    assert result.exit_code == 0, result.output
    assert not kept.parent.parent.exists() and kept_files(store_folder) == []


def test_a_restarted_server_has_its_prepared_answers_at_once(store_folder: Path, monkeypatch):
    monkeypatch.setattr(kept_module, "KEEP_AFTER", 0.0)
    with SparqlServer(store_folder, port=free_port(), timeout=5, prepare_actors=False) as server:
        assert server.answers is not None and server.answers.prepared.wait(60)
        first = request(f"{server.base}/questions/timeline")[2]
    assert len(kept_files(store_folder)) == 4 * len(without_parameters())  # json, csv, tsv, table
    with SparqlServer(store_folder, port=free_port(), timeout=5, prepare_actors=False) as server:
        assert server.answers is not None and server.answers.prepared.wait(60)
        assert set(server.answers.preparation.values()) == {"kept"}
        status, headers, body = request(f"{server.base}/questions/timeline")
        assert status == 200 and headers.get(KEPT) == "kept" and body == first
    result = runner.invoke(app, ["query", "timeline", "--format", "json", "--store", str(store_folder)])
    assert result.exit_code == 0 and json.loads(result.output) == json.loads(first)  # kg query reads them too


def test_a_build_with_nothing_to_do_keeps_the_answers(store_folder: Path, monkeypatch):
    monkeypatch.setattr(kept_module, "KEEP_AFTER", 0.0)
    args = ["query", "corroborated", "--format", "csv", "--store", str(store_folder)]
    runner.invoke(app, args)
    [kept] = kept_files(store_folder)
    kept.write_bytes(gzip.compress(b"kept\n"))
    result = runner.invoke(app, ["build", str(SEEDS), "--store", str(store_folder)])
    assert result.exit_code == 0 and "unchanged" in result.output, result.output
    assert runner.invoke(app, args).output == "kept\n"  # opened for writing, not written: the same generation


def test_the_answers_kept_on_disk_stay_within_their_budget(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(kept_module, "DISK_BUDGET", 100)
    kept = kept_module.KeptAnswers(tmp_path / "answers" / "gen-x", "s1")
    for n in range(4):
        kept.put("timeline", {"actor": str(n)}, "json", bytes(40))
        os.utime(kept.file("timeline", {"actor": str(n)}, "json"), ns=(n * 10**9, n * 10**9))
    assert [kept.get("timeline", {"actor": str(n)}, "json") is not None for n in range(4)] == [False, False, True, True]
    kept.put("timeline", {}, "json", bytes(101))  # larger than the whole budget: not kept, nothing removed
    assert kept.get("timeline", {}, "json") is None and kept.get("timeline", {"actor": "3"}, "json") == bytes(40)
    later = kept_module.KeptAnswers(tmp_path / "answers" / "gen-x", "s2")  # the generation was written to
    assert later.get("timeline", {"actor": "3"}, "json") is None
    assert [p.name for p in (tmp_path / "answers" / "gen-x").iterdir()] == []


def test_a_temporary_file_a_killed_writer_left_is_removed(tmp_path: Path):
    kept = kept_module.KeptAnswers(tmp_path / "answers" / "gen-x", "s1")
    kept.folder.mkdir(parents=True)
    old, fresh = kept.folder / ".old.tmp", kept.folder / ".fresh.tmp"
    old.write_bytes(b"half")
    fresh.write_bytes(b"being written")
    os.utime(old, (time.time() - 2 * kept_module.STALE_TMP,) * 2)
    assert kept.get("timeline", {}, "json") is None
    assert not old.exists() and fresh.exists()
