"""How long one edited article takes to rebuild, against the full build of the same corpus.

A synthetic corpus (:mod:`synth`) is built once into an on-disk store with 2 workers (timed), then one
article is edited and rebuilt ``--reps`` times (each timed, in this process: kg is imported already).

Usage: ``nice -n 10 python benchmarks/bench_incremental.py [--articles 1000] [--reps 5] [--relations 20]``. Prints the
times and the median one-edit rebuild as a share of the full build.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--relations", type=int, default=20, help="relations an article (synth.py's default)")
    parser.add_argument("--work", type=Path, default=None, help="folder for the corpus and the store (default: a "
                        "temporary folder); removed afterwards")
    args = parser.parse_args()
    sys.path.insert(0, str(HERE))
    from bench_build import touch
    from synth import generate_corpus

    from kg import build
    from kg.sparql.store import GraphStore

    if args.work is not None:
        args.work.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="kg-bench-incremental-", dir=args.work) as work:
        corpus, store_path = Path(work) / "corpus", Path(work) / "store"
        generate_corpus(corpus, args.articles, seed=0, relations_per_article=args.relations)
        start = time.perf_counter()
        with GraphStore(store_path) as store:
            assert build([corpus], store=store, workers=args.workers).ok
        full = time.perf_counter() - start
        print(f"full build of {args.articles} articles: {full:.2f} s", flush=True)
        edits = []
        for _ in range(args.reps):
            touch(corpus, 1 / args.articles)
            start = time.perf_counter()
            with GraphStore(store_path) as store:
                report = build([corpus], store=store, workers=args.workers)
            edits.append(time.perf_counter() - start)
            assert report.ok and report.mapped == 1
            print(f"  one edited article: {edits[-1]:.2f} s", flush=True)
        median = statistics.median(edits)
        print(f"one edit, median of {args.reps}: {median:.2f} s = {100 * median / full:.1f} % of the full build")


if __name__ == "__main__":
    main()
