"""Shared fixtures: the seed corpus and the multi-article fixture built into stores, and servers."""

from __future__ import annotations

import shutil
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from kg import build
from kg.sparql.store import GraphStore

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
MULTI = ROOT / "tests" / "data" / "multi"


@pytest.fixture(scope="session")
def seed_store() -> GraphStore:
    """The seed corpus in an in-memory store (do not write to it)."""
    store = GraphStore()
    build([SEEDS], store=store)
    return store


@pytest.fixture(scope="session")
def multi_store() -> GraphStore:
    """The multi-article fixture (same actors named differently) in an in-memory store (read only)."""
    store = GraphStore()
    build([MULTI], store=store)
    return store


@pytest.fixture(scope="session")
def seed_store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A closed on-disk store folder holding the seed corpus (copy it before writing)."""
    path = tmp_path_factory.mktemp("seed-store") / "store"
    with GraphStore(path) as store:
        build([SEEDS], store=store)
    return path


@pytest.fixture()
def store_copy(seed_store_dir: Path, tmp_path: Path) -> Path:
    """A copy of the seed store folder that a test may write to or serve."""
    copy = tmp_path / "store"
    shutil.copytree(seed_store_dir, copy)
    return copy


def wait_for_http(url: str, proc: subprocess.Popen[bytes] | None = None, within: float = 30) -> None:
    """Wait until ``url`` answers 200 (bounded); fail early if ``proc`` exits."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as resp:
                if resp.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.05)
    raise RuntimeError(f"{url} did not answer within {within} s")


def stop_process(proc: subprocess.Popen[bytes]) -> None:
    """SIGTERM, wait (bounded), then SIGKILL."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture()
def oxigraph_server(tmp_path: Path) -> Iterator[str]:
    """A fresh, empty read-write Oxigraph server on a free loopback port (union default graph); its base URL."""
    from kg.errors import StoreError
    from kg.sparql.serve import find_oxigraph, free_port

    try:
        program = find_oxigraph()
    except StoreError:
        pytest.skip("the oxigraph server is not installed")
    port = free_port()
    proc = subprocess.Popen([program, "serve", "--location", str(tmp_path / "remote"),
                             "--bind", f"127.0.0.1:{port}", "--union-default-graph"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for_http(f"{base}/query?query=ASK%7B%7D", proc)
        yield base
    finally:
        stop_process(proc)
