"""The one name resolver (kg.network.names): the registry, the saved questions and the network all use it."""

from __future__ import annotations

from pathlib import Path

import pytest

import kg
from kg.building.build import build
from kg.errors import UnknownActorError
from kg.mapping.resolve import read_registry
from kg.network import actor_network, find_actor
from kg.network.names import lookup, name_index, normalize_name, resolve_name
from kg.sparql.query import resolve_actor

ROOT = Path(__file__).parent.parent
ACTOR = "https://w3id.org/kg/id/actor/"
NAMES = ["قوات حفتر", "وقوات حفتر", "Haftar's forces", "LNA", "lna", "الجيش الوطنى الليبى", "Libyan National Army"]


@pytest.fixture(scope="module")
def store() -> kg.GraphStore:
    store = kg.GraphStore()
    assert build([ROOT / "seeds"], store=store).ok
    return store


@pytest.mark.parametrize("name", NAMES)
def test_registry_store_and_network_agree(store: kg.GraphStore, name: str) -> None:
    registry = read_registry(ROOT / "seeds" / "actors.yaml")
    entry = registry.find(name)
    assert entry is not None and entry.id == "lna"
    assert resolve_actor(store, name).value == ACTOR + "lna"
    assert find_actor(actor_network(store, evidence=False), name) == ACTOR + "lna"


def test_stages_labels_before_aliases_then_whole_words() -> None:
    index = name_index([("a", ["Alpha Group"], ["Beta"]), ("b", ["Beta"], []), ("c", ["Sadiq al-Ghariani"], [])])
    assert resolve_name(index, "beta") == "b"  # a label wins over another's alias
    assert resolve_name(index, "ghariani") == "c"
    assert lookup({normalize_name("الجزيرة"): 1}, "بالجزيرة") == 1
    with pytest.raises(UnknownActorError, match="did you mean Alpha Group"):
        resolve_name(index, "Alpah Group")
