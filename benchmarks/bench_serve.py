"""Load on ``kg serve``: concurrent clients asking every saved question over HTTP, with latency percentiles.

Builds (once, then reuses) a synthetic corpus of ``--articles`` articles (``benchmarks/synth.py``) into a
store, picks parameters from the data (as ``bench_query.py`` does), starts :class:`kg.sparql.serve.SparqlServer`
on a free loopback port, and runs ``--clients`` clients for ``--seconds`` seconds. Each client keeps one
HTTP connection and asks the saved questions in turn (each client starting at another one) through
``GET /questions/NAME?param=<IRI>``: the path an analyst's script takes, including kg's front (Host check,
queueing, result limit, kept answers) and Oxigraph. With ``--actors FILE`` (:func:`bench_query.sample_actors`'s
answer as JSON) each ask of a question with an actor takes the next actor of its sample, so most of them are
first asks that no kept answer serves. The load starts once the server has prepared its answers (the time that
took is reported; ``--no-prepare`` skips it), and those about each actor (``--no-prepare-actors``: not).
Reports throughput, p50/p90/p99 latency, errors (by status) and how many answers were sent as kept, overall
and per question, as a table and (``--json FILE``) as JSON.

Usage: ``nice -n 10 python benchmarks/bench_serve.py --articles 2000 --clients 8 --seconds 30``.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import sys
import threading
import time
import urllib.parse
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
if __package__ in (None, ""):  # run as a script: make the project importable
    sys.path.insert(0, str(HERE.parent))
    sys.path.insert(0, str(HERE))


def percentile(values: list[float], q: float) -> float | None:
    """The ``q`` quantile (0–1) of ``values`` by the nearest-rank method.

    >>> percentile([1.0, 2.0, 3.0, 4.0], 0.5), percentile([1.0, 2.0, 3.0, 4.0], 0.99), percentile([], 0.5)
    (2.0, 4.0, None)
    """
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, -(-int(q * 1000) * len(ordered) // 1000))  # ceil(q * n), without float surprises
    return ordered[min(rank, len(ordered)) - 1]


def summary(latencies: list[float], statuses: Counter[int], elapsed: float, kept: int = 0) -> dict[str, object]:
    ok = [x for x in latencies if x is not None]
    return {
        "answers": len(ok), "kept": kept, "per_s": round(len(ok) / elapsed, 2) if elapsed else None,
        "errors": sum(n for s, n in statuses.items() if s != 200), "statuses": dict(sorted(statuses.items())),
        **{f"p{int(q * 100)}_ms": (round(1000 * v, 1) if (v := percentile(ok, q)) is not None else None)
           for q in (0.5, 0.9, 0.99)},
    }


def run_load(port: int, paths: dict[str, str | list[str]], clients: int, seconds: float,
             timeout: float, gzipped: bool = True) -> dict[str, object]:
    """``clients`` threads asking ``paths`` (question → URL path, or paths asked one after the other) in turn
    for ``seconds``; accepting gzip-compressed answers (as curl --compressed, requests and browsers do; the
    body is read, not decompressed) unless not ``gzipped``."""
    headers = {"Accept": "application/sparql-results+json", **({"Accept-Encoding": "gzip"} if gzipped else {})}
    names = list(paths)
    turns = {name: [p] if isinstance(p, str) else p for name, p in paths.items()}
    asked: Counter[str] = Counter()
    latencies: dict[str, list[float]] = defaultdict(list)
    statuses: dict[str, Counter[int]] = defaultdict(Counter)
    kept: Counter[str] = Counter()
    lock = threading.Lock()
    stop_at = time.perf_counter() + seconds

    def client(offset: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout + 30)
        n = offset
        while time.perf_counter() < stop_at:
            name = names[n % len(names)]
            n += 1
            with lock:
                path = turns[name][asked[name] % len(turns[name])]
                asked[name] += 1
            was_kept = False
            begin = time.perf_counter()
            try:
                conn.request("GET", path, headers=headers)
                resp = conn.getresponse()
                resp.read()
                status = resp.status
                was_kept = resp.getheader("X-KG-Answer") == "kept"
                if resp.getheader("Connection", "").lower() == "close":
                    conn.close()
            except OSError:
                status = 0  # the connection failed
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout + 30)
            took = time.perf_counter() - begin
            with lock:
                statuses[name][status] += 1
                kept[name] += was_kept
                if status == 200:
                    latencies[name].append(took)
        conn.close()

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    begin = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - begin
    every = [x for name in names for x in latencies[name]]
    total: Counter[int] = Counter()
    for c in statuses.values():
        total.update(c)
    return {
        "clients": clients, "seconds": round(elapsed, 1),
        "overall": summary(every, total, elapsed, sum(kept.values())),
        "questions": {name: summary(latencies[name], statuses[name], elapsed, kept[name]) for name in names},
    }


def question_paths(store_dir: Path, picked: Path | None = None) -> dict[str, str]:
    """``/questions/NAME?…`` for every saved question, with parameters picked from the data (or read from
    ``picked``, a JSON file of :func:`bench_query.choose_params`'s answer: picking takes minutes at 10,000
    articles)."""
    from bench_query import choose_params, questions

    params = json.loads(picked.read_text(encoding="utf-8")) if picked is not None else choose_params(store_dir)
    asked = questions(params)
    return {name: f"/questions/{name}" + ("?" + urllib.parse.urlencode(given) if given else "")
            for name, given in asked.items()}


def actor_paths(paths: dict[str, str], samples: Path) -> dict[str, str | list[str]]:
    """``paths``, with each question that has a sample of actors in ``samples`` asked for each in turn (the
    questions asked without parameters stay as they are, as a user asks them)."""
    drawn = json.loads(samples.read_text(encoding="utf-8"))
    out: dict[str, str | list[str]] = dict(paths)
    for name, given in drawn.items():
        if name in out and "?" in str(out[name]):  # asked with a parameter in the mix
            out[name] = [f"/questions/{name}?" + urllib.parse.urlencode(g) for g in given]
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, default=10_000)
    ap.add_argument("--work", type=Path, default=Path("/tmp/kg-bench-serve"))
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--seconds", type=float, default=30)
    ap.add_argument("--timeout", type=float, default=30, help="kg serve's time limit per query")
    ap.add_argument("--concurrency", type=int, default=4, help="kg serve --concurrency")
    ap.add_argument("--store", type=Path, default=None, help="serve this store folder as it is (no corpus is "
                    "made or built; --articles then only labels the report)")
    ap.add_argument("--questions", default=None, help="only these saved questions, comma-separated (default: all)")
    ap.add_argument("--json", type=Path, default=None, help="also write the results here")
    ap.add_argument("--params", type=Path, default=None, help="the parameters as bench_query.choose_params "
                    "picks them, from this JSON file (default: pick them now)")
    ap.add_argument("--actors", type=Path, default=None, help="ask the questions with an actor for each actor "
                    "of this sample in turn (JSON: bench_query.sample_actors's answer)")
    ap.add_argument("--max-results", type=int, default=100_000, help="kg serve --max-results")
    ap.add_argument("--keep-answers", type=int, default=256, help="kg serve --keep-answers (MB; 0: none)")
    ap.add_argument("--no-prepare", action="store_true", help="kg serve --no-prepare")
    ap.add_argument("--no-prepare-actors", action="store_true", help="kg serve --no-prepare-actors")
    ap.add_argument("--identity", action="store_true", help="ask for answers without compression")
    ap.add_argument("--trivial", action="store_true", help="also run the same load with ASK {} (the front's "
                    "own cost: Host check, queue, relay)")
    args = ap.parse_args()

    from bench_query import prepare

    from kg.sparql.serve import ACTORS, SparqlServer, free_port
    from kg.sparql.store import GraphStore

    args.work.mkdir(parents=True, exist_ok=True)
    if args.store is not None:
        with GraphStore(args.store, read_only=True) as store:
            result: dict[str, object] = {"corpus": {"articles": args.articles, "store": str(args.store),
                                                    "quads": len(store)}}
    else:
        result = {"corpus": prepare(args.articles, args.work, args.seed)}
    store_dir = Path(result["corpus"]["store"])  # type: ignore[index]
    paths = question_paths(store_dir, args.params)
    if args.questions:
        paths = {name: paths[name] for name in args.questions.split(",")}
    asked = actor_paths(paths, args.actors) if args.actors else dict(paths)
    result["paths"] = asked
    with SparqlServer(store_dir, port=free_port(), timeout=args.timeout, concurrency=args.concurrency,
                      queue=max(64, 4 * args.clients), max_results=args.max_results,
                      keep_answers=args.keep_answers, prepare=not args.no_prepare,
                      prepare_actors=not args.no_prepare_actors) as server:
        begin = time.perf_counter()
        if server.answers is not None:
            server.answers.prepared.wait()
            result["prepared"] = {"seconds": round(time.perf_counter() - begin, 1),
                                  "answers": dict(server.answers.preparation), "bytes": server.answers.size}
            print(f"answers prepared in {result['prepared']['seconds']} s: {server.answers.preparation}")
            server.answers.actors_prepared.wait()
            result["prepared_actors"] = {"seconds": round(time.perf_counter() - begin, 1),
                                         "answers": len(server.answers), "bytes": server.answers.size,
                                         "how": server.answers.preparation.get(ACTORS)}
            print(f"answers about each actor prepared after {result['prepared_actors']['seconds']} s: "
                  f"{result['prepared_actors']}")
        result["load"] = load = run_load(server.port, asked, args.clients, args.seconds, args.timeout,
                                         gzipped=not args.identity)
        if args.trivial:
            result["trivial"] = run_load(server.port, {"ASK {}": "/query?query=ASK%7B%7D"}, args.clients,
                                         args.seconds, args.timeout)
    overall = load["overall"]  # type: ignore[index]
    result["load_average"] = os.getloadavg()
    print(f"{args.articles} articles ({result['corpus']['quads']} quads), {args.clients} clients x "  # type: ignore[index]
          f"{args.seconds:g} s, kg serve --timeout {args.timeout:g} --concurrency {args.concurrency}:")
    header = (f"  {'question':<22}{'answers':>8}{'kept':>6}{'errors':>8}{'p50 ms':>10}{'p90 ms':>10}"
              f"{'p99 ms':>10}")
    print(header)
    rows = [("all", overall), *load["questions"].items()]  # type: ignore[union-attr]
    for name, s in rows:
        print(f"  {name:<22}{s['answers']:>8}{s['kept']:>6}{s['errors']:>8}{s['p50_ms'] or '-':>10}"
              f"{s['p90_ms'] or '-':>10}{s['p99_ms'] or '-':>10}")
    print(f"  throughput {overall['per_s']} answers/s; statuses {overall['statuses']}")  # type: ignore[index]
    if "trivial" in result:
        t = result["trivial"]["overall"]  # type: ignore[index]
        print(f"  ASK {{}} through the front: {t['per_s']} answers/s, p50 {t['p50_ms']} ms, p90 {t['p90_ms']} ms, "
              f"p99 {t['p99_ms']} ms, {t['errors']} errors")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main()
