"""The SPARQL questions the network is read with, and the one way they are asked.

Every query matches inside the article graphs (``GRAPH ?art``) or names its graphs, so it needs no union
default graph and runs the same on the embedded store and on any SPARQL 1.1 endpoint. The selection's
filters are written into the text here (:func:`assertions_query`), never applied a second time in Python.

>>> "MINUS { ?a kg:negated ?f_negated }" in assertions_query(Selection())
True
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from kg.network.selection import Selection, date_filters
from kg.vocab import FLAGS, KG, PREFIXES, sparql_prologue

if TYPE_CHECKING:
    from kg.sparql.source import Source

_PREFIXES = sparql_prologue(PREFIXES)


def rows(source: Source, query: str) -> list[dict[str, str | None]]:
    """The rows of a SELECT as ``{variable: lexical value or None}``, from any query source
    (:class:`kg.sparql.source.Source`: the embedded store or an endpoint); the text declares its prefixes.

    >>> import kg
    >>> rows(kg.GraphStore(), "SELECT ?x WHERE { VALUES ?x { 1 } }")
    [{'x': '1'}]
    """
    return source.select(query, prefixes=False).records()


def iris(names: Iterable[str]) -> str:
    """``kg:`` IRIs of local names, for a ``VALUES`` clause (names validated against the ontology)."""
    return " ".join(f"kg:{n}" for n in sorted(names))


def assertions_query(selection: Selection, *, relations: Iterable[str] | None = None,
                     include_negated: bool = False, evidence: bool = True) -> str:
    """One row per kept assertion: its triple, article, claimant, dates (and quote and sentence).

    ``relations``: the relation names to keep, sub-relations already added (None: all). The flags of the
    kept assertions are read apart (:data:`FLAGS_QUERY`): an OPTIONAL a flag was one index lookup per
    assertion and per flag for flags few assertions carry (a third of the network's time at 10,000
    articles); an excluded flag is an anti-join (``MINUS``), evaluated once.
    """
    lines = ["?a rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; prov:wasDerivedFrom ?art .",
             "OPTIONAL { ?a kg:reportedOn ?rep0 } OPTIONAL { ?a kg:date ?date0 } OPTIONAL { ?a kg:claimant ?c }"]
    if evidence:
        lines.append("OPTIONAL { ?a kg:quote ?quote } OPTIONAL { ?a kg:sentence ?sentence } "
                     "OPTIONAL { ?a kg:evidence ?ev }")
    lines.append("BIND(STR(?rep0) AS ?rep) BIND(COALESCE(STR(?date0), STR(?rep0)) AS ?when)")
    if relations is not None:
        lines.append(f"VALUES ?p {{ {iris(relations)} }}")
    skip = set(selection.exclude_flags) | (set() if include_negated else {"negated"})
    lines += [f"MINUS {{ ?a kg:{f} ?f_{f} }}" for f in FLAGS if f in skip]
    lines += date_filters(selection)
    extra = " ?quote ?sentence ?ev" if evidence else ""
    body = "\n".join(lines)
    return (f"{_PREFIXES}SELECT ?a ?s ?p ?o ?art ?c ?rep (STR(?date0) AS ?date){extra}\n"
            f"WHERE {{ GRAPH ?art {{\n{body}\n}} }}")


#: The flags (any value: the mapping writes them only when true) of every assertion that carries one.
FLAGS_QUERY = (f"{_PREFIXES}SELECT DISTINCT ?a ?f WHERE {{ VALUES ?f {{ {' '.join(f'kg:{f}' for f in FLAGS)} }} "
               "GRAPH ?g { ?a ?f ?v } }")


def flagged_rows(source: Source, selection: Selection, *, relations: Iterable[str] | None = None,
                 include_negated: bool = False, evidence: bool = True) -> list[dict[str, str | None]]:
    """The rows of :func:`assertions_query`, each with ``x_FLAG`` ("true" or "false") for every flag."""
    found = rows(source, assertions_query(selection, relations=relations, include_negated=include_negated,
                                          evidence=evidence))
    flags: dict[str, set[str]] = {}
    if found:
        for r in rows(source, FLAGS_QUERY):
            if r["a"] is not None and r["f"] is not None:
                flags.setdefault(r["a"], set()).add(r["f"].removeprefix(KG))
    for row in found:
        carried = flags.get(row["a"] or "", set())
        for f in FLAGS:
            row[f"x_{f}"] = "true" if f in carried else "false"
    return found


ARTICLES_QUERY = (f"{_PREFIXES}SELECT ?art (SAMPLE(?t) AS ?title) (SAMPLE(?ou) AS ?outlet) "
                  f"(SAMPLE(STR(?d)) AS ?date) (SAMPLE(STR(?u)) AS ?url) WHERE {{ GRAPH ?art {{ "
                  f"?art rdf:type kg:Article . OPTIONAL {{ ?art dcterms:title ?t }} OPTIONAL {{ ?art kg:outlet ?ou }} "
                  f"OPTIONAL {{ ?art dcterms:date ?d }} OPTIONAL {{ ?art schema:url ?u }} }} }} GROUP BY ?art")

LABELS_QUERY = (f"{_PREFIXES}SELECT DISTINCT ?x ?p ?text ?lang WHERE {{ VALUES ?p {{ rdfs:label skos:altLabel }} "
                f"GRAPH ?g {{ ?x ?p ?l }} BIND(STR(?l) AS ?text) BIND(LANG(?l) AS ?lang) }}")

#: External ids and coordinates of the nodes that have them (the registry graph states them).
IDS_QUERY = (f"{_PREFIXES}SELECT ?x ?p ?v WHERE {{ VALUES ?p {{ kg:wikidata kg:ucdpId kg:acledCategory "
             f"schema:latitude schema:longitude }} GRAPH ?g {{ ?x ?p ?v0 }} BIND(STR(?v0) AS ?v) }}")


def types_query(types: Iterable[str]) -> str:
    """Each entity's types with the number of graphs that state them, and whether the registry does."""
    return (f"{_PREFIXES}SELECT ?x ?t (COUNT(DISTINCT ?g) AS ?n) "
            f'(MAX(IF(STRENDS(STR(?g), "graph/registry"), 1, 0)) AS ?reg) '
            f"WHERE {{ VALUES ?t {{ {iris(types)} }} GRAPH ?g {{ ?x rdf:type ?t }} }} GROUP BY ?x ?t")


def events_query(events: Iterable[str], roles: Iterable[str], selection: Selection, *,
                 include_negated: bool = False) -> str:
    """One row per (event, role, participant or place) of the events the selection's dates keep."""
    lines = [f"VALUES ?t {{ {iris(events)} }} VALUES ?role {{ {iris(roles)} }}",
             "?e rdf:type ?t ; prov:wasDerivedFrom ?art ; ?role ?x .",
             "OPTIONAL { ?e kg:date ?d0 } OPTIONAL { ?e kg:reportedOn ?r0 }",
             "BIND(STR(?r0) AS ?rep) BIND(COALESCE(STR(?d0), STR(?r0)) AS ?when)"]
    if not include_negated:
        lines.append("FILTER NOT EXISTS { ?e kg:negated true }")
    lines += date_filters(selection)
    body = "\n".join(lines)
    return f"{_PREFIXES}SELECT ?e ?t ?role ?x ?art ?rep ?when WHERE {{ GRAPH ?art {{\n{body}\n}} }}"
