"""Running an analysis by name: what ``kg analyze`` prints, as a JSON-ready dict.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import networkx as nx

from kg.analysis.balance import balance
from kg.analysis.blocs import blocs
from kg.analysis.centrality import MEASURES, centrality
from kg.analysis.chains import command_chains
from kg.analysis.paths import ego_network, shortest_path
from kg.analysis.records import actor
from kg.errors import NetworkError
from kg.network.build import actor_network
from kg.network.names import find_actor
from kg.network.selection import Selection, as_selection, select

if TYPE_CHECKING:
    from kg.ontology import Ontology
    from kg.sparql.source import Source

#: Analyses :func:`analyze` knows, with the number of actor names each takes.
ANALYSES: dict[str, int] = {"summary": 0, "centrality": 0, "blocs": 0, "balance": 0, "chains": 0, "path": 2,
                            "ego": 1}


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def _ego_report(network: nx.MultiDiGraph) -> dict[str, Any]:
    nodes = sorted(network, key=lambda n: actor(network, n))
    edges = sorted(network.edges(keys=True, data=True),
                   key=lambda e: (actor(network, e[0]), e[2], actor(network, e[1])))
    return {"actors": [_plain(actor(network, n)) | {"type": network.nodes[n].get("type")} for n in nodes],
            "relations": [{"subject": _plain(actor(network, u)), "relation": k, "object": _plain(actor(network, v)),
                           "symmetric": bool(d.get("symmetric")), "sources": d.get("sources", 1)}
                          for u, v, k, d in edges]}


def _cut(items: list[Any], top: int | None) -> list[Any]:
    return items if top is None else items[:top]


def analyze(
    source: Source | nx.MultiDiGraph,
    analysis: str = "summary",
    actors: Iterable[str] = (),
    *,
    selection: Selection | None = None,
    measure: str | None = None,
    top: int | None = 10,
    radius: int = 1,
    seed: int = 0,
    signed: bool = True,
    strict: bool = True,
    ontology: Ontology | None = None,
    **filters: Any,
) -> dict[str, Any]:
    """Run one analysis by name (:data:`ANALYSES`) and return a JSON-ready dict (what ``kg analyze`` prints).

    ``source``: a query source (store, endpoint) or a network already built; either way the
    ``selection`` (or keyword ``filters``, its field names) decides what is analysed, applied once: in
    SPARQL for a source, in Python for a network that was not built with it. ``top`` bounds every list of
    the report (centrality, blocs, the hostility inside each, unbalanced triangles, chains, cycles, an ego
    network's relations); ``*_total`` fields keep the full counts. ``None``: everything.

    >>> from kg.network import network_from_triples
    >>> net = network_from_triples([("A", "alliedWith", "B"), ("B", "hostileTo", "C")])
    >>> analyze(net, "blocs")["blocs"][0]["members"][0]["label"]
    'A'
    >>> analyze(net, "summary", relations=["hostileTo"])["relations"]
    1
    """
    names = list(actors)
    if analysis not in ANALYSES:
        raise NetworkError(f"unknown analysis {analysis!r}", hint=f"one of {', '.join(ANALYSES)}")
    if len(names) != ANALYSES[analysis]:
        raise NetworkError(f"{analysis} takes {ANALYSES[analysis]} actor name(s), not {len(names)}",
                           hint="kg analyze path ACTOR ACTOR, kg analyze ego ACTOR")
    chosen = as_selection(selection, **filters)
    if not isinstance(source, nx.Graph):
        source = actor_network(source, chosen, evidence=False, ontology=ontology)
    network = select(source, chosen, ontology=ontology)
    report: dict[str, Any] = {"analysis": analysis, "actors": network.number_of_nodes(),
                              "relations": network.number_of_edges(), "top": top}
    if analysis in ("summary", "centrality"):
        measures = [measure] if measure else list(MEASURES) if analysis == "centrality" else ["degree", "betweenness"]
        report["centrality"] = {m: _plain(centrality(network, measure=m, top=top)) for m in measures}
    if analysis in ("summary", "blocs"):
        found = _plain(blocs(network, signed=signed, seed=seed, ontology=ontology))
        for bloc in found:
            bloc["hostile_total"] = len(bloc["hostile"])
            bloc["hostile"] = _cut(bloc["hostile"], top)
        report["blocs_total"] = len(found)
        report["blocs"] = _cut(found, top)
    if analysis in ("summary", "balance"):
        report["balance"] = _plain(balance(network, strict=strict, limit=top, ontology=ontology))
    if analysis in ("summary", "chains"):
        chains = _plain(command_chains(network, ontology=ontology))
        chains["chains_total"], chains["cycles_total"] = len(chains["chains"]), len(chains["cycles"])
        chains["chains"], chains["cycles"] = _cut(chains["chains"], top), _cut(chains["cycles"], top)
        report["chains"] = chains
    if analysis == "path":
        path = shortest_path(network, names[0], names[1])
        report["path"] = _plain(path) | {"text": path.text()}
    if analysis == "ego":
        center = actor(network, find_actor(network, names[0]))
        report["center"] = _plain(center)
        ego = _ego_report(ego_network(network, center.iri, radius=radius))
        ego["relations_total"] = len(ego["relations"])
        ego["relations"] = _cut(ego["relations"], top)
        report["ego"] = ego
    return report


#: The name it had first.
run = analyze
