"""A build that is killed (``kill -9``) at any moment, or runs out of disk, leaves the previous store or the
new one, never a mix; what it left behind is removed by the next build."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from kg import build
from kg.building.fingerprint import STAMPS
from kg.sparql.generations import GRAPHS_LEFT_BY_BUILDS
from kg.sparql.store import GraphStore

DATA = Path(__file__).parent / "data"
SEEDS = Path(__file__).parent.parent / "seeds"
ROOT = Path(__file__).parent.parent

# Runs the real `kg build` CLI in a child process; PAUSE names the function at which it announces itself
# on stdout and then waits to be killed.
CHILD = textwrap.dedent("""
    import os, sys, time
    import kg.building.article, kg.building.collect, kg.building.summary, kg.sparql.store
    stage = os.environ["PAUSE"]

    def pause(name, fn, after=1):
        calls = [0]
        def wrapper(*args, **kwargs):
            calls[0] += 1
            if calls[0] == after and name == stage:
                print(name, flush=True)
                time.sleep(600)
            return fn(*args, **kwargs)
        return wrapper

    kg.building.article.process_article = pause("mapping", kg.building.article.process_article)
    kg.building.summary._nquads = pause("loading", kg.building.summary._nquads, after=2)  # incremental
    kg.building.collect.Collector.nquads = pause("loading", kg.building.collect.Collector.nquads)  # full
    kg.sparql.store.Shadow.commit = pause("compacting", kg.sparql.store.Shadow.commit)
    kg.sparql.store._point_live = pause("swapping", kg.sparql.store._point_live)
    kg.sparql.store.shutil.rmtree = pause("swapped", kg.sparql.store.shutil.rmtree)
    from kg.cli import main
    sys.argv = ["kg", "build", *sys.argv[1:]]
    main()
""")


def quads(path: Path) -> set[str]:
    with GraphStore(path, read_only=True) as st:
        return {str(q) for q in st.quads()}


def run_killed(stage: str, args: list[str]) -> None:
    env = {**os.environ, "PAUSE": stage, "PYTHONPATH": str(ROOT)}
    child = subprocess.Popen([sys.executable, "-c", CHILD, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             env=env, text=True)
    assert child.stdout is not None
    line = child.stdout.readline()  # blocks until the child reaches the stage (or ends)
    assert line.strip() == stage, child.communicate()
    child.send_signal(signal.SIGKILL)
    child.wait()


@pytest.fixture()
def stores(tmp_path: Path) -> tuple[Path, Path, set[str], set[str]]:
    """A corpus, a store of it, the quads of that store, and the quads of the corpus once edited."""
    corpus = tmp_path / "corpus"
    shutil.copytree(DATA / "multi", corpus)
    store = tmp_path / "store"
    with GraphStore(store) as st:
        assert build([corpus], store=st).ok
    before = quads(store)
    a1 = corpus / "articles" / "a1.yaml"
    a1.write_text(a1.read_text(encoding="utf-8").replace("2016-07-18", "2016-07-19"), encoding="utf-8")
    with GraphStore(tmp_path / "expected") as st:
        assert build([corpus], store=st).ok
    after = quads(tmp_path / "expected")
    assert before != after
    return corpus, store, before, after


@pytest.mark.slow
@pytest.mark.parametrize("force", [False, True], ids=["incremental", "full"])
@pytest.mark.parametrize("stage", ["mapping", "loading", "compacting", "swapping", "swapped"])
def test_kill_9_leaves_the_previous_store_or_the_new_one(stores, stage: str, force: bool):
    corpus, store, before, after = stores
    run_killed(stage, [str(corpus), "--store", str(store), *(["--force"] if force else [])])
    found = quads(store)
    assert found == (after if stage == "swapped" else before)
    # the next build clears what the killed one left and brings the store up to date
    with GraphStore(store) as st:
        assert build([corpus], store=st).ok
    assert quads(store) == after
    assert sorted(p.name for p in store.iterdir() if p.name not in ("live", "kg-build.lock", STAMPS)) == \
        [os.readlink(store / "live")]


def test_leftovers_of_stopped_builds_are_removed(tmp_path: Path):
    store = tmp_path / "store"
    with GraphStore(store) as st:
        assert build([SEEDS], store=st).ok
    for name in ("gen-0123456789ab", ".shards-x"):
        (store / name).mkdir()
        (store / name / "data").write_text("half a build")
    (store / ".live-abc").symlink_to("gen-0123456789ab")
    with GraphStore(store) as st:
        st.replace({}, drop=())
        report = build([SEEDS], store=st, force=True)
    assert report.ok
    assert {p.name for p in store.iterdir()} - {STAMPS} == {"live", "kg-build.lock", os.readlink(store / "live")}
    assert GRAPHS_LEFT_BY_BUILDS == ("gen-", ".live-", ".shards-")


@pytest.fixture()
def small_disk(tmp_path: Path):  # type: ignore[no-untyped-def]
    """A tmpfs of a few MB (needs root and mount; skipped otherwise)."""
    mount = tmp_path / "disk"
    mount.mkdir()
    if shutil.which("mount") is None or os.geteuid() != 0:
        pytest.skip("needs root and mount")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=12m", "tmpfs", str(mount)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs: {done.stderr.decode().strip()}")
    try:
        yield mount
    finally:
        for _ in range(20):
            if subprocess.run(["umount", str(mount)], capture_output=True).returncode == 0:
                break
            time.sleep(0.2)


@pytest.mark.slow
def test_a_full_disk_leaves_the_previous_store(small_disk: Path, tmp_path: Path):
    import importlib.util

    spec = importlib.util.spec_from_file_location("kg_bench_synth_disk", ROOT / "benchmarks" / "synth.py")
    assert spec is not None and spec.loader is not None
    synth = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = synth
    spec.loader.exec_module(synth)
    big = synth.generate_corpus(tmp_path / "big", 150)
    store = small_disk / "store"
    with GraphStore(store) as st:
        assert build([SEEDS], store=st).ok
    before = quads(store)
    result = subprocess.run([sys.executable, "-m", "kg", "build", str(big), "--store", str(store), "--allow-empty"],
                            capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert result.returncode == 1, result.stderr
    assert "Error:" in result.stderr and "Traceback" not in result.stderr
    assert quads(store) == before
    with GraphStore(store) as st:  # and the store still takes a build
        assert build([SEEDS], store=st).ok
    assert quads(store) == before
