"""Every export read back by another reader: networkx for GraphML and GEXF, csv for CSV, rdflib for RDF."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import networkx as nx
import pytest
import rdflib
from rdflib.namespace import RDFS
from typer.testing import CliRunner

from kg import build
from kg.cli import app
from kg.exports import (
    DYAD_COLUMNS,
    ExportError,
    dyads,
    export,
    export_format,
    nodes_path,
    scalar_network,
    write_csv,
    write_gexf,
    write_graphml,
)
from kg.network import actor_network, alliance_network, network_from_triples
from kg.sparql.store import GraphStore

ROOT = Path(__file__).parent.parent
SEEDS = ROOT / "seeds"
runner = CliRunner()


@pytest.fixture(scope="module")
def store() -> GraphStore:
    store = GraphStore()
    assert build([SEEDS], store=store).ok
    return store


@pytest.fixture(scope="module")
def network(store: GraphStore) -> nx.MultiDiGraph:
    return actor_network(store, include_places=True)


def relation_count(net: nx.Graph) -> Counter[tuple[str, str, str]]:
    return Counter((str(u), str(v), d["relation"]) for u, v, d in net.edges(data=True))


@pytest.mark.parametrize(("write", "read"), [(write_graphml, nx.read_graphml), (write_gexf, nx.read_gexf)])
def test_graph_files_read_back_equal(network: nx.MultiDiGraph, tmp_path: Path, write, read):  # type: ignore[no-untyped-def]
    [path] = write(network, tmp_path / "net.out")
    back = read(path)
    assert (back.number_of_nodes(), back.number_of_edges()) == (network.number_of_nodes(), network.number_of_edges())
    assert back.is_directed() and back.is_multigraph()
    for node, data in network.nodes(data=True):
        got = back.nodes[node]
        assert (got["label"], got["label_en"], got["label_ar"], got["type"], got["iri"]) == (
            data["label"], data["label_en"], data["label_ar"], data["type"], data["iri"])
        assert got["aliases"] == " | ".join(data["aliases"])
    assert relation_count(back) == relation_count(network)
    edge = next(d for u, v, d in back.edges(data=True)
                if d["relation"] == "controls" and v.endswith("/al-maqrun"))
    assert edge["sources"] == 1 and isinstance(edge["sources"], int)
    assert edge["symmetric"] is False and edge["weight"] == 1.0
    assert edge["claimants"] == "Al Jazeera | Local sources | Sources from the Benghazi Defense Brigades"
    assert "سيطر عليها مقاتلو سرايا الدفاع عن بنغازي" in edge["quotes"]


def test_graphml_declares_types_and_keeps_arabic_unescaped(network: nx.MultiDiGraph, tmp_path: Path):
    text = write_graphml(network, tmp_path / "net.graphml")[0].read_text(encoding="utf-8")
    assert 'attr.name="sources" attr.type="long"' in text
    assert 'attr.name="symmetric" attr.type="boolean"' in text
    assert "سرايا الدفاع عن بنغازي" in text and "&#" not in text


def test_csv_dyads_and_nodes_read_back(network: nx.MultiDiGraph, tmp_path: Path):
    dyad_file, node_file = write_csv(network, tmp_path / "net.csv")
    assert node_file == tmp_path / "net.nodes.csv"
    with dyad_file.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    with node_file.open(encoding="utf-8", newline="") as f:
        nodes = list(csv.DictReader(f))
    assert len(rows) == network.number_of_edges() and len(nodes) == network.number_of_nodes()
    assert tuple(rows[0]) == DYAD_COLUMNS
    assert {n["iri"]: (n["label"], n["label_ar"]) for n in nodes} == {
        n: (d["label"], d["label_ar"]) for n, d in network.nodes(data=True)}
    assert Counter((r["actor1_iri"], r["actor2_iri"], r["relation"]) for r in rows) == relation_count(network)
    hostile = next(r for r in rows if r["relation"] == "hostileTo" and r["actor2"] == "Libyan National Army"
                   and r["actor1"] == "Benghazi Defense Brigades")
    assert (hostile["actor1_ar"], hostile["sources"], hostile["first_reported"], hostile["last_reported"],
            hostile["claimants"], hostile["sign"], hostile["symmetric"]) == (
        "سرايا الدفاع عن بنغازي", "1", "2016-07", "2016-07", "Al Jazeera", "-1", "True")


@pytest.mark.parametrize("fmt", ["trig", "nq", "jsonld"])
def test_rdf_datasets_read_back_by_rdflib(store: GraphStore, tmp_path: Path, fmt: str):
    path = tmp_path / f"dump.{fmt}"
    assert export(store, path, fmt) == [path]
    dataset = rdflib.Dataset()
    dataset.parse(path, format={"trig": "trig", "nq": "nquads", "jsonld": "json-ld"}[fmt])
    assert len(list(dataset.quads((None, None, None, None)))) == len(store)  # every quad, in its named graph
    original = store.to_rdflib()
    assert {(s, o) for s, _, o, _ in dataset.quads((None, RDFS.label, None, None))} == {
        (s, o) for s, _, o, _ in original.quads((None, RDFS.label, None, None))}
    assert rdflib.Literal("سرايا الدفاع عن بنغازي", lang="ar") in {
        o for _, _, o, _ in dataset.quads((None, RDFS.label, None, None))}


def test_turtle_holds_the_union_of_the_graphs(store: GraphStore, tmp_path: Path):
    path = export(store, tmp_path / "dump.ttl", "ttl")[0]
    graph = rdflib.Graph().parse(path, format="turtle")
    assert len(graph) == len({(q.subject, q.predicate, q.object) for q in store.quads()})


def test_projection_export(store: GraphStore, tmp_path: Path):
    [path] = export(store, tmp_path / "alliances.graphml", projection="alliance")
    back = nx.read_graphml(path)
    expected = alliance_network(actor_network(store, evidence=False))
    assert (back.number_of_nodes(), back.number_of_edges()) == (expected.number_of_nodes(),
                                                                 expected.number_of_edges())
    assert not back.is_directed()
    assert {d["relations"] for _, _, d in back.edges(data=True)} == {"alliedWith"}


def test_scalar_network_leaves_the_caller_alone():
    net = network_from_triples([("A", "alliedWith", "B")])
    flat = scalar_network(net)
    assert net.nodes["A"]["aliases"] == [] and flat.nodes["A"]["label_ar"] == ""
    assert list(flat.edges(keys=True)) == [("A", "B", "e0")]


@pytest.mark.parametrize(("name", "fmt", "message"), [
    ("out.txt", None, "cannot tell the format of out.txt"),
    ("out.ttl", "turtle", "unknown export format 'turtle'"),
    ("out.rdf", "ttl", "ttl output needs a file ending in .ttl, not out.rdf (use -o out.ttl)"),
])
def test_format_errors(name: str, fmt: str | None, message: str):
    with pytest.raises(ExportError) as info:
        export_format(Path(name), fmt)
    assert str(info.value).startswith(message)


def test_rdf_export_takes_no_filters(store: GraphStore, tmp_path: Path):
    with pytest.raises(ExportError, match="writes the whole dataset"):
        export(store, tmp_path / "x.trig", projection="alliance")


def test_cli_export(store: GraphStore, tmp_path: Path):
    location = tmp_path / "store"
    disk = GraphStore(location)
    assert build([SEEDS], store=disk).ok
    disk.close()
    out = tmp_path / "actors.gexf"
    result = runner.invoke(app, ["export", "-o", str(out), "--store", str(location), "--places"])
    assert result.exit_code == 0, result.output
    assert nx.read_gexf(out).number_of_nodes() == actor_network(store, include_places=True).number_of_nodes()
    result = runner.invoke(app, ["export", "--format", "csv", "-o", str(tmp_path / "d.csv"), "--store", str(location),
                                 "--relations", "hostileTo"])
    assert result.exit_code == 0, result.output
    assert nodes_path(tmp_path / "d.csv").exists()
    with (tmp_path / "d.csv").open(encoding="utf-8") as f:
        assert {r["relation"] for r in csv.DictReader(f)} == {"hostileTo"}
    result = runner.invoke(app, ["export", "-o", str(tmp_path / "x.nq"), "--store", str(location), "--since", "2016"])
    assert result.exit_code == 1 and "filters and projections apply to graphml, gexf, csv" in result.stderr


# -- projections, ids, column names ----------------------------------------------------------------------------

def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.mark.parametrize("projection", ["alliance", "signed"])
def test_undirected_projection_csv_keeps_each_relation_as_stated(store: GraphStore, tmp_path: Path, projection: str):
    from kg.network import PROJECTIONS

    network = actor_network(store, evidence=False)
    projected = PROJECTIONS[projection](network)
    [dyad_file, _] = export(store, tmp_path / f"{projection}.csv", projection=projection)
    rows = _read(dyad_file)
    assert len(rows) == sum(len(d["ties"]) for _, _, d in projected.edges(data=True))
    for row in rows:  # each row is one relation of the network, in its own direction, with its own provenance
        edge = network.edges[row["actor1_iri"], row["actor2_iri"], row["relation"]]
        assert (row["symmetric"], row["first_reported"], row["last_reported"], row["claimants"], row["sign"]) == (
            str(edge["symmetric"]), edge["first"] or "", edge["last"] or "", " | ".join(edge["claimants"]),
            str(edge["sign"]))
        if projection == "signed":
            pair = projected.edges[row["actor1_iri"], row["actor2_iri"]]
            assert row["pair_sign"] == str(pair["sign"]) and row["conflict"] == str(pair["conflict"])
    commands = [r for r in rows if r["relation"] == "commands"]
    if projection == "signed":
        assert commands and all(r["symmetric"] == "False" for r in commands)
        assert all(network.has_edge(r["actor1_iri"], r["actor2_iri"], "commands") for r in commands)
    else:
        assert not commands and {r["symmetric"] for r in rows} == {"True"}


@pytest.mark.parametrize("projection", ["support", "command"])
def test_directed_projection_csv_follows_the_projection(store: GraphStore, tmp_path: Path, projection: str):
    from kg.network import PROJECTIONS

    projected = PROJECTIONS[projection](actor_network(store, evidence=False))
    [dyad_file, node_file] = export(store, tmp_path / f"{projection}.csv", projection=projection)
    rows = _read(dyad_file)
    assert {(r["actor1_iri"], r["actor2_iri"]) for r in rows} == set(projected.edges())
    for row in rows:
        edge = projected.edges[row["actor1_iri"], row["actor2_iri"]]
        assert row["relation"] == " | ".join(edge["relations"]) and row["symmetric"] == "False"
        assert (row["first_reported"], row["claimants"]) == (edge["first"] or "", " | ".join(edge["claimants"]))
    assert {n["iri"] for n in _read(node_file)} == set(projected)
    [graphml] = export(store, tmp_path / f"{projection}.graphml", projection=projection)
    back = nx.read_graphml(graphml)
    assert back.is_directed() and set(back.edges()) == set(projected.edges())


def test_ids_in_every_network_format(network: nx.MultiDiGraph, tmp_path: Path):
    dyad_file, node_file = write_csv(network, tmp_path / "net.csv")
    nodes = {n["iri"]: n for n in _read(node_file)}
    lna = nodes["https://w3id.org/kg/id/actor/lna"]
    assert (lna["registry_id"], lna["ucdp"], lna["wikidata"]) == ("lna", "7072", "")
    libya = nodes["https://w3id.org/kg/id/place/libya"]
    assert (libya["registry_id"], libya["wikidata"]) == ("libya", "Q1016")
    assert nodes["https://w3id.org/kg/id/place/benghazi"]["lat"] == "32.1167"
    row = next(r for r in _read(dyad_file) if r["actor1_iri"].endswith("/lna") or r["actor2_iri"].endswith("/lna"))
    side = "actor1" if row["actor1_iri"].endswith("/lna") else "actor2"
    assert (row[f"{side}_id"], row[f"{side}_ucdp"]) == ("lna", "7072")
    [graphml] = write_graphml(network, tmp_path / "net.graphml")
    back = nx.read_graphml(graphml)
    assert back.nodes["https://w3id.org/kg/id/actor/lna"]["ucdp"] == "7072"


def test_acled_category_and_inter_code_are_exported():
    net = network_from_triples([("A", "hostileTo", "B")])
    net.nodes["A"].update(acled="StateForces", registry_id="a")
    row = dyads(net)[0]
    assert (row["actor1_acled"], row["inter1"], row["inter2"]) == ("StateForces", "1", "")
    assert scalar_network(net).nodes["A"]["acled_inter"] == "1"


def test_csv_columns_are_pandas_attributes():
    import pandas as pd

    from kg.exports import EVENT_COLUMNS, NODE_COLUMNS

    for column in (*DYAD_COLUMNS, *NODE_COLUMNS, *EVENT_COLUMNS):
        assert column.isidentifier() and not hasattr(pd.DataFrame, column), column


def test_export_of_a_network_in_hand_applies_the_selection(network: nx.MultiDiGraph, tmp_path: Path):
    [dyad_file, _] = export(network, tmp_path / "h.csv", relations=["hostileTo"])
    assert {r["relation"] for r in _read(dyad_file)} == {"hostileTo"}
