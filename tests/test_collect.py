"""A full build's relation summary, gathered while the articles load, is the one SPARQL computes."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from kg import build
from kg.building.collect import Collector
from kg.building.display_names import ARABIC_NAME, NAME
from kg.building.summary import summarise, summary_graph
from kg.sparql.store import GraphStore
from kg.vocab import ID_BASE

ROOT = Path(__file__).parent.parent
DATA = Path(__file__).parent / "data"


def _synth():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("kg_bench_synth_collect", ROOT / "benchmarks" / "synth.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def _lines(chunks: object) -> set[bytes]:
    return {line for chunk in chunks for line in chunk.splitlines()}  # type: ignore[attr-defined]


def _built_summary(store: GraphStore) -> set[bytes]:
    """The summary nodes' quads (not the kept counts, nor the nodes' names: :mod:`kg.building.display_names`)."""
    stats, names = f"<{ID_BASE}stats>".encode(), (f" <{NAME}> ".encode(), f" <{ARABIC_NAME}> ".encode())
    return {line.rstrip(b"\n") for line in store.graph_nquads(summary_graph(ID_BASE))
            if not line.startswith(stats) and not any(n in line for n in names)}


def _corpus(name: str, tmp_path: Path, *, articles: int, seed: int) -> Path:
    """The seed, a fixture corpus, or (``synth``) a small synthetic one."""
    if name == "synth":
        return Path(_synth().generate_corpus(tmp_path / "synth", articles, seed=seed))
    return ROOT / "seeds" if name == "seeds" else DATA / name


@pytest.mark.parametrize("corpus", ["seeds", "multi", "identity_en", "conflict_en", "synth"])
def test_the_gathered_summary_is_the_one_sparql_computes(corpus: str, tmp_path: Path):
    path = _corpus(corpus, tmp_path, articles=40, seed=3)
    store = GraphStore()
    assert build([path], store=store).ok
    gathered = _built_summary(store)
    assert gathered == _lines(summarise(store, ID_BASE))  # SPARQL over the built store: the same quads
    assert any(b"articleCount" in line for line in gathered)


def test_unknown_dates_leave_first_and_last_out():
    c = Collector(ID_BASE)
    fact = ("https://e.org/a", "https://e.org/p", "https://e.org/b", "https://e.org/g#assertion-1", "https://e.org/g",
            "https://e.org/c", "2016-01-02", "2015", False, True)
    c.add([fact, (*fact[:3], "https://e.org/h#assertion-2", "https://e.org/h", "https://e.org/c", "2017-03-04", None,
                  False, False)])
    text = b"".join(c.nquads()).decode()
    assert "firstReported> \"2016-01-02\"" in text and "lastReported> \"2017-03-04\"" in text
    assert "firstDated" not in text and "allFormer" not in text and "articleCount> \"2\"" in text
    assert "claimantCount> \"1\"" in text


def test_articles_and_claimants_are_counted_once_however_their_reports_interleave():
    c = Collector(ID_BASE)
    rel = ("https://e.org/a", "https://e.org/p", "https://e.org/b")
    other = ("https://e.org/a", "https://e.org/p", "https://e.org/x")
    facts = [(*triple, f"https://e.org/{g}#assertion-{n}", f"https://e.org/{g}", f"https://e.org/{claimant}",
              "2016-01-02", None, False, False)
             for n, (triple, g, claimant) in enumerate([(rel, "g", "c1"), (other, "g", "c2"), (rel, "g", "c2"),
                                                        (rel, "h", "c1"), (rel, "g", "c1"), (rel, "h", "c3")])]
    c.add(facts[:3])
    c.add(facts[3:])  # articles g and h, then g again in another batch
    text = b"".join(c.nquads()).decode()
    node = next(line.split(" ")[0] for line in text.splitlines() if line.endswith(f" <{summary_graph(ID_BASE)}> .")
                and "<https://e.org/b>" in line)
    mine = [line for line in text.splitlines() if line.startswith(node)]
    assert any('articleCount> "2"' in line for line in mine) and any('claimantCount> "3"' in line for line in mine)
    asserted_in = sorted(line.split(" ")[2] for line in mine if "#assertedIn>" in line)
    assert asserted_in == ["<https://e.org/g>", "<https://e.org/h>"]  # each asserting article once


def test_a_relation_only_denied_has_no_counts():
    c = Collector(ID_BASE)
    links = c.add([("https://e.org/a", "https://e.org/p", "https://e.org/b", "https://e.org/g#assertion-1",
                    "https://e.org/g", "https://e.org/c", "2016-01-02", None, True, False)])
    text = b"".join(c.nquads()).decode()
    assert "denied" in text and "asserted" not in text and "articleCount" not in text
    assert links.count(b"\n") == 1


@pytest.mark.parametrize("corpus", ["seeds", "multi", "identity_ar", "network", "synth"])
def test_the_counts_of_a_full_build_are_those_counted_over_the_store(corpus: str, tmp_path: Path):
    from kg.building.counting import full_counts, read_counts

    path = _corpus(corpus, tmp_path, articles=30, seed=5)
    store = GraphStore()
    assert build([path], store=store).ok
    kept = read_counts(store, ID_BASE)
    assert kept is not None
    kept.pop("_registries")
    assert kept == full_counts(store)
    assert kept["quads"] == len(store) and kept["articles"] > 0
