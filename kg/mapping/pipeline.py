"""One article from its files to RDF: read → check → resolve → map, the one function everything calls.

:func:`process_article` is what ``kg check``, ``kg build``, its worker processes and a distributed executor run
for each article. It is a pure function of the article's files and its corpus (configuration, registry and the
alias relations of its articles): it reads every file once, maps the foreign scheme onto the ontology, checks
the records, resolves the entities and writes the article graph as N-Quads lines.

Without ``skip_invalid`` an article is all or nothing: one error and it has no graph, only problems. With it,
every record that fails a check is left out (and whatever refers to it), listed in ``skipped``
(``FILE:LINE: reason``), and the rest is mapped.

>>> from pathlib import Path
>>> from kg.reading.corpus import open_corpus
>>> corpus = open_corpus(Path("seeds"))
>>> result = process_article(corpus.files[0], corpus, content_hash="x")
>>> result.problems, result.skipped, result.nquads.count("kg/ontology#Assertion>")
((), (), 52)
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kg.errors import KGError
from kg.model import Article, Entity, Event, Figure, Problem, Relation
from kg.reading.check import Record, find_problems

if TYPE_CHECKING:
    from kg.mapping.rdf import ArticleCounts, Fact
    from kg.ontology import Ontology
    from kg.reading.corpus import ArticleFiles, Corpus


@dataclass(frozen=True)
class ArticleResult:
    """What became of one article.

    ``problems``: what ``kg check`` prints (errors and warnings; no errors when ``skip_invalid``);
    ``nquads``: the article graph as N-Quads lines (empty when the article has errors and nothing is skipped);
    ``skipped``: the errors of the records left out with ``skip_invalid``;
    ``assertions``: a :data:`kg.mapping.rdf.Fact` for each assertion of the graph; ``counted``: what the
    statistics count in it (:class:`kg.mapping.rdf.ArticleCounts`).
    """

    problems: tuple[Problem, ...] = ()
    nquads: str = ""
    skipped: tuple[Problem, ...] = ()
    assertions: tuple[Fact, ...] = ()  # what the relation summary needs of each (kg.building.collect)
    counted: ArticleCounts | None = None  # what the build's statistics count (kg.building.collect)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]


def _is_error(p: Problem) -> bool:
    return p.severity == "error"


def process_article(
    files: ArticleFiles,
    corpus: Corpus,
    *,
    content_hash: str,
    ontology: Ontology | None = None,
    skip_invalid: bool = False,
) -> ArticleResult:
    """Read, check, resolve and map one article (never raises for a problem of the article's files)."""
    from kg.mapping.identity import corpus_aliases, leave_out_pronouns, resolve_in_corpus
    from kg.mapping.rdf import ArticleCounts, article_nquads
    from kg.ontology import load_ontology
    from kg.reading.corpus import read_article
    from kg.reading.scheme import apply_scheme

    ontology = ontology or load_ontology()
    source = str(files.annotation or files.text)
    try:
        article = read_article(files, corpus.config)
    except KGError as exc:
        problem = Problem(exc.file or source, exc.line, exc.message, exc.hint)
        return ArticleResult(skipped=(problem,)) if skip_invalid else ArticleResult(problems=(problem,))
    article = apply_scheme(
        article, corpus.config, entity_types=ontology.entity_types, relation_types=ontology.relation_types,
        event_types=ontology.event_types, roles=ontology.roles,
        symmetric=frozenset(n for n in ontology.relation_types if ontology.term(n).symmetric), is_a=ontology.is_a,
    )
    article = leave_out_pronouns(article, pronouns=corpus.config.pronouns, merge_aliases=corpus.config.merge_aliases)
    registry_ids = corpus.registry.entries
    article, capped = cap_mentions(article, source)
    found = (*article.problems, *capped)
    article = dataclasses.replace(article, problems=())
    findings = find_problems(article, ontology, registry_ids=registry_ids)
    problems = (*found, *(p for _, p in findings))
    skipped: tuple[Problem, ...] = ()
    if any(_is_error(p) for p in problems):
        if not skip_invalid:
            return ArticleResult(problems=problems)
        article, later = _leave_out(article, findings, ontology, registry_ids)
        skipped = tuple(sorted((p for p in (*problems, *later) if _is_error(p)), key=lambda p: p.line or 0))
        problems = tuple(p for p in problems if not _is_error(p))
    base = corpus.config.base
    try:
        resolved = resolve_in_corpus(article, corpus.config, corpus.registry, ontology,
                                     aliases=corpus_aliases(corpus, ontology))
    except KGError as exc:  # kept for safety: the checks above report what resolution refuses
        problem = Problem(exc.file or source, exc.line, exc.message, exc.hint)
        if skip_invalid:
            return ArticleResult(problems=problems, skipped=(*skipped, problem))
        return ArticleResult(problems=(*problems, problem))
    problems = (*problems, *resolved.problems)
    facts: list[Fact] = []
    counted = ArticleCounts()
    nquads = article_nquads(article, resolved, ontology, registry=corpus.registry, base=base,
                            content_hash=content_hash, facts=facts, counted=counted)
    return ArticleResult(problems=problems, nquads=nquads, skipped=skipped, assertions=tuple(facts),
                         counted=counted)


#: At most this many mentions of one entity are mapped: an annotation marking a common word ``all: true`` in a
#: long text can otherwise make millions of them (and of quads); the rest are reported as a warning.
MAX_MENTIONS = 10_000


def cap_mentions(article: Article, source: str, limit: int = MAX_MENTIONS) -> tuple[Article, tuple[Problem, ...]]:
    """The article with at most ``limit`` mentions an entity, and a warning for each entity cut.

    >>> from kg.model import Mention, Span
    >>> many = Entity("x", "Person", tuple(Mention((Span(i, i + 1),), "a") for i in range(5)))
    >>> capped, warnings = cap_mentions(Article(id="a", text="aaaaa", entities=(many,)), "a.yaml", limit=2)
    >>> len(capped.entities[0].mentions), warnings[0].severity
    (2, 'warning')
    """
    if all(len(e.mentions) <= limit for e in article.entities):
        return article, ()
    warnings = []
    entities = []
    for entity in article.entities:
        if len(entity.mentions) > limit:
            warnings.append(Problem(source, entity.line, f"entity {entity.id!r} has {len(entity.mentions)} mentions; "
                                    f"only the first {limit} are mapped",
                                    "mark fewer of them (`all: true` on a common word?)", "warning"))
            entity = dataclasses.replace(entity, mentions=entity.mentions[:limit])
        entities.append(entity)
    return dataclasses.replace(article, entities=tuple(entities)), tuple(warnings)


def _refs(record: Entity | Relation | Event) -> Iterator[str]:
    """The ids a record refers to."""
    if isinstance(record, Relation):
        yield record.subject
        yield record.object
        if record.claimant is not None:
            yield record.claimant
    elif isinstance(record, Event):
        yield from (target for _, target in record.arguments)
        if record.place is not None:
            yield record.place
        if record.claimant is not None:
            yield record.claimant
        for fig in record.figures:
            yield from (x for x in (fig.of, fig.claimant) if x is not None)


def _leave_out(article: Article, findings: list[tuple[Record, Problem]], ontology: Ontology,
               registry_ids: Iterable[str]) -> tuple[Article, list[Problem]]:
    """The article without the records that have errors, nor those that refer to a record left out.

    Returns the smaller article and the problems of the records left out on the way (the cascade).
    """
    later: list[Problem] = []
    gone: dict[str, int | None] = {}  # id left out → its line
    while True:
        bad = {id(record) for record, p in findings if record is not None and _is_error(p)}
        if not bad:
            return article, later
        for record, _ in findings:
            if record is not None and id(record) in bad and not isinstance(record, Figure):
                gone.setdefault(record.id, record.line)
        article = _without(article, bad, gone, later)
        findings = find_problems(article, ontology, registry_ids=registry_ids)
        later.extend(p for _, p in findings if _is_error(p))


def _without(article: Article, bad: set[int], gone: dict[str, int | None], later: list[Problem]) -> Article:
    def keep(record: Entity | Relation | Event) -> bool:
        if id(record) in bad:
            return False
        lost = next((x for x in _refs(record) if x in gone), None)
        if lost is None:
            return True
        gone.setdefault(record.id, record.line)
        later.append(Problem(article.source, record.line,
                             f"{record.id} is left out: it refers to {lost} (line {gone[lost]}), "
                             "which was left out", f"fix line {gone[lost]}"))
        return False

    changed = True
    entities, relations, events = article.entities, article.relations, article.events
    while changed:  # a relation may refer to an event that refers to an entity left out …
        before = len(gone)
        entities = tuple(e for e in entities if keep(e))
        events = tuple(dataclasses.replace(ev, figures=tuple(f for f in ev.figures if id(f) not in bad))
                       for ev in events if keep(ev))
        relations = tuple(r for r in relations if keep(r))
        changed = len(gone) != before
    equivalences = tuple(kept for group in article.equivalences
                         if len(kept := tuple(x for x in group if x not in gone)) > 1)
    return dataclasses.replace(article, entities=entities, relations=relations, events=events,
                               equivalences=equivalences)


def check_corpus(paths: Iterable[Path], *, ontology: Ontology | None = None) -> list[Problem]:
    """Every problem of every article of the given corpora (configuration errors included), as ``kg check``
    finds them: each article goes through :func:`process_article`, as in a build."""
    from kg.drafting.markers import draft_warnings
    from kg.ontology import load_ontology
    from kg.reading.corpus import open_corpus

    ontology = ontology or load_ontology()
    problems: list[Problem] = []
    for path in paths:
        try:
            corpus = open_corpus(path, strict=False)
        except KGError as exc:
            problems.append(Problem(exc.file or str(path), exc.line, exc.message, exc.hint))
            continue
        problems.extend(corpus.registry.problems)
        problems.extend(corpus.problems)
        for files in corpus.files:
            problems.extend(process_article(files, corpus, content_hash="", ontology=ontology).problems)
            problems.extend(draft_warnings(files))  # drafts a person has not accepted yet (kg annotate)
    return problems


def article_texts(paths: Iterable[Path]) -> dict[str, str]:
    """Article IRI → its text, for the corpora at ``paths`` (what a view shows when a quote is opened).

    >>> texts = article_texts([Path("seeds")])
    >>> [iri.rsplit("/", 1)[1] for iri in texts]
    ['000_9c143c0af1e05f5b']
    """
    from kg.mapping.rdf import article_iri
    from kg.reading.corpus import open_corpus, read_article

    texts: dict[str, str] = {}
    for path in paths:
        corpus = open_corpus(path)
        for files in corpus.files:
            article = read_article(files, corpus.config)
            texts[article_iri(article.id, corpus.config.base)] = article.text
    return texts
