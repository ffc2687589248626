"""SPARQL over the graph: the store, one query interface for it and for remote endpoints, saved questions,
results, pushing to a remote server, serving the store, and SHACL validation.

- :mod:`kg.sparql.store` — :class:`GraphStore`, the embedded Oxigraph store (the only module touching
  ``pyoxigraph.Store``);
- :mod:`kg.sparql.source` — :class:`Source` (the interface), :class:`Endpoint` (a remote URL), :func:`open_source`;
- :mod:`kg.sparql.text` — query text: its kind, binding parameters, prefixes, refusing federation;
- :mod:`kg.sparql.query` — saved questions, parameters, :func:`run_query`;
- :mod:`kg.sparql.results` — :class:`QueryResult` and its formats;
- :mod:`kg.sparql.http` — the HTTP client (credentials: basic and digest);
- :mod:`kg.sparql.remote` — :func:`push` into a SPARQL 1.1 server;
- :mod:`kg.sparql.serve` and :mod:`kg.sparql.front` — ``kg serve``: Oxigraph's server behind an ASGI front;
- :mod:`kg.sparql.shapes` — SHACL validation.
"""
