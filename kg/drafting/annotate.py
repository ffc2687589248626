"""Drafting an article's annotations: registry names, the model's names, claimants, relations, events.

What is drafted, and the confidence each draft carries:

* every label and alias of the registry (``actors.yaml``) found in the text, after the resolver's
  normalisation (Arabic spelling variants, diacritics, tatweel, case), an Arabic clitic (و ف ب ل ك, "ال")
  allowed before the name; longer names win over names inside them (``registry``, 0.9);
* the names the model's recogniser finds elsewhere, as new entities, each resolved against the registry by
  the same normalisation (:meth:`kg.mapping.resolve.Registry.find`) (``model``, the type's held-out precision);
* claimants ("وقالت مصادر محلية", "according to BDB sources") as ``Source`` entities (``rules``);
* relations between mentions of a sentence (:mod:`kg.drafting.relations`), with the words from one mention
  to the other as evidence and the sentence's claimant;
* events: a sentence with casualty figures, or an event cue and two actors, becomes an event of the cue's
  type, with the sentence's actors as participants, its first place, and its figures (kind, count,
  qualifier, whose losses: the nearest actor after the number).

Annotations a person made (items without a draft marker, see :mod:`kg.drafting.markers`) are passed in as
``human``: no draft overlaps their mentions, repeats their relations' pairs, or their events' figures.

>>> from kg.mapping.resolve import parse_registry
>>> reg = parse_registry({"actors": [{"id": "lna", "type": "ArmedGroup",
...     "labels": {"ar": "قوات حفتر", "en": "Libyan National Army"}}]})
>>> [(m.entry.id, m.start, m.end) for m in find_names("وقـوّات حفتر تتقدم", reg)]
[('lna', 1, 12)]
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from kg.drafting.markers import Mark
from kg.drafting.rules import (
    EVENT_GROUP,
    Rules,
    find_figures,
    find_sources,
    load_rules,
    normalized,
    sentences,
)
from kg.mapping.resolve import Registry, RegistryEntry, normalize_name
from kg.model import Article, Entity, Event, Figure, Mention, Metadata, Relation, Span

_PREFIX = re.compile(r"(?:^|(?<=\s))(?:[وف]?(?:[بلك]|لل|ال|بال|كال)?)")
REGISTRY_CONFIDENCE = 0.9
SOURCE_CONFIDENCE = 0.6
EVENT_CONFIDENCE = 0.5


@dataclass(frozen=True)
class Found:
    """A registry name found in the text, as a code-point span of the original text."""

    entry: RegistryEntry
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Draft:
    """An article's annotations: the person's (unmarked) and the drafted ones (ids in ``marks``)."""

    article: Article
    marks: dict[str, Mark] = field(default_factory=dict)

    @property
    def drafted(self) -> int:
        return len(self.marks)


def find_names(text: str, registry: Registry) -> list[Found]:
    """Every non-overlapping occurrence of a registry name in the text, longest first."""
    norm, where = normalized(text)
    names: list[tuple[str, RegistryEntry]] = []
    for entry in registry.entries.values():
        for _, name in (*entry.labels, *entry.aliases):
            key = normalize_name(name)
            if len(key) >= 2:
                names.append((key, entry))
    names.sort(key=lambda item: -len(item[0]))
    taken = [False] * len(norm)
    found: list[Found] = []
    for key, entry in names:
        for m in re.finditer(re.escape(key), norm):
            s, e = m.start(), m.end()
            before = norm[:s].rsplit(" ", 1)[-1]
            if before and not _PREFIX.fullmatch(before):
                continue
            if e < len(norm) and norm[e].isalnum():
                continue
            if any(taken[s:e]):
                continue
            for i in range(s, e):
                taken[i] = True
            start, end = where[s], where[e - 1] + 1
            found.append(Found(entry, start, end, text[start:end]))
    return sorted(found, key=lambda f: f.start)


class _Builder:
    """Collects drafted entities without overlapping what is already there."""

    def __init__(self, text: str, human: Article, rejected: frozenset[str] = frozenset()) -> None:
        self.text = text
        self.rejected = rejected
        self.human = human
        self.taken: list[tuple[int, int]] = [(m.start, m.end) for e in human.entities for m in e.mentions]
        self.groups: dict[tuple[str, ...], list[Mention]] = {}
        self.info: dict[tuple[str, ...], tuple[str, str | None, Mark]] = {}
        self.ids = {e.id for e in human.entities} | {ev.id for ev in human.events} | {
            r.id for r in human.relations}
        self.counters: dict[str, int] = {}

    def free(self, start: int, end: int) -> bool:
        return not any(s < end and start < e for s, e in self.taken)

    def add(self, start: int, end: int, etype: str, actor: str | None, mark: Mark) -> None:
        if start >= end or not self.free(start, end) or f"T:{start}:{end}" in self.rejected:
            return
        self.taken.append((start, end))
        words = self.text[start:end]
        key = ("actor", actor) if actor else ("name", etype, normalize_name(words))
        self.groups.setdefault(key, []).append(Mention((Span(start, end),), words))
        old = self.info.get(key)
        if old is None or old[2].confidence < mark.confidence:
            self.info[key] = (etype, actor, mark)

    def new_id(self, stem: str, *, numbered: bool = True) -> str:
        """A fresh id: ``stem1``, ``stem2``, … (or ``stem`` itself first when not ``numbered``)."""
        stem = re.sub(r"[^A-Za-z0-9_]", "_", stem)[:40] or "e"
        candidate = stem if not numbered else ""
        while not candidate or candidate in self.ids:
            self.counters[stem] = self.counters.get(stem, 0) + 1
            candidate = f"{stem}{self.counters[stem]}"
        self.ids.add(candidate)
        return candidate

    def entities(self) -> tuple[list[Entity], dict[str, Mark]]:
        out, marks = [], {}
        for key, mentions in self.groups.items():
            etype, actor, mark = self.info[key]
            eid = self.new_id(actor.replace("-", "_"), numbered=False) if actor else self.new_id("e")
            out.append(Entity(eid, etype, tuple(sorted(mentions, key=lambda m: m.start)), actor=actor))
            marks[eid] = mark
        return out, marks


def draft_article(text: str, *, registry: Registry, model: Any = None, language: str | None = None,
                  human: Article | None = None, ontology: Any = None, rules: Rules | None = None,
                  metadata: Metadata | None = None, rejected: frozenset[str] = frozenset()) -> Draft:
    """Draft the annotations of one text (see the module docstring); ``human`` holds what a person made,
    ``rejected`` the :func:`draft_keys` of drafts a person deleted (never drafted again)."""
    from kg.drafting.gold import article_language
    from kg.drafting.relations import propose
    from kg.ontology import load_ontology

    ontology = ontology or load_ontology()
    rules = rules or load_rules()
    human = human or Article(id="draft", text=text, metadata=metadata or Metadata())
    lang = language or article_language(human)
    b = _Builder(text, human, rejected)
    for src in find_sources(text, rules):  # first: a source's words may hold an actor's name
        entry = registry.find(src.text)
        b.add(src.start, src.end, entry.type if entry else "Source", entry.id if entry else None,
              Mark(REGISTRY_CONFIDENCE if entry else SOURCE_CONFIDENCE, "registry" if entry else "rules"))
    for f in find_names(text, registry):
        b.add(f.start, f.end, f.entry.type, f.entry.id, Mark(REGISTRY_CONFIDENCE, "registry"))
    if model is not None:
        for s, e, etype in model.entities(text, lang):
            entry = registry.find(text[s:e])
            if entry is not None and not ontology.is_a(entry.type, "Actor") and ontology.is_a(etype, "Actor"):
                entry = None  # a person named like a place is not that place
            b.add(s, e, entry.type if entry else etype, entry.id if entry else None,
                  Mark(model.confidence("entities", etype), "model"))
    drafted, marks = b.entities()
    entities = (*human.entities, *drafted)
    article = Article(id=human.id, text=text, metadata=human.metadata, entities=entities,
                      relations=human.relations, events=human.events, source=human.source)
    claimants = _claimants(text, entities, ontology)
    relations = list(human.relations)
    pairs = {frozenset((r.subject, r.object)) for r in human.relations}
    for p in propose(article, getattr(model, "relations", None), ontology=ontology, rules=rules):
        r = p.relation
        if frozenset((r.subject, r.object)) in pairs or r.evidence is None or _key(r) in rejected:
            continue
        pairs.add(frozenset((r.subject, r.object)))
        claimant = claimants.get(_sentence_of(text, r.evidence.start))
        rid = b.new_id("d")
        relations.append(Relation(rid, r.type, r.subject, r.object, evidence=r.evidence,
                                  claimant=claimant if claimant not in (r.subject, r.object) else None))
        confidence = p.confidence if p.by == "rules" or model is None else max(
            p.confidence, model.confidence("relations", r.type, p.confidence))
        marks[rid] = Mark(min(confidence, p.confidence), p.by)
    events = list(human.events)
    for ev in _events(text, entities, claimants, human, ontology, rules, b):
        if _key(ev) in rejected:
            continue
        events.append(ev)
        marks[ev.id] = Mark(EVENT_CONFIDENCE, "rules")
    article = Article(id=human.id, text=text, metadata=human.metadata, entities=entities,
                      relations=tuple(relations), events=tuple(events), source=human.source)
    return Draft(article, marks)


def _key(item: Relation | Event) -> str:
    if isinstance(item, Relation):
        ev = item.evidence
        return f"R:{item.type}:{ev.start if ev else ''}:{ev.end if ev else ''}"
    at = item.trigger or next((f.evidence for f in item.figures if f.evidence), None)
    return f"E:{item.type}:{at.start if at else ''}"


def draft_keys(article: Article, ids: Iterable[str] | None = None) -> set[str]:
    """Keys that name an article's items across runs (mention spans, relation type and evidence, event type
    and trigger), for the items with the given ids (default: all).

    >>> from kg.model import Entity, Mention, Span
    >>> sorted(draft_keys(Article("a", "LNA", entities=(Entity("e", "ArmedGroup", (Mention((Span(0, 3),), "LNA"),)),))))
    ['T:0:3']
    """
    wanted = set(ids) if ids is not None else None
    keys = {f"T:{m.start}:{m.end}" for e in article.entities if wanted is None or e.id in wanted for m in e.mentions}
    keys |= {_key(r) for r in article.relations if wanted is None or r.id in wanted}
    keys |= {_key(ev) for ev in article.events if wanted is None or ev.id in wanted}
    return keys


def _sentence_of(text: str, offset: int) -> tuple[int, int] | None:
    return next(((s, e) for s, e in sentences(text) if s <= offset < e), None)


def _claimants(text: str, entities: tuple[Entity, ...], ontology: Any) -> dict[tuple[int, int] | None, str]:
    """Sentence → the id of the Source entity named in it (the first)."""
    out: dict[tuple[int, int] | None, str] = {}
    for e in entities:
        if ontology.is_a(e.type, "Source"):
            for m in e.mentions:
                out.setdefault(_sentence_of(text, m.start), e.id)
    return out


def _events(text: str, entities: tuple[Entity, ...], claimants: dict[tuple[int, int] | None, str],
            human: Article, ontology: Any, rules: Rules, b: _Builder) -> list[Event]:
    taken = [(m.start, m.end) for ev in human.events for m in
             ([ev.trigger] if ev.trigger else []) + [f.evidence for f in ev.figures if f.evidence]]
    mentions = sorted((m.start, m.end, e.id, e.type) for e in entities for m in e.mentions)
    out: list[Event] = []
    for s, e in sentences(text):
        cues = [c for c in rules.find(text, EVENT_GROUP, s, e) if ontology.get(c.key)]
        figures = find_figures(text, rules, s, e)
        inside = [m for m in mentions if m[0] >= s and m[1] <= e]
        actors = list(dict.fromkeys(m[2] for m in inside if ontology.is_a(m[3], "Actor")))
        places = [m[2] for m in inside if ontology.is_a(m[3], "Place")]
        if not figures and (not cues or len(actors) < 2):
            continue
        spans = [(c.start, c.end) for c in cues[:1]] + [(f.start, f.end) for f in figures]
        if any(a < te and ta < z for a, z in spans for ta, te in taken):
            continue
        claimant = claimants.get((s, e))
        figs = []
        for f in figures:
            after = [m for m in inside if m[0] >= f.end and m[0] - f.end <= 60 and ontology.is_a(m[3], "Actor")]
            of = after[0][2] if after else None
            figs.append(Figure(f.kind, f.count, f.qualifier, of=of, claimant=claimant,
                               evidence=Mention((Span(f.start, f.end),), text[f.start:f.end])))
        cue = cues[0] if cues else None
        trigger = Mention((Span(cue.start, cue.end),), text[cue.start:cue.end]) if cue else None
        out.append(Event(b.new_id("ev"), cue.key if cue else "Event", trigger=trigger,
                         arguments=tuple(("participant", a) for a in actors[:4]),
                         place=places[0] if places else None, figures=tuple(figs), claimant=claimant))
    return out
