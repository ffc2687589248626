"""kg serve prepares the answers about each actor after the large ones: asked by name or IRI, each is kept."""

from __future__ import annotations

import gzip
import urllib.parse
from pathlib import Path

from conftest import SEEDS
from test_answers import KEPT, request

from kg.errors import QueryError
from kg.sparql.answers import Answers, answer_key
from kg.sparql.query import run_query, saved_queries
from kg.sparql.serve import ACTORS, SparqlServer, free_port
from kg.sparql.store import GraphStore
from kg.sparql.warm import Canonical, actor_questions, prepare_actors

LNA = "https://w3id.org/kg/id/actor/lna"


def test_the_questions_about_one_actor():
    assert dict(actor_questions()) == {"allies": "group", "chain-of-command": "actor", "claims-by": "claimant",
                                       "commanders": "group", "shared-backers": "actor", "supporters": "group",
                                       "timeline": "actor"}  # not hostile-to-both: two actors


def test_an_actor_is_one_answer_however_it_is_named():
    asked: list[str] = []

    def resolve(text: str) -> str:
        asked.append(text)
        if text in ("LNA", "lna", "الجيش الوطني الليبي"):
            return LNA
        raise QueryError(f"no actor named {text!r}")

    canonical = Canonical(resolve)
    commanders = saved_queries()["commanders"]
    forms = ["LNA", "lna", f"<{LNA}>", f" <{LNA}>", LNA, " LNA ", "الجيش الوطني الليبي", "LNA"]
    assert {canonical.params(commanders, {"group": form})["group"] for form in forms} == {f"<{LNA}>"}
    assert asked == ["LNA", "lna", "الجيش الوطني الليبي"]  # each name resolved once; IRIs not at all
    assert canonical.params(commanders, {"group": "nobody"}) == {"group": "nobody"}  # for the question to report
    timeline = saved_queries()["timeline"]
    assert canonical.params(timeline, {"relation": "commands"}) == {"relation": "commands"}  # not an actor


def test_prepared_answers_never_push_out_the_asked_ones():
    kept = Answers(budget=20)
    kept.keep(answer_key("asked", {}, "json"), b"x" * 8)
    assert kept.offer(answer_key("a", {"group": "<g>"}, "json"), b"y" * 2, share=0.5)
    assert not kept.offer(answer_key("b", {"group": "<g>"}, "json"), b"z" * 2, share=0.5)  # 12 > 10
    assert not kept.offer(answer_key("asked", {}, "json"), b"w", share=1.0)  # kept already
    assert kept.kept(answer_key("asked", {}, "json")) == b"x" * 8 and kept.size == 10


def test_the_server_prepares_the_answers_about_every_actor(store_copy: Path, seed_store):
    with SparqlServer(store_copy, port=free_port(), timeout=5) as server:
        assert server.answers is not None and server.answers.actors_prepared.wait(120)
        assert server.answers.preparation[ACTORS].split(" answers")[0].isdigit()
        for question, form in [("commanders", {"group": "LNA"}), ("commanders", {"group": f"<{LNA}>"}),
                               ("supporters", {"group": "lna"}), ("allies", {"group": "BDB"}),
                               ("timeline", {"actor": "BDB"}), ("claims-by", {"claimant": "Al Jazeera"})]:
            url = f"{server.base}/questions/{question}?" + urllib.parse.urlencode(form)
            status, headers, body = request(url)
            assert status == 200 and headers.get(KEPT) == "kept", (question, form)  # the first ask, too
            assert body == run_query(seed_store, question, params=form).format("json").encode("utf-8")
        status, headers, _ = request(f"{server.base}/questions/commanders?group=LNA&format=csv")
        assert status == 200 and KEPT not in headers  # prepared as JSON only: the other formats when asked
        status, headers, _ = request(f"{server.base}/questions/commanders?group=nobody")
        assert status == 400 and KEPT not in headers


def test_preparing_stops_when_half_the_memory_is_used(seed_store_dir: Path):
    with GraphStore(seed_store_dir, read_only=True) as store:
        one = len(gzip.compress(run_query(store, "timeline", params={"actor": f"<{LNA}>"}).format("json").encode()))
    kept = Answers(budget=6 * one)
    how = prepare_actors(kept, seed_store_dir)
    assert "half the memory for answers" in how and 0 < kept.size <= 3 * one, how
    everything = Answers(budget=100_000_000)
    assert int(prepare_actors(everything, seed_store_dir).split(" ")[0]) == len(everything) > len(kept)


def test_answers_over_the_result_limit_are_not_prepared(seed_store_dir: Path):
    kept = Answers(budget=10_000_000)
    prepare_actors(kept, seed_store_dir, max_rows=1)
    assert len(kept) > 0
    for (name, params, _), packed in kept._kept.items():
        rows = run_query(GraphStore(seed_store_dir, read_only=True), name, params=dict(params))
        assert len(rows) <= 1 and packed


def test_without_prepare_actors_none_are_prepared(store_copy: Path):
    with SparqlServer(store_copy, port=free_port(), timeout=5, prepare_actors=False) as server:
        assert server.answers is not None and server.answers.actors_prepared.wait(60)
        assert ACTORS not in server.answers.preparation
        status, headers, _ = request(f"{server.base}/questions/commanders?group=LNA")
        assert status == 200 and KEPT not in headers


def test_kg_serve_help_names_the_option():
    from typer.testing import CliRunner

    from kg.cli import app

    result = CliRunner().invoke(app, ["serve", "--help"], env={"COLUMNS": "200"})
    assert "--no-prepare-actors" in result.output and SEEDS.exists()
