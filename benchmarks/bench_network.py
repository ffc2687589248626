"""How fast and how big: the actor network and each analysis on a synthetic corpus, against rdflib.

A synthetic corpus (``benchmarks/synth.py``, default 10,000 articles) is generated and built into an
on-disk store, 1,000 articles per build (both reused when the work folder already holds them; see
``bench_build.py`` for build times). Then each measurement runs in a fresh interpreter, so that its peak resident memory
(``ru_maxrss``) is its own:

* network: :func:`kg.network.actor_network` on the store, with and without the evidence rows;
* each analysis of :mod:`kg.analysis` (four centralities, blocs, balance, command chains, a path, an ego
  network) on the network without evidence, loaded from a pickle written by the network run (the table
  gives the analysis time, the peak of the process, and the peak above the loaded network);
* the network "as of" the middle of the corpus's date range, built from the store;
* baseline: the same data as N-Quads parsed by rdflib into a ``Dataset`` and turned into a networkx
  ``MultiDiGraph`` by ``rdflib.extras.external_graph_libs.rdflib_to_networkx_multidigraph`` (every triple
  an edge, literals and classes nodes: the generic route).

Usage: ``python benchmarks/bench_network.py [--articles 10000] [--work DIR] [--baseline-timeout 3600]
[--baseline-memory-gb 12]``.
The results are printed as a table and written to ``benchmarks/out/network-N.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = HERE / "out"
ANALYSES = ("degree", "betweenness", "eigenvector", "pagerank", "blocs", "balance", "chains", "path", "ego")


def _peak_mb() -> float:
    """Peak resident memory of this process in MB (Linux reports KiB)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


# ---------------------------------------------------------------------------------------------------
# Measurements (each runs in its own process)


def measure_build(corpus: str, store_dir: str, nquads: str, batch: int) -> dict:
    """Build the corpus ``batch`` articles at a time (incremental builds of a growing staging corpus):
    one transaction for the whole corpus holds every quad in memory at once."""
    import shutil

    from kg import build
    from kg.sparql.store import GraphStore

    source = Path(corpus)
    staging = source.parent / f"{source.name}-staging"
    shutil.rmtree(staging, ignore_errors=True)
    (staging / "articles").mkdir(parents=True)
    for name in ("kg.toml", "actors.yaml"):
        shutil.copy(source / name, staging / name)
    texts = sorted((source / "articles").glob("*.txt"))
    store = GraphStore(Path(store_dir))
    start = time.perf_counter()
    ok = True
    for i in range(0, len(texts), batch):
        for text in texts[i:i + batch]:
            for path in (text, text.with_suffix(".yaml")):
                (staging / "articles" / path.name).symlink_to(path)
        ok = build([staging], store=store).ok and ok
    seconds = time.perf_counter() - start
    store.dump(Path(nquads))
    result = {"seconds": round(seconds, 1), "ok": ok, "quads": len(store), "batch": batch, "peak_mb": _peak_mb()}
    store.close()
    shutil.rmtree(staging, ignore_errors=True)
    return result


def measure_network(store_dir: str, evidence: bool, pickle_to: str | None) -> dict:
    import pickle

    from kg.network import actor_network
    from kg.sparql.store import GraphStore

    store = GraphStore(Path(store_dir), read_only=True)
    start = time.perf_counter()
    net = actor_network(store, evidence=evidence)
    seconds = time.perf_counter() - start
    result = {"seconds": round(seconds, 2), "nodes": net.number_of_nodes(), "edges": net.number_of_edges(),
              "evidence_rows": sum(len(d["evidence"]) for _, _, d in net.edges(data=True)), "peak_mb": _peak_mb()}
    if pickle_to:
        with open(pickle_to, "wb") as f:
            pickle.dump(net, f, protocol=pickle.HIGHEST_PROTOCOL)
    return result


def measure_as_of(store_dir: str) -> dict:
    from kg.analysis import network_as_of
    from kg.sparql.store import GraphStore

    store = GraphStore(Path(store_dir), read_only=True)
    start = time.perf_counter()
    net = network_as_of(store, "2017-06", evidence=False)
    return {"seconds": round(time.perf_counter() - start, 2), "nodes": net.number_of_nodes(),
            "edges": net.number_of_edges(), "peak_mb": _peak_mb()}


def measure_analysis(pickle_path: str, name: str) -> dict:
    import pickle

    import networkx as nx

    from kg import analysis as analyze
    from kg.network import network_from_triples

    with open(pickle_path, "rb") as f:
        net = pickle.load(f)
    by_degree = analyze.centrality(net, measure="degree", top=None)
    # warm up on a tiny network: imports (igraph, scipy) are not the analysis's cost
    analyze.run(network_from_triples([("A", "alliedWith", "B"), ("B", "hostileTo", "C"), ("C", "supports", "A")]),
                "summary", measure=name if name in analyze.MEASURES else None)
    base = _peak_mb()
    start = time.perf_counter()
    if name in analyze.MEASURES:
        detail = f"top: {analyze.centrality(net, measure=name, top=1)[0].actor.label}"
    elif name == "blocs":
        found = analyze.blocs(net)
        detail = f"{len(found)} blocs, largest {len(found[0].members) if found else 0}"
    elif name == "balance":
        bal = analyze.balance(net)
        detail = f"{bal.triangles} triangles, {len(bal.unbalanced)} unbalanced"
    elif name == "chains":
        chains = analyze.command_chains(net)
        detail = f"{len(chains.chains)} roots, depth {chains.depth}, {len(chains.cycles)} cycles"
    elif name == "path":
        a = by_degree[0].actor.iri
        b = list(nx.bfs_tree(net.to_undirected(as_view=True), a))[-1]  # as far from the hub as any actor
        try:
            detail = f"{len(analyze.shortest_path(net, a, b).steps)} steps"
        except analyze.NetworkError:
            detail = "no path"
    else:
        ego = analyze.ego_network(net, by_degree[0].actor.iri, radius=1)
        detail = f"{ego.number_of_nodes()} actors, {ego.number_of_edges()} relations"
    seconds = time.perf_counter() - start
    peak = _peak_mb()
    return {"seconds": round(seconds, 3), "detail": detail, "peak_mb": peak, "above_network_mb": round(peak - base, 1)}


def measure_rdflib(nquads: str) -> dict:
    import warnings

    import rdflib
    from rdflib.extras.external_graph_libs import rdflib_to_networkx_multidigraph

    warnings.simplefilter("ignore", DeprecationWarning)
    start = time.perf_counter()
    dataset = rdflib.ConjunctiveGraph()  # iterates the union of the graphs as triples, as the converter needs
    dataset.parse(nquads, format="nquads")
    parsed = time.perf_counter()
    net = rdflib_to_networkx_multidigraph(dataset)
    done = time.perf_counter()
    return {"seconds": round(done - start, 1), "parse_seconds": round(parsed - start, 1),
            "convert_seconds": round(done - parsed, 1), "nodes": net.number_of_nodes(),
            "edges": net.number_of_edges(), "peak_mb": _peak_mb()}


CHILDREN: dict[str, Callable[..., dict]] = {
    "build": measure_build, "network": measure_network, "as_of": measure_as_of, "analysis": measure_analysis,
    "rdflib": measure_rdflib,
}


def run_child(kind: str, *args: object, timeout: float | None = None, memory_gb: float | None = None) -> dict:
    """Run one measurement in a fresh interpreter; its JSON result (or a timeout or failure record).

    ``memory_gb`` caps the child's address space, so that a baseline that would exhaust the machine
    stops with a MemoryError instead.
    """
    command = [sys.executable, str(Path(__file__).resolve()), "--child", kind, json.dumps(args)]

    def limit() -> None:
        if memory_gb:
            cap = int(memory_gb * 1024**3)
            resource.setrlimit(resource.RLIMIT_AS, (cap, cap))

    start = time.perf_counter()
    try:
        proc = subprocess.run(command, capture_output=True, text=True, timeout=timeout, cwd=ROOT, check=False,
                              preexec_fn=limit)
    except subprocess.TimeoutExpired:
        return {"timeout": True, "seconds": timeout}
    if proc.returncode != 0:
        return {"failed": True, "error": proc.stderr.strip().splitlines()[-1:] or [f"exit {proc.returncode}"],
                "memory_cap_gb": memory_gb, "seconds": round(time.perf_counter() - start, 1)}
    return json.loads(proc.stdout.strip().splitlines()[-1])


# ---------------------------------------------------------------------------------------------------
# The benchmark


def prepare(n: int, work: Path, seed: int) -> dict:
    """Corpus, store and N-Quads dump in ``work`` (made once, then reused)."""
    sys.path.insert(0, str(HERE))
    from synth import generate_corpus

    corpus, store, nquads = work / f"corpus-{n}", work / f"store-{n}", work / f"dump-{n}.nq"
    info: dict = {"corpus": str(corpus), "store": str(store)}
    if not (corpus / "synth.json").exists():
        start = time.perf_counter()
        generate_corpus(corpus, n, seed=seed)
        info["generate_seconds"] = round(time.perf_counter() - start, 1)
    if not nquads.exists():
        info["build"] = run_child("build", str(corpus), str(store), str(nquads), 1000)
    info["nquads_mb"] = round(nquads.stat().st_size / 1e6, 1)
    return info


def bench(n: int, work: Path, *, seed: int, baseline_timeout: float, baseline_memory_gb: float) -> dict:
    work.mkdir(parents=True, exist_ok=True)
    result: dict = {"articles": n, **prepare(n, work, seed)}
    store, nquads, pickled = work / f"store-{n}", work / f"dump-{n}.nq", work / f"network-{n}.pickle"
    result["network"] = run_child("network", str(store), True, None)
    result["network_no_evidence"] = run_child("network", str(store), False, str(pickled))
    result["as_of"] = run_child("as_of", str(store))
    result["analyses"] = {name: run_child("analysis", str(pickled), name) for name in ANALYSES}
    result["rdflib"] = run_child("rdflib", str(nquads), timeout=baseline_timeout, memory_gb=baseline_memory_gb)
    pickled.unlink(missing_ok=True)
    return result


def _time(r: dict) -> str:
    if r.get("timeout"):
        return f">{r['seconds']:.0f} s (stopped)"
    if r.get("failed"):
        cap = f" at the {r['memory_cap_gb']:g} GB cap" if r.get("memory_cap_gb") else ""
        return f"failed after {r['seconds']} s{cap}: " + " ".join(r["error"])
    return f"{r['seconds']} s"


def table(res: dict) -> str:
    lines = [f"{res['articles']} articles, {res.get('nquads_mb')} MB of N-Quads "
             f"({res.get('build', {}).get('quads', '?')} quads)", "",
             f"{'step':<34}{'time':>16}{'peak MB':>10}  detail", "-" * 90]

    def row(name: str, r: dict, detail: str = "") -> None:
        lines.append(f"{name:<34}{_time(r):>16}{r.get('peak_mb', ''):>10}  {detail}")

    net = res["network"]
    row("actor_network (with evidence)", net, f"{net.get('nodes')} nodes, {net.get('edges')} edges, "
                                               f"{net.get('evidence_rows')} evidence rows")
    row("actor_network (evidence=False)", res["network_no_evidence"])
    row("network_as_of 2017-06", res["as_of"], f"{res['as_of'].get('nodes')} nodes, {res['as_of'].get('edges')} edges")
    for name, r in res["analyses"].items():
        row(f"  {name}", r, f"{r.get('detail', '')} (+{r.get('above_network_mb', '?')} MB over the network)")
    rd = res["rdflib"]
    row("rdflib parse + rdflib_to_networkx", rd,
        "" if rd.get("timeout") or rd.get("failed") else
        f"parse {rd['parse_seconds']} s, convert {rd['convert_seconds']} s: {rd['nodes']} nodes, {rd['edges']} edges")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--work", type=Path, default=Path(os.environ.get("TMPDIR", "/tmp")) / "kg-bench-network")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--baseline-timeout", type=float, default=3600)
    parser.add_argument("--baseline-memory-gb", type=float, default=12,
                        help="address-space cap of the rdflib baseline (it stops with MemoryError beyond it)")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        sys.path.insert(0, str(ROOT))
        print(json.dumps(CHILDREN[args.child[0]](*json.loads(args.child[1]))))
        return
    res = bench(args.articles, args.work, seed=args.seed, baseline_timeout=args.baseline_timeout,
                baseline_memory_gb=args.baseline_memory_gb)
    res["machine"] = {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform()}
    out = OUT / f"network-{args.articles}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(res, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(table(res))
    print(f"\nwritten to {out}")


if __name__ == "__main__":
    main()
