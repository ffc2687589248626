"""How fast: every saved question on a synthetic corpus, embedded store against rdflib; the endpoint's throughput.

A synthetic corpus (``benchmarks/synth.py``) is generated and built into an on-disk store (both reused
when the work folder holds them; not timed here, see ``bench_build.py``). Then:

* embedded: each saved question, with parameters chosen from the data (the group with the most
  commanders, the most allied group, …, given as IRIs), run ``--repeats`` times through
  :func:`kg.sparql.query.run_query` on the store; the median wall time and the number of rows. Resolving a
  name to an actor (one label lookup) is timed on its own row;
* rdflib: the same bound query text on an ``rdflib.Dataset`` (``default_union=True``) parsed from the
  store's N-Quads, in a child process (with a memory limit) for ``--rdflib-articles`` articles (by
  default the same corpus); each question stops at ``--rdflib-timeout`` seconds (reported as "> T");
  the row counts are checked against the embedded store's;
* endpoint: ``kg serve`` (Oxigraph behind the result-size guard, read-only) on the store, and
  ``--clients`` threads on loopback, each with a keep-alive connection, asking questions round-robin
  for ``--seconds`` seconds: queries per second, errors, median and 95th percentile latency. Two
  workloads: all saved questions in turn, and "commanders" alone. The clients share the machine's
  cores with the server.

Usage: ``python benchmarks/bench_query.py [--articles 10000] [--work DIR] [--repeats 5]
[--rdflib-articles N] [--rdflib-timeout 120] [--rdflib-memory-gb 12] [--clients 8] [--seconds 30]``.
Results are printed and written to ``benchmarks/out/query.json``.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = HERE / "out" / "query.json"
sys.path.insert(0, str(ROOT))

KG = "https://w3id.org/kg/ontology#"

#: How to pick each parameter from the data: a query whose first row's ?v is the value.
PICK = {
    "group": "SELECT ?v WHERE { ?c kg:commands ?v } GROUP BY ?v ORDER BY DESC(COUNT(*)) ?v LIMIT 1",
    "actor": "SELECT ?v WHERE { ?v kg:commands ?g } GROUP BY ?v ORDER BY DESC(COUNT(*)) ?v LIMIT 1",
    "allies_group": "SELECT ?v WHERE { ?v kg:alliedWith|^kg:alliedWith ?a } GROUP BY ?v ORDER BY DESC(COUNT(*)) ?v LIMIT 1",
    "x": "SELECT ?v WHERE { ?v kg:hostileTo|^kg:hostileTo ?e } GROUP BY ?v ORDER BY DESC(COUNT(*)) ?v LIMIT 1",
    "claimant": "SELECT ?v WHERE { ?c kg:claimant ?v . ?v a kg:Source } GROUP BY ?v ORDER BY DESC(COUNT(*)) ?v LIMIT 1",
}
PICK_Y = """SELECT ?v WHERE { ?x kg:hostileTo|^kg:hostileTo ?e . ?e kg:hostileTo|^kg:hostileTo ?v FILTER(?v != ?x) }
GROUP BY ?v ORDER BY DESC(COUNT(DISTINCT ?e)) ?v LIMIT 1"""

#: Where the sampled actors of each question with an actor parameter come from: every actor at an end of a
#: relation (asserted, from the relation summary) of the kinds the question follows ("subject", "object" or
#: "either" end), or every claimant. hostile-to-both's y is drawn among the actors that share a hostile
#: actor with the drawn x.
SAMPLE_FROM = {
    "commanders": ("group", "object", "kg:commands kg:headOf"),
    "chain-of-command": ("actor", "either", "kg:commands kg:headOf kg:subUnitOf kg:memberOf"),
    "allies": ("group", "either", "kg:alliedWith"),
    "supporters": ("group", "object", "kg:supports kg:loyalTo"),
    "hostile-to-both": ("x", "either", "kg:hostileTo"),
    "timeline": ("actor", "either", None),
    "shared-backers": ("actor", "object", "kg:supports kg:loyalTo"),
    "claims-by": ("claimant", "claimant", None),
}


def _peak_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def prepare(n: int, work: Path, seed: int) -> dict:
    """Corpus, store and N-Quads dump of ``n`` articles in ``work`` (made once, then reused)."""
    sys.path.insert(0, str(HERE))
    from synth import generate_corpus

    from kg import build
    from kg.sparql.store import GraphStore

    corpus, store_dir, nquads = work / f"corpus-{n}", work / f"store-{n}", work / f"dump-{n}.nq"
    info: dict = {"articles": n, "corpus": str(corpus), "store": str(store_dir)}
    if not (corpus / "synth.json").exists():
        generate_corpus(corpus, n, seed=seed)
    if not nquads.exists():
        start = time.perf_counter()
        with GraphStore(store_dir) as store:
            build([corpus], store=store)
            store.dump(nquads)
        info["build_seconds"] = round(time.perf_counter() - start, 1)
    with GraphStore(store_dir, read_only=True) as store:
        info["quads"] = len(store)
    info["nquads_mb"] = round(nquads.stat().st_size / 1e6, 1)
    return info


def choose_params(store_dir: Path) -> dict[str, str]:
    """IRIs for every parameter, picked from the data (see PICK)."""
    from kg.sparql.query import run_query
    from kg.sparql.store import GraphStore

    with GraphStore(store_dir, read_only=True) as store:
        params = {name: run_query(store, q).rows[0][0].value for name, q in PICK.items()}  # type: ignore[union-attr]
        params["y"] = run_query(store, PICK_Y, params={"x": params["x"]}).rows[0][0].value  # type: ignore[union-attr]
    return params


def questions(params: dict[str, str]) -> dict[str, dict[str, str]]:
    """Each saved question with the parameters it needs."""
    from kg.sparql.query import saved_queries

    out = {}
    for name, saved in saved_queries().items():
        given = {}
        for p in saved.params:
            key = "allies_group" if (name, p.name) in (("allies", "group"), ("supporters", "group")) else p.name
            if p.required and key in params:
                given[p.name] = f"<{params[key]}>"
        if name == "timeline":
            given["relation"] = "hostileTo"
        out[name] = given
    return out


def bound_texts(store_dir: Path, asked: dict[str, dict[str, str]]) -> dict[str, str]:
    """The query text each question runs, parameters bound (the same text for every engine)."""
    from kg.sparql.query import bound_query
    from kg.sparql.store import GraphStore
    from kg.sparql.text import declare_prefixes

    out = {}
    with GraphStore(store_dir, read_only=True) as store:
        for name, given in asked.items():
            out[name] = declare_prefixes(bound_query(store, name, given))
    return out


def bench_embedded(store_dir: Path, asked: dict[str, dict[str, str]], repeats: int, label: str) -> dict:
    from kg.sparql.query import resolve_actor, run_query
    from kg.sparql.store import GraphStore

    out: dict = {}
    with GraphStore(store_dir, read_only=True) as store:
        for key, given in asked.items():
            name = key.split(" ")[0]  # "timeline (all)" asks timeline
            times, rows = [], 0
            for _ in range(repeats):
                start = time.perf_counter()
                rows = len(run_query(store, name, params=given))
                times.append(time.perf_counter() - start)
            out[key] = {"median_s": round(statistics.median(times), 4), "min_s": round(min(times), 4),
                          "rows": rows}
        times = []
        for _ in range(repeats):
            start = time.perf_counter()
            resolve_actor(store, label)
            times.append(time.perf_counter() - start)
        out["(resolve a name)"] = {"median_s": round(statistics.median(times), 4), "min_s": round(min(times), 4),
                                   "rows": 1}
    return out


def rdflib_child(nquads: str, texts_json: str, repeats: int, timeout: float) -> dict:
    """In a child: parse the N-Quads into rdflib, run every bound question."""
    import signal

    import rdflib

    texts = json.loads(texts_json)
    start = time.perf_counter()
    ds = rdflib.Dataset(default_union=True)
    ds.parse(nquads, format="nquads")
    out: dict = {"load_s": round(time.perf_counter() - start, 1), "triples": len(ds), "questions": {}}

    class Late(Exception):
        pass

    def alarm(signum: int, frame: object) -> None:
        raise Late

    signal.signal(signal.SIGALRM, alarm)
    for name, text in texts.items():
        times, rows, late = [], None, False
        for _ in range(repeats):
            signal.setitimer(signal.ITIMER_REAL, timeout)
            begin = time.perf_counter()
            try:
                rows = len(list(ds.query(text)))
                times.append(time.perf_counter() - begin)
            except Late:
                late = True
                break
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
        out["questions"][name] = ({"median_s": f"> {timeout:g}", "rows": None} if late
                                  else {"median_s": round(statistics.median(times), 4), "rows": rows})
    out["peak_mb"] = _peak_mb()
    return out


def bench_rdflib(nquads: Path, texts: dict[str, str], repeats: int, timeout: float, memory_gb: float) -> dict:
    code = ("import json, sys; sys.path.insert(0, sys.argv[1]); import bench_query as b; "
            "print(json.dumps(b.rdflib_child(sys.argv[2], sys.argv[3], int(sys.argv[4]), float(sys.argv[5]))))")

    def limit() -> None:
        cap = int(memory_gb * 2**30)
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))

    try:
        done = subprocess.run([sys.executable, "-c", code, str(HERE), str(nquads), json.dumps(texts), str(repeats),
                               str(timeout)], capture_output=True, text=True, preexec_fn=limit,  # noqa: PLW1509
                              timeout=timeout * len(texts) * repeats + 3600)
    except subprocess.TimeoutExpired:
        return {"error": "did not finish"}
    if done.returncode != 0:
        return {"error": (done.stderr.strip().splitlines() or ["failed"])[-1]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def bench_endpoint(store_dir: Path, texts: dict[str, str], clients: int, seconds: float) -> dict:
    from kg.sparql.serve import SparqlServer, free_port

    out = {}
    with SparqlServer(store_dir, port=free_port(), timeout=60) as server:
        for workload, chosen in (("all questions in turn", list(texts.values())), ("commanders", [texts["commanders"]])):
            bodies = [urllib.parse.urlencode({"query": t}).encode() for t in chosen]
            latencies: list[float] = []
            errors: list[str] = []
            lock = threading.Lock()
            stop_at = time.perf_counter() + seconds

            def client(offset: int, bodies: list[bytes] = bodies, latencies: list[float] = latencies,
                       errors: list[str] = errors, stop_at: float = stop_at, lock: threading.Lock = lock) -> None:
                conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=120)
                n = offset
                while time.perf_counter() < stop_at:
                    body = bodies[n % len(bodies)]
                    n += 1
                    begin = time.perf_counter()
                    try:
                        conn.request("POST", "/query", body=body, headers={
                            "Content-Type": "application/x-www-form-urlencoded",
                            "Accept": "application/sparql-results+json"})
                        resp = conn.getresponse()
                        resp.read()
                        ok = resp.status == 200
                    except OSError as exc:
                        ok, resp = False, None
                        conn.close()
                        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=120)
                        with lock:
                            errors.append(str(exc))
                    with lock:
                        if ok:
                            latencies.append(time.perf_counter() - begin)
                        elif resp is not None:
                            errors.append(str(resp.status))
                conn.close()

            threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
            begin = time.perf_counter()
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            elapsed = time.perf_counter() - begin
            lat = sorted(latencies)
            out[workload] = {
                "clients": clients, "seconds": round(elapsed, 1), "queries": len(lat),
                "queries_per_s": round(len(lat) / elapsed, 1), "errors": len(errors),
                "error_samples": sorted(set(errors))[:3],
                "median_ms": round(1000 * statistics.median(lat), 1) if lat else None,
                "p95_ms": round(1000 * lat[int(0.95 * (len(lat) - 1))], 1) if lat else None,
            }
    return out


def _ends(store: object, end: str, predicates: str | None) -> list[str]:
    from kg.sparql.query import run_query

    if end == "claimant":
        q = "SELECT DISTINCT ?v WHERE { ?c kg:claimant ?v }"
    else:
        ends = {"subject": "rdf:subject ?v", "object": "rdf:object ?v",
                "either": "rdf:subject|rdf:object ?v"}[end]
        values = f"VALUES ?p {{ {predicates} }}" if predicates else ""
        q = (f"SELECT DISTINCT ?v WHERE {{ {values} ?r a kg:RelationSummary ; kg:asserted true ; "
             f"rdf:predicate ?p ; {ends} . FILTER(isIRI(?v)) }}")
    return sorted(r[0].value for r in run_query(store, q).rows)  # type: ignore[arg-type,union-attr]


def sample_actors(store_dir: Path, n: int, seed: int = 0) -> dict[str, list[dict[str, str]]]:
    """``n`` parameter sets for each question with an actor parameter, drawn uniformly (``random.Random(seed)``)
    from the actors the question is about (see SAMPLE_FROM); fewer when the data has fewer."""
    import random

    from kg.sparql.query import run_query
    from kg.sparql.store import GraphStore

    out: dict[str, list[dict[str, str]]] = {}
    with GraphStore(store_dir, read_only=True) as store:
        for name, (param, end, predicates) in SAMPLE_FROM.items():
            rng = random.Random(f"{seed} {name}")
            pool = _ends(store, end, predicates)
            drawn = rng.sample(pool, min(n, len(pool)))
            if name != "hostile-to-both":
                out[name] = [{param: f"<{v}>"} for v in drawn]
                continue
            pairs = []
            for x in drawn:
                q = ("SELECT DISTINCT ?v WHERE { ?x kg:hostileTo|^kg:hostileTo ?e . "
                     "?e kg:hostileTo|^kg:hostileTo ?v FILTER(?v != ?x) }")
                ys = sorted(r[0].value for r in run_query(store, q, params={"x": f"<{x}>"}).rows)  # type: ignore[union-attr]
                if ys:
                    pairs.append({"x": f"<{x}>", "y": f"<{rng.choice(ys)}>"})
            out[name] = pairs
    return out


def bench_actor_sample(store_dir: Path, samples: dict[str, list[dict[str, str]]], repeats: int) -> dict:
    """Each sampled parameter set asked ``repeats`` times (its median); p50, p90 and max over the sample."""
    from kg.sparql.query import run_query
    from kg.sparql.store import GraphStore

    out: dict = {}
    with GraphStore(store_dir, read_only=True) as store:
        for name, sets in samples.items():
            per: list[tuple[float, int, dict[str, str]]] = []
            for given in sets:
                times, rows = [], 0
                for _ in range(repeats):
                    start = time.perf_counter()
                    rows = len(run_query(store, name, params=given))
                    times.append(time.perf_counter() - start)
                per.append((statistics.median(times), rows, given))
            ordered = sorted(t for t, _, _ in per)
            slowest = max(per, key=lambda t: t[0])
            out[name] = {"actors": len(per), "p50_ms": round(1000 * statistics.median(ordered), 2),
                         "p90_ms": round(1000 * ordered[int(0.9 * (len(ordered) - 1))], 2),
                         "max_ms": round(1000 * slowest[0], 2), "max_rows": slowest[1], "slowest": slowest[2],
                         "median_rows": statistics.median(r for _, r, _ in per)}
    return out


def _fmt(value: object) -> str:
    if isinstance(value, float):
        return f"{value * 1000:.1f} ms" if value < 1 else f"{value:.2f} s"
    return str(value)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, default=10_000)
    ap.add_argument("--work", type=Path, default=Path("/tmp/kg-bench-query"))
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--rdflib-articles", type=int, default=None, help="corpus size for rdflib (default: --articles)")
    ap.add_argument("--rdflib-repeats", type=int, default=3)
    ap.add_argument("--rdflib-timeout", type=float, default=120)
    ap.add_argument("--rdflib-memory-gb", type=float, default=12)
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--seconds", type=float, default=30)
    ap.add_argument("--actors", type=int, default=30, help="how many actors to sample for each question with "
                    "an actor parameter (0: none)")
    ap.add_argument("--store", type=Path, default=None, help="query this store folder as it is (no corpus is "
                    "made or built; --articles then only labels the report; implies --skip rdflib)")
    ap.add_argument("--skip", nargs="*", default=[], choices=["rdflib", "endpoint"])
    args = ap.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)

    result: dict = {"machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
                    "load_average": os.getloadavg()}
    if args.store is not None:
        from kg.sparql.store import GraphStore

        with GraphStore(args.store, read_only=True) as store:
            result["corpus"] = {"articles": args.articles, "store": str(args.store), "quads": len(store)}
        args.skip.append("rdflib")
    else:
        result["corpus"] = prepare(args.articles, args.work, args.seed)
    store_dir = Path(result["corpus"]["store"])
    params = choose_params(store_dir)
    asked = questions(params)
    result["params"] = asked
    texts = bound_texts(store_dir, asked)
    from kg.sparql.store import GraphStore

    with GraphStore(store_dir, read_only=True) as store:
        label_row = store.select(
            f"SELECT ?l WHERE {{ <{params['group']}> <http://www.w3.org/2000/01/rdf-schema#label> ?l }} LIMIT 1").rows[0]
        label = label_row[0].value  # type: ignore[union-attr]
    # besides the load test's mix: the busiest actor's timeline and shared backers, and every relation's timeline
    extra = {"timeline (actor)": {"actor": f"<{params['x']}>"}, "shared-backers (actor)": {"actor": f"<{params['x']}>"},
             "timeline (all)": {}}
    result["embedded"] = bench_embedded(store_dir, {**asked, **extra}, args.repeats, label)
    print(f"embedded store, {args.articles} articles ({result['corpus']['quads']} quads), median of {args.repeats}:")
    for name, r in result["embedded"].items():
        print(f"  {name:<22}{_fmt(r['median_s']):>12}{r['rows']:>8} rows")

    if args.actors:
        result["actor_sample"] = bench_actor_sample(store_dir, sample_actors(store_dir, args.actors, args.seed),
                                                    args.repeats)
        print(f"questions with an actor, {args.actors} actors drawn from the data (median of {args.repeats} each):")
        for name, r in result["actor_sample"].items():
            print(f"  {name:<22} p50 {r['p50_ms']:>8.1f} ms  p90 {r['p90_ms']:>8.1f} ms  max {r['max_ms']:>8.1f} ms "
                  f"({r['max_rows']} rows)  over {r['actors']} actors")

    if "rdflib" not in args.skip:
        n = args.rdflib_articles or args.articles
        if n != args.articles:
            result["rdflib_corpus"] = prepare(n, args.work, args.seed)
            small = Path(result["rdflib_corpus"]["store"])
            result["embedded_at_rdflib_size"] = bench_embedded(small, asked_small := questions(choose_params(small)),
                                                               args.repeats, label)
            rdflib_texts = bound_texts(small, asked_small)
        else:
            rdflib_texts = texts
        result["rdflib"] = bench_rdflib(args.work / f"dump-{n}.nq", rdflib_texts, args.rdflib_repeats,
                                        args.rdflib_timeout, args.rdflib_memory_gb)
        ref = result.get("embedded_at_rdflib_size", result["embedded"])
        print(f"rdflib, {n} articles: {json.dumps({k: v for k, v in result['rdflib'].items() if k != 'questions'})}")
        for name, r in result["rdflib"].get("questions", {}).items():
            same = "" if r["rows"] in (None, ref[name]["rows"]) else f"  (rows differ: oxigraph {ref[name]['rows']})"
            print(f"  {name:<22}{_fmt(r['median_s']):>12} vs {_fmt(ref[name]['median_s'])} embedded{same}")

    if "endpoint" not in args.skip:
        result["endpoint"] = bench_endpoint(store_dir, texts, args.clients, args.seconds)
        for workload, r in result["endpoint"].items():
            print(f"endpoint, {workload}: {r['queries_per_s']} queries/s, {r['errors']} errors, "
                  f"median {r['median_ms']} ms, p95 {r['p95_ms']} ms ({r['clients']} clients, {r['seconds']} s)")

    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"→ {OUT}")


if __name__ == "__main__":
    main()
