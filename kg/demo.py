"""``kg demo``: build the seed corpus, show what the graph answers, write a view.

>>> from kg.sparql.store import GraphStore
>>> store = GraphStore()
>>> from kg.building.build import build
>>> from kg.building.stats import render_stats
>>> _ = build([seed_corpus()], store=store)
>>> ("Khalifa Haftar", "Libyan National Army") in [(p.subject_en, p.object_en) for p in pairs(store, "commands")]
True
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from kg.building.build import build
from kg.building.stats import render_stats
from kg.sparql.store import GraphStore
from kg.vocab import KG

RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"

#: The questions ``kg demo`` answers: relation type → question.
DEMO_RELATIONS = {"commands": "Who commands whom", "supports": "Who supports whom",
                  "alliedWith": "Who is allied with whom"}


def seed_corpus() -> Path:
    """The seed corpus folder: ``kg/_seeds`` in an installed wheel, else ``seeds/`` beside the package."""
    here = Path(__file__).resolve().parent
    packaged = here / "_seeds"
    return packaged if packaged.is_dir() else here.parent / "seeds"


@dataclass(frozen=True)
class Pair:
    """Two actors joined by a relation, with their Arabic and English labels."""

    subject: str
    object: str
    subject_ar: str
    subject_en: str
    object_ar: str
    object_en: str
    sources: int
    flags: tuple[str, ...] = ()  # former, intended, uncertain: set on every supporting assertion


def pairs(store: GraphStore, relation: str) -> list[Pair]:
    """Every (subject, object) of one relation type, labelled in Arabic and English, with its source count."""
    from kg.ontology import load_ontology

    predicate = load_ontology().term(relation).iri  # an ontology term: never user text
    query = f"""
    PREFIX kg: <{KG}>
    PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
    PREFIX prov: <http://www.w3.org/ns/prov#>
    SELECT ?s ?o (SAMPLE(?sar) AS ?sa) (SAMPLE(?sen) AS ?se) (SAMPLE(?oar) AS ?oa) (SAMPLE(?oen) AS ?oe)
           (COUNT(DISTINCT ?article) AS ?n) (GROUP_CONCAT(DISTINCT ?flag; SEPARATOR=" ") AS ?flags)
    WHERE {{
      ?s <{predicate}> ?o .
      ?a rdf:subject ?s ; rdf:predicate <{predicate}> ; rdf:object ?o ; prov:wasDerivedFrom ?article .
      FILTER NOT EXISTS {{ ?a kg:negated true }}
      OPTIONAL {{ VALUES ?fp {{ kg:former kg:intended kg:uncertain }} ?a ?fp true .
                 BIND(STRAFTER(STR(?fp), "#") AS ?flag) }}
      OPTIONAL {{ ?s <{RDFS_LABEL}> ?sar FILTER(LANG(?sar) = "ar") }}
      OPTIONAL {{ ?s <{RDFS_LABEL}> ?sen FILTER(LANG(?sen) = "en") }}
      OPTIONAL {{ ?o <{RDFS_LABEL}> ?oar FILTER(LANG(?oar) = "ar") }}
      OPTIONAL {{ ?o <{RDFS_LABEL}> ?oen FILTER(LANG(?oen) = "en") }}
    }} GROUP BY ?s ?o ORDER BY ?se ?oe"""
    rows = store.select(query, prefixes=False).records()

    def text(row: dict[str, str | None], var: str) -> str:
        return row[var] or ""

    return [
        Pair(text(r, "s"), text(r, "o"), text(r, "sa"), text(r, "se"), text(r, "oa"), text(r, "oe"),
             int(text(r, "n")), tuple(text(r, "flags").split()))
        for r in rows
    ]


#: What the demo suggests trying next, with what each shows.
NEXT_COMMANDS = (
    ('kg query commanders --param group="سرايا الدفاع"', "who commands the BDB, with sources"),
    ("kg analyze blocs", "alliance blocs and the hostility inside them"),
    ("kg export --format events -o events.csv", "the events as an ACLED-style table"),
)


def run_demo(*, corpus: Path | None, store_path: Path | None, out: Path, echo: Callable[[str], None]) -> Path:
    """Build the corpus into the store, print stats and the demo questions, write the HTML view."""
    from kg.ontology import load_ontology
    from kg.views import write_view

    corpus = corpus or seed_corpus()
    ontology = load_ontology()
    with GraphStore.open(store_path) as store:
        report = build([corpus], store=store)
        for problem in report.problems:
            echo(str(problem))
        if not report.ok:
            from kg.errors import KGError

            raise KGError(f"the corpus {corpus} has problems; run `kg check {corpus}`")
        echo(f"built {corpus} into {store.path}")
        echo(render_stats(report.stats))
        for relation, question in DEMO_RELATIONS.items():
            term = ontology.term(relation)
            arrow = "↔" if term.symmetric else "→"
            echo("")
            echo(f"{question} — {term.label_en} / {term.label_ar}:")
            for p in pairs(store, relation):
                flags = f" ({', '.join(p.flags)})" if p.flags else ""
                echo(f"  {p.subject_en or p.subject_ar or p.subject} {arrow} {p.object_en or p.object_ar or p.object}"
                     f"{flags}   |   {p.subject_ar or p.subject_en or p.subject} {arrow} "
                     f"{p.object_ar or p.object_en or p.object}")
        write_view(store, out, title="kg demo: seed corpus")
    echo("")
    echo(f"HTML view: {out.resolve()}")
    echo("")
    echo("Next, try:")
    for command, what in NEXT_COMMANDS:
        echo(f"  {command:<58}# {what}")
    return out
