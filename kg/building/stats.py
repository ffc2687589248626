"""``kg stats``: counts of articles, actors, places, relations by type, assertions, events and claimants.

Relations by type are read from the relation summary (:mod:`kg.building.summary`) when the store has
one, so they are not regrouped over every assertion; the other counts are single-pattern scans.

>>> from kg.sparql.store import GraphStore
>>> store_stats(GraphStore())["relations"]
0
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kg.vocab import KG

if TYPE_CHECKING:
    from kg.sparql.source import Source


def store_stats(store: Source) -> dict[str, object]:
    """Counts of articles, actors, places, relations by type, assertions, events, figures and claimants.

    A relation is counted once however many assertions state it; relations stated only as denied
    (``kg:negated``) are counted apart, under ``negated``.

    Actor, place and event classes come from the ontology.
    """
    from kg.ontology import load_ontology

    ontology = load_ontology()

    def rows(query: str) -> list[Any]:
        result = store.select(query)  # kg's prefixes declared, on the store and on an endpoint
        return [dict(zip(result.variables, row, strict=True)) for row in result.rows]

    def typed(names: frozenset[str]) -> int:
        values = " ".join(f"kg:{n}" for n in sorted(names))
        query = f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ VALUES ?t {{ {values} }} ?x a ?t }}"
        return int(rows(query)[0]["n"].value)

    def by_type(negated: bool) -> dict[str, int]:
        """Distinct relations by type: those some assertion states, or (``negated``) those only denied."""
        if store.ask("ASK { ?r a kg:RelationSummary }"):
            test = "FILTER NOT EXISTS { ?r kg:asserted true }" if negated else "?r kg:asserted true ."
            query = (f"SELECT ?p (COUNT(?r) AS ?n) WHERE {{ ?r a kg:RelationSummary ; rdf:predicate ?p . {test} }} "
                     "GROUP BY ?p")
        else:
            test = "NOT EXISTS" if negated else "EXISTS"
            query = ("SELECT ?p (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { "
                     "?a a kg:Assertion ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o "
                     f"FILTER {test} {{ ?b rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o "
                     "FILTER NOT EXISTS { ?b kg:negated true } } } } GROUP BY ?p")
        return {r["p"].value.removeprefix(KG): int(r["n"].value) for r in rows(query)}

    relations, negated = by_type(False), by_type(True)
    claimants = {
        (r["label"].value if r["label"] is not None else r["c"].value): int(r["n"].value)
        for r in rows("SELECT ?c (COALESCE(SAMPLE(?l), SAMPLE(?any)) AS ?label) ?n WHERE { { SELECT ?c "
                      "(COUNT(DISTINCT ?a) AS ?n) WHERE { ?a kg:claimant ?c } GROUP BY ?c } "
                      "OPTIONAL { ?c rdfs:label ?l FILTER(LANG(?l) = 'en' || LANG(?l) = '') } "
                      "OPTIONAL { ?c rdfs:label ?any } } "
                      "GROUP BY ?c ?n ORDER BY DESC(?n) ?label")
    }
    return {
        "articles": typed(frozenset({"Article"})),
        "actors": typed(ontology.actor_types),
        "places": typed(ontology.place_types),
        "relations": sum(relations.values()),
        "negated": sum(negated.values()),
        "assertions": typed(frozenset({"Assertion"})),
        "events": typed(ontology.event_types),
        "figures": typed(frozenset({"CasualtyFigure"})),
        "quads": int(rows("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")[0]["n"].value),
        "relations_by_type": dict(sorted(relations.items())),
        "claims_by_claimant": claimants,
    }


def render_stats(stats: dict[str, object], *, top: int | None = None) -> str:
    """The statistics of :func:`store_stats` as aligned text lines (what ``kg stats`` prints).

    ``top`` shows only that many claimants, with a line saying how many more there are.

    >>> print(render_stats({"articles": 1, "relations_by_type": {"commands": 2}}))  # doctest: +NORMALIZE_WHITESPACE
    articles           1
    actors             0
    places             0
    relations          0
    negated            0
    assertions         0
    events             0
    figures            0
    quads              0
    relations by type:
      commands             2
    """
    keys = ("articles", "actors", "places", "relations", "negated", "assertions", "events", "figures", "quads")
    lines = [f"{key:<12}{stats.get(key, 0):>8}" for key in keys]
    for title, key, width in (("relations by type", "relations_by_type", 16),
                              ("claims by claimant", "claims_by_claimant", 48)):
        counts = stats.get(key) or {}
        if counts:
            lines.append(f"{title}:")
            items = list(counts.items())  # type: ignore[attr-defined]
            shown = items if top is None or key != "claims_by_claimant" else items[:top]
            lines.extend(f"  {name:<{width}}{n:>6}" for name, n in shown)
            if len(shown) < len(items):
                lines.append(f"  … and {len(items) - len(shown)} more claimants (kg stats lists them all)")
    return "\n".join(lines)
