"""Analyses on the seed, the multi-article fixture and the network fixture: exact expected results."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pytest
from typer.testing import CliRunner

from kg import build
from kg.analysis import (
    ALL_ENEMIES,
    ALLY_OF_ENEMY,
    balance,
    blocs,
    centrality,
    command_chains,
    ego_network,
    network_as_of,
    render,
    run,
    shortest_path,
)
from kg.cli import app
from kg.errors import NetworkError, UnknownActorError
from kg.network import actor_network, network_from_triples
from kg.sparql.store import GraphStore

ROOT = Path(__file__).parent.parent
SEEDS = ROOT / "seeds"
MULTI = ROOT / "tests" / "data" / "multi"
NETWORK = ROOT / "tests" / "data" / "network"
runner = CliRunner()


def built(corpus: Path, path: Path | None = None) -> GraphStore:
    store = GraphStore(path)
    report = build([corpus], store=store)
    assert report.ok, [str(p) for p in report.problems]
    return store


@pytest.fixture(scope="module")
def seed() -> nx.MultiDiGraph:
    return actor_network(built(SEEDS), evidence=False)


@pytest.fixture(scope="module")
def multi() -> nx.MultiDiGraph:
    return actor_network(built(MULTI), evidence=False)


@pytest.fixture(scope="module")
def fixture_store() -> GraphStore:
    return built(NETWORK)


@pytest.fixture(scope="module")
def fixture(fixture_store: GraphStore) -> nx.MultiDiGraph:
    return actor_network(fixture_store, evidence=False)


def labels(actors: object) -> list[str]:
    return [a.label for a in actors]  # type: ignore[attr-defined]


# -- the seed ------------------------------------------------------------------------------------------


def test_seed_blocs(seed: nx.MultiDiGraph):
    assert [labels(b.members) for b in blocs(seed)] == [
        ["Ahmed al-Tajouri", "Ajdabiya Operations Room", "al-Saadi al-Nofli", "Benghazi Defense Brigades",
         "Benghazi Revolutionaries Shura Council", "General National Congress", "Ismail al-Sallabi",
         "Mustafa al-Sharkasi", "National Salvation Government", "Nouri Abusahmain",
         "Revolutionary brigades and soldiers of the western region", "Sadiq al-Ghariani", "Ziad Belaam"],
        ["Battalion 101", "Khalifa Haftar", "Libyan National Army", "Mohamed Absayat"],
    ]
    assert all(not b.hostile for b in blocs(seed))
    # alliances alone: the BDB, the Ajdabiya Operations Room and the (intended) Shura Council
    assert [labels(b.members) for b in blocs(seed, signed=False)] == [
        ["Ajdabiya Operations Room", "Benghazi Defense Brigades", "Benghazi Revolutionaries Shura Council"]]


def test_seed_is_balanced(seed: nx.MultiDiGraph):
    result = balance(seed)
    assert (result.triangles, result.balanced, result.ratio, result.unbalanced) == (5, 5, 1.0, ())


def test_seed_command_chains(seed: nx.MultiDiGraph):
    result = command_chains(seed)
    assert result.depth == 1 and result.cycles == ()
    assert [(c.root.label, c.depth, labels(c.longest)) for c in result.chains] == [
        ("Ahmed al-Tajouri", 1, ["Ahmed al-Tajouri", "Benghazi Defense Brigades"]),
        ("al-Saadi al-Nofli", 1, ["al-Saadi al-Nofli", "Benghazi Defense Brigades"]),
        ("Ismail al-Sallabi", 1, ["Ismail al-Sallabi", "Benghazi Defense Brigades"]),
        ("Khalifa Haftar", 1, ["Khalifa Haftar", "Libyan National Army"]),
        ("Mohamed Absayat", 1, ["Mohamed Absayat", "Battalion 101"]),
        ("Mustafa al-Sharkasi", 1, ["Mustafa al-Sharkasi", "Benghazi Defense Brigades"]),
        ("Nouri Abusahmain", 1, ["Nouri Abusahmain", "General National Congress"]),
        ("Ziad Belaam", 1, ["Ziad Belaam", "Benghazi Defense Brigades"]),
    ]
    assert [(li.subordinate.label, li.relations) for li in result.links
            if li.superior.label == "Nouri Abusahmain"] == [("General National Congress", ("headOf",))]


def test_seed_path_between_named_actors_in_either_language(seed: nx.MultiDiGraph):
    expected = ("Khalifa Haftar —commands→ Libyan National Army —hostileTo— Ajdabiya Operations Room "
                "←supports— Sadiq al-Ghariani")
    assert shortest_path(seed, "Khalifa Haftar", "Sadiq al-Ghariani").text() == expected
    path = shortest_path(seed, "حفتر", "الغرياني")
    assert path.text() == expected
    assert [[(t.relation, t.forward) for t in s.ties] for s in path.steps] == [
        [("commands", True)], [("hostileTo", False)], [("supports", False)]]


def test_seed_centrality(seed: nx.MultiDiGraph):
    for measure in ("degree", "betweenness", "eigenvector", "pagerank"):
        assert centrality(seed, measure=measure, top=1)[0].actor.label == "Benghazi Defense Brigades"
    degree = centrality(seed, measure="degree", top=3)
    assert [(s.actor.label, round(s.score, 4)) for s in degree] == [
        ("Benghazi Defense Brigades", 0.7778), ("Ajdabiya Operations Room", 0.3333),
        ("Libyan National Army", 0.2222)]


def test_betweenness_equals_networkx(seed: nx.MultiDiGraph):
    simple = nx.Graph(seed.to_undirected())
    expected = nx.betweenness_centrality(simple)
    got = {s.actor.iri: s.score for s in centrality(seed, measure="betweenness", top=None)}
    assert got == pytest.approx(expected)


def test_seed_ego_network(seed: nx.MultiDiGraph):
    ego = ego_network(seed, "قوات حفتر")
    assert sorted(d["label"] for _, d in ego.nodes(data=True)) == [
        "Ajdabiya Operations Room", "Benghazi Defense Brigades", "Benghazi Revolutionaries Shura Council",
        "Khalifa Haftar", "Libyan National Army"]
    assert ego.number_of_edges() == 6  # every relation among them, not only those of the centre
    ego.add_node("x")
    assert "x" not in seed


# -- several articles ----------------------------------------------------------------------------------


def test_multi_blocs_balance_chains_path(multi: nx.MultiDiGraph):
    assert [labels(b.members) for b in blocs(multi)] == [
        ["Benghazi Defense Brigades", "Benghazi Revolutionaries Shura Council", "Government of National Accord",
         "Sadiq al-Ghariani"],
        ["Khalifa Haftar", "Libyan National Army", "United Arab Emirates"]]
    result = balance(multi)
    assert (result.triangles, result.balanced, result.unbalanced) == (2, 2, ())
    chains = command_chains(multi)
    assert [(c.root.label, labels(c.longest)) for c in chains.chains] == [
        ("Khalifa Haftar", ["Khalifa Haftar", "Libyan National Army"])]
    assert shortest_path(multi, "Haftar", "حكومة الوفاق").text() == (
        "Khalifa Haftar —commands→ Libyan National Army —hostileTo— Government of National Accord")


# -- the network fixture: the structures the analyses look for -----------------------------------------


def test_fixture_unbalanced_triangle(fixture: nx.MultiDiGraph):
    result = balance(fixture)
    assert (result.triangles, result.balanced) == (2, 1)
    [triangle] = result.unbalanced
    assert triangle.kind == ALLY_OF_ENEMY
    assert labels(triangle.actors) == ["Northern Army", "Coastal Front", "Desert Shield"]
    assert triangle.signs == (1, 1, -1)
    assert triangle.relations == (("alliedWith",), ("supports",), ("hostileTo",))
    assert triangle.description == ("Northern Army has positive ties to both Coastal Front and Desert Shield, "
                                    "who are hostile to each other")


def test_fixture_command_chain_of_depth_three(fixture: nx.MultiDiGraph):
    result = command_chains(fixture)
    assert result.depth == 3
    assert [(c.root.label, c.depth, c.members, labels(c.longest)) for c in result.chains] == [
        ("Amin Khalil", 3, 4, ["Amin Khalil", "Northern Army", "Fifth Brigade", "Twelfth Battalion"]),
        ("Rami Haddad", 1, 2, ["Rami Haddad", "Mountain Group"])]
    assert [(li.superior.label, li.subordinate.label, li.relations) for li in result.links] == [
        ("Amin Khalil", "Northern Army", ("commands",)),
        ("Fifth Brigade", "Twelfth Battalion", ("subUnitOf",)),
        ("Northern Army", "Fifth Brigade", ("subUnitOf",)),
        ("Rami Haddad", "Mountain Group", ("commands",))]


def test_fixture_blocs_split_where_allies_fight(fixture: nx.MultiDiGraph):
    result = blocs(fixture)
    assert [labels(b.members) for b in result] == [
        ["Amin Khalil", "Coastal Front", "Fifth Brigade", "Northern Army", "Twelfth Battalion"],
        ["Desert Shield", "Mountain Group", "Rami Haddad"]]
    assert all(not b.hostile for b in result)
    assert [labels(b.members) for b in blocs(fixture, signed=False)] == [
        ["Coastal Front", "Northern Army"], ["Desert Shield", "Mountain Group"]]


def test_fixture_path_and_ego(fixture: nx.MultiDiGraph):
    assert shortest_path(fixture, "أمين خليل", "درع الصحراء").text() == (
        "Amin Khalil —commands→ Northern Army —supports→ Desert Shield")
    assert sorted(d["label"] for _, d in ego_network(fixture, "Mountain Group").nodes(data=True)) == [
        "Coastal Front", "Desert Shield", "Mountain Group", "Rami Haddad"]
    assert len(ego_network(fixture, "Mountain Group", radius=0)) == 1


def test_fixture_as_of_a_date(fixture_store: GraphStore):
    early = network_as_of(fixture_store, "2019-12", evidence=False)
    assert [(c.root.label, c.depth) for c in command_chains(early).chains] == [("Amin Khalil", 3)]
    assert "https://w3id.org/kg/id/actor/rami-haddad" not in early


# -- edge cases ----------------------------------------------------------------------------------------


def test_a_command_cycle_is_reported_not_fatal():
    net = network_from_triples([("A", "commands", "B"), ("B", "commands", "C"), ("C", "commands", "A"),
                                ("C", "commands", "D"), ("Root", "commands", "A")])
    result = command_chains(net)
    assert [labels(c) for c in result.cycles] == [["A", "B", "C"]]
    assert [(c.root.label, c.depth) for c in result.chains] == [("Root", 2)]


def test_three_enemies_are_unbalanced_only_in_the_strict_sense():
    net = network_from_triples([("A", "hostileTo", "B"), ("B", "hostileTo", "C"), ("A", "hostileTo", "C")])
    assert [t.kind for t in balance(net).unbalanced] == [ALL_ENEMIES]
    assert balance(net, strict=False).unbalanced == ()


def test_no_path_and_unknown_names_are_errors():
    net = network_from_triples([("A", "supports", "B"), ("C", "supports", "D")])
    with pytest.raises(NetworkError, match="no chain of relations links A and C"):
        shortest_path(net, "A", "C")
    with pytest.raises(UnknownActorError):
        ego_network(net, "Z")
    with pytest.raises(NetworkError, match="unknown centrality measure"):
        centrality(net, measure="closeness")
    with pytest.raises(NetworkError, match="path takes 2 actor name"):
        run(net, "path", ["A"])


def test_empty_network():
    empty = nx.MultiDiGraph()
    assert centrality(empty) == [] and blocs(empty) == []
    assert balance(empty).ratio == 1.0
    assert command_chains(empty).chains == ()


def test_run_and_render_summary(fixture: nx.MultiDiGraph):
    report = run(fixture, "summary", top=2)
    json.dumps(report, ensure_ascii=False)
    assert set(report) >= {"centrality", "blocs", "balance", "chains"}
    text = render(report)
    assert "unbalanced (ally of my enemy): Northern Army has positive ties" in text
    assert "Amin Khalil: depth 3, 4 actors: Amin Khalil → Northern Army → Fifth Brigade → Twelfth Battalion" in text


# -- the command line ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("analyze") / "store"
    built(NETWORK, path).close()
    return path


def test_cli_analyze_json(store_dir: Path):
    result = runner.invoke(app, ["analyze", "balance", "--store", str(store_dir), "--format", "json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert [a["label"] for a in report["balance"]["unbalanced"][0]["actors"]] == [
        "Northern Army", "Coastal Front", "Desert Shield"]


def test_cli_analyze_path_table_in_arabic(store_dir: Path):
    result = runner.invoke(app, ["analyze", "path", "أمين خليل", "درع الصحراء", "--store", str(store_dir)])
    assert result.exit_code == 0, result.output
    assert "Amin Khalil —commands→ Northern Army —supports→ Desert Shield" in result.stdout


def test_cli_analyze_filters(store_dir: Path):
    result = runner.invoke(app, ["analyze", "chains", "--store", str(store_dir), "--as-of", "2019-12",
                                 "--format", "json"])
    assert [c["root"]["label"] for c in json.loads(result.stdout)["chains"]["chains"]] == ["Amin Khalil"]
    result = runner.invoke(app, ["analyze", "blocs", "--store", str(store_dir), "--min-sources", "2"])
    assert "Coastal Front, Northern Army" in result.stdout


def test_cli_unknown_actor_is_one_line_and_exit_1(store_dir: Path):
    result = runner.invoke(app, ["analyze", "ego", "Mountain Grup", "--store", str(store_dir)])
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == [
        "Error: no actor named 'Mountain Grup' (did you mean Mountain Group?)"]


def test_top_bounds_every_section():
    from kg.analysis import analyze

    triples = [(f"A{i}", "alliedWith", f"B{i}") for i in range(12)]
    triples += [(f"H{i}", "commands", f"U{i}") for i in range(5)]
    triples += [("A0", "alliedWith", "C"), ("C", "alliedWith", "D"), ("D", "alliedWith", "A0")]
    triples += [("A0", "hostileTo", "D"), ("C", "hostileTo", "B0"), ("D", "hostileTo", "B0")]
    net = network_from_triples(triples)
    report = analyze(net, "summary", top=3)
    assert len(report["blocs"]) == 3 and report["blocs_total"] >= 12
    assert len(report["chains"]["chains"]) == 3 and report["chains"]["chains_total"] == 5
    assert all(len(s) <= 3 for s in report["centrality"].values())
    text = render(report)
    assert f"… and {report['blocs_total'] - 3} more blocs" in text and "… and 2 more chains" in text
    full = analyze(net, "summary", top=None)
    assert len(full["blocs"]) == full["blocs_total"] and "more blocs" not in render(full)
