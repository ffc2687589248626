"""Precision, recall and F1 of drafts against gold annotations: entities by span and type, relations by pair.

Entities match **exactly** (same start, end and type) or by **overlap** (same type, spans sharing a character;
each gold span is matched once). Gold entities are the flat spans a recogniser can tag (of nested mentions,
the longest). Relations match when type, subject and object entities are the same (either way round for a
symmetric relation). Groups add up the types under Person, Organization (and every other actor) and Place,
comparing at group level (a City drafted as Country counts for Place).

>>> s = score_spans([(0, 4, "Person"), (10, 15, "City")], [(0, 4, "Person"), (10, 13, "City")])
>>> s.exact["Person"].f1, s.exact["City"].f1, s.overlap["City"].f1
(1.0, 0.0, 1.0)
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

Span3 = tuple[int, int, str]
GROUPS = ("Person", "Organization", "Place")
TOGETHER = "Person+Organization+Place"


@dataclass
class Counts:
    """True positives, false positives, false negatives."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @classmethod
    def of(cls, found: Iterable[Span3], gold: Iterable[Span3]) -> Counts:
        """The counts of exact matches between found and gold spans.

        >>> Counts.of([(0, 4, "Person"), (5, 9, "City")], [(0, 4, "Person")]).f1
        0.6666666666666666
        """
        f, g = set(found), set(gold)
        return cls(len(f & g), len(f - g), len(g - f))

    def add(self, other: Counts) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn

    def to_json(self) -> dict[str, float | int]:
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn, "gold": self.tp + self.fn,
                "precision": round(self.precision, 4), "recall": round(self.recall, 4), "f1": round(self.f1, 4)}


def _table() -> dict[str, Counts]:
    return {}


@dataclass
class SpanScores:
    """Per-type counts for exact and overlapping matches."""

    exact: dict[str, Counts] = field(default_factory=_table)
    overlap: dict[str, Counts] = field(default_factory=_table)

    def add(self, other: SpanScores) -> None:
        for mine, theirs in ((self.exact, other.exact), (self.overlap, other.overlap)):
            for t, c in theirs.items():
                mine.setdefault(t, Counts()).add(c)


def _match(gold: list[Span3], pred: list[Span3], overlap: bool) -> dict[str, Counts]:
    counts: dict[str, Counts] = {}
    used: set[int] = set()
    for s, e, t in pred:
        hit = None
        for i, (gs, ge, gt) in enumerate(gold):
            if i in used or gt != t:
                continue
            if (gs, ge) == (s, e) or (overlap and gs < e and s < ge):
                hit = i
                break
        c = counts.setdefault(t, Counts())
        if hit is None:
            c.fp += 1
        else:
            used.add(hit)
            c.tp += 1
    for i, (_s, _e, t) in enumerate(gold):
        if i not in used:
            counts.setdefault(t, Counts()).fn += 1
    return counts


def score_spans(gold: Iterable[Span3], pred: Iterable[Span3]) -> SpanScores:
    """Exact and overlap counts per type for one text."""
    g, p = sorted(set(gold)), sorted(set(pred))
    return SpanScores(_match(g, p, False), _match(g, p, True))


def group_of(entity_type: str, ontology: Any) -> str | None:
    """Person, Place or Organization (every other actor) for a type; None for sources, ranks, …"""
    if ontology.is_a(entity_type, "Person"):
        return "Person"
    if ontology.is_a(entity_type, "Place"):
        return "Place"
    if ontology.is_a(entity_type, "Actor"):
        return "Organization"
    return None


def grouped(spans: Iterable[Span3], ontology: Any) -> list[Span3]:
    return [(s, e, g) for s, e, t in spans if (g := group_of(t, ontology)) is not None]


def relation_counts(gold: Iterable[tuple[str, str, str]], pred: Iterable[tuple[str, str, str]],
                    symmetric: frozenset[str]) -> dict[str, Counts]:
    """Per relation type counts of (type, subject, object) triples."""
    def norm(triples: Iterable[tuple[str, str, str]]) -> set[tuple[str, str, str]]:
        out = set()
        for t, s, o in triples:
            if t in symmetric:
                s, o = sorted((s, o))
            out.add((t, s, o))
        return out

    g, p = norm(gold), norm(pred)
    counts: dict[str, Counts] = {}
    for t, _s, _o in p:
        counts.setdefault(t, Counts())
    for t, _s, _o in g:
        counts.setdefault(t, Counts())
    for triple in p:
        counts[triple[0]].tp += triple in g
        counts[triple[0]].fp += triple not in g
    for triple in g - p:
        counts[triple[0]].fn += 1
    return counts


def micro(table: dict[str, Counts], names: Iterable[str] | None = None) -> Counts:
    total = Counts()
    for t, c in table.items():
        if names is None or t in names:
            total.add(c)
    return total


@dataclass
class Evaluation:
    """Everything :func:`kg.drafting.evaluate.evaluate` measures, ready for a table or JSON."""

    entities: SpanScores = field(default_factory=SpanScores)
    groups: SpanScores = field(default_factory=SpanScores)
    relations: dict[str, Counts] = field(default_factory=dict)
    relations_rules: dict[str, Counts] = field(default_factory=dict)
    articles: int = 0
    words: int = 0
    seconds: float = 0.0
    folds: int = 0

    def add(self, other: Evaluation) -> None:
        self.entities.add(other.entities)
        self.groups.add(other.groups)
        for mine, theirs in ((self.relations, other.relations), (self.relations_rules, other.relations_rules)):
            for t, c in theirs.items():
                mine.setdefault(t, Counts()).add(c)
        self.articles += other.articles
        self.words += other.words
        self.seconds += other.seconds

    def to_json(self) -> dict[str, Any]:
        def table(t: dict[str, Counts]) -> dict[str, Any]:
            rows = {k: c.to_json() for k, c in sorted(t.items())}
            if t:
                rows["all"] = micro(t).to_json()
            return rows

        groups_exact = dict(self.groups.exact)
        groups_overlap = dict(self.groups.overlap)
        together = {"exact": micro(groups_exact, GROUPS).to_json(), "overlap": micro(groups_overlap, GROUPS).to_json()}
        return {
            "articles": self.articles, "words": self.words, "folds": self.folds,
            "words_per_second": round(self.words / self.seconds, 1) if self.seconds else None,
            "entities": {"exact": table(self.entities.exact), "overlap": table(self.entities.overlap)},
            "groups": {"exact": table(groups_exact), "overlap": table(groups_overlap), TOGETHER: together},
            "relations": table(self.relations), "relations_rules_only": table(self.relations_rules),
        }


def format_table(result: dict[str, Any]) -> str:
    """The JSON of an :class:`Evaluation` as plain-text tables."""
    lines = [f"{result['articles']} articles, {result['words']} words"
             + (f", {result['folds']}-fold cross-validation" if result.get("folds") else "")
             + (f", {result['words_per_second']:.0f} words/s drafting" if result.get("words_per_second") else "")]

    def block(title: str, exact: dict[str, Any], overlap: dict[str, Any] | None) -> None:
        if not exact:
            return
        lines.extend(["", title, f"{'type':<26}{'gold':>6}{'P':>7}{'R':>7}{'F1':>7}"
                      + (f"{'P~':>7}{'R~':>7}{'F1~':>7}" if overlap is not None else "")])
        for name, c in exact.items():
            row = f"{name:<26}{c['gold']:>6}{c['precision']:>7.2f}{c['recall']:>7.2f}{c['f1']:>7.2f}"
            if overlap is not None and name in overlap:
                o = overlap[name]
                row += f"{o['precision']:>7.2f}{o['recall']:>7.2f}{o['f1']:>7.2f}"
            lines.append(row)

    ent = result["entities"]
    block("entities (exact spans; ~ overlapping spans)", ent["exact"], ent["overlap"])
    grp = result["groups"]
    together = grp.get(TOGETHER)
    exact_groups = dict(grp["exact"])
    overlap_groups = dict(grp["overlap"])
    if together and exact_groups:
        exact_groups[TOGETHER] = together["exact"]
        overlap_groups[TOGETHER] = together["overlap"]
    block("entity groups (type compared at group level)", exact_groups, overlap_groups)
    block("relations (given the gold entities): rules and classifier", result["relations"], None)
    block("relations (given the gold entities): rules only", result["relations_rules_only"], None)
    return "\n".join(lines) + "\n"
