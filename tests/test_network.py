"""The actor network: nodes, edges and their provenance, filters, name lookup, projections, endpoints."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import networkx as nx
import pytest

from kg import build
from kg.network import (
    NetworkError,
    UnknownActorError,
    actor_network,
    alliance_network,
    command_hierarchy,
    find_actor,
    network_from_triples,
    signed_network,
    support_network,
)
from kg.sparql.source import Endpoint
from kg.sparql.store import GraphStore

ROOT = Path(__file__).parent.parent
SEEDS = ROOT / "seeds"
MULTI = ROOT / "tests" / "data" / "multi"
NETWORK = ROOT / "tests" / "data" / "network"
ACTOR = "https://w3id.org/kg/id/actor/"


def built(corpus: Path, path: Path | None = None) -> GraphStore:
    store = GraphStore(path)
    report = build([corpus], store=store)
    assert report.ok, [str(p) for p in report.problems]
    return store


@pytest.fixture(scope="module")
def seed() -> GraphStore:
    return built(SEEDS)


@pytest.fixture(scope="module")
def multi() -> GraphStore:
    return built(MULTI)


@pytest.fixture(scope="module")
def fixture() -> GraphStore:
    return built(NETWORK)


def labelled(net: nx.MultiDiGraph) -> set[tuple[str, str, str]]:
    return {(net.nodes[s]["label"], r, net.nodes[o]["label"]) for s, o, r in net.edges(keys=True)}


# -- the seed ------------------------------------------------------------------------------------------


def test_seed_network_has_every_actor_relation_once(seed: GraphStore):
    net = actor_network(seed)
    assert (net.number_of_nodes(), net.number_of_edges()) == (19, 24)
    edges = labelled(net)
    assert ("Khalifa Haftar", "commands", "Libyan National Army") in edges
    assert ("Mohamed Absayat", "loyalTo", "Khalifa Haftar") in edges
    assert ("Benghazi Defense Brigades", "hostileTo", "Libyan National Army") in edges
    assert ("Ajdabiya Operations Room", "renamedFrom", "Ajdabiya Revolutionaries Shura Council") in edges
    # places, ranks, titles and sources are not actors
    assert {d["type"] for _, d in net.nodes(data=True)} <= {"Person", "ArmedGroup", "MilitaryUnit", "Coalition",
                                                           "PoliticalBody", "GovernmentBody"}


def test_seed_node_attributes(seed: GraphStore):
    node = actor_network(seed).nodes[ACTOR + "lna"]
    assert node["type"] == "ArmedGroup"
    assert node["iri"] == ACTOR + "lna"
    assert (node["label"], node["label_en"], node["label_ar"]) == (
        "Libyan National Army", "Libyan National Army", "الجيش الوطني الليبي")
    assert {"قوات حفتر", "Haftar's forces", "LNA"} <= set(node["aliases"])


def test_seed_edge_provenance(seed: GraphStore):
    edge = actor_network(seed).edges[ACTOR + "bdb", ACTOR + "lna", "hostileTo"]  # symmetric: canonical order
    assert edge["relation"] == "hostileTo" and edge["symmetric"] is True and edge["sign"] == -1
    assert (edge["sources"], edge["claimants"], edge["first"], edge["last"]) == (1, ["Al Jazeera"], "2016-07",
                                                                                  "2016-07")
    assert edge["articles"] == ["https://w3id.org/kg/id/article/000_9c143c0af1e05f5b"]
    [evidence] = edge["evidence"]
    assert evidence["quote"] == "باشتباكات بين قوات حفتر وسرايا الدفاع عن بنغازي"
    assert evidence["title"] == "قتلى باشتباكات بين قوات حفتر وسرايا الدفاع عن بنغازي"
    assert (evidence["outlet"], evidence["date"], evidence["claimant"], evidence["flags"]) == (
        "Al Jazeera", "2016-07", "Al Jazeera", [])


def test_seed_flags_and_excluding_them(seed: GraphStore):
    net = actor_network(seed)
    assert net.edges[ACTOR + "bdb", ACTOR + "former-regime-brigades", "hostileTo"]["flags"] == ["former"]
    assert net.edges[ACTOR + "bdb", ACTOR + "brsc", "alliedWith"]["flags"] == ["intended"]
    current = actor_network(seed, current=True, evidence=False)
    assert current.number_of_edges() == 24 - 3  # former hostility, former headOf, intended alliance
    assert not current.has_edge(ACTOR + "bdb", ACTOR + "brsc")


def test_seed_places_three_claimants_one_article(seed: GraphStore):
    net = actor_network(seed, include_places=True)
    edge = net.edges[ACTOR + "bdb", "https://w3id.org/kg/id/place/al-maqrun", "controls"]
    assert edge["sources"] == 1
    assert edge["claimants"] == ["Al Jazeera", "Local sources", "Sources from the Benghazi Defense Brigades"]
    assert len(edge["evidence"]) == 3
    assert net.nodes["https://w3id.org/kg/id/place/al-maqrun"]["type"] == "Town"


def test_relation_and_type_filters_take_sub_relations_and_sub_types(seed: GraphStore):
    supports = actor_network(seed, relations=["supports"], evidence=False)
    assert {r for _, _, r in supports.edges(keys=True)} == {"supports", "loyalTo"}
    people = actor_network(seed, actor_types=["Person"], evidence=False)
    assert labelled(people) == {("Mohamed Absayat", "loyalTo", "Khalifa Haftar")}


def test_place_classes_can_be_chosen_too(seed: GraphStore):
    net = actor_network(seed, actor_types=["ArmedGroup", "Town"], evidence=False)
    assert {d["type"] for _, d in net.nodes(data=True)} == {"ArmedGroup", "MilitaryUnit", "Town"}  # sub-classes
    assert ("Benghazi Defense Brigades", "controls", "al-Maqrun") in labelled(net)


def test_events_join_their_participants(seed: GraphStore):
    net = actor_network(seed, include_events=True, include_places=True, evidence=False)
    clash = "https://w3id.org/kg/id/article/000_9c143c0af1e05f5b#event-maqrun_clash"
    assert net.nodes[clash]["type"] == "Clash"
    assert {(r, net.nodes[x]["label"]) for _, x, r in net.out_edges(clash, keys=True)} == {
        ("participant", "Libyan National Army"), ("participant", "Benghazi Defense Brigades"),
        ("place", "al-Maqrun")}


# -- several articles ----------------------------------------------------------------------------------


def test_multi_counts_independent_sources(multi: GraphStore):
    net = actor_network(multi)
    haftar_lna = net.edges[ACTOR + "haftar", ACTOR + "lna", "commands"]
    assert (haftar_lna["sources"], haftar_lna["first"], haftar_lna["last"]) == (2, "2016-07-18", "2016-07-20")
    assert haftar_lna["claimants"] == ["Libya Observer", "مصدر عسكري"]
    strong = actor_network(multi, min_sources=2, evidence=False)
    assert labelled(strong) == {
        ("Khalifa Haftar", "commands", "Libyan National Army"),
        ("Benghazi Defense Brigades", "hostileTo", "Libyan National Army"),
        ("Sadiq al-Ghariani", "supports", "Benghazi Defense Brigades"),
        ("United Arab Emirates", "supports", "Libyan National Army"),
        ("Benghazi Defense Brigades", "alliedWith", "Benghazi Revolutionaries Shura Council"),
    }


def test_date_window_meets_partial_dates(multi: GraphStore):
    def sources(since: str | None = None, until: str | None = None) -> dict[tuple[str, str, str], int]:
        net = actor_network(multi, evidence=False, since=since, until=until)
        return {(net.nodes[s]["label"], r, net.nodes[o]["label"]): d["sources"]
                for s, o, r, d in net.edges(keys=True, data=True)}

    assert sources(until="2016-07")[("Khalifa Haftar", "commands", "Libyan National Army")] == 2
    assert sources(since="2016-07-19")[("Khalifa Haftar", "commands", "Libyan National Army")] == 1
    late = sources(since="2017")
    assert ("Khalifa Haftar", "commands", "Libyan National Army") not in late
    assert late[("United Arab Emirates", "supports", "Libyan National Army")] == 1
    assert sources(since="2016", until="2016") == sources(until="2016-12-31")


def test_negated_claims_make_no_edge_unless_asked(fixture: GraphStore):
    key = (ACTOR + "coastal-front", ACTOR + "mountain-group", "supports")
    assert not actor_network(fixture, evidence=False).has_edge(*key)
    with_denials = actor_network(fixture, include_negated=True)
    edge = with_denials.edges[key]
    assert edge["negated"] is True and edge["evidence"][0]["flags"] == ["negated"]
    assert edge["claimants"] == ["an official"]


def test_as_of_keeps_what_was_reported_by_then(fixture: GraphStore):
    early = actor_network(fixture, as_of="2019-12", evidence=False)
    assert ACTOR + "rami-haddad" not in early
    assert early.edges[ACTOR + "desert-shield", ACTOR + "mountain-group", "alliedWith"]["sources"] == 1
    assert actor_network(fixture, evidence=False).edges[
        ACTOR + "desert-shield", ACTOR + "mountain-group", "alliedWith"]["sources"] == 2


@pytest.mark.parametrize(("options", "message"), [
    ({"relations": ["alliedwith"]}, "unknown relation type 'alliedwith' (did you mean alliedWith"),
    ({"since": "July 2016"}, "bad since date 'July 2016' (use YYYY, YYYY-MM or YYYY-MM-DD)"),
    ({"actor_types": ["Militia"]}, "unknown actor type 'Militia'"),
    ({"min_sources": 0}, "min_sources must be at least 1, not 0"),
])
def test_bad_filters_are_errors_with_a_hint(options: dict[str, object], message: str):
    with pytest.raises(NetworkError) as info:
        actor_network(GraphStore(), **options)  # type: ignore[arg-type]
    assert str(info.value).startswith(message)


# -- names ---------------------------------------------------------------------------------------------


def test_find_actor_by_label_alias_id_or_iri(seed: GraphStore):
    net = actor_network(seed, evidence=False)
    assert find_actor(net, "قوات حفتر") == ACTOR + "lna"
    assert find_actor(net, "Haftar's forces") == ACTOR + "lna"
    assert find_actor(net, "السرايا") == ACTOR + "bdb"
    assert find_actor(net, "الصادق الغرياني") == ACTOR + "sadiq-al-ghariani"
    assert find_actor(net, "brsc") == ACTOR + "brsc"
    assert find_actor(net, ACTOR + "bdb") == ACTOR + "bdb"
    assert find_actor(net, "Ghariani") == ACTOR + "sadiq-al-ghariani"  # whole words of one name
    with pytest.raises(UnknownActorError, match=r"no actor named 'Sadik al-Gharyani' \(did you mean .*Sadiq al-Ghariani"):
        find_actor(net, "Sadik al-Gharyani")


def test_a_name_of_two_actors_is_ambiguous():
    net = network_from_triples([("A", "supports", "B")])
    net.nodes["A"]["aliases"] = ["X"]
    net.nodes["B"]["aliases"] = ["X"]
    with pytest.raises(UnknownActorError, match="'X' names 2 actors: A, B"):
        find_actor(net, "X")


# -- projections ---------------------------------------------------------------------------------------


def test_projections_of_the_seed(seed: GraphStore):
    net = actor_network(seed, evidence=False)
    before = nx.to_dict_of_dicts(net)
    name = {n: d["label"] for n, d in net.nodes(data=True)}
    alliance = alliance_network(net)
    assert not alliance.is_directed()
    assert {frozenset((name[u], name[v])) for u, v in alliance.edges()} == {
        frozenset(("Benghazi Defense Brigades", "Ajdabiya Operations Room")),
        frozenset(("Benghazi Defense Brigades", "Benghazi Revolutionaries Shura Council"))}
    support = support_network(net)
    assert (name[ACTOR + "mohamed-absayat"], name[ACTOR + "khalifa-haftar"]) in {
        (name[u], name[v]) for u, v in support.edges()}
    assert support.number_of_edges() == 8
    hierarchy = command_hierarchy(net)
    assert nx.is_directed_acyclic_graph(hierarchy)
    assert hierarchy.number_of_edges() == 8  # 7 commands + 1 headOf
    signed = signed_network(net)
    assert signed.edges[ACTOR + "bdb", ACTOR + "lna"]["sign"] == -1
    assert signed.edges[ACTOR + "bdb", ACTOR + "ajdabiya-operations-room"]["sign"] == 1
    assert {d["sign"] for _, _, d in signed.edges(data=True)} == {1, -1}
    assert nx.to_dict_of_dicts(net) == before  # the caller's network is untouched


def test_hierarchy_puts_parents_above_sub_units():
    net = network_from_triples([("Khalil", "commands", "Army"), ("Brigade", "subUnitOf", "Army"),
                                ("Fighter", "memberOf", "Brigade")])
    assert sorted(command_hierarchy(net).edges()) == [("Army", "Brigade"), ("Brigade", "Fighter"),
                                                      ("Khalil", "Army")]


def test_signed_network_settles_mixed_pairs_by_sources():
    net = network_from_triples([("A", "alliedWith", "B"), ("A", "alliedWith", "B"), ("A", "hostileTo", "B"),
                                ("C", "alliedWith", "D"), ("C", "hostileTo", "D")])
    signed = signed_network(net)
    assert (signed.edges["A", "B"]["sign"], signed.edges["A", "B"]["conflict"]) == (1, True)
    assert signed.edges["C", "D"]["sign"] == -1  # a tie counts as hostile


# -- a remote endpoint ---------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.skipif(shutil.which("oxigraph") is None, reason="needs the oxigraph server (pip install oxigraph)")
def test_an_endpoint_gives_the_same_network(tmp_path: Path):
    location = tmp_path / "store"
    built(NETWORK, location).close()
    port = _free_port()
    server = subprocess.Popen(["oxigraph", "serve-read-only", "--location", str(location / "live"), "--bind",
                               f"127.0.0.1:{port}", "--union-default-graph"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/query"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{url}?query=ASK%7B%7D", timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        remote = actor_network(Endpoint(url), include_negated=True)
        with GraphStore(location, read_only=True) as store:
            local = actor_network(store, include_negated=True)
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert nx.utils.nodes_equal(remote.nodes(data=True), local.nodes(data=True))
    assert sorted(remote.edges(keys=True, data=True), key=str) == sorted(local.edges(keys=True, data=True), key=str)


def test_an_unreachable_endpoint_is_one_error():
    with pytest.raises(Exception) as info:
        actor_network(Endpoint(f"http://127.0.0.1:{_free_port()}/query"))
    assert "127.0.0.1" in str(info.value)
