"""Checking annotations against the text and the ontology.

:func:`check_article` looks at an article that has been read and mapped to ontology types and returns
every problem as a :class:`~kg.model.Problem` (``FILE:LINE: message (how to fix)``); :func:`find_problems`
gives each with the record it is about. Reading errors (malformed lines, offsets, span text) are found by the
readers and come in ``Article.problems``. :func:`kg.mapping.pipeline.check_corpus` checks whole corpora for
``kg check``.

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

import re
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from kg.model import Article, Entity, Event, Figure, Problem, Relation

if TYPE_CHECKING:
    from kg.ontology import Ontology


#: A record of an article (entity, relation, event, figure), or None for the article itself.
Record = Entity | Relation | Event | Figure | None


def _problem(article: Article, line: int | None, message: str, hint: str | None = None) -> Problem:
    return Problem(article.source or article.id, line, message, hint)


def check_article(article: Article, ontology: Ontology, *, registry_ids: Iterable[str] | None = None) -> list[Problem]:
    """Every inconsistency of one mapped article: ids, types, domain/range, self-relations, arguments.

    The problems found while reading (``article.problems``) come first.
    """
    return [*article.problems, *(p for _, p in find_problems(article, ontology, registry_ids=registry_ids))]


def find_problems(article: Article, ontology: Ontology, *,
                  registry_ids: Iterable[str] | None = None) -> list[tuple[Record, Problem]]:
    """The problems of :func:`check_article` (without ``article.problems``), each with the record it is
    about, so that ``kg build --skip-invalid`` can leave exactly that record out."""
    problems: list[tuple[Record, Problem]] = []

    def add(record: Record, line: int | None, message: str, hint: str | None = None) -> None:
        problems.append((record, _problem(article, line, message, hint)))

    ids: dict[str, int | None] = {}
    types: dict[str, str] = {}
    known_registry = set(registry_ids) if registry_ids is not None else None
    for e in article.entities:
        if e.id in ids:
            add(e, e.line, f"duplicate id {e.id!r}", f"first used at line {ids[e.id]}; give each annotation its own id")
        ids[e.id] = e.line
        types[e.id] = e.type
        if e.type not in ontology.entity_types:
            add(e, e.line, f"unknown entity type {e.type!r}", _suggest(e.type, ontology.entity_types))
        if not e.mentions:
            add(e, e.line, f"entity {e.id!r} has no mention in the text", "add at least one mention")
        if known_registry is not None and e.actor is not None and e.actor not in known_registry:
            add(e, e.line, f"entity {e.id!r} names unknown registry id {e.actor!r}",
                "add it to actors.yaml or fix the id")
    for ev in article.events:
        if ev.id in ids:
            add(ev, ev.line, f"duplicate id {ev.id!r}",
                f"first used at line {ids[ev.id]}; give each annotation its own id")
        ids[ev.id] = ev.line
        types[ev.id] = ev.type
    seen_relations: dict[str, int | None] = {}
    for r in article.relations:
        if r.id in seen_relations or r.id in ids:
            add(r, r.line, f"duplicate id {r.id!r}", "give each relation its own id")
        seen_relations[r.id] = r.line
        problems.extend((r, p) for p in _check_relation(article, r, types, ontology))
        problems.extend((r, p) for p in _check_claimant(article, r.id, r.line, r.claimant, types, known_registry))
    for ev in article.events:
        problems.extend(_check_event(article, ev, types, ontology, known_registry))
    return problems


def _check_relation(article: Article, r: Relation, types: dict[str, str], ontology: Ontology) -> Iterator[Problem]:
    if r.type not in ontology.relation_types:
        yield _problem(article, r.line, f"unknown relation type {r.type!r}", _suggest(r.type, ontology.relation_types))
        return
    missing = [x for x in (r.subject, r.object) if x not in types]
    for x in missing:
        yield _problem(article, r.line, f"relation {r.id!r} refers to missing id {x!r}",
                       "annotate that entity or fix the id")
    if missing:
        return
    events = [x for x in (r.subject, r.object) if types[x] in ontology.event_types]
    for x in events:
        yield _problem(article, r.line, f"relation {r.id!r} has the event {x!r} ({types[x]}) as its "
                       f"{'subject' if x == r.subject else 'object'}; relations go between entities",
                       "make the entity an argument of the event, or relate the entities the event names")
    if events:
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


_ID_LIKE = re.compile(r"[A-Za-z0-9_.\-]+")


def _check_claimant(article: Article, owner: str, line: int | None, claimant: str | None,
                    types: dict[str, str], registry: set[str] | None = None) -> Iterator[Problem]:
    """A claimant that reads like an id ("local_source", "T12") but names no annotation (nor registry entry)
    is a mistake, not a new source: free-text claimants ("local sources", "مصادر محلية") have spaces or
    non-ASCII letters. The hint names the nearest ids."""
    known = {*types, *(registry or ())}
    if claimant is None or claimant in known or not _ID_LIKE.fullmatch(claimant):
        return
    import difflib

    close = difflib.get_close_matches(claimant, sorted(known), n=3, cutoff=0.6)
    if not close and not any(c in claimant for c in "_0123456789"):
        return  # one plain word ("Reuters"): a free-text claimant
    yield _problem(article, line, f"claimant {claimant!r} of {owner!r} is not the id of an annotation",
                   f"did you mean {', '.join(close)}?" if close else
                   "give the id of an annotated source or actor, or the claimant's words")


def _check_event(article: Article, ev: Event, types: dict[str, str], ontology: Ontology,
                 registry: set[str] | None = None) -> Iterator[tuple[Record, Problem]]:
    def problem(line: int | None, message: str, hint: str) -> tuple[Record, Problem]:
        return ev, _problem(article, line, message, hint)

    if ev.type not in ontology.event_types:
        yield problem(ev.line, f"unknown event type {ev.type!r}", _suggest(ev.type, ontology.event_types))
    for role, target in ev.arguments:
        if role not in ontology.roles:
            yield problem(ev.line, f"unknown role {role!r} in event {ev.id!r}", _suggest(role, ontology.roles))
        if target not in types:
            yield problem(ev.line, f"event {ev.id!r} refers to missing id {target!r}",
                          "annotate that entity or fix the id")
        elif target == ev.id:
            yield problem(ev.line, f"event {ev.id!r} is its own argument", "remove that argument")
    if ev.place is not None:
        if ev.place not in types:
            yield problem(ev.line, f"event {ev.id!r} refers to missing place {ev.place!r}",
                          "annotate that place or fix the id")
        elif types[ev.place] in ontology.entity_types and not ontology.is_a(types[ev.place], "Place"):
            yield problem(ev.line, f"place {ev.place!r} of event {ev.id!r} is a {types[ev.place]}",
                          "the place of an event must be a Place")
    yield from ((ev, p) for p in _check_claimant(article, ev.id, ev.line, ev.claimant, types, registry))
    for fig in ev.figures:
        yield from ((fig, p) for p in _check_claimant(article, ev.id, fig.line, fig.claimant, types, registry))
        if fig.kind not in ontology.figure_kinds:
            yield fig, _problem(article, fig.line, f"unknown figure kind {fig.kind!r}",
                                _suggest(fig.kind, ontology.figure_kinds))
        if fig.of is not None and fig.of not in types:
            yield fig, _problem(article, fig.line, f"figure of event {ev.id!r} refers to missing id {fig.of!r}",
                                "annotate that entity or fix the id")


def _suggest(name: str, choices: Iterable[str]) -> str:
    import difflib

    close = difflib.get_close_matches(name, sorted(choices), n=3, cutoff=0.5)
    if close:
        return f"did you mean {', '.join(close)}?"
    return f"use one of: {', '.join(sorted(choices))}, or map it in kg.toml"
