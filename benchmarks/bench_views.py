"""Benchmark of ``kg view`` against pyvis's defaults on the same synthetic actor networks.

For 1,000, 10,000 and 100,000 actors (two relations per actor, one quote each; past
:data:`kg.views.WEBGL` actors kg writes its WebGL page) it measures, for kg's view and (up to
``--pyvis-max`` actors) for a stock pyvis page (``Network(directed=True, cdn_resources="in_line")``, default physics and
smoothing, nodes and edges assigned directly since ``from_nx`` is quadratic):

* the time to build and write the HTML file, and its size;
* the time until headless Chromium has drawn the network, from the start of navigation (best of
  ``--repeat`` runs, and their median, for kg's view): for kg's view
  ``window.kgView.drawnAt``; for pyvis, the first ``afterDrawing`` event of its ``network`` (vis-network
  draws nothing until physics stabilisation is done). Each browser run is a separate process, killed
  after ``--timeout`` seconds; such runs are reported as "did not finish in N s".

Each row also has ``browser_cpu_s``: CPU seconds of all the browser's processes (page, GPU's software
WebGL, browser) from opening the page until its first frame was seen, starting the page's process and
reading the details after the first frame included; it grows less with the load than the wall time.

Run: ``nice -n 10 python benchmarks/bench_views.py [--sizes 1000,10000,100000] [--timeout 120] [--json out.json]``.
The machine's load average is printed with the results: wall-clock figures grow with it.
Needs Chromium (``scripts/ensure-chromium``).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

#: Appended to pyvis's page: records when its network is first drawn and when physics has settled.
PYVIS_PROBE = """<script>
(function () {
  function hook() {
    if (typeof network === "undefined" || !network) { return setTimeout(hook, 5); }
    network.once("afterDrawing", function () { window.benchDrawnAt = performance.now(); });
    network.once("stabilized", function () { window.benchStableAt = performance.now(); });
  }
  hook();
})();
</script>
</body>"""


def synthetic_network(n: int, *, seed: int = 1) -> Any:
    """An actor network shaped like :func:`kg.network.actor_network`'s: ``n`` actors, about ``2n`` relations
    (Barabási–Albert, so a heavy-tailed degree distribution), types and relations drawn from the ontology."""
    import networkx as nx

    from kg.ontology import load_ontology

    ont = load_ontology()
    rnd = random.Random(seed)
    types = sorted(t for t in ont.actor_types if not any(o != t and ont.is_a(o, t) for o in ont.actor_types))

    def actors_only(names: tuple[str, ...]) -> bool:
        return bool(names) and all(x == "Actor" or ont.is_a(x, "Actor") for x in names)

    relations = sorted(r for r in ont.relation_types if actors_only(ont.term(r).domain) and actors_only(ont.term(r).range)
                       and r != "alsoKnownAs")  # aliases would merge random actors
    graph = nx.MultiDiGraph()
    names = [f"https://w3id.org/kg/id/actor/a{i}" for i in range(n)]
    for i, iri in enumerate(names):
        graph.add_node(iri, type=rnd.choice(types), label_en=f"Actor {i}", label_ar=f"الفاعل {i}",
                       label=f"Actor {i}", aliases=[f"A{i}"], iri=iri)
    # preferential attachment: a few hubs (commanders, coalitions), most actors with one or two relations
    for j, (a, b) in enumerate(nx.barabasi_albert_graph(n, 2, seed=seed).edges()):
        u, v = (names[a], names[b]) if rnd.random() < 0.5 else (names[b], names[a])
        relation = rnd.choice(relations)
        term = ont.term(relation)
        if term.symmetric and v < u:
            u, v = v, u
        article = f"https://w3id.org/kg/id/article/{j % 997}"
        graph.add_edge(u, v, key=relation, relation=relation, symmetric=bool(term.symmetric),
                       sign=int(term.sign or 0), sources=1 + rnd.randrange(3), articles=[article],
                       claimants=["local sources"], first="2016-07", last="2016-07", flags=[], negated=False,
                       evidence=[{"quote": f"quote {j} about {graph.nodes[u]['label']}", "sentence": f"sentence {j}",
                                  "article": article, "title": f"Article {j % 997}", "outlet": "Al Jazeera",
                                  "date": "2016-07", "url": f"https://example.org/{j % 997}",
                                  "claimant": "local sources", "claim_date": None, "flags": []}])
    return graph


def write_kg(graph: Any, path: Path) -> float:
    from kg.views import write_view

    start = time.perf_counter()
    write_view(graph, path)
    return time.perf_counter() - start


def write_pyvis(graph: Any, path: Path) -> float:
    """pyvis's defaults; nodes and edges assigned as lists (``from_nx`` is quadratic)."""
    from pyvis.network import Network

    start = time.perf_counter()
    net = Network(directed=True, cdn_resources="in_line")
    index = {node: i for i, node in enumerate(graph.nodes)}
    net.nodes = [{"id": i, "label": graph.nodes[node]["label"], "shape": "dot", "color": "#97c2fc", "size": 10}
                 for node, i in index.items()]
    net.node_ids = list(range(len(index)))
    net.node_map = {n["id"]: n for n in net.nodes}
    net.edges = [{"from": index[u], "to": index[v], "arrows": "to", "title": k} for u, v, k in graph.edges(keys=True)]
    page = net.generate_html()
    path.write_text(page.replace("</body>", PYVIS_PROBE, 1), encoding="utf-8")
    return time.perf_counter() - start


#: CPU seconds of the browser's processes for each drawing measured (they do not grow with the load).
CPU_SECONDS: list[float | None] = []


def measure(path: Path, expression: str, timeout: float) -> float | None:
    """Seconds until the page has drawn, in a child process killed after ``timeout`` (None: not drawn)."""
    cmd = [sys.executable, __file__, "--measure", str(path), "--expression", expression, "--timeout", str(timeout)]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True, start_new_session=True)
    try:
        out, _ = proc.communicate(timeout=timeout + 30)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        return None
    value = out.strip().splitlines()[-1] if out.strip() else "null"
    if value == "null":
        return None
    seconds, cpu = value.split()
    CPU_SECONDS.append(None if cpu == "null" else float(cpu))
    return float(seconds)


def _measure_child(path: Path, expression: str, timeout: float) -> None:
    from browser import Browser, chromium_path

    executable = chromium_path()
    if executable is None:
        sys.exit("no Chromium: run scripts/ensure-chromium")
    browser = Browser(executable)
    try:
        seconds, cpu = browser.draw_costs(path, expression=expression, timeout=timeout)
    finally:
        browser.close()
    print("null" if seconds is None else f"{seconds:.3f} {cpu if cpu is not None else 'null'}", flush=True)


def _fmt_time(seconds: float | None, timeout: float) -> str:
    return f"did not finish in {timeout:.0f} s" if seconds is None else f"{seconds:.2f} s"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--pyvis-max", type=int, default=10000, help="largest network drawn with stock pyvis")
    parser.add_argument("--timeout", type=float, default=120.0, help="cap on each browser run, seconds")
    parser.add_argument("--repeat", type=int, default=3, help="browser runs per kg view (best and median kept)")
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--expression", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        _measure_child(args.measure, args.expression, args.timeout)
        return

    results = []
    write_kg(synthetic_network(20), Path(tempfile.gettempdir()) / "kg-bench-warm-up.html")  # imports, ontology
    with tempfile.TemporaryDirectory() as tmp:
        for n in (int(s) for s in args.sizes.split(",")):
            graph = synthetic_network(n)
            candidates = [("kg view", write_kg, "window.kgView && window.kgView.drawn && window.kgView.drawnAt",
                           args.repeat)]
            if n <= args.pyvis_max:
                candidates.append(("pyvis defaults", write_pyvis, "window.benchDrawnAt || null", 1))
            for name, write, expression, repeat in candidates:
                path = Path(tmp) / f"{name.split()[0]}-{n}.html"
                written = write(graph, path)
                runs = []
                CPU_SECONDS.clear()
                for _ in range(repeat):
                    runs.append(measure(path, expression, args.timeout))
                    if runs[-1] is None:
                        break
                done = sorted(r for r in runs if r is not None)
                drawn = done[0] if len(done) == len(runs) else None
                median = done[len(done) // 2] if drawn is not None else None
                row = {"nodes": graph.number_of_nodes(), "edges": graph.number_of_edges(), "view": name,
                       "write_s": round(written, 3), "bytes": path.stat().st_size,
                       "drawn_s": None if drawn is None else round(drawn, 3),
                       "drawn_median_s": None if median is None else round(median, 3),
                       "runs": len(runs), "timeout_s": args.timeout}
                results.append(row)
                spread = f" (median of {len(runs)}: {median:.2f} s)" if median is not None and len(runs) > 1 else ""
                row["load_average"] = round(os.getloadavg()[0], 1)
                cpu = sorted(c for c in CPU_SECONDS if c is not None)
                row["browser_cpu_s"] = round(cpu[0], 2) if cpu else None
                print(f"{row['nodes']:>6} nodes {row['edges']:>6} edges  {name:<15} write {written:6.2f} s  "
                      f"{row['bytes'] / 1e6:6.2f} MB  drawn {_fmt_time(drawn, args.timeout)}{spread}  "
                      f"browser CPU {row['browser_cpu_s']} s (load average {row['load_average']})", flush=True)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
