"""GEXF for Gephi: valid against the official 1.2draft schema, with colour, shape, size, position and spells."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest
from lxml import etree

import kg
from kg.building.build import build
from kg.exports import write_gexf
from kg.network import actor_network, network_from_triples, signed_network

ROOT = Path(__file__).parent.parent
SCHEMA = Path(__file__).parent / "gexf" / "gexf.xsd"
NS = {"g": "http://www.gexf.net/1.2draft", "viz": "http://www.gexf.net/1.2draft"}  # the schema keeps viz there


@pytest.fixture(scope="module")
def schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMA)))


@pytest.fixture(scope="module")
def seed_network() -> nx.MultiDiGraph:
    store = kg.GraphStore()
    assert build([ROOT / "seeds"], store=store).ok
    return actor_network(store, include_places=True)


def test_seed_gexf_is_valid_and_carries_viz_and_spells(seed_network, schema, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    [path] = write_gexf(seed_network, tmp_path / "seed.gexf")
    doc = etree.parse(str(path))
    schema.assertValid(doc)
    graph = doc.find("g:graph", NS)
    assert graph is not None and graph.get("mode") == "dynamic" and graph.get("timeformat") == "date"
    assert graph.get("name") is None
    lna = doc.find("g:graph/g:nodes/g:node[@id='https://w3id.org/kg/id/actor/lna']", NS)
    assert lna is not None and lna.get("label") == "Libyan National Army"
    colour = lna.find("viz:color", NS)
    ont = kg.load_ontology()
    assert colour is not None and "#{:02x}{:02x}{:02x}".format(
        *(int(colour.get(c) or 0) for c in "rgb")) == ont.term("ArmedGroup").colour
    assert lna.find("viz:position", NS) is not None and float(lna.find("viz:size", NS).get("value")) > 4
    assert lna.find("viz:shape", NS).get("value") in {"disc", "square", "triangle", "diamond"}
    spell = lna.find("g:spells/g:spell", NS)
    assert spell is not None and (spell.get("start"), spell.get("end")) == ("2016-07-01", "2016-07-31")  # reported
    titles = {a.get("title") for a in doc.iterfind("g:graph/g:attributes/g:attribute", NS)}
    assert {"registry_id", "ucdp", "type", "label_ar", "claim_flags", "sources"} <= titles
    assert "networkx_key" not in titles and "flags" not in titles
    edge = next(e for e in doc.iterfind("g:graph/g:edges/g:edge", NS) if e.get("label") == "commands")
    assert edge.find("g:spells/g:spell", NS) is not None and edge.find("viz:color", NS) is not None


def test_gexf_reads_back_in_networkx_with_ids(seed_network, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    [path] = write_gexf(seed_network, tmp_path / "seed.gexf")
    back = nx.read_gexf(path)
    assert back.number_of_nodes() == seed_network.number_of_nodes()
    lna = back.nodes["https://w3id.org/kg/id/actor/lna"]
    assert (lna["registry_id"], lna["ucdp"], lna["label_ar"]) == ("lna", "7072", "الجيش الوطني الليبي")
    assert back.nodes["https://w3id.org/kg/id/place/libya"]["wikidata"] == "Q1016"


def test_projection_gexf_is_valid(seed_network, schema, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    [path] = write_gexf(signed_network(seed_network), tmp_path / "signed.gexf")
    schema.assertValid(etree.parse(str(path)))
    [path] = write_gexf(network_from_triples([("A", "hostileTo", "B")]), tmp_path / "tiny.gexf")
    schema.assertValid(etree.parse(str(path)))
