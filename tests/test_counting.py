"""The statistics a build keeps: after every kind of build they equal a fresh count over the store."""

from __future__ import annotations

import shutil
from pathlib import Path

from kg import build
from kg.building.counting import public, read_counts
from kg.building.stats import store_stats
from kg.sparql.store import GraphStore
from kg.vocab import ID_BASE

DATA = Path(__file__).parent / "data"


def check(report, store: GraphStore) -> None:  # type: ignore[no-untyped-def]
    assert report.ok, report.problems
    fresh = store_stats(store)
    assert report.stats == fresh
    kept = read_counts(store, ID_BASE)
    assert kept is not None and public(kept) == fresh
    assert list(report.stats["claims_by_claimant"].values()) == sorted(fresh["claims_by_claimant"].values(),
                                                                       reverse=True)


def test_kept_counts_follow_edits_removals_additions_and_force(tmp_path: Path):
    corpus = tmp_path / "corpus"
    shutil.copytree(DATA / "multi", corpus)
    articles = corpus / "articles"
    with GraphStore(tmp_path / "store") as store:
        check(build([corpus], store=store), store)
        check(build([corpus], store=store), store)  # nothing to do: the kept counts
        # an edit that denies a relation, drops an entity, a relation, a claimant and an event
        a2 = articles / "a2.yaml"
        text = a2.read_text(encoding="utf-8")
        a2.write_text(text.replace("{type: commands", "{type: commands, negated: true", 1)
                      .replace(", claimant: bdb_sources}", "}", 1), encoding="utf-8")
        report = build([corpus], store=store)
        assert report.mapped == 1
        check(report, store)
        (articles / "a4.yaml").unlink()
        (articles / "a4.txt").unlink()
        report = build([corpus], store=store)
        assert report.removed == 1
        check(report, store)
        shutil.copy(DATA / "multi" / "articles" / "a4.yaml", articles / "a5.yaml")  # back, under another name
        shutil.copy(DATA / "multi" / "articles" / "a4.txt", articles / "a5.txt")
        check(build([corpus], store=store), store)
        a2.write_text(text, encoding="utf-8")  # and the edit undone
        check(build([corpus], store=store), store)
        check(build([corpus], store=store, force=True), store)


def test_a_store_without_kept_counts_is_counted_again(tmp_path: Path):
    from kg.building.counting import stats_key
    from kg.building.summary import summary_graph
    from kg.vocab import KG

    corpus = tmp_path / "corpus"
    shutil.copytree(DATA / "multi", corpus)
    with GraphStore(tmp_path / "store") as store:
        assert build([corpus], store=store).ok
        store.update(f"DELETE WHERE {{ GRAPH <{summary_graph(ID_BASE)}> {{ <{stats_key(ID_BASE)}> <{KG}statistics> ?v }} }}")
        assert read_counts(store, ID_BASE) is None
        (corpus / "articles" / "a4.yaml").unlink()
        (corpus / "articles" / "a4.txt").unlink()
        check(build([corpus], store=store), store)


def test_kg_stats_shows_the_kept_counts_while_they_describe_the_store(tmp_path: Path):
    import json

    from typer.testing import CliRunner

    from kg.building.counting import kept_stats, write_counts
    from kg.cli import app

    runner = CliRunner()
    folder = tmp_path / "store"
    with GraphStore(folder) as store:
        assert build([DATA / "multi"], store=store).ok
        assert kept_stats(store) == store_stats(store)
        kept = read_counts(store, ID_BASE)
        assert kept is not None
        write_counts(store, {**kept, "articles": 999}, ID_BASE)  # the same number of quads: taken as kept
    shown = json.loads(runner.invoke(app, ["stats", "--store", str(folder), "--format", "json"]).stdout)
    counted = json.loads(runner.invoke(app, ["stats", "--store", str(folder), "--format", "json", "--recount"]).stdout)
    assert shown["articles"] == 999 and counted["articles"] == 4
    with GraphStore(folder) as store:  # written to by other means: counted again
        store.update("INSERT DATA { GRAPH <https://e.org/g> { <https://e.org/a> <https://e.org/b> <https://e.org/c> } }")
        assert kept_stats(store) is None
    shown = json.loads(runner.invoke(app, ["stats", "--store", str(folder), "--format", "json"]).stdout)
    assert shown["articles"] == 4


def test_claimants_are_named_by_their_english_label_else_any_and_most_claims_first():
    from collections import Counter

    import pyoxigraph as ox

    from kg.building.counting import claimant_labels

    store = GraphStore()
    label = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
    both, arabic, bare = (ox.NamedNode(f"https://e.org/{n}") for n in ("both", "arabic", "bare"))
    for n in range(50):  # labelled in every article graph that cites them
        g = ox.NamedNode(f"https://e.org/article/{n}")
        store.store.add(ox.Quad(both, label, ox.Literal("الجزيرة", language="ar"), g))
        store.store.add(ox.Quad(both, label, ox.Literal("Al Jazeera", language="en"), g))
        store.store.add(ox.Quad(arabic, label, ox.Literal("مصادر محلية", language="ar"), g))
    named = claimant_labels(store, Counter({both.value: 3, arabic.value: 7, bare.value: 3}))
    assert list(named.items()) == [("مصادر محلية", 7), ("Al Jazeera", 3), (bare.value, 3)]
