"""Every labelled node has one ``kg:name`` in the summary graph: its smallest English label, else its smallest
Arabic one (tagged with its language); kept right by incremental builds, written alike by ``kg push``'s refresh."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kg import build
from kg.building.display_names import ARABIC_NAME, NAME
from kg.building.summary import refresh, summary_graph
from kg.sparql.store import GraphStore
from kg.vocab import ID_BASE, RDFS

DATA = Path(__file__).parent / "data"
CORPORA = {"seeds": Path(__file__).parent.parent / "seeds", "brat": DATA / "brat_tutorial_news",
           "newsfane": DATA / "arabic_newsfane_sample", "multi": DATA / "multi"}


def names(store: GraphStore, name: str = NAME) -> dict[str, str]:
    rows = store.solutions(f"SELECT ?x ?n WHERE {{ GRAPH <{summary_graph(ID_BASE)}> {{ ?x <{name}> ?n }} }}")
    out: dict[str, str] = {}
    for r in rows:
        assert r["x"].value not in out, f"two names for {r['x'].value}"
        out[r["x"].value] = f'{r["n"].value}@{r["n"].language}'  # tagged with the language it comes from
    return out


def expected(store: GraphStore, name: str = NAME) -> dict[str, str]:
    """The rule, applied in Python to every label of the store."""
    labels: dict[str, dict[str, list[str]]] = {}
    for r in store.solutions(f"SELECT DISTINCT ?x ?l WHERE {{ ?x <{RDFS}label> ?l }}", union=True):
        lang = (r["l"].language or "").lower().split("-")[0]
        labels.setdefault(r["x"].value, {}).setdefault(lang, []).append(r["l"].value)
    if name == ARABIC_NAME:
        return {x: f'{min(by["ar"])}@ar' for x, by in labels.items() if "ar" in by}
    return {x: f'{min(by["en"])}@en' if "en" in by else f'{min(by["ar"])}@ar'
            for x, by in labels.items() if "en" in by or "ar" in by}


@pytest.mark.parametrize("corpus", sorted(CORPORA))
def test_one_name_a_labelled_node(corpus: str):
    store = GraphStore()
    assert build([CORPORA[corpus]], store=store).ok
    got = names(store)
    assert got == expected(store) and got
    assert names(store, ARABIC_NAME) == expected(store, ARABIC_NAME)


def test_several_labels_in_one_language_give_the_smallest():
    store = GraphStore()
    assert build([CORPORA["brat"]], store=store).ok
    rowling = [x for x, n in names(store).items() if n == "J. K. Rowling@en"]
    assert rowling  # "J. K. Rowling" < "Jo Rowling" < "Joanne Rowling", all labels of one node
    store = GraphStore()
    assert build([CORPORA["newsfane"]], store=store).ok
    assert "حماس@ar" in names(store).values() and "حماس )@ar" not in names(store).values()


def test_names_follow_edits_and_removals(tmp_path: Path):
    corpus = tmp_path / "corpus"
    shutil.copytree(DATA / "multi", corpus)
    a3, text = corpus / "articles" / "a3.yaml", corpus / "articles" / "a3.txt"
    text.write_text(text.read_text(encoding="utf-8") + "\nوفي بلدة ما وبلدة أخرى.\n", encoding="utf-8")
    a3.write_text(a3.read_text(encoding="utf-8").replace(
        "  - {id: ajdabiya, type: City, mentions: [أجدابيا]}",
        "  - {id: ajdabiya, type: City, mentions: [أجدابيا]}\n  - {id: zz, type: City, mentions: [بلدة ما]}"),
        encoding="utf-8")
    with GraphStore(tmp_path / "store") as store:
        assert build([corpus], store=store).ok
        assert "بلدة ما@ar" in names(store).values()
        a3.write_text(a3.read_text(encoding="utf-8").replace("بلدة ما", "بلدة أخرى"), encoding="utf-8")
        report = build([corpus], store=store)
        assert report.ok and report.mapped == 1
        got = names(store)
        assert got == expected(store)
        assert "بلدة أخرى@ar" in got.values() and "بلدة ما@ar" not in got.values()
        a3.unlink()
        text.unlink()
        assert build([corpus], store=store).removed == 1
        got = names(store)
        assert got == expected(store) and "بلدة أخرى@ar" not in got.values()
        assert names(store, ARABIC_NAME) == expected(store, ARABIC_NAME)


def test_the_refresh_of_kg_push_writes_the_same_names():
    store = GraphStore()
    assert build([CORPORA["seeds"]], store=store).ok
    built = names(store)
    arabic = names(store, ARABIC_NAME)
    refresh(store)
    assert names(store) == built and names(store, ARABIC_NAME) == arabic
