"""Annotated articles to learn from and to measure against, read through kg's own corpus readers.

Any reader kg has (YAML sidecars, brat, …) and the corpus's ``kg.toml`` mapping apply: what comes out are
mapped, checked :class:`~kg.model.Article` records. Articles with errors are skipped and reported.

>>> from pathlib import Path
>>> gold = read_gold([Path("seeds")])
>>> [(g.article.id, len(g.article.relations) > 40) for g in gold.articles]
[('000_9c143c0af1e05f5b', True)]
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from kg.errors import KGError
from kg.model import Article, Problem


@dataclass(frozen=True)
class GoldArticle:
    """One checked article with where it came from and the hash of its files."""

    corpus: Path
    article: Article
    digest: str
    language: str


@dataclass(frozen=True)
class Gold:
    """The articles of some corpora, and the problems of those left out."""

    articles: tuple[GoldArticle, ...]
    skipped: tuple[Problem, ...] = ()


def article_language(article: Article) -> str:
    """The article's language: its metadata, else Arabic when most letters are Arabic, else English.

    >>> from kg.model import Article
    >>> article_language(Article("a", "قتل خمسة")), article_language(Article("b", "Five killed"))
    ('ar', 'en')
    """
    if article.metadata.language:
        return article.metadata.language.split("-")[0].lower()
    letters = [c for c in article.text if c.isalpha()]
    arabic = sum(1 for c in letters if "\u0600" <= c <= "\u06ff")
    return "ar" if letters and arabic * 2 >= len(letters) else "en"


def read_gold(paths: Iterable[Path]) -> Gold:
    """Every article of the corpora that reads and checks without errors (warnings are fine)."""
    # The one place that knows where corpus reading lives: read, map by kg.toml, check (as a build does).
    from kg.ontology import load_ontology
    from kg.reading.check import find_problems
    from kg.reading.corpus import open_corpus, read_article
    from kg.reading.scheme import apply_scheme

    ontology = load_ontology()
    symmetric = frozenset(n for n in ontology.relation_types if ontology.term(n).symmetric)
    articles: list[GoldArticle] = []
    skipped: list[Problem] = []
    for path in paths:
        corpus = open_corpus(path)
        for files in corpus.files:
            try:
                article = read_article(files, corpus.config)
            except KGError as exc:
                skipped.append(Problem(exc.file or str(files.text), exc.line, exc.message, exc.hint))
                continue
            article = apply_scheme(article, corpus.config, entity_types=ontology.entity_types,
                                   relation_types=ontology.relation_types, event_types=ontology.event_types,
                                   roles=ontology.roles, symmetric=symmetric, is_a=ontology.is_a)
            errors = [p for p in (*article.problems, *(p for _, p in find_problems(
                article, ontology, registry_ids=corpus.registry.entries))) if p.severity == "error"]
            if errors:
                skipped.extend(errors)
                continue
            article = dataclasses.replace(article, problems=())
            articles.append(GoldArticle(path, article, files.digest(), article_language(article)))
    return Gold(tuple(articles), tuple(skipped))
