"""Reading corpora: the corpus layout (:mod:`~kg.reading.corpus`), the annotation readers by file suffix
(:mod:`~kg.reading.readers`: brat standoff, the YAML sidecar), ``kg.toml`` and the mapping of a foreign
scheme (:mod:`~kg.reading.scheme`), and the checks of an article against the text and the ontology
(:mod:`~kg.reading.check`). Nothing here writes RDF: that is :mod:`kg.mapping`.
"""
