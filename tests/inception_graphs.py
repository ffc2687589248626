"""Helpers for the INCEpTION reader tests: a corpus built into a store, as comparable rdflib graphs."""

from __future__ import annotations

import re
from pathlib import Path

import rdflib
from rdflib.compare import isomorphic

from kg import build
from kg.sparql.store import GraphStore

DATA = Path(__file__).parent / "data"
INCEPTION = DATA / "inception"
SEEDS = Path(__file__).parent.parent / "seeds"
_IDS = re.compile(r"#(?:assertion|event|figure)-")
_HASH = rdflib.URIRef("https://w3id.org/kg/ontology#contentHash")
_STATS = rdflib.URIRef("https://w3id.org/kg/ontology#statistics")  # the build's kept counts: labels, digests


def graphs(corpus: Path) -> dict[str, rdflib.Graph]:
    """Every named graph a corpus builds to, annotation ids made blank nodes (formats number them
    differently) and the content hash and the build's kept counts left out (the files differ)."""
    store = GraphStore()
    report = build([corpus], store=store)
    assert report.ok, [str(p) for p in report.errors]
    out: dict[str, rdflib.Graph] = {}

    def term(t: rdflib.term.Node) -> rdflib.term.Node:
        return rdflib.BNode(str(t).replace("/", "_")) if isinstance(t, rdflib.URIRef) and _IDS.search(str(t)) else t

    for ctx in store.to_rdflib().graphs():
        g = rdflib.Graph()
        for s, p, o in ctx:
            if p not in (_HASH, _STATS):
                g.add((term(s), p, term(o)))
        if len(g):
            out[str(ctx.identifier)] = g
    return out


def differences(a: dict[str, rdflib.Graph], b: dict[str, rdflib.Graph]) -> list[str]:
    """The named graphs that are not isomorphic (or not in both)."""
    return sorted(k for k in a.keys() | b.keys() if k not in a or k not in b or not isomorphic(a[k], b[k]))


def triples(g: rdflib.Graph) -> set[tuple[str, str, str]]:
    """The triples without blank nodes, and without brat's annotator notes (kg:note), which the exports lack."""
    return {(str(s), str(p), str(o)) for s, p, o in g if not isinstance(s, rdflib.BNode)
            and not isinstance(o, rdflib.BNode) and str(p) != "https://w3id.org/kg/ontology#note"}


LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
#: the one name of each labelled node, chosen from its labels (kept in the relation summary graph)
NAMES = ("https://w3id.org/kg/ontology#name", "https://w3id.org/kg/ontology#arabicName")


def assert_same_but_labels(graph: rdflib.Graph, other: rdflib.Graph, name: str) -> None:
    """The same graph but for labels and names: a brat ``*`` set read as one entity keeps the label of its
    first mention instead of one a member (a subset of them), and its name is chosen from those."""
    labels = {t for t in triples(graph) if t[1] == LABEL or t[1] in NAMES}
    other_labels = {t for t in triples(other) if t[1] == LABEL or t[1] in NAMES}
    assert {t for t in other_labels if t[1] == LABEL} <= labels
    assert {t[0] for t in other_labels if t[1] in NAMES} == {t[0] for t in labels if t[1] in NAMES}
    assert triples(graph) - labels == triples(other) - other_labels, name
