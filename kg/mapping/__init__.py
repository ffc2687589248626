"""From checked articles to RDF: resolving entities to one node each (:mod:`~kg.mapping.resolve`), the article
graph with provenance (:mod:`~kg.mapping.rdf`), and the one per-article function that reads, checks, resolves
and maps (:mod:`~kg.mapping.pipeline`), called by ``kg check``, ``kg build`` and its workers.
"""
