"""The one selection record: built once from the CLI, applied once (SPARQL for a source, Python for a network
in hand), the same answer either way."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest
from typer.testing import CliRunner

import kg
from kg.analysis import analyze
from kg.building.build import build
from kg.cli import app
from kg.cli.options import SELECTION_OPTIONS, selection_from_options
from kg.errors import NetworkError
from kg.network import Selection, actor_network, network_from_triples, restrict, select

ROOT = Path(__file__).parent.parent
ACTOR = "https://w3id.org/kg/id/actor/"
runner = CliRunner()

SELECTIONS = [
    Selection(relations=("commands", "supports")),
    Selection(actor_types=("Person",)),
    Selection(since="2016"),
    Selection(until="2015"),
    Selection(as_of="2016-06"),
    Selection(current=True),
    Selection(min_sources=2),
    Selection(include_places=True, relations=("controls",)),
    Selection(relations=("hostileTo",), since="2016-07-15", current=True),
]


@pytest.fixture(scope="module")
def store() -> kg.GraphStore:
    store = kg.GraphStore()
    assert build([ROOT / "seeds"], store=store).ok
    return store


@pytest.fixture(scope="module")
def everything(store: kg.GraphStore) -> nx.MultiDiGraph:
    return actor_network(store, Selection(include_places=True))


def edges(net: nx.MultiDiGraph) -> set[tuple[str, str, str, int]]:
    return {(u, v, k, d["sources"]) for u, v, k, d in net.edges(keys=True, data=True)}


@pytest.mark.parametrize("selection", SELECTIONS, ids=str)
def test_python_filter_of_a_network_equals_the_sparql_filter(store, everything, selection):  # type: ignore[no-untyped-def]
    from_store = actor_network(store, selection)
    from_network = restrict(everything, selection)
    assert edges(from_network) == edges(from_store)
    assert set(from_network) == set(from_store)


def test_a_network_built_with_a_selection_is_not_filtered_again(store: kg.GraphStore):
    selection = Selection(relations=("commands",))
    net = actor_network(store, selection)
    assert net.graph["selection"] == selection
    assert restrict(net, selection) is net


def test_select_cuts_the_centre_and_checks_it(everything: nx.MultiDiGraph):
    near = select(everything, Selection(center="سرايا الدفاع", depth=1))
    assert near.graph["center"] == ACTOR + "bdb" and ACTOR + "lna" in near
    with pytest.raises(NetworkError, match="is not in the selection"):
        select(everything, Selection(center="BDB", relations=("headOf",)))


def test_analyze_applies_its_filters_to_a_network_in_hand(store: kg.GraphStore, everything: nx.MultiDiGraph):
    # the bug: analyze(network, ...) ignored the filters it was given
    by_store = analyze(store, "summary", relations=["hostileTo"])
    by_network = analyze(everything, "summary", relations=["hostileTo"])
    assert by_network == by_store
    assert by_network["relations"] == actor_network(store, relations=["hostileTo"]).number_of_edges()
    assert analyze(everything, "summary", selection=Selection(center="LNA", depth=1))["actors"] < len(everything)


def test_bad_selections_are_errors():
    with pytest.raises(NetworkError, match="bad since date"):
        Selection(since="July 2016")
    with pytest.raises(NetworkError, match="depth must be 0 or more"):
        Selection(depth=-1)
    with pytest.raises(NetworkError, match="unknown relation type 'comands'.*did you mean commands"):
        restrict(network_from_triples([("A", "commands", "B")]), Selection(relations=("comands",)))
    with pytest.raises(NetworkError, match="unknown filter 'exclude'"):
        actor_network(kg.GraphStore(), exclude=("former",))


def test_the_cli_builds_one_selection_with_the_same_options_everywhere():
    assert selection_from_options(relations="commands,supports", actor_types="Person", places=True, since="2016",
                                  as_of="2017", min_sources=2, current=True, center="LNA", depth=2) == Selection(
        relations=("commands", "supports"), actor_types=("Person",), include_places=True, since="2016",
        as_of="2017", min_sources=2, current=True, center="LNA", depth=2)
    options = {"--relations", "--actor-types", "--places", "--events", "--since", "--until", "--as-of",
               "--min-sources", "--current", "--center", "--depth", "--store", "--endpoint"}
    assert len(SELECTION_OPTIONS) == 11
    for command in ("view", "analyze", "export"):
        result = runner.invoke(app, [command, "--help"], terminal_width=200)
        assert result.exit_code == 0
        missing = [o for o in options if o not in result.stdout]
        assert not missing, (command, missing)


def test_view_reads_an_as_of_and_current_selection(tmp_path: Path):
    location = tmp_path / "store"
    disk = kg.GraphStore(location)
    assert build([ROOT / "seeds"], store=disk).ok
    disk.close()
    out = tmp_path / "v.html"
    result = runner.invoke(app, ["view", "-o", str(out), "--store", str(location), "--as-of", "2016-07",
                                 "--current", "--center", "LNA", "--depth", "1"])
    assert result.exit_code == 0, result.output
    assert out.exists() and "actors" in result.stdout
