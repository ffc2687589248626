"""The per-article work of a build, in batches: what this process, worker processes and Dask workers run.

Each article goes through :func:`kg.mapping.pipeline.process_article` (read → check → resolve → map), the
one per-article function. :func:`map_batch` runs it over a batch of articles of one corpus and returns
their problems and their quads as N-Quads text, or writes that text to a shard file when the batch names
one (Dask workers, ``kg build --out DIR/``).

>>> from pathlib import Path
>>> from kg.reading.corpus import open_corpus
>>> corpus = open_corpus(Path("seeds"))
>>> item = Item(corpus.files[0], "https://w3id.org/kg/id/article/000_9c143c0af1e05f5b", "h")
>>> result = map_batch(Batch(corpus.root, (item,)), corpus)
>>> result.failed, result.nquads.count(b"\\n") > 1000
(False, True)
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kg.mapping.pipeline import process_article
from kg.mapping.rdf import ArticleCounts, Fact
from kg.model import Problem
from kg.reading.corpus import ArticleFiles, Corpus, open_corpus


@dataclass(frozen=True, slots=True)
class Item:
    """One article to map: its files, its graph IRI and the content hash it will record."""

    files: ArticleFiles
    graph: str
    content_hash: str
    skip_invalid: bool = False


@dataclass(frozen=True)
class Batch:
    """Articles of one corpus mapped together; with ``shard``, their quads go to that file."""

    root: Path
    items: tuple[Item, ...]
    shard: Path | None = None


@dataclass(frozen=True)
class BatchResult:
    """What a batch gave: problems, and the N-Quads (in ``nquads``, or in the ``shard`` file)."""

    problems: tuple[Problem, ...]
    nquads: bytes = b""
    shard: Path | None = None
    articles: int = 0
    skipped: tuple[Problem, ...] = ()  # what ``skip_invalid`` left out
    assertions: tuple[Fact, ...] = ()  # what the relation summary needs (kg.building.collect)
    counted: tuple[ArticleCounts, ...] = ()  # what the statistics count, an article each

    @property
    def failed(self) -> bool:
        return any(p.severity == "error" for p in self.problems)


_CORPORA: dict[Path, Corpus] = {}


def _corpus(root: Path) -> Corpus:
    """A corpus opened once a process (workers receive only its folder)."""
    if root not in _CORPORA:
        _CORPORA.clear()
        _CORPORA[root] = open_corpus(root)
    return _CORPORA[root]


def map_batch(batch: Batch, corpus: Corpus | None = None) -> BatchResult:
    """Map every article of a batch; quads of a batch with an error are left out."""
    corpus = corpus or _corpus(batch.root)
    problems: list[Problem] = []
    skipped: list[Problem] = []
    parts: list[str] = []
    facts: list[Fact] = []
    counted: list[ArticleCounts] = []
    for item in batch.items:
        result = process_article(item.files, corpus, content_hash=item.content_hash,
                                 skip_invalid=item.skip_invalid)
        problems.extend(result.problems)
        skipped.extend(result.skipped)
        parts.append(result.nquads)
        facts.extend(result.assertions)
        if result.counted is not None and result.nquads:
            counted.append(result.counted)
    failed = any(p.severity == "error" for p in problems)
    data = b"" if failed else "".join(parts).encode("utf-8")
    kept, counts = ((), ()) if failed else (tuple(facts), tuple(counted))
    if batch.shard is not None:
        batch.shard.parent.mkdir(parents=True, exist_ok=True)
        tmp = batch.shard.with_suffix(".tmp")
        tmp.write_bytes(data)
        tmp.replace(batch.shard)
        return BatchResult(tuple(problems), shard=batch.shard, articles=len(batch.items), skipped=tuple(skipped),
                           assertions=kept, counted=counts)
    return BatchResult(tuple(problems), nquads=data, articles=len(batch.items), skipped=tuple(skipped),
                       assertions=kept, counted=counts)
