"""One display name a labelled node, kept once in the relation summary graph.

The saved questions name actors, places and claimants by their English label, else their Arabic one, else
the last segment of their IRI. A node outside the registry carries its label in every article graph that
names it, and the union of graphs returns each copy: looking labels up multiplied a question's rows by the
number of articles naming each end (an actor named in 5,000 articles turned one row into 5,000 before
``GROUP BY`` folded them again), and ``SAMPLE`` then picked one of a node's labels as the engine pleased.

So each build writes, in the summary graph ``{base}graph/relations``, one ``kg:name`` for every node with an
English or Arabic ``rdfs:label``: the smallest of its English labels (by code points), else the smallest of
its Arabic ones, tagged ``@en`` or ``@ar``; and the smallest Arabic label as ``kg:arabicName`` when it has
one (for views and answers that show the Arabic name beside the other). It is one SPARQL update
(:func:`names_update`), the same that ``kg push`` runs on a server after loading; a question reads
``OPTIONAL { ?x kg:name ?name }``: one lookup, one row.

>>> from kg.sparql.store import GraphStore
>>> store = GraphStore()
>>> store.update('INSERT DATA { GRAPH <http://e.org/a> { <http://e.org/x> '
...              '<http://www.w3.org/2000/01/rdf-schema#label> "Zed"@en, "Alpha"@en-GB, "ألف"@ar } }')
>>> store.update(names_update("http://e.org/graph/relations"))
>>> [r["n"].value for r in store.solutions("SELECT ?n WHERE { ?x <https://w3id.org/kg/ontology#name> ?n }",
...                                          union=True)]
['Alpha']
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kg.vocab import KG, RDFS

if TYPE_CHECKING:
    from kg.sparql.store import Shadow

NAME = f"{KG}name"
ARABIC_NAME = f"{KG}arabicName"


def names_update(graph: str) -> str:
    """A SPARQL 1.1 Update that writes the ``kg:name`` and ``kg:arabicName`` of every labelled node into
    ``graph`` (which holds none yet: the caller drops them first), reading the labels of every graph."""
    label = f"<{RDFS}label>"
    chosen = ("INSERT {{ GRAPH <{graph}> {{ ?x <{name}> ?n }} }} WHERE {{ {{ SELECT ?x (MIN(STR(?l)) AS ?s) WHERE {{ "
              "GRAPH ?lg {{ ?x {label} ?l }} FILTER(LANGMATCHES(LANG(?l), \"{lang}\")) {unless} }} GROUP BY ?x }} "
              "BIND(STRLANG(?s, \"{lang}\") AS ?n) }}")
    # MINUS, not FILTER NOT EXISTS: Oxigraph scans every label again for each row of the latter (12 s at
    # 10,000 articles, 0.1 s so)
    no_english = f'MINUS {{ GRAPH ?eg {{ ?x {label} ?e }} FILTER(LANGMATCHES(LANG(?e), "en")) }}'
    return " ;\n".join(chosen.format(graph=graph, name=name, label=label, lang=lang, unless=unless)
                       for name, lang, unless in ((NAME, "en", ""), (NAME, "ar", no_english), (ARABIC_NAME, "ar", "")))


def drop_update(graph: str) -> str:
    """A SPARQL 1.1 Update that removes every ``kg:name`` and ``kg:arabicName`` from ``graph``."""
    return " ;\n".join(f"DELETE WHERE {{ GRAPH <{graph}> {{ ?x <{p}> ?n }} }}" for p in (NAME, ARABIC_NAME))


def count(store: Any, graph: str) -> int:
    """How many ``kg:name`` and ``kg:arabicName`` quads ``graph`` holds."""
    q = (f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ VALUES ?p {{ <{NAME}> <{ARABIC_NAME}> }} "
         "?x ?p ?n } }")
    return int(next(iter(store.solutions(q)))["n"].value)


def rewrite(shadow: Shadow, graph: str) -> int:
    """Write the names anew into ``graph`` of a store being built; returns how many quads that added
    (negative: removed)."""
    before = count(shadow.view, graph)
    if before:
        shadow.update(drop_update(graph))
    shadow.update(names_update(graph))
    return count(shadow.view, graph) - before
