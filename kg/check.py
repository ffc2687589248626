"""Checking annotations against the text and the ontology.

:func:`check_article` looks at an article that has been read and mapped to ontology types and returns
every problem as a :class:`~kg.model.Problem` (``FILE:LINE: message (how to fix)``). Reading errors
(malformed lines, offsets, span text) are raised by the readers and turned into problems by
:func:`check_corpus`, which checks whole corpora for ``kg check``.

>>> from kg.model import Article, Entity, Mention, Relation, Span
>>> from kg.ontology import load_ontology
>>> text = "بنغازي تقود حفتر"
>>> art = Article(id="x", text=text, source="x.yaml", entities=(
...     Entity("city", "City", (Mention((Span(0, 6),), "بنغازي"),), line=3),
...     Entity("haftar", "Person", (Mention((Span(12, 16),), "حفتر"),), line=5)),
...     relations=(Relation("R1", "commands", "city", "haftar", line=8),))
>>> [str(p) for p in check_article(art, load_ontology())]  # doctest: +ELLIPSIS
["x.yaml:8: 'commands' cannot go from City 'city' to Person 'haftar' (...)"]
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kg.errors import KGError
from kg.model import Article, Problem

if TYPE_CHECKING:
    from kg.annotations import ArticleFiles, Corpus
    from kg.ontology import Ontology


def _problem(article: Article, line: int | None, message: str, hint: str | None = None) -> Problem:
    return Problem(article.source or article.id, line, message, hint)


def check_article(article: Article, ontology: Ontology, *, registry_ids: Iterable[str] | None = None) -> list[Problem]:
    """Every inconsistency of one mapped article: ids, types, domain/range, self-relations, arguments."""
    problems = list(article.problems)
    ids: dict[str, int | None] = {}
    types: dict[str, str] = {}
    known_registry = set(registry_ids) if registry_ids is not None else None
    for e in article.entities:
        if e.id in ids:
            problems.append(_problem(article, e.line, f"duplicate id {e.id!r}",
                                     f"first used at line {ids[e.id]}; give each annotation its own id"))
        ids[e.id] = e.line
        types[e.id] = e.type
        if e.type not in ontology.entity_types:
            problems.append(_problem(article, e.line, f"unknown entity type {e.type!r}",
                                     _suggest(e.type, ontology.entity_types)))
        if not e.mentions:
            problems.append(_problem(article, e.line, f"entity {e.id!r} has no mention in the text",
                                     "add at least one mention"))
        if known_registry is not None and e.actor is not None and e.actor not in known_registry:
            problems.append(_problem(article, e.line, f"entity {e.id!r} names unknown registry id {e.actor!r}",
                                     "add it to actors.yaml or fix the id"))
    for ev in article.events:
        if ev.id in ids:
            problems.append(_problem(article, ev.line, f"duplicate id {ev.id!r}",
                                     f"first used at line {ids[ev.id]}; give each annotation its own id"))
        ids[ev.id] = ev.line
        types[ev.id] = ev.type
    seen_relations: dict[str, int | None] = {}
    for r in article.relations:
        if r.id in seen_relations or r.id in ids:
            problems.append(_problem(article, r.line, f"duplicate id {r.id!r}", "give each relation its own id"))
        seen_relations[r.id] = r.line
        problems.extend(_check_relation(article, r, types, ontology))
    for ev in article.events:
        problems.extend(_check_event(article, ev, types, ontology))
    return problems


def _check_relation(article: Article, r, types: dict[str, str], ontology: Ontology) -> Iterator[Problem]:  # type: ignore[no-untyped-def]
    if r.type not in ontology.relation_types:
        yield _problem(article, r.line, f"unknown relation type {r.type!r}", _suggest(r.type, ontology.relation_types))
        return
    missing = [x for x in (r.subject, r.object) if x not in types]
    for x in missing:
        yield _problem(article, r.line, f"relation {r.id!r} refers to missing id {x!r}",
                       "annotate that entity or fix the id")
    if missing:
        return
    if r.subject == r.object:
        yield _problem(article, r.line, f"relation {r.id!r} ({r.type}) relates {r.subject!r} to itself",
                       "a relation needs two different entities")
        return
    s_type, o_type = types[r.subject], types[r.object]
    if s_type in ontology.entity_types and o_type in ontology.entity_types and not ontology.allowed(
        r.type, s_type, o_type
    ):
        term = ontology.term(r.type)
        yield _problem(article, r.line,
                       f"{r.type!r} cannot go from {s_type} {r.subject!r} to {o_type} {r.object!r}",
                       f"{r.type} goes from {'/'.join(term.domain) or 'anything'} to "
                       f"{'/'.join(term.range) or 'anything'}; swap the arguments or change the type")
    if r.claimant is not None and r.claimant in types and not (
        ontology.is_a(types[r.claimant], "Source") or ontology.is_a(types[r.claimant], "Actor")
    ):
        yield _problem(article, r.line, f"claimant {r.claimant!r} of {r.id!r} is a {types[r.claimant]}",
                       "a claimant is a Source or an actor")


def _check_event(article: Article, ev, types: dict[str, str], ontology: Ontology) -> Iterator[Problem]:  # type: ignore[no-untyped-def]
    if ev.type not in ontology.event_types:
        yield _problem(article, ev.line, f"unknown event type {ev.type!r}", _suggest(ev.type, ontology.event_types))
    for role, target in ev.arguments:
        if role not in ontology.roles:
            yield _problem(article, ev.line, f"unknown role {role!r} in event {ev.id!r}",
                           _suggest(role, ontology.roles))
        if target not in types:
            yield _problem(article, ev.line, f"event {ev.id!r} refers to missing id {target!r}",
                           "annotate that entity or fix the id")
        elif target == ev.id:
            yield _problem(article, ev.line, f"event {ev.id!r} is its own argument", "remove that argument")
    if ev.place is not None:
        if ev.place not in types:
            yield _problem(article, ev.line, f"event {ev.id!r} refers to missing place {ev.place!r}",
                           "annotate that place or fix the id")
        elif types[ev.place] in ontology.entity_types and not ontology.is_a(types[ev.place], "Place"):
            yield _problem(article, ev.line, f"place {ev.place!r} of event {ev.id!r} is a {types[ev.place]}",
                           "the place of an event must be a Place")
    for fig in ev.figures:
        if fig.kind not in ontology.figure_kinds:
            yield _problem(article, fig.line, f"unknown figure kind {fig.kind!r}",
                           _suggest(fig.kind, ontology.figure_kinds))
        for ref in (fig.of,):
            if ref is not None and ref not in types:
                yield _problem(article, fig.line, f"figure of event {ev.id!r} refers to missing id {ref!r}",
                               "annotate that entity or fix the id")


def _suggest(name: str, choices: Iterable[str]) -> str:
    import difflib

    close = difflib.get_close_matches(name, sorted(choices), n=3, cutoff=0.5)
    if close:
        return f"did you mean {', '.join(close)}?"
    return f"use one of: {', '.join(sorted(choices))}, or map it in kg.toml"


@dataclass(frozen=True)
class CheckedArticle:
    """An article read, mapped to the ontology and checked."""

    files: ArticleFiles
    article: Article | None
    problems: tuple[Problem, ...]


def check_files(files: ArticleFiles, corpus: Corpus, ontology: Ontology) -> CheckedArticle:
    """Read, map and check one article; reading errors become problems (never an exception)."""
    from kg.annotations import read_article
    from kg.identity import leave_out_pronouns, resolve_in_corpus
    from kg.scheme import apply_scheme

    problems: list[Problem] = []
    if files.ann is not None:
        from kg.brat import check_brat, read_text

        try:
            text = read_text(files.text)
            problems.extend(check_brat(files.ann.read_text(encoding="utf-8-sig"), text, source=str(files.ann)))
        except (KGError, UnicodeDecodeError):
            pass  # read_article reports it below
    if problems:
        return CheckedArticle(files, None, tuple(problems))
    try:
        article = read_article(files, corpus.config)
    except KGError as exc:
        return CheckedArticle(files, None, (_from_error(exc, files),))
    article = apply_scheme(
        article, corpus.config, entity_types=ontology.entity_types, relation_types=ontology.relation_types,
        event_types=ontology.event_types, roles=ontology.roles,
        symmetric=frozenset(n for n in ontology.relation_types if ontology.term(n).symmetric),
    )
    article = leave_out_pronouns(article, pronouns=corpus.config.pronouns, merge_aliases=corpus.config.merge_aliases)
    problems = check_article(article, ontology, registry_ids=corpus.registry.entries)
    if not any(p.severity == "error" for p in problems):
        try:
            problems.extend(resolve_in_corpus(article, corpus.config, corpus.registry, ontology).problems)
        except KGError as exc:
            problems.append(_from_error(exc, files))
    return CheckedArticle(files, dataclasses.replace(article, problems=()), tuple(problems))


def _from_error(exc: KGError, files: ArticleFiles) -> Problem:
    return Problem(exc.file or str(files.annotation or files.text), exc.line, exc.message, exc.hint)


def check_corpus(paths: Iterable[Path]) -> list[Problem]:
    """Every problem of every article of the given corpora (configuration errors included)."""
    from kg.annotations import open_corpus
    from kg.ontology import load_ontology

    ontology = load_ontology()
    problems: list[Problem] = []
    for path in paths:
        try:
            corpus = open_corpus(path)
        except KGError as exc:
            problems.append(Problem(exc.file or str(path), exc.line, exc.message, exc.hint))
            continue
        for files in corpus.files:
            problems.extend(check_files(files, corpus, ontology).problems)
    return problems
