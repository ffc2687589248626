"""The data of a view page, the same for both page kinds: columns for the actors and relations (what
drawing needs, parsed at once) and the details (IRIs, aliases, evidence, articles, article text) parsed
only when a panel first opens.

>>> from kg.network import network_from_triples
>>> net = network_from_triples([("444th Brigade", "hostileTo", "Ghneiwa"), ("Ghneiwa", "supports", "GNA")])
>>> data, detail = page_data(net, lang="en", webgl=False)
>>> data["nodes"]["en"], [data["relations"][r]["name"] for r in data["edges"]["rel"]]
(['444th Brigade', 'GNA', 'Ghneiwa'], ['hostileTo', 'supports'])
>>> detail["nodes"]["iri"]
['444th Brigade', 'GNA', 'Ghneiwa']
"""

from __future__ import annotations

import functools
import math
import re
from collections import Counter, defaultdict
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from kg.views.layout import LARGE, layout
from kg.views.look import (
    BLOC_COLOURS,
    SIZED_SHAPES,
    display_label,
    legend_term,
    look,
    node_colour,
    ontology_or_default,
    shape,
    wrap,
)
from kg.views.prepare import blocs, neighbours

if TYPE_CHECKING:
    import networkx as nx

    from kg.ontology import Ontology

#: Large (WebGL) views always label this many of their most central actors; the others once zoomed in.
CENTRAL_LABELS = 12
#: Article texts embedded whole while they total at most this many characters; past that, only the
#: paragraphs around the quotes.
TEXT_BUDGET = 2_000_000
_MONTH = re.compile(r"^(\d{4})(?:-(\d{2}))?")


def page_data(graph: nx.MultiDiGraph, *, lang: str, webgl: bool, ontology: Ontology | None = None,
              texts: Mapping[str, str] | None = None) -> tuple[dict[str, Any], dict[str, Any]]:
    """(data, detail) of the page for ``graph`` (drawn as given: select and prepare first)."""
    ont = ontology_or_default(ontology)
    order = sorted(graph.nodes, key=str)
    index = {n: i for i, n in enumerate(order)}
    n = len(order)
    degree = [neighbours(graph, node) for node in order]
    top = max(degree, default=0) or 1
    kinds = [str(graph.nodes[node].get("type") or "Actor") for node in order]
    type_names = sorted(set(kinds))
    type_index = {t: i for i, t in enumerate(type_names)}
    sizes = [10 + 22 * math.sqrt(d / top) for d in degree]
    # the WebGL page draws one line a label: Arabic in an Arabic view, else English (else Arabic)
    labels = [display_label(graph.nodes[node], "ar" if lang == "ar" else "en", node) if webgl
              else display_label(graph.nodes[node], lang, node) for node in order]
    if not webgl:
        labels = [wrap(label) for label in labels]
        sized = [shape(ont, k) in SIZED_SHAPES for k in kinds]
        positions = layout(graph, order, [_box(lab, s, z) for lab, s, z in zip(labels, sizes, sized, strict=True)])
    else:
        positions = layout(graph, order)
    bloc = blocs(graph, order)
    bloc_count = Counter(bloc)
    type_count = Counter(kinds)
    leads: dict[int, int] = {}
    for i, b in enumerate(bloc):
        if b not in leads or degree[i] > degree[leads[b]]:
            leads[b] = i
    central = sorted(range(n), key=lambda i: (-degree[i], i))[:CENTRAL_LABELS]

    nodes: dict[str, list[Any]] = {
        "type": [type_index[k] for k in kinds],
        "en": [str(graph.nodes[node].get("label_en") or graph.nodes[node].get("label") or "") for node in order],
        "ar": [str(graph.nodes[node].get("label_ar") or "") for node in order],
        "x": [round(x, 1) for x, _ in positions], "y": [round(y, 1) for _, y in positions],
        "size": [round(s, 1) for s in sizes], "bloc": bloc,
    }
    if webgl:  # one line a label, made in the page from en/ar; whole pixels are precise enough
        nodes["x"], nodes["y"] = [round(x) for x in nodes["x"]], [round(y) for y in nodes["y"]]
    else:
        nodes["label"] = labels
    detail_nodes = {
        "iri": [str(graph.nodes[node].get("iri") or node) for node in order],
        "aliases": [[str(a) for a in graph.nodes[node].get("aliases") or []] for node in order],
        "merged": [[str(a) for a in graph.nodes[node].get("merged") or []] for node in order],
    }

    ordered = sorted(graph.edges(keys=True, data=True), key=lambda e: (index[e[0]], index[e[1]], str(e[2])))
    rel_names = sorted({str(d.get("relation") or k) for _, _, k, d in ordered})
    rel_index = {r: i for i, r in enumerate(rel_names)}
    months = sorted({m for *_, d in ordered for m in _months(d.get("first"), d.get("last")) if m})
    month_index = {m: i for i, m in enumerate(months)}
    edges: dict[str, list[Any]] = {k: [] for k in ("from", "to", "rel", "sym", "sources", "first", "last", "curve")}
    detail_edges: dict[str, list[Any]] = {"claimants": [], "flags": [], "evidence": [], "period": []}
    articles: dict[str, dict[str, Any]] = {}
    rel_count: Counter[str] = Counter()
    groups: dict[tuple[int, int], list[int]] = defaultdict(list)
    for u, v, key, data in ordered:
        relation = str(data.get("relation") or key)
        rel_count[relation] += 1
        a, b = index[u], index[v]
        groups[(min(a, b), max(a, b))].append(len(edges["from"]))
        first, last = _months(data.get("first"), data.get("last"))
        edges["from"].append(a)
        edges["to"].append(b)
        edges["rel"].append(rel_index[relation])
        sym = data.get("symmetric")
        edges["sym"].append(int(bool(look(ont, relation)["symmetric"] if sym is None else sym)))
        edges["sources"].append(int(data.get("sources") or 0))
        edges["first"].append(month_index[first] if first else -1)
        edges["last"].append(month_index[last] if last else -1)
        edges["curve"].append(0)
        detail_edges["claimants"].append([str(c) for c in data.get("claimants") or []])
        detail_edges["flags"].append([str(f) for f in data.get("flags") or []])
        detail_edges["evidence"].append([_evidence(e, articles) for e in data.get("evidence") or []])
        detail_edges["period"].append([data.get("first"), data.get("last")])
    if webgl:
        del edges["curve"]
    elif n <= LARGE:
        _curve_parallel(edges, groups)
    center = graph.graph.get("center")
    data = {
        "webgl": webgl, "lang": lang, "large": webgl or n > LARGE,
        "types": [dict(legend_term(ont, t), count=type_count[t], shape=shape(ont, t),
                       vis=node_colour(look(ont, t)["colour"])) for t in type_names],
        "relations": [dict(legend_term(ont, r), count=rel_count[r]) for r in rel_names],
        "blocs": [{"colour": BLOC_COLOURS[b], "count": bloc_count[b],
                   "lead": leads[b]}
                  for b in range(min(len(bloc_count), len(BLOC_COLOURS)))],
        "months": months, "nodes": nodes, "edges": edges, "central": central,
        "center": [index[center]] if center in index else [],
    }
    detail = {"nodes": detail_nodes, "edges": detail_edges, "articles": list(articles.values()),
              "texts": _texts(articles, detail_edges["evidence"], texts)}
    return data, detail


@functools.lru_cache(maxsize=4096)
def _months(first: Any, last: Any) -> tuple[str | None, str | None]:
    """The first and last month of a period of ISO dates (a bare year spans January to December).

    >>> _months("2016", "2017-03-02")
    ('2016-01', '2017-03')
    """
    def month(value: Any, end: bool) -> str | None:
        match = _MONTH.match(str(value or ""))
        if not match:
            return None
        return f"{match.group(1)}-{match.group(2) or ('12' if end else '01')}"

    first_m, last_m = month(first or last, False), month(last or first, True)
    return first_m, last_m


def _curve_parallel(edges: dict[str, list[Any]], groups: Mapping[tuple[int, int], list[int]]) -> None:
    """Bend edges that join the same two actors apart so each stays visible (signed roundness)."""
    for (low, _high), ids in groups.items():
        if len(ids) < 2:
            continue
        for i, eid in enumerate(ids):
            step = i + (len(ids) % 2 == 0)
            if step == 0:
                continue
            clockwise = step % 2 == 1
            if edges["from"][eid] != low:
                clockwise = not clockwise
            roundness = round(0.18 * ((step + 1) // 2), 2)
            edges["curve"][eid] = roundness if clockwise else -roundness


def _box(label: str, size: float, sized: bool) -> tuple[float, float, float]:
    """Estimated drawn extent of a node with its label: (width, height, centre offset below the node)."""
    lines = label.split("\n")
    text_w = max(len(line) for line in lines) * 7.4
    text_h = len(lines) * 17.0
    if not sized:
        return text_w + 16, text_h + 12, 0.0
    height = 2 * size + 4 + text_h
    return max(text_w, 2 * size), height, height / 2 - size


def _evidence(item: Mapping[str, Any], articles: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """One supporting assertion for the page: its own fields, its article as an index into ``articles``
    (title, outlet, date and link are stored once per article) and its character span in the article."""
    iri = str(item.get("article") or item.get("url") or item.get("title") or "")
    if iri not in articles:
        articles[iri] = {k: str(item[k]) for k in ("title", "outlet", "date", "url") if item.get(k)}
        articles[iri].update(index=len(articles) - 1, iri=iri)
    out: dict[str, Any] = {"a": articles[iri]["index"]}
    for key in ("quote", "sentence", "claimant", "claim_date", "date"):
        if item.get(key) and not (key == "date" and str(item[key]) == articles[iri].get("date")):
            out[key] = str(item[key])
    span = item.get("span")
    if isinstance(span, list | tuple) and len(span) == 2 and all(isinstance(x, int) for x in span):
        out["span"] = [int(span[0]), int(span[1])]
    flags = item.get("flags") or []
    flags = [str(f) for f in (flags if isinstance(flags, list | tuple | set | frozenset) else [flags])]
    if flags:
        out["flags"] = flags
    return out


def _texts(articles: Mapping[str, Mapping[str, Any]], evidence: list[list[dict[str, Any]]],
           texts: Mapping[str, str] | None) -> dict[str, dict[str, Any]]:
    """Article index → ``{"o": offset, "t": text}`` (code points): whole texts within :data:`TEXT_BUDGET`,
    else the paragraphs from the first quote's to the last one's."""
    if not texts:
        return {}
    cited = {str(a["index"]): texts[iri] for iri, a in articles.items() if iri in texts}
    if sum(len(t) for t in cited.values()) <= TEXT_BUDGET:
        return {k: {"o": 0, "t": t} for k, t in cited.items()}
    spans: dict[str, list[int]] = defaultdict(list)
    for items in evidence:
        for e in items:
            if "span" in e and str(e["a"]) in cited:
                spans[str(e["a"])] += e["span"]
    out = {}
    for key, points in spans.items():
        text = cited[key]
        start = text.rfind("\n\n", 0, max(0, min(points))) + 1 if "\n\n" in text[:min(points)] else 0
        end = text.find("\n\n", max(points))
        end = len(text) if end < 0 else end
        start, end = max(start, min(points) - 4000), min(end, max(points) + 4000)
        out[key] = {"o": start, "t": text[start:end]}
    return out
