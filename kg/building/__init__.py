"""Building: corpora → checked articles → RDF → a new generation of the store, swapped in whole.

``build`` (orchestration: plan, map, load, summarise, swap), ``article`` (the per-article work and its
batches, what worker processes and Dask workers run), ``executors`` (in this process, worker processes,
a Dask cluster), ``fingerprint`` (what an article's content hash covers), ``summary`` (the relation
summary graph), ``shards`` (N-Quads shards for any server's bulk loader) and ``stats`` (``kg stats``).
"""
