"""Dask as an executor: the same quads, byte for byte after sorting, as a local build; N-Quads shards."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from typer.testing import CliRunner

from kg import build
from kg.cli import app
from kg.sparql.store import GraphStore

DATA = Path(__file__).parent / "data"
SEEDS = Path(__file__).parent.parent / "seeds"
runner = CliRunner()


def sorted_nquads(store: GraphStore) -> list[str]:
    return sorted(f"{q.subject} {q.predicate} {q.object} {q.graph_name} ." for q in store.quads())


@pytest.mark.slow
def test_a_two_worker_local_cluster_gives_the_quads_of_a_local_build(tmp_path: Path):
    pytest.importorskip("distributed")
    from kg.building.cluster import DaskExecutor

    local = GraphStore()
    assert build([DATA / "multi", SEEDS], store=local).ok
    with DaskExecutor("local", workers=2) as cluster, GraphStore(tmp_path / "store") as store:
        report = build([DATA / "multi", SEEDS], store=store, executor=cluster)
        assert report.ok and report.mapped == 5
        assert sorted_nquads(store) == sorted_nquads(local)
    assert not list((tmp_path / "store").glob(".shards-*"))  # its shards were temporary


def test_out_folder_leaves_shards_any_bulk_loader_reads(tmp_path: Path):
    shards = tmp_path / "shards"
    result = runner.invoke(app, ["build", str(DATA / "multi"), str(SEEDS), "--store", str(tmp_path / "store"),
                                 "--out", f"{shards}/"])
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in shards.iterdir())
    assert {"registry.nq", "summary.nq"} <= set(names) and names[-1] == "summary.nq"
    assert [n for n in names if n.startswith("shard-")] == ["shard-00000.nq", "shard-00001.nq"]
    loaded = ox.Store()
    for path in sorted(shards.glob("*.nq")):
        loaded.bulk_load(path=str(path), format=ox.RdfFormat.N_QUADS)
    with GraphStore(tmp_path / "store", read_only=True) as store:
        assert sorted(str(q) for q in loaded) == sorted(str(q) for q in store.quads())


def test_a_problem_on_a_worker_leaves_the_store_unchanged(tmp_path: Path):
    import shutil

    corpus = tmp_path / "corpus"
    shutil.copytree(DATA / "multi", corpus)
    with GraphStore(tmp_path / "store") as store:
        assert build([corpus], store=store).ok
        before = sorted_nquads(store)
        a2 = corpus / "articles" / "a2.yaml"
        a2.write_text(a2.read_text(encoding="utf-8").replace("object: brsc", "object: nobody"), encoding="utf-8")
        report = build([corpus], store=store, workers=2, force=True)
        assert not report.ok and "nobody" in str(report.errors[0])
        assert sorted_nquads(store) == before


def test_shards_hold_the_whole_graph_after_an_incremental_build(tmp_path: Path):
    with GraphStore(tmp_path / "store") as store:
        assert build([DATA / "multi"], store=store).ok
        report = build([DATA / "multi"], store=store, out=tmp_path / "shards")
        assert report.mapped == 4
        loaded = ox.Store()
        for path in sorted((tmp_path / "shards").glob("*.nq")):
            loaded.bulk_load(path=str(path), format=ox.RdfFormat.N_QUADS)
        assert len(loaded) == len(store)


def test_shards_larger_than_a_segment_load_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    import kg.sparql.store as store_module

    monkeypatch.setattr(store_module, "BULK_SEGMENT", 5000)  # far smaller than one shard
    local = GraphStore()
    assert build([DATA / "multi"], store=local).ok
    with GraphStore(tmp_path / "store") as store:
        assert build([DATA / "multi"], store=store, out=tmp_path / "shards").ok
        assert sorted_nquads(store) == sorted_nquads(local)
