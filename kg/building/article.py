"""The per-article work of a build, in batches: what this process, worker processes and Dask workers run.

:func:`map_article` reads, checks, resolves and maps one article (until ``kg.mapping.pipeline`` holds the
one per-article function, this is the one name the build calls). :func:`map_batch` runs it over a batch of
articles of one corpus and returns their problems and their quads as N-Quads text, or writes that text
to a shard file when the batch names one (Dask workers, ``kg build --out DIR/``).

>>> from pathlib import Path
>>> from kg.annotations import open_corpus
>>> corpus = open_corpus(Path("seeds"))
>>> problems, nquads = map_article(corpus.files[0], corpus, "h", graph="https://w3id.org/kg/id/article/x")
>>> nquads.count("\\n") > 1000, nquads.splitlines()[0].endswith("<https://w3id.org/kg/id/article/x> .")
(True, True)
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

from kg.annotations import ArticleFiles, Corpus, open_corpus
from kg.errors import KGError
from kg.model import Article, Problem

#: At most this many mentions of one entity are mapped (an annotation marking a common word ``all: true``
#: in a long text can otherwise make millions); the rest are reported as a warning.
MAX_MENTIONS = 10_000


def _capped(article: Article, source: str) -> tuple[Article, list[Problem]]:
    """The article with at most :data:`MAX_MENTIONS` mentions an entity, and a warning for each cut."""
    warnings = []
    entities = []
    for entity in article.entities:
        if len(entity.mentions) > MAX_MENTIONS:
            warnings.append(Problem(source, entity.line, f"entity {entity.id!r} has {len(entity.mentions)} "
                                    f"mentions; only the first {MAX_MENTIONS} are mapped",
                                    "mark fewer of them (`all: true` on a common word?)", "warning"))
            entity = dataclasses.replace(entity, mentions=entity.mentions[:MAX_MENTIONS])
        entities.append(entity)
    if not warnings:
        return article, []
    return dataclasses.replace(article, entities=tuple(entities)), warnings


def map_article(files: ArticleFiles, corpus: Corpus, content_hash: str, *,
                graph: str) -> tuple[tuple[Problem, ...], str]:
    """Read, check, resolve and map one article: its problems and its graph as N-Quads lines in ``graph``."""
    from kg.check import check_files
    from kg.mapping import article_to_quads
    from kg.ontology import load_ontology
    from kg.resolve import resolve_article

    ontology = load_ontology()
    checked = check_files(files, corpus, ontology)
    if checked.article is None or any(p.severity == "error" for p in checked.problems):
        return checked.problems, ""
    article, warnings = _capped(checked.article, str(files.annotation or files.text))
    base = corpus.config.base
    try:
        resolved = resolve_article(article, corpus.registry, base=base, is_a=ontology.is_a)
    except KGError as exc:
        return (*checked.problems, Problem(exc.file or str(files.annotation), exc.line, exc.message, exc.hint)), ""
    quads = article_to_quads(article, resolved, ontology, registry=corpus.registry, base=base,
                             content_hash=content_hash)
    name = f"<{graph}> .\n"
    return (*checked.problems, *warnings), "".join(f"{q.subject} {q.predicate} {q.object} {name}" for q in quads)


@dataclass(frozen=True)
class Item:
    """One article to map: its files, its graph IRI and the content hash it will record."""

    files: ArticleFiles
    graph: str
    content_hash: str


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
    parts: list[str] = []
    for item in batch.items:
        found, nquads = map_article(item.files, corpus, item.content_hash, graph=item.graph)
        problems.extend(found)
        parts.append(nquads)
    failed = any(p.severity == "error" for p in problems)
    data = b"" if failed else "".join(parts).encode("utf-8")
    if batch.shard is not None:
        batch.shard.parent.mkdir(parents=True, exist_ok=True)
        tmp = batch.shard.with_suffix(".tmp")
        tmp.write_bytes(data)
        tmp.replace(batch.shard)
        return BatchResult(tuple(problems), shard=batch.shard, articles=len(batch.items))
    return BatchResult(tuple(problems), nquads=data, articles=len(batch.items))
