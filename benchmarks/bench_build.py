"""How fast ``kg.building.build.build`` turns a corpus into an on-disk store, against two yardsticks.

For each size (default 1,000 and 10,000 articles) a synthetic corpus is generated (not timed), then each
measurement runs in a fresh child process, so that its peak memory (``ru_maxrss``) is its own:

* build: ``kg.building.build.build`` into an empty on-disk store, with 1 and with 2 worker processes;
* rebuild, nothing changed, and rebuild with 1 % of the articles edited (incremental builds);
* rdflib (baseline): the N-Quads the build produced, parsed into an ``rdflib.Dataset`` and written as TriG;
* raw load (limit): ``pyoxigraph.Store.bulk_load`` of the same N-Quads into a fresh on-disk store.

Usage: ``python benchmarks/bench_build.py [--sizes 1000 10000] [--rdflib-timeout 300]``. The results are
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


def measure_build(corpus: str, store_dir: str, workers: int, nquads: str | None) -> dict:
    sys.path.insert(0, str(ROOT))
    from kg import build, store_stats
    from kg.sparql.store import GraphStore

    store = GraphStore(Path(store_dir))
    start = time.perf_counter()
    report = build([Path(corpus)], store=store, workers=workers)
    seconds = time.perf_counter() - start
    result = {"seconds": round(seconds, 3), "ok": report.ok, "problems": len(report.problems),
              "articles": report.articles, "mapped": report.mapped, "unchanged": report.unchanged,
              "quads": len(store), **_peak()}
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
    return {"seconds": round(seconds, 3), "quads": len(store), **_peak()}


CHILDREN = {"build": measure_build, "rdflib": measure_rdflib, "raw": measure_raw}


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
               rdflib_timeout: float) -> dict:
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
    first = record("build_w1", "build, 1 worker",
                   run_child("build", str(corpus), str(store1), 1, str(nquads), timeout=build_timeout))
    if not failed(first) and not first["ok"]:
        raise RuntimeError(f"the synthetic corpus of {n} articles has {first['problems']} problems")
    record("build_w2", "build, 2 workers", run_child("build", str(corpus), str(store2), 2, None, timeout=build_timeout))
    shutil.rmtree(store2, ignore_errors=True)
    skipped = {"skipped": True, "seconds": float("nan")}
    built = not failed(first)
    record("rebuild_unchanged", "rebuild, unchanged",
           run_child("build", str(corpus), str(store1), 1, None) if built else skipped)
    result["touched"] = touched = touch(corpus, 0.01)
    record("rebuild_1pct", f"rebuild, {touched} edited",
           run_child("build", str(corpus), str(store1), 1, None) if built else skipped)
    shutil.rmtree(store1, ignore_errors=True)
    if built:
        result["nquads_mb"] = round(nquads.stat().st_size / 1e6, 1)
    record("raw_load", "raw bulk load", run_child("raw", str(nquads), str(work / f"raw-{n}")) if built else skipped)
    shutil.rmtree(work / f"raw-{n}", ignore_errors=True)
    record("rdflib", "rdflib parse + TriG",
           run_child("rdflib", str(nquads), str(work / f"rdflib-{n}.trig"), timeout=rdflib_timeout)
           if built else skipped)
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
                 ("rebuild, unchanged", res["rebuild_unchanged"], 0),
                 (f"rebuild, {res['touched']} edited", res["rebuild_1pct"], res["touched"]),
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
    builds = [(k, res[k]) for k in ("build_w1", "build_w2") if not failed(res[k])]
    if not builds:
        return out
    key, build = min(builds, key=lambda kv: kv[1]["seconds"])
    secs = build["seconds"]
    for name, other in (("rdflib", res["rdflib"]), ("raw_load", res["raw_load"])):
        if other.get("timeout"):
            out[f"{key}/{name}"] = f"<{secs / other['seconds']:.2f}"
        elif not failed(other):
            out[f"{key}/{name}"] = round(secs / other["seconds"], 2)
    if len(builds) == 2:
        out["build_w2/build_w1"] = round(res["build_w2"]["seconds"] / res["build_w1"]["seconds"], 2)
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
    with tempfile.TemporaryDirectory(prefix="kg-bench-build-") as tmp:
        for n in args.sizes:
            print(f"{n:,} articles", flush=True)
            results.append(bench_size(n, Path(tmp), seed=args.seed, relations=args.relations,
                                      build_timeout=args.build_timeout, rdflib_timeout=args.rdflib_timeout))
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
