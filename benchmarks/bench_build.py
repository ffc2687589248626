"""How fast ``kg.build`` turns a corpus into an on-disk store, against two yardsticks.

For each size (default 1,000 and 10,000 articles) a synthetic corpus is generated (not timed), then each
measurement runs in a fresh child process, so that its peak memory (``ru_maxrss``) is its own:

* build: ``kg.build`` into an empty on-disk store, with 1 and with 2 worker processes, and on a two-worker
  Dask ``LocalCluster``; the store's size on disk and its bytes a quad (after the build's compaction);
* rebuild, nothing changed, with one article edited, and with 1 % of the articles edited (incremental);
* kill: a ``kg build --force`` over the built store is killed (``SIGKILL``) half-way; the store must hold
  exactly what it held before, and the next build must remove what the killed one left;
* rdflib (baseline): the N-Quads the build produced, parsed into an ``rdflib.Dataset`` and written as TriG;
* raw load (limit): ``pyoxigraph.Store.bulk_load`` of the same N-Quads into a fresh on-disk store.

Usage: ``python benchmarks/bench_build.py [--sizes 1000 10000] [--rdflib-timeout 300] [--skip w1 dask kill rdflib]``. The results are
printed as a table and written to ``benchmarks/out/build.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = HERE / "out" / "build.json"


# ---------------------------------------------------------------------------------------------------
# Measurements (each runs in its own process)


def _peak() -> dict[str, float]:
    """Peak resident memory in MB of this process and of its largest finished child (Linux: KiB), and
    the CPU time (user + system) of both so far: on a busy machine, CPU time is steadier than wall time."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {"peak_mb": round(own.ru_maxrss / 1024, 1), "peak_child_mb": round(children.ru_maxrss / 1024, 1),
            "cpu_seconds": round(own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime, 2)}


def disk_bytes(folder: Path) -> int:
    """Bytes of the files under a folder, each hard-linked file counted once."""
    seen: set[tuple[int, int]] = set()
    total = 0
    for path in folder.rglob("*"):
        if path.is_file() and not path.is_symlink():
            st = path.stat()
            if (st.st_dev, st.st_ino) not in seen:
                seen.add((st.st_dev, st.st_ino))
                total += st.st_size
    return total


def measure_build(corpus: str, store_dir: str, workers: int | str, nquads: str | None) -> dict:
    sys.path.insert(0, str(ROOT))
    from kg import build, store_stats
    from kg.sparql.store import GraphStore

    store = GraphStore(Path(store_dir))
    executor = None
    if workers == "dask":
        from kg.building.cluster import DaskExecutor

        executor = DaskExecutor("local", workers=2)
        executor.start()
    start = time.perf_counter()
    report = build([Path(corpus)], store=store, workers=workers if isinstance(workers, int) else 1,
                   executor=executor)
    seconds = time.perf_counter() - start
    if executor is not None:
        executor.close()
    quads = len(store)
    size = disk_bytes(Path(store_dir))
    result = {"seconds": round(seconds, 3), "ok": report.ok, "problems": len(report.problems),
              "articles": report.articles, "mapped": report.mapped, "unchanged": report.unchanged,
              "quads": quads, "disk_mb": round(size / 1e6, 1), "bytes_per_quad": round(size / max(quads, 1), 1),
              **_peak()}
    start = time.perf_counter()
    store_stats(store)  # also part of build(): how much of its time is the summary
    result["stats_seconds"] = round(time.perf_counter() - start, 3)
    if nquads:
        start = time.perf_counter()
        store.dump(Path(nquads))
        result["dump_seconds"] = round(time.perf_counter() - start, 3)
    store.close()
    return result


def measure_rdflib(nquads: str, trig: str) -> dict:
    import warnings

    import rdflib

    warnings.simplefilter("ignore", DeprecationWarning)
    start = time.perf_counter()
    ds = rdflib.Dataset()
    ds.parse(nquads, format="nquads")
    parsed = time.perf_counter()
    ds.serialize(destination=trig, format="trig")
    done = time.perf_counter()
    return {"seconds": round(done - start, 3), "parse_seconds": round(parsed - start, 3),
            "serialize_seconds": round(done - parsed, 3), **_peak()}


def measure_raw(nquads: str, store_dir: str) -> dict:
    import pyoxigraph as ox

    start = time.perf_counter()
    store = ox.Store(store_dir)
    store.bulk_load(path=nquads, format=ox.RdfFormat.N_QUADS)
    store.flush()
    seconds = time.perf_counter() - start
    quads = len(store)
    del store
    size = disk_bytes(Path(store_dir))
    return {"seconds": round(seconds, 3), "quads": quads, "disk_mb": round(size / 1e6, 1),
            "bytes_per_quad": round(size / max(quads, 1), 1), **_peak()}


def measure_kill(corpus: str, store_dir: str, delay: float) -> dict:
    """Kill a forced rebuild after ``delay`` seconds; compare the store with what it held before."""
    import signal

    sys.path.insert(0, str(ROOT))
    from kg import build
    from kg.sparql.store import GraphStore

    def state() -> tuple[int, dict[str, str]]:
        with GraphStore(Path(store_dir), read_only=True) as st:
            return len(st), st.article_hashes()

    before = state()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    child = subprocess.Popen([sys.executable, "-m", "kg", "build", corpus, "--store", store_dir, "--force"],
                             env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(delay)
    finished = child.poll() is not None
    child.send_signal(signal.SIGKILL)
    child.wait()
    after = state()
    left = [p.name for p in Path(store_dir).iterdir() if p.name.startswith(("gen-", ".live-", ".shards-"))]
    start = time.perf_counter()
    with GraphStore(Path(store_dir)) as st:
        build([Path(corpus)], store=st)
    rebuilt = time.perf_counter() - start
    cleaned = [p.name for p in Path(store_dir).iterdir() if p.name.startswith(("gen-", ".live-", ".shards-"))]
    return {"seconds": round(delay, 1), "finished_before_kill": finished, "store_intact": after == before,
            "quads": after[0], "left_behind": len(left) - 1, "left_after_next_build": len(cleaned) - 1,
            "next_build_seconds": round(rebuilt, 2), **_peak()}


CHILDREN = {"build": measure_build, "rdflib": measure_rdflib, "raw": measure_raw, "kill": measure_kill}


#: Address-space cap of each measurement (bytes), so that a build too big for the machine fails alone.
MEMORY_LIMIT: list[int | None] = [None]


def _limit_memory() -> None:
    if MEMORY_LIMIT[0]:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT[0], MEMORY_LIMIT[0]))


def run_child(kind: str, *args: object, timeout: float | None = None) -> dict:
    """Run one measurement in a fresh interpreter: its JSON result, or a record of its timeout or failure."""
    command = [sys.executable, str(Path(__file__).resolve()), "--child", kind, json.dumps(args)]
    start = time.perf_counter()
    try:
        proc = subprocess.run(command, capture_output=True, text=True, timeout=timeout, cwd=ROOT, check=False,
                              preexec_fn=_limit_memory)  # noqa: PLW1509 - no threads in the parent
    except subprocess.TimeoutExpired:
        return {"timeout": True, "seconds": timeout}
    if proc.returncode != 0:
        lines = [line for line in proc.stderr.strip().splitlines() if line.strip()]
        return {"error": lines[-1] if lines else f"exit status {proc.returncode}",
                "seconds": round(time.perf_counter() - start, 3)}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def failed(r: dict) -> bool:
    return bool(r.get("timeout") or r.get("error") or r.get("skipped"))


# ---------------------------------------------------------------------------------------------------
# The benchmark


def touch(corpus: Path, fraction: float) -> int:
    """Edit ``fraction`` of the articles (a sentence appended to the text); returns how many."""
    texts = sorted((corpus / "articles").glob("*.txt"))
    step = max(1, round(1 / fraction))
    chosen = texts[::step]
    for path in chosen:
        text = path.read_text(encoding="utf-8")
        ending = "وتواصل القتال حتى المساء.\n" if any("\u0600" <= c <= "\u06ff" for c in text[:200]) else \
            "Fighting went on until the evening.\n"
        path.write_text(text + ending, encoding="utf-8")
    return len(chosen)


def bench_size(n: int, work: Path, *, seed: int, relations: int, build_timeout: float | None,
               rdflib_timeout: float, skip: tuple[str, ...] = ()) -> dict:
    sys.path.insert(0, str(HERE))
    from synth import generate_corpus

    corpus = work / f"corpus-{n}"
    start = time.perf_counter()
    generate_corpus(corpus, n, seed=seed, relations_per_article=relations)
    generated = time.perf_counter() - start
    expected = json.loads((corpus / "synth.json").read_text(encoding="utf-8"))
    nquads = work / f"build-{n}.nq"
    result: dict = {"articles": n, "generate_seconds": round(generated, 2), "corpus": expected}

    def record(key: str, what: str, r: dict) -> dict:
        result[key] = r
        note = ("  (timed out)" if r.get("timeout") else f"  (failed: {r['error']})" if r.get("error")
                else "  (skipped)" if r.get("skipped") else "")
        print(f"  {n:>6} {what:<22} {r.get('seconds', float('nan')):>8.2f} s{note}", flush=True)
        return r

    store1, store2 = work / f"store-{n}-w1", work / f"store-{n}-w2"
    skipped = {"skipped": True, "seconds": float("nan")}
    first = record("build_w2", "build, 2 workers",
                   run_child("build", str(corpus), str(store2), 2, str(nquads), timeout=build_timeout))
    if not failed(first) and not first["ok"]:
        raise RuntimeError(f"the synthetic corpus of {n} articles has {first['problems']} problems")
    record("build_w1", "build, 1 worker", skipped if "w1" in skip else
           run_child("build", str(corpus), str(store1), 1, None, timeout=build_timeout))
    record("build_dask", "build, Dask 2 workers", skipped if "dask" in skip else
           run_child("build", str(corpus), str(work / f"store-{n}-dask"), "dask", None, timeout=build_timeout))
    shutil.rmtree(work / f"store-{n}-dask", ignore_errors=True)
    shutil.rmtree(store1, ignore_errors=True)
    store1 = store2
    built = not failed(first)
    record("kill", "kill -9 half-way", skipped if "kill" in skip or not built else
           run_child("kill", str(corpus), str(store1), max(1.0, first["seconds"] / 2)))
    record("rebuild_unchanged", "rebuild, unchanged",
           run_child("build", str(corpus), str(store1), 2, None) if built else skipped)
    touch(corpus, 1 / n)
    record("rebuild_one", "rebuild, 1 edited",
           run_child("build", str(corpus), str(store1), 2, None) if built else skipped)
    if "1pct" in skip:
        record("rebuild_1pct", "rebuild, 1 % edited", skipped)
    else:
        result["touched"] = touched = touch(corpus, 0.01)
        record("rebuild_1pct", f"rebuild, {touched} edited",
               run_child("build", str(corpus), str(store1), 2, None) if built else skipped)
    shutil.rmtree(store1, ignore_errors=True)
    if built:
        result["nquads_mb"] = round(nquads.stat().st_size / 1e6, 1)
    record("raw_load", "raw bulk load", run_child("raw", str(nquads), str(work / f"raw-{n}")) if built else skipped)
    shutil.rmtree(work / f"raw-{n}", ignore_errors=True)
    record("rdflib", "rdflib parse + TriG",
           run_child("rdflib", str(nquads), str(work / f"rdflib-{n}.trig"), timeout=rdflib_timeout)
           if built and "rdflib" not in skip else skipped)
    (work / f"rdflib-{n}.trig").unlink(missing_ok=True)
    nquads.unlink(missing_ok=True)
    shutil.rmtree(corpus, ignore_errors=True)
    return result


def table(results: list[dict]) -> str:
    rows = [("articles", "case", "seconds", "CPU s", "articles/s", "quads/s", "peak MB", "workers' MB")]
    for res in results:
        n = res["articles"]
        quads = res["build_w1"].get("quads") or res["build_w2"].get("quads") or 0
        cases = [("build, 1 worker", res["build_w1"], n), ("build, 2 workers", res["build_w2"], n),
                 ("build, Dask 2 workers", res["build_dask"], n),
                 ("rebuild, unchanged", res["rebuild_unchanged"], 0), ("rebuild, 1 edited", res["rebuild_one"], 1),
                 (f"rebuild, {res.get('touched', '1 %')} edited", res["rebuild_1pct"], res.get("touched", 0)),
                 ("rdflib parse + TriG", res["rdflib"], n), ("raw bulk load", res["raw_load"], n)]
        for name, r, done in cases:
            secs = r["seconds"]
            if failed(r):
                shown = (f"> {secs:.0f} (timeout)" if r.get("timeout") else
                         "failed" if r.get("error") else "skipped")
                rows.append((f"{n:,}", name, shown, "", "", "", "", ""))
                continue
            cpu = r.get("cpu_seconds")
            rows.append((f"{n:,}", name, f"{secs:.2f}", "" if cpu is None else f"{cpu:.1f}",
                         f"{done / secs:,.0f}" if done else "",
                         f"{quads / secs:,.0f}" if done == n and quads else "", f"{r['peak_mb']:,.0f}",
                         f"{r['peak_child_mb']:,.0f}" if name == "build, 2 workers" else ""))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(c.ljust(w) if i < 2 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths, strict=True)))
             for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def ratios(res: dict) -> dict:
    """Time ratios; against a baseline that timed out the ratio is an upper bound (written "<x")."""
    out: dict[str, object] = {}
    builds = [(k, res[k]) for k in ("build_w1", "build_w2", "build_dask") if not failed(res[k])]
    if not builds:
        return out
    key, build = min(builds, key=lambda kv: kv[1]["seconds"])
    secs = build["seconds"]
    for name, other in (("rdflib", res["rdflib"]), ("raw_load", res["raw_load"])):
        if other.get("timeout"):
            out[f"{key}/{name}"] = f"<{secs / other['seconds']:.2f}"
        elif not failed(other):
            out[f"{key}/{name}"] = round(secs / other["seconds"], 2)
    done = dict(builds)
    if "build_w1" in done and "build_w2" in done:
        out["build_w2/build_w1"] = round(done["build_w2"]["seconds"] / done["build_w1"]["seconds"], 2)
    if "build_dask" in done and "build_w2" in done:
        out["build_dask/build_w2"] = round(done["build_dask"]["seconds"] / done["build_w2"]["seconds"], 2)
    if not failed(res["rebuild_one"]) and "build_w2" in done:
        out["rebuild_one/build_w2"] = round(res["rebuild_one"]["seconds"] / done["build_w2"]["seconds"], 4)
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000], help="numbers of articles")
    parser.add_argument("--relations", type=int, default=20, help="relations per article")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--rdflib-timeout", type=float, default=300, help="seconds before the rdflib "
                        "baseline is given up (its time is then reported as a lower bound)")
    parser.add_argument("--build-timeout", type=float, default=None, help="seconds before a full build is "
                        "given up (default: none)")
    total_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    parser.add_argument("--memory-limit", type=float, default=round(total_gb * 0.75), help="cap on the "
                        "address space of each measurement, GiB (default: 3/4 of the machine's memory); "
                        "a measurement that needs more fails and is reported as failed")
    parser.add_argument("--out", type=Path, default=OUT, help="JSON results file")
    parser.add_argument("--skip", nargs="*", default=[], choices=["w1", "dask", "kill", "rdflib", "1pct"],
                        help="cases to leave out (the 2-worker build, rebuilds and raw load always run)")
    parser.add_argument("--work", type=Path, default=None, help="folder for the corpora and stores (default: a "
                        "temporary folder); removed afterwards")
    parser.add_argument("--child", nargs=2, metavar=("KIND", "ARGS"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        kind, child_args = args.child
        print(json.dumps(CHILDREN[kind](*json.loads(child_args))))
        return

    import pyoxigraph
    import rdflib

    MEMORY_LIMIT[0] = int(args.memory_limit * 2**30) if args.memory_limit else None

    results = []
    if args.work is not None:
        args.work.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="kg-bench-build-", dir=args.work) as tmp:
        for n in args.sizes:
            print(f"{n:,} articles", flush=True)
            results.append(bench_size(n, Path(tmp), seed=args.seed, relations=args.relations,
                                      build_timeout=args.build_timeout, rdflib_timeout=args.rdflib_timeout,
                                      skip=tuple(args.skip)))
            args.out.parent.mkdir(parents=True, exist_ok=True)  # what is done so far, in case a later size fails
            args.out.write_text(json.dumps({"benchmark": "build", "partial": True, "results": results}, indent=2,
                                           ensure_ascii=False) + "\n", encoding="utf-8")
    print()
    print(table(results))
    print()
    for res in results:
        res["ratios"] = ratios(res)
        print(f"{res['articles']:,} articles: " + ", ".join(f"{k} = {v}" for k, v in res["ratios"].items()))
    document = {
        "benchmark": "build",
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "system": platform.platform(),
                    "pyoxigraph": pyoxigraph.__version__, "rdflib": rdflib.__version__},
        "date": time.strftime("%Y-%m-%d"),
        "relations_per_article": args.relations,
        "rdflib_timeout_seconds": args.rdflib_timeout,
        "build_timeout_seconds": args.build_timeout,
        "memory_limit_gib": args.memory_limit,
        "results": results,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"\nwritten to {args.out}")


if __name__ == "__main__":
    main()
