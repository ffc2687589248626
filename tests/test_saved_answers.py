"""The saved questions read the relation summary; their answers are those of the questions as they were
written before it (kept in tests/data/saved-queries-before/), on the seed and on every fixture corpus."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg import build
from kg.query import _bindings, _execute, bind_values, parse_saved, query_kind, run_query, saved_queries
from kg.store import GraphStore

DATA = Path(__file__).parent / "data"
SEEDS = Path(__file__).parent.parent / "seeds"
BEFORE = DATA / "saved-queries-before"

CORPORA = {"seeds": [SEEDS], "multi": [DATA / "multi"], "network": [DATA / "network"],
           "newsfane": [DATA / "arabic_newsfane_sample"], "brat": [DATA / "brat_tutorial_news"]}

#: Parameters to ask each question with (every corpus; an actor a corpus lacks is skipped).
PARAMS: dict[str, list[dict[str, str]]] = {
    "allies": [{"group": g} for g in ("bdb", "lna", "Ajdabiya Operations Room", "brsc", "gna")],
    "chain-of-command": [{"actor": a} for a in ("lna", "bdb", "haftar", "khalifa-haftar")],
    "claims-by": [{"claimant": c} for c in ("مصادر من سرايا الدفاع", "Al Jazeera", "local-sources", "lna")],
    "commanders": [{"group": g} for g in ("bdb", "lna", "brsc", "سرايا الدفاع")],
    "conflicting-claims": [{}],
    "corroborated": [{}, {"min": "1"}, {"min": "3"}],
    "hostile-to-both": [{"x": "BRSC", "y": "غرفة عمليات أجدابيا"}, {"x": "lna", "y": "bdb"}, {"x": "bdb", "y": "brsc"}],
    "shared-backers": [{}, {"actor": "bdb"}, {"actor": "lna"}],
    "supporters": [{"group": g} for g in ("bdb", "lna", "Ajdabiya Operations Room", "gna")],
    "timeline": [{}, {"relation": "commands"}, {"actor": "lna"}, {"actor": "bdb", "other": "lna"},
                 {"relation": "supports", "actor": "bdb"}],
}


@pytest.fixture(scope="module", params=sorted(CORPORA))
def corpus_store(request: pytest.FixtureRequest) -> GraphStore:
    store = GraphStore()
    assert build(CORPORA[request.param], store=store).ok
    return store


def before(store: GraphStore, name: str, params: dict[str, str]) -> list[dict[str, str | None]]:
    text = (BEFORE / f"{name}.rq").read_text(encoding="utf-8")
    saved = parse_saved(name, text)
    query = bind_values(text, _bindings(store, text, saved, params))
    return _execute(store, query, query_kind(query), None, None).records()


def test_every_saved_question_has_cases():
    assert set(PARAMS) == set(saved_queries())


@pytest.mark.parametrize("name", sorted(PARAMS))
def test_answers_are_unchanged(corpus_store: GraphStore, name: str):
    from kg.errors import KGError

    asked = 0
    for params in PARAMS[name]:
        try:
            expected = before(corpus_store, name, params)
        except KGError:  # an actor this corpus does not know
            continue
        got = run_query(corpus_store, name, params=params).records()
        assert got == expected, (name, params)
        asked += 1
    if not asked:
        pytest.skip("the corpus knows none of the actors asked about")
