"""The saved questions on the relation summary against the same questions as they were written before it
(grouping every assertion at query time: ``tests/data/saved-queries-before/``), on one store, in one run.

A synthetic corpus of ``--articles`` articles is built in memory (not timed); each question, with parameters
picked from the data as ``bench_query.py`` picks them, is asked ``--repeats`` times in each version: the
median wall time of the bound query text on the store (parameter resolution left out, the same for both),
the number of rows, and whether the answers are the same. Results:
``benchmarks/out/summary.json``.

Usage: ``python benchmarks/bench_summary.py [--articles 1000] [--repeats 5]``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, default=1000)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--out", type=Path, default=HERE / "out" / "summary.json")
    args = ap.parse_args(argv)

    from bench_query import PICK, PICK_Y, questions
    from synth import generate_corpus

    from kg import build
    from kg.sparql.query import _bindings, bind_values, bound_query, parse_saved, run_query
    from kg.sparql.store import GraphStore

    with tempfile.TemporaryDirectory() as tmp:
        corpus = generate_corpus(Path(tmp) / "corpus", args.articles)
        store = GraphStore()
        start = time.perf_counter()
        assert build([corpus], store=store).ok
        built = time.perf_counter() - start
    picked = {name: run_query(store, q).rows[0][0].value for name, q in PICK.items()}  # type: ignore[union-attr]
    picked["y"] = run_query(store, PICK_Y, params={"x": picked["x"]}).rows[0][0].value  # type: ignore[union-attr]
    before_dir = ROOT / "tests" / "data" / "saved-queries-before"
    results = []
    asked = [(name, given) for name, given in questions(picked).items()]
    asked += [("timeline", {"actor": f"<{picked['x']}>"}), ("shared-backers", {"actor": f"<{picked['x']}>"})]
    for name, params in asked:
        old_text = (before_dir / f"{name}.rq").read_text(encoding="utf-8")
        old = parse_saved(name, old_text)
        old_query = bind_values(old_text, _bindings(store, old_text, old, params))
        new_query = bound_query(store, name, params)
        times: dict[str, list[float]] = {"before": [], "summary": []}
        answers = {}
        for _ in range(args.repeats):
            start = time.perf_counter()
            answers["before"] = store.select(old_query).records()
            times["before"].append(time.perf_counter() - start)
            start = time.perf_counter()
            answers["summary"] = store.select(new_query).records()
            times["summary"].append(time.perf_counter() - start)
        row = {"question": name, "params": sorted(params), "rows": len(answers["summary"]),
               "same_answers": answers["before"] == answers["summary"],
               "before_ms": round(1000 * statistics.median(times["before"]), 1),
               "summary_ms": round(1000 * statistics.median(times["summary"]), 1)}
        results.append(row)
        print(f"{name:<20} {row['rows']:>6} rows  before {row['before_ms']:>9.1f} ms  summary "
              f"{row['summary_ms']:>8.1f} ms  same: {row['same_answers']}", flush=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"benchmark": "summary", "articles": args.articles, "quads": len(store),
                                    "build_seconds": round(built, 1), "results": results}, indent=2) + "\n",
                        encoding="utf-8")


if __name__ == "__main__":
    main()
