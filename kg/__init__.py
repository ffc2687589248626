"""kg: annotated news articles to an RDF knowledge graph of actors and their relations.

The public names are re-exported here lazily (PEP 562), so ``import kg`` stays fast and a notebook writes
``kg.build(...)``, ``kg.open_source()``, ``kg.run_query(...)``; each is imported from its module the first time
it is used. ``docs/contracts.md`` describes them; ``docs/architecture.md`` says where each lives.

>>> import kg
>>> kg.GraphStore.__name__
'GraphStore'
>>> 'run_query' in kg.__all__
True
"""

from __future__ import annotations

from kg.lazy import lazy_names

__version__ = "0.1.0"

#: Public name → the module that defines it. One line a name; keep it sorted by module.
_EXPORTS: dict[str, str] = {
    # corpora and building
    "open_corpus": "kg.reading.corpus",
    "READERS": "kg.reading.readers",
    "check_corpus": "kg.mapping.pipeline",
    "process_article": "kg.mapping.pipeline",
    "build": "kg.building.build",
    "BuildReport": "kg.building.build",
    "store_stats": "kg.building.stats",
    # the graph
    "GraphStore": "kg.sparql.store",
    "default_store_path": "kg.sparql.store",
    "Endpoint": "kg.sparql.source",
    "Source": "kg.sparql.source",
    "open_source": "kg.sparql.source",
    "run_query": "kg.sparql.query",
    "saved_queries": "kg.sparql.query",
    "push": "kg.sparql.remote",
    # the actor network
    "actor_network": "kg.network.build",
    "network_from_triples": "kg.network.build",
    "Selection": "kg.network.selection",
    "select": "kg.network.selection",
    "find_actor": "kg.network.names",
    "alliance_network": "kg.network.projections",
    "command_hierarchy": "kg.network.projections",
    "signed_network": "kg.network.projections",
    "support_network": "kg.network.projections",
    "analyze": "kg.analysis.run",
    "balance": "kg.analysis.balance",
    "blocs": "kg.analysis.blocs",
    "centrality": "kg.analysis.centrality",
    "command_chains": "kg.analysis.chains",
    "shortest_path": "kg.analysis.paths",
    "write_view": "kg.views",
    "show": "kg.views",
    "export": "kg.exports",
    "event_rows": "kg.exports.events",
    # drafting annotations
    "draft_article": "kg.drafting.annotate",
    "train": "kg.drafting.train",
    "evaluate": "kg.drafting.evaluate",
    "load_model": "kg.drafting.model",
    # errors
    "KGError": "kg.errors",
    # the vocabulary
    "load_ontology": "kg.ontology",
}

__all__ = sorted(_EXPORTS)


__getattr__, __dir__ = lazy_names("kg", _EXPORTS, globals())
