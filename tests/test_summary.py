"""The relation summary: one node per distinct relation, right after a full build and kept right by
incremental ones."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox

from kg import build
from kg.building.summary import summary_graph, summary_node
from kg.sparql.store import GraphStore
from kg.vocab import ID_BASE, KG, RDF

DATA = Path(__file__).parent / "data"
GRAPH = ox.NamedNode(summary_graph(ID_BASE))


def summary(store: GraphStore) -> set[str]:
    return {str(q) for q in store.store.quads_for_pattern(None, None, None, GRAPH)}


def test_one_node_per_distinct_relation_with_its_counts():
    store = GraphStore()
    assert build([DATA / "multi"], store=store).ok
    node = ox.NamedNode(summary_node(ID_BASE + "actor/haftar", KG + "commands", ID_BASE + "actor/lna", ID_BASE))

    def value(p: str) -> str:
        return next(iter(store.store.quads_for_pattern(node, ox.NamedNode(KG + p), None, GRAPH))).object.value

    assert value("articleCount") == "2" and value("asserted") == "true"
    assertions = list(store.store.quads_for_pattern(node, ox.NamedNode(KG + "assertion"), None, GRAPH))
    assert len(assertions) == 2
    n_nodes = len(list(store.store.quads_for_pattern(None, ox.NamedNode(RDF + "type"),
                                                     ox.NamedNode(KG + "RelationSummary"), GRAPH)))
    assert n_nodes == build([DATA / "multi"], store=GraphStore()).stats["relations"]


def test_incremental_builds_keep_the_summary_equal_to_a_full_one(tmp_path: Path):
    corpus = tmp_path / "corpus"
    shutil.copytree(DATA / "multi", corpus)
    with GraphStore(tmp_path / "store") as store:
        assert build([corpus], store=store).ok
        # deny a relation in one article, edit another's date, remove a third
        a1 = corpus / "articles" / "a1.yaml"
        text = a1.read_text(encoding="utf-8")
        assert "{type: commands" in text
        a1.write_text(text.replace("{type: commands", "{type: commands, negated: true", 1), encoding="utf-8")
        # the same assertion now of another relation, one that a1 reports too (its IRI is the article's and
        # the evidence's)
        a2 = corpus / "articles" / "a2.yaml"
        text = a2.read_text(encoding="utf-8")
        assert "{type: hostileTo, subject: bdb, object: lna" in text
        a2.write_text(text.replace("{type: hostileTo, subject: bdb, object: lna",
                                   "{type: hostileTo, subject: lna, object: bdb", 1), encoding="utf-8")
        a3 = corpus / "articles" / "a3.yaml"
        a3.write_text(a3.read_text(encoding="utf-8").replace("2017-03-05", "2017-03-06"), encoding="utf-8")
        (corpus / "articles" / "a4.yaml").unlink()
        (corpus / "articles" / "a4.txt").unlink()
        report = build([corpus], store=store)
        assert report.ok and (report.mapped, report.removed) == (3, 1)
        incremental = summary(store)
    fresh = GraphStore()
    assert build([corpus], store=fresh).ok
    assert incremental == summary(fresh)
    assert any("#denied>" in q for q in incremental)


def test_stats_read_the_summary_and_count_as_before():
    store = GraphStore()
    assert build([DATA / "multi"], store=store).ok
    before = store.select(
        "SELECT ?p (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?a a kg:Assertion ; rdf:subject ?s ; "
        "rdf:predicate ?p ; rdf:object ?o } } GROUP BY ?p").records()
    expected = {r["p"].removeprefix(KG): int(r["n"]) for r in before}  # type: ignore[union-attr]
    from kg.building.stats import store_stats

    assert store_stats(store)["relations_by_type"] == dict(sorted(expected.items()))


def test_a_server_side_refresh_writes_the_summary_a_build_writes():
    from kg.building.counting import stats_key
    from kg.building.summary import refresh

    built = GraphStore()
    assert build([DATA / "multi"], store=built).ok
    expected = {q for q in summary(built) if stats_key(ID_BASE) not in q}
    assert any("#key>" in q for q in expected) and any("#assertedIn>" in q for q in expected)
    refreshed = GraphStore()
    refreshed.store.extend(q for q in built.store if q.graph_name != GRAPH)
    refresh(refreshed)
    assert summary(refreshed) == expected


def test_keys_find_the_relations_of_an_actor():
    store = GraphStore()
    assert build([DATA / "multi"], store=store).ok
    lna = ID_BASE + "actor/lna"
    found = store.select(f'SELECT ?s WHERE {{ ?r kg:key "* {KG}commands {lna}" ; rdf:subject ?s }}').records()
    expected = store.select(f"SELECT DISTINCT ?s WHERE {{ ?s kg:commands <{lna}> }}").records()
    assert found and sorted(r["s"] for r in found) == sorted(r["s"] for r in expected)  # type: ignore[type-var]


def test_a_relation_is_summarised_from_the_assertions_given_that_still_report_it():
    from kg.building.summary import assertions_in_graphs, summarise

    store = GraphStore()
    assert build([DATA / "multi"], store=store).ok
    held = assertions_in_graphs(store, [ID_BASE + "article/a1", ID_BASE + "article/a2"])
    commands = (ID_BASE + "actor/haftar", KG + "commands", ID_BASE + "actor/lna")
    hostile = next(k for k in held if k[1] == KG + "hostileTo")
    assert len(held[commands]) == 2
    # asked for one relation with an assertion of another and one the store does not hold: only the first
    # relation comes out, from its own two assertions
    given = {commands: held[commands] | held[hostile] | {ID_BASE + "article/gone#assertion-R1"}}
    lines = b"".join(summarise(store, ID_BASE, given)).decode("utf-8").splitlines()
    nodes = {line.split()[0] for line in lines}
    assert nodes == {f"<{summary_node(*commands, ID_BASE)}>"}
    assert sum(f"<{KG}assertion>" in line for line in lines) == 2
    assert any(f'<{KG}articleCount> "2"' in line for line in lines)
