"""The saved questions read the relation summary; their answers are those of the questions as they were
written before it (kept in tests/data/saved-queries-before/), on the seed and on every fixture corpus.

The names a question joins with GROUP_CONCAT (supporters' ``supports``, allies' ``via``) come in an order
SPARQL leaves to the engine (Virtuoso's differs from Oxigraph's, and so does another query shape's), so
those are compared as sets of names.

A node with several labels in one language was named by whichever ``SAMPLE`` met first; the questions now
name it by its one ``kg:name`` (the smallest label: :mod:`kg.building.display_names`), so both answers are
compared with each such label written as the node's smallest of that language (:func:`canonical`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg import build
from kg.sparql.query import _bindings, bind_values, parse_saved, run_query, saved_queries
from kg.sparql.store import GraphStore

DATA = Path(__file__).parent / "data"
SEEDS = Path(__file__).parent.parent / "seeds"
BEFORE = DATA / "saved-queries-before"

CORPORA = {"seeds": [SEEDS], "multi": [DATA / "multi"], "network": [DATA / "network"],
           "newsfane": [DATA / "arabic_newsfane_sample"], "brat": [DATA / "brat_tutorial_news"]}

#: Parameters to ask each question with (every corpus; an actor a corpus lacks is skipped).
PARAMS: dict[str, list[dict[str, str]]] = {
    "allies": [{"group": g} for g in ("bdb", "lna", "Ajdabiya Operations Room", "brsc", "gna",
                                           "misrata-protection-force", "government-of-national-accord")],
    "chain-of-command": [{"actor": a} for a in ("lna", "bdb", "haftar", "khalifa-haftar",
                                                     "sabratha-security-battalion", "misrata-shield-forces")],
    "claims-by": [{"claimant": c} for c in ("مصادر من سرايا الدفاع", "Al Jazeera", "local-sources", "lna", "al-jazeera",
                                                             "reuters")],
    "commanders": [{"group": g} for g in ("bdb", "lna", "brsc", "سرايا الدفاع",
                                                "sabratha-security-battalion", "misrata-shield-forces")],
    "conflicting-claims": [{}],
    "corroborated": [{}, {"min": "1"}, {"min": "3"}],
    "hostile-to-both": [{"x": "BRSC", "y": "غرفة عمليات أجدابيا"}, {"x": "lna", "y": "bdb"}, {"x": "bdb", "y": "brsc"},
                        {"x": "misrata-protection-force", "y": "sabratha-security-battalion"},
                        {"x": "government-of-national-accord", "y": "misrata-shield-forces"}],
    "shared-backers": [{}, {"actor": "bdb"}, {"actor": "lna"}, {"actor": "government-of-national-accord"}],
    "supporters": [{"group": g} for g in ("bdb", "lna", "Ajdabiya Operations Room", "gna",
                                                "government-of-national-accord", "misrata-shield-forces")],
    "timeline": [{}, {"relation": "commands"}, {"actor": "lna"}, {"actor": "bdb", "other": "lna"},
                 {"relation": "supports", "actor": "bdb"}, {"actor": "tripoli"},
                 {"actor": "sabratha-security-battalion"}, {"relation": "hostileTo", "actor": "misrata-shield-forces"}],
}



def _synthetic(folder: Path) -> Path:
    import importlib.util
    import sys

    spec = importlib.util.spec_from_file_location("kg_bench_synth_answers", Path(__file__).parent.parent /
                                                  "benchmarks" / "synth.py")
    assert spec is not None and spec.loader is not None
    synth = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = synth
    spec.loader.exec_module(synth)
    return synth.generate_corpus(folder / "synth", 120)


@pytest.fixture(scope="module", params=[*sorted(CORPORA), "synthetic"])
def corpus_store(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> GraphStore:
    store = GraphStore()
    paths = CORPORA.get(request.param) or [_synthetic(tmp_path_factory.mktemp("synthetic"))]
    assert build(paths, store=store).ok
    return store


def before(store: GraphStore, name: str, params: dict[str, str]) -> list[dict[str, str | None]]:
    text = (BEFORE / f"{name}.rq").read_text(encoding="utf-8")
    saved = parse_saved(name, text)
    query = bind_values(text, _bindings(store, text, saved, params))
    return store.select(query).records()


#: Columns joined by GROUP_CONCAT, in an order left to the engine.
JOINED = {"supporters": ("supports",), "allies": ("via",)}


def comparable(name: str, records: list[dict[str, str | None]]) -> list[dict[str, object]]:
    """The records with the names a GROUP_CONCAT joined as a sorted list.

    >>> comparable("allies", [{"ally": "x", "via": "B, A"}])
    [{'ally': 'x', 'via': ['A', 'B']}]
    """
    out: list[dict[str, object]] = []
    for r in records:
        row: dict[str, object] = dict(r)
        for column in JOINED.get(name, ()):
            value = r.get(column)
            row[column] = sorted(value.split(", ")) if value else value
        out.append(row)
    return out


def canonical(store: GraphStore) -> list[tuple[str, str]]:
    """(label, the smallest label of its node in its language) for every label that is not the smallest,
    the longest first."""
    from kg.vocab import RDFS

    labels: dict[tuple[str, str], set[str]] = {}
    for r in store.solutions(f"SELECT DISTINCT ?x ?l WHERE {{ ?x <{RDFS}label> ?l }}", union=True):
        lang = (r["l"].language or "").lower().split("-")[0]
        labels.setdefault((r["x"].value, lang), set()).add(r["l"].value)
    pairs = {(label, min(same)) for same in labels.values() for label in same if label != min(same)}
    return sorted(pairs, key=lambda pair: -len(pair[0]))


def named_alike(records: list[dict[str, object]], pairs: list[tuple[str, str]]) -> list[dict[str, object]]:
    def one(value: object) -> object:
        if isinstance(value, list):
            return sorted(one(v) for v in value)  # type: ignore[type-var]
        if isinstance(value, str):
            for label, smallest in pairs:
                value = value.replace(label, smallest)
        return value

    return [{k: one(v) for k, v in r.items()} for r in records]


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
        if comparable(name, got) != comparable(name, expected):
            # a node of several labels in one language: each answer names it by one of them
            pairs = canonical(corpus_store)
            now, then = named_alike(comparable(name, got), pairs), named_alike(comparable(name, expected), pairs)
            assert now != comparable(name, got) or then != comparable(name, expected), (name, params)
            # the rows named alike, in the order each answer's names gave them
            assert sorted(map(repr, now)) == sorted(map(repr, then)), (name, params)

        if name == "supporters":  # sorted before they are joined, so that Virtuoso answers alike
            assert all((names := (r["supports"] or "").split(", ")) == sorted(names) for r in got)
        asked += 1
    if not asked:
        pytest.skip("the corpus knows none of the actors asked about")
