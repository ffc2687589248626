"""Validating a built graph against the SHACL shapes in ``ontology/shapes.ttl`` (with pyshacl).

>>> from kg.building.build import build
>>> from kg.demo import seed_corpus
>>> from kg.sparql.store import GraphStore
>>> store = GraphStore(); _ = build([seed_corpus()], store=store)
>>> validate(store)[0]
True
"""

from __future__ import annotations

from kg.sparql.store import GraphStore


def validate(store: GraphStore) -> tuple[bool, str]:
    """Validate the union of all graphs; returns (conforms, report text)."""
    import pyshacl
    import rdflib

    from kg.ontology import ontology_files, shapes_file

    data = rdflib.Graph()
    for quad in store.to_rdflib().quads((None, None, None, None)):
        data.add(quad[:3])
    ontology = rdflib.Graph()
    for path in ontology_files():
        ontology.parse(path, format="turtle")
    shapes = rdflib.Graph().parse(shapes_file(), format="turtle")
    conforms, _graph, text = pyshacl.validate(data, shacl_graph=shapes, ont_graph=ontology, inference="none")
    return bool(conforms), str(text)
