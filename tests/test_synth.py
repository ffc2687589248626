"""The synthetic corpus of the benchmarks: it builds cleanly, is deterministic, and counts what it says."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest
import yaml

from kg import build
from kg.mapping.pipeline import check_corpus
from kg.sparql.store import GraphStore

SYNTH = Path(__file__).parent.parent / "benchmarks" / "synth.py"


def _load_synth():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("kg_bench_synth", SYNTH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


synth = _load_synth()


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return synth.generate_corpus(tmp_path_factory.mktemp("synth") / "corpus", 20, seed=7)


@pytest.fixture(scope="module")
def built(corpus: Path):  # type: ignore[no-untyped-def]
    store = GraphStore()
    return build([corpus], store=store), store


def test_layout(corpus: Path) -> None:
    names = sorted(p.name for p in (corpus / "articles").iterdir())
    assert names[:2] == ["00000.txt", "00000.yaml"] and len(names) == 40
    assert (corpus / "kg.toml").is_file() and (corpus / "actors.yaml").is_file()


def test_checks_and_builds_without_problems(corpus: Path, built) -> None:  # type: ignore[no-untyped-def]
    assert check_corpus([corpus]) == []
    report, _ = built
    assert report.ok
    assert [str(p) for p in report.problems] == []
    assert report.articles == report.mapped == 20


def test_stats_count_what_was_generated(corpus: Path, built) -> None:  # type: ignore[no-untyped-def]
    import json

    expected = json.loads((corpus / "synth.json").read_text(encoding="utf-8"))
    report, store = built
    stats = report.stats
    assert stats["articles"] == expected["articles"] == 20
    assert expected["assertions"] == 20 * 20
    assert stats["assertions"] == expected["assertions"]
    assert stats["relations"] == expected["relations"]
    assert stats["negated"] == expected["negated"]  # counted apart
    assert stats["relations_by_type"] == expected["relations_by_type"]
    assert stats["events"] == expected["events"]
    assert stats["figures"] == expected["figures"]
    assert stats["quads"] == len(store) > 0


def test_same_seed_same_bytes(tmp_path: Path, corpus: Path) -> None:
    again = synth.generate_corpus(tmp_path / "again", 20, seed=7)
    assert _files(again) == _files(corpus)
    other = synth.generate_corpus(tmp_path / "other", 20, seed=8)
    assert _files(other) != _files(corpus)


def test_annotations_look_like_the_format(corpus: Path) -> None:
    languages, by_id, by_name, evidence_strings = set(), 0, 0, 0
    for path in sorted((corpus / "articles").glob("*.yaml")):
        text = path.with_suffix(".txt").read_text(encoding="utf-8")
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        languages.add(data["article"]["language"])
        assert "2014-01-01" <= data["article"]["date"] <= "2020-12-31"
        assert 1 <= len(data["events"]) <= 2 and all(ev["figures"] for ev in data["events"])
        for entity in data["entities"]:
            by_id += "actor" in entity
            by_name += "actor" not in entity
            for m in entity["mentions"]:
                start, end = m["at"]
                assert text[start:end] == m["text"]
        for rel in data["relations"]:
            assert isinstance(rel["evidence"], str) and text.count(rel["evidence"]) == 1
            evidence_strings += 1
    assert languages == {"ar", "en"}
    assert by_id > by_name > 0
    assert evidence_strings == 20 * 20


def test_more_relations_per_article(tmp_path: Path) -> None:
    corpus = synth.generate_corpus(tmp_path / "dense", 3, seed=1, relations_per_article=60)
    report = build([corpus], store=GraphStore())
    assert report.ok, [str(p) for p in report.problems]
    assert report.stats["assertions"] == 180
