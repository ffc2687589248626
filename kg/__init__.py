"""kg: annotated news articles to an RDF knowledge graph of actors and their relations."""

__version__ = "0.1.0"
