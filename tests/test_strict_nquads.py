"""What the build writes as text is N-Quads a strict parser accepts.

The build writes each article's graph straight as N-Quads text (:mod:`kg.mapping.terms`) and loads it with
Oxigraph's lenient parser (kg wrote it: no need to check it twice). So the strict parser is run here on every
fixture corpus, hostile text included: an escaping mistake in the text writer would otherwise load as
something else, or not at all, in silence."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from kg import build
from kg.sparql.store import GraphStore

DATA = Path(__file__).parent / "data"
CORPORA = [Path(__file__).parent.parent / "seeds", *(DATA / n for n in (
    "xss", "multi", "network", "identity_ar", "identity_en", "conflict_en", "brat_tutorial_news",
    "arabic_newsfane_sample", "inception/seed/tsv"))]


@pytest.mark.parametrize("corpus", CORPORA, ids=lambda p: p.name if p.name != "tsv" else "inception-tsv")
def test_the_shards_parse_strictly_and_hold_what_the_store_holds(corpus: Path, tmp_path: Path):
    shards = tmp_path / "shards"
    store = GraphStore()
    report = build([corpus], store=store, out=shards, skip_invalid=True)
    assert report.mapped > 0
    quads = 0
    for path in sorted(shards.glob("*.nq")):
        quads += sum(1 for _ in ox.parse(path=str(path), format=ox.RdfFormat.N_QUADS))  # strict: raises
    assert quads == len(store)  # articles, registry, summary with its names and kept counts
