"""Building: the seed graph, provenance, cross-article identity, all-or-nothing, idempotence, increments."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic
from typer.testing import CliRunner

from kg import build
from kg.building.executors import Processes
from kg.cli import app
from kg.demo import pairs
from kg.sparql.store import GraphStore
from kg.vocab import KG

DATA = Path(__file__).parent / "data"
SEEDS = Path(__file__).parent.parent / "seeds"
EXPECTED = DATA / "seed-expected.trig"
BASE = "https://w3id.org/kg/id/"
runner = CliRunner()


@pytest.fixture(scope="module")
def seed_store() -> GraphStore:
    store = GraphStore()
    report = build([SEEDS], store=store)
    assert report.ok, report.problems
    return store


def quads(store: GraphStore) -> set[str]:
    return {str(q) for q in store.quads()}


def test_seed_graph_equals_the_reviewed_expected_trig(seed_store: GraphStore, tmp_path: Path):
    out = tmp_path / "seed.trig"
    seed_store.dump(out)
    built, expected = rdflib.Dataset(), rdflib.Dataset()
    built.parse(out, format="trig")
    expected.parse(EXPECTED, format="trig")
    for ds in (built, expected):  # the content hash covers kg's own code: it changes with every release
        ds.remove((None, rdflib.URIRef(KG + "contentHash"), None, None))
        ds.remove_graph(rdflib.URIRef(BASE + "graph/relations"))  # the relation summary: tests of its own
    for graph in expected.graphs():
        other = built.graph(graph.identifier)
        assert isomorphic(graph, other), f"graph {graph.identifier} differs"
    assert {g.identifier for g in built.graphs() if len(g)} == {g.identifier for g in expected.graphs() if len(g)}


def test_demo_questions_have_exactly_the_expected_pairs(seed_store: GraphStore):
    commands = {(p.subject_en, p.object_en) for p in pairs(seed_store, "commands")}
    assert commands == {
        ("Khalifa Haftar", "Libyan National Army"),
        ("Mohamed Absayat", "Battalion 101"),
        ("Mustafa al-Sharkasi", "Benghazi Defense Brigades"),
        ("Ismail al-Sallabi", "Benghazi Defense Brigades"),
        ("Ziad Belaam", "Benghazi Defense Brigades"),
        ("Ahmed al-Tajouri", "Benghazi Defense Brigades"),
        ("al-Saadi al-Nofli", "Benghazi Defense Brigades"),
    }
    supports = {(p.subject_en, p.object_en) for p in pairs(seed_store, "supports")}
    assert supports == {
        ("Revolutionary brigades and soldiers of the western region", "Benghazi Defense Brigades"),
        ("Sadiq al-Ghariani", "Benghazi Defense Brigades"),
        ("Sadiq al-Ghariani", "Ajdabiya Operations Room"),
        ("Nouri Abusahmain", "Benghazi Defense Brigades"),
        ("Nouri Abusahmain", "Ajdabiya Operations Room"),
        ("National Salvation Government", "Benghazi Defense Brigades"),
        ("National Salvation Government", "Ajdabiya Operations Room"),
    }
    allied = {frozenset((p.subject_en, p.object_en)) for p in pairs(seed_store, "alliedWith")}
    assert allied == {
        frozenset(("Benghazi Defense Brigades", "Ajdabiya Operations Room")),
        frozenset(("Benghazi Defense Brigades", "Benghazi Revolutionaries Shura Council")),
    }
    assert all(p.subject_ar and p.object_ar for p in pairs(seed_store, "commands"))


PROVENANCE = f"""
PREFIX kg: <{KG}>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX prov: <http://www.w3.org/ns/prov#>
SELECT ?a ?article ?quote ?claimant ?begin ?end ?sentence WHERE {{
  ?a a kg:Assertion ; prov:wasDerivedFrom ?article ; kg:quote ?quote ; kg:claimant ?claimant ;
     kg:sentence ?sentence ; kg:evidence ?m .
  ?m kg:beginIndex ?begin ; kg:endIndex ?end ; kg:inArticle ?article .
}}"""


def test_every_relation_traces_to_article_quote_and_claimant(seed_store: GraphStore):
    text = (SEEDS / "articles" / "000_9c143c0af1e05f5b.txt").read_text(encoding="utf-8")
    rows = list(seed_store.store.query(PROVENANCE, use_default_graph_as_union=True))
    assertions = {r[0] for r in seed_store.store.quads_for_pattern(
        None, ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), ox.NamedNode(KG + "Assertion"), None)}
    assert len(assertions) == 52
    assert {r["a"] for r in rows} == assertions
    for r in rows:
        begin, end = int(r["begin"].value), int(r["end"].value)
        assert text[begin:end] == r["quote"].value
        assert r["quote"].value in r["sentence"].value
        assert r["article"].value == BASE + "article/000_9c143c0af1e05f5b"
        assert r["quote"].language == "ar"
    claimants = {r["claimant"].value.rsplit("/", 1)[1] for r in rows}
    assert {"al-jazeera", "local-sources", "bdb-sources"} <= claimants


def test_symmetric_relations_are_stored_once_in_canonical_order(seed_store: GraphStore):
    for name in ("alliedWith", "hostileTo"):
        for q in seed_store.store.quads_for_pattern(None, ox.NamedNode(KG + name), None, None):
            assert q.subject.value < q.object.value


def test_same_actor_across_arabic_and_english_articles_is_one_node():
    store = GraphStore()
    assert build([DATA / "multi"], store=store).ok
    rows = store.store.query(
        f"SELECT DISTINCT ?x WHERE {{ ?m <{KG}denotes> ?x }}", use_default_graph_as_union=True)
    actors = sorted(r["x"].value.removeprefix(BASE) for r in rows)
    assert actors == sorted([
        "actor/haftar", "actor/lna", "actor/bdb", "actor/brsc", "actor/ghariani", "actor/gna", "actor/uae",
        "place/ajdabiya", "place/benghazi",
        # claimants named in the articles, unregistered: one node each
        *{a for a in actors if a.startswith("source/")},
    ])
    assert len([a for a in actors if a.startswith("source/")]) == 3
    # "Haftar commands the LNA" is reported by two independent articles, in two languages
    n = store.store.query(f"""SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE {{
        ?a <http://www.w3.org/1999/02/22-rdf-syntax-ns#subject> <{BASE}actor/haftar> ;
           <http://www.w3.org/1999/02/22-rdf-syntax-ns#object> <{BASE}actor/lna> ;
           <http://www.w3.org/ns/prov#wasDerivedFrom> ?g }}""", use_default_graph_as_union=True)
    assert int(next(iter(n))["n"].value) == 2


@pytest.mark.parametrize("suffix", [".trig", ".nq", ".ttl", ".jsonld", ".nt"])
def test_output_files_parse_with_rdflib_and_pyoxigraph(tmp_path: Path, suffix: str):
    out = tmp_path / f"seed{suffix}"
    result = runner.invoke(app, ["build", str(SEEDS), "--memory", "--out", str(out)])
    assert result.exit_code == 0, result.output
    fmt = {".trig": "trig", ".nq": "nquads", ".ttl": "turtle", ".jsonld": "json-ld", ".nt": "nt"}[suffix]
    if suffix in (".ttl", ".nt"):
        g = rdflib.Graph().parse(out, format=fmt)
        n_rdflib = len(g)
    else:
        ds = rdflib.Dataset()
        ds.parse(out, format=fmt)
        n_rdflib = len(list(ds.quads((None, None, None, None))))
    n_ox = len(list(ox.parse(path=str(out), format=ox.RdfFormat.from_extension(suffix[1:]))))
    assert n_rdflib == n_ox > 500


def test_build_is_all_or_nothing(tmp_path: Path):
    corpus = tmp_path / "corpus"
    shutil.copytree(DATA / "multi", corpus)
    store_dir = tmp_path / "store"
    assert runner.invoke(app, ["build", str(corpus), "--store", str(store_dir)]).exit_code == 0
    with GraphStore(store_dir) as st:
        before = quads(st)
    # change a good article and break one in the middle of the corpus
    a1 = corpus / "articles" / "a1.yaml"
    a1.write_text(a1.read_text(encoding="utf-8").replace("2016-07-18", "2016-07-19"), encoding="utf-8")
    a2 = corpus / "articles" / "a2.yaml"
    a2.write_text(a2.read_text(encoding="utf-8").replace("subject: bdb, object: brsc", "subject: bdb, object: nobody"),
                  encoding="utf-8")
    result = runner.invoke(app, ["build", str(corpus), "--store", str(store_dir)])
    assert result.exit_code == 1
    assert "a2.yaml:" in result.stderr and "missing id 'nobody'" in result.stderr
    assert "the store was not changed" in result.stderr
    with GraphStore(store_dir) as st:
        assert quads(st) == before


def test_building_twice_gives_the_same_quads_and_increments(tmp_path: Path):
    corpus = tmp_path / "corpus"
    shutil.copytree(DATA / "multi", corpus)
    with GraphStore(tmp_path / "store") as store:
        first = build([corpus], store=store)
        q1 = quads(store)
        again = build([corpus], store=store)
        assert (first.mapped, again.mapped, again.unchanged) == (4, 0, 4)
        assert quads(store) == q1
        forced = build([corpus], store=store, force=True)
        assert forced.mapped == 4 and quads(store) == q1
        assert len(store) == len(q1)  # no duplicates
        # touch one article: only it is mapped again
        a3 = corpus / "articles" / "a3.yaml"
        a3.write_text(a3.read_text(encoding="utf-8").replace("2017-03-05", "2017-03-06"), encoding="utf-8")
        touched = build([corpus], store=store)
        assert (touched.mapped, touched.unchanged) == (1, 3)
        # remove one article: its graph goes
        (corpus / "articles" / "a4.yaml").unlink()
        (corpus / "articles" / "a4.txt").unlink()
        removed = build([corpus], store=store)
        assert removed.removed == 1
        assert BASE + "article/a4" not in store.graphs()
        assert removed.stats["articles"] == 3


def test_parallel_build_equals_serial_build():
    serial, parallel = GraphStore(), GraphStore()
    build([DATA / "multi"], store=serial)
    build([DATA / "multi"], store=parallel, executor=Processes(2))  # workers=2 maps one batch here
    assert quads(serial) == quads(parallel)


def test_a_change_of_one_batch_is_mapped_without_starting_workers(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    import kg.building.build as building

    asked: list[int] = []
    real = building.executor_for
    monkeypatch.setattr(building, "executor_for", lambda workers=1, dask=None: asked.append(workers) or real(workers))
    assert build([DATA / "multi"], store=GraphStore(), workers=2).ok
    assert asked == [1]
    # and so does `kg build --workers 2` (one edited article in a large corpus: no worker processes started)
    asked.clear()
    result = runner.invoke(app, ["build", str(DATA / "multi"), "--store", str(tmp_path / "store"), "--workers", "2"])
    assert result.exit_code == 0, result.output
    assert asked == [1]


def test_store_location_from_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("KG_STORE", str(tmp_path / "env-store"))
    result = runner.invoke(app, ["build", str(DATA / "multi")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "env-store").is_dir()
    result = runner.invoke(app, ["stats", "--format", "json"])
    assert result.exit_code == 0
    import json

    stats = json.loads(result.stdout)
    assert stats["articles"] == 4
    assert stats["relations_by_type"]["supports"] == 4


def test_stats_without_a_store_is_a_clear_error(tmp_path: Path):
    result = runner.invoke(app, ["stats", "--store", str(tmp_path / "none")])
    assert result.exit_code == 1
    assert "no store at" in result.stderr and "kg build" in result.stderr


def test_force_removes_the_graphs_of_articles_no_longer_in_the_corpus(tmp_path: Path):
    corpus = tmp_path / "corpus"
    shutil.copytree(DATA / "multi", corpus)
    with GraphStore(tmp_path / "store") as store:
        assert build([corpus], store=store).ok
        (corpus / "articles" / "a4.yaml").unlink()
        (corpus / "articles" / "a4.txt").unlink()
        report = build([corpus], store=store, force=True)
        assert report.removed == 1
        assert BASE + "article/a4" not in store.graphs()
        assert report.stats["articles"] == 3


@pytest.fixture()
def fresh_fingerprint():  # type: ignore[no-untyped-def]
    from kg.building.fingerprint import code_fingerprint

    code_fingerprint.cache_clear()
    yield
    code_fingerprint.cache_clear()


def test_an_ontology_change_maps_unchanged_articles_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                          fresh_fingerprint: None):
    import kg.ontology

    ontology = tmp_path / "ontology"
    shutil.copytree(kg.ontology.ontology_dir(), ontology)
    monkeypatch.setattr(kg.ontology, "ontology_dir", lambda: ontology)
    with GraphStore(tmp_path / "store") as store:
        assert build([DATA / "multi"], store=store).mapped == 4
        assert build([DATA / "multi"], store=store).mapped == 0
        with (ontology / "kg.ttl").open("a", encoding="utf-8") as f:
            f.write("\n# a new comment is a change of the ontology file\n")
        from kg.building.fingerprint import code_fingerprint

        code_fingerprint.cache_clear()  # a new process would compute it anew
        assert build([DATA / "multi"], store=store).mapped == 4


def test_a_new_kg_version_maps_unchanged_articles_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                        fresh_fingerprint: None):
    import kg

    with GraphStore(tmp_path / "store") as store:
        assert build([DATA / "multi"], store=store).mapped == 4
        monkeypatch.setattr(kg, "__version__", "99.0.0")
        from kg.building.fingerprint import code_fingerprint

        code_fingerprint.cache_clear()
        assert build([DATA / "multi"], store=store).mapped == 4


def test_a_change_to_the_relation_summary_code_builds_the_summary_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                        fresh_fingerprint: None):
    """A store built before the summary gained quads (lookup keys, say) must not keep the old summary: the
    saved questions would find nothing in it."""
    import kg
    import kg.building.fingerprint as fingerprint

    code = tmp_path / "kg"
    shutil.copytree(Path(kg.__file__).parent, code, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(fingerprint, "_kg_dir", lambda: code)
    with GraphStore(tmp_path / "store") as store:
        assert build([DATA / "multi"], store=store).mapped == 4
        assert build([DATA / "multi"], store=store).mapped == 0
        with (code / "building" / "summary.py").open("a", encoding="utf-8") as f:
            f.write("\n# the summary's shape changed\n")
        fingerprint.code_fingerprint.cache_clear()
        report = build([DATA / "multi"], store=store)
        assert report.mapped == 4
        keys = store.select("SELECT (COUNT(*) AS ?n) WHERE { ?r kg:key ?k }").rows[0][0].value
        assert int(keys) > 0


def test_an_empty_or_mistyped_corpus_does_not_empty_the_store(tmp_path: Path):
    store_dir = tmp_path / "store"
    (tmp_path / "empty").mkdir()
    assert runner.invoke(app, ["build", str(DATA / "multi"), "--store", str(store_dir)]).exit_code == 0
    with GraphStore(store_dir) as st:
        before = quads(st)
    result = runner.invoke(app, ["build", str(tmp_path / "empty"), "--store", str(store_dir)])
    assert result.exit_code == 1
    assert "would remove all 4 article(s)" in result.stderr and "--allow-empty" in result.stderr
    result = runner.invoke(app, ["build", str(tmp_path / "emtpy"), "--store", str(store_dir)])
    assert result.exit_code == 1 and "not found" in result.stderr
    with GraphStore(store_dir) as st:
        assert quads(st) == before
    result = runner.invoke(app, ["build", str(tmp_path / "empty"), "--store", str(store_dir), "--allow-empty"])
    assert result.exit_code == 0, result.output
    with GraphStore(store_dir) as st:
        assert st.article_hashes() == {}


def test_store_folder_swaps_one_link(tmp_path: Path):
    import os

    store_dir = tmp_path / "store"
    with GraphStore(store_dir) as st:
        build([DATA / "multi"], store=st)
        first = os.readlink(store_dir / "live")
        build([DATA / "multi"], store=st, force=True)
        second = os.readlink(store_dir / "live")
        assert first != second and not (store_dir / first).exists()
        assert st.location == store_dir / second


def test_a_store_written_before_generations_is_read_and_converted(tmp_path: Path):
    legacy = tmp_path / "store"
    old = ox.Store(str(legacy))
    old.add(ox.Quad(ox.NamedNode("https://e.org/s"), ox.NamedNode("https://e.org/p"), ox.NamedNode("https://e.org/o"),
                    ox.NamedNode(BASE + "article/old")))
    del old
    with GraphStore(legacy, read_only=True) as st:
        assert len(st) == 1
    with GraphStore(legacy) as st:
        assert build([SEEDS], store=st).ok
        n = len(st)
    assert (legacy / "live").is_symlink()
    with GraphStore(legacy, read_only=True) as st:
        assert len(st) == n and BASE + "article/old" not in st.graphs()


def test_an_article_with_very_many_mentions_is_capped(tmp_path: Path):
    from kg.mapping.pipeline import MAX_MENTIONS

    articles = tmp_path / "corpus" / "articles"
    articles.mkdir(parents=True)
    (articles / "big.txt").write_text("Haftar spoke. " + "the war " * (MAX_MENTIONS + 500), encoding="utf-8")
    (articles / "big.yaml").write_text(
        "article: {title: t, outlet: o, date: '2016-07', language: en}\n"
        "entities:\n"
        "  - {id: h, type: Person, mentions: [{text: Haftar}]}\n"
        "  - {id: w, type: ArmedGroup, mentions: [{text: war, all: true}]}\n"
        "relations:\n"
        "  - {type: commands, subject: h, object: w}\n", encoding="utf-8")
    store = GraphStore()
    report = build([tmp_path / "corpus"], store=store)
    assert report.ok, report.problems
    assert any("only the first" in p.message and p.severity == "warning" for p in report.problems)
    n = store.select("SELECT (COUNT(*) AS ?n) WHERE { ?m kg:denotes ?x }").rows[0][0]
    assert int(n.value) == MAX_MENTIONS + 1  # type: ignore[union-attr]


def test_stats_name_arabic_only_claimants_by_their_label():
    from kg.building.stats import store_stats

    store = GraphStore()
    store.replace({"https://w3id.org/kg/id/article/a": (
        "<https://w3id.org/kg/id/article/a#assertion-1> <https://w3id.org/kg/ontology#claimant> "
        "<https://w3id.org/kg/id/source/h-1> .\n"
        '<https://w3id.org/kg/id/source/h-1> <http://www.w3.org/2000/01/rdf-schema#label> "مصادر محلية"@ar .\n')})
    assert store_stats(store)["claims_by_claimant"] == {"مصادر محلية": 1}


def test_build_tells_each_stage_after_mapping(tmp_path: Path):
    stages: list[str] = []
    with GraphStore(tmp_path / "store") as store:
        assert build([DATA / "multi"], store=store, stage=stages.append).ok
    assert stages == ["writing the registry and the relation summary", "counting",
                      "compacting and swapping in the new store"]


def test_build_summary_shows_the_top_claimants_and_verbose_all(tmp_path: Path):
    from kg.building.stats import render_stats

    stats = {"claims_by_claimant": {f"source {i}": 10 - i for i in range(8)}}
    short = render_stats(stats, top=5)
    assert "source 4" in short and "source 5" not in short and "… and 3 more claimants" in short
    assert "source 7" in render_stats(stats)
    runner = CliRunner()
    store = str(tmp_path / "store")
    quiet = runner.invoke(app, ["build", str(DATA / "multi"), "--store", store])
    loud = runner.invoke(app, ["build", str(DATA / "multi"), "--store", store, "--force", "--verbose"])
    assert quiet.exit_code == 0 and loud.exit_code == 0
    assert "more claimants" not in loud.stdout
    assert len(quiet.stdout.splitlines()) <= len(loud.stdout.splitlines())
