"""Plain records for what the readers produce: articles and their annotations.

All records are frozen dataclasses. Offsets are Unicode code points into
``Article.text`` (the text as read: BOM removed, CRLF kept as brat counts them).
Type names (``Entity.type``, ``Relation.type``, ``Event.type``) are local names of
ontology terms (``"ArmedGroup"``, ``"commands"``, ``"Clash"``) once a foreign
scheme has been mapped; ``line`` is the 1-based line of the annotation file the
record came from, for error messages.

>>> m = Mention(spans=(Span(0, 4),), text="قوات")
>>> m.start, m.end
(0, 4)
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
_DECIMAL = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")


def valid_date(value: str) -> bool:
    """Whether ``value`` is a real date written YYYY, YYYY-MM or YYYY-MM-DD (no month 13, no 31 February).

    >>> [valid_date(v) for v in ("2016", "2016-07", "2016-02-29", "2016-13", "2015-02-29", "16-07")]
    [True, True, True, False, False, False]
    """
    m = _DATE.fullmatch(value)
    if m is None:
        return False
    year, month, day = (int(g) if g else 1 for g in m.groups())
    try:
        datetime.date(year, month, day)
    except ValueError:
        return False
    return year >= 1


def valid_decimal(value: str) -> bool:
    """Whether ``value`` is an ``xsd:decimal`` ("0.85", "1", ".5").

    >>> valid_decimal("0.85"), valid_decimal("high"), valid_decimal("1e3")
    (True, False, False)
    """
    return _DECIMAL.fullmatch(value) is not None


def degrees(value: object, limit: int) -> float | None:
    """A latitude (``limit`` 90) or longitude (180) in decimal degrees; ``None`` when absent, NaN when invalid.

    >>> degrees("32.1", 90), degrees(None, 90), degrees(200, 180) != degrees(200, 180)
    (32.1, None, True)
    """
    if value is None:
        return None
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return float("nan")
    return number if -limit <= number <= limit else float("nan")


@dataclass(frozen=True, order=True)
class Span:
    """A half-open range ``[start, end)`` of code points."""

    start: int
    end: int


@dataclass(frozen=True)
class Mention:
    """One textual mention: one span, or several for a discontinuous annotation."""

    spans: tuple[Span, ...]
    text: str
    line: int | None = None

    @property
    def start(self) -> int:
        return min(s.start for s in self.spans)

    @property
    def end(self) -> int:
        return max(s.end for s in self.spans)


@dataclass(frozen=True)
class Entity:
    """Something the article names: an actor, a place, a rank or title, a source, a quantity."""

    id: str
    type: str
    mentions: tuple[Mention, ...]
    external_ids: tuple[tuple[str, str], ...] = ()  # (("wikidata", "Q123"), ("ucdp", "4567"))
    actor: str | None = None  # registry id, when the annotation names it
    attributes: tuple[tuple[str, str], ...] = ()  # brat A/M lines, YAML ``attributes``
    line: int | None = None
    note: str | None = None  # the annotator's note (brat ``#``), kept on the mention

    @property
    def text(self) -> str:
        """Text of the first mention: the entity's name as the article gives it."""
        return self.mentions[0].text if self.mentions else ""


@dataclass(frozen=True)
class Relation:
    """A typed, directed statement between two entities, as one article reports it."""

    id: str
    type: str
    subject: str  # entity id
    object: str  # entity id
    evidence: Mention | None = None
    claimant: str | None = None  # entity id of a Source/actor, or free text; None = the outlet
    date: str | None = None  # ISO date (or year / year-month) the claim refers to
    negated: bool = False
    uncertain: bool = False
    former: bool = False
    intended: bool = False
    line: int | None = None
    confidence: str | None = None  # a decimal number, as written ("0.85")
    note: str | None = None  # the annotator's note, verbatim


@dataclass(frozen=True)
class Figure:
    """A reported number (killed, wounded, …) and who reports it."""

    kind: str  # ontology figure kind, e.g. "killed", "wounded"
    count: int
    qualifier: str = "exact"  # exact | at-least | more-than | about | at-most
    of: str | None = None  # entity id whose losses these are
    claimant: str | None = None
    evidence: Mention | None = None
    line: int | None = None


@dataclass(frozen=True)
class Event:
    """A reported event (clash, attack, capture, …) with its arguments."""

    id: str
    type: str
    trigger: Mention | None = None
    arguments: tuple[tuple[str, str], ...] = ()  # (role, entity-or-event id)
    place: str | None = None  # entity id
    date: str | None = None
    figures: tuple[Figure, ...] = ()
    claimant: str | None = None  # who reports the event; None = the outlet
    negated: bool = False
    uncertain: bool = False
    line: int | None = None
    confidence: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class Metadata:
    """What is known of the article itself."""

    title: str | None = None
    outlet: str | None = None
    date: str | None = None
    url: str | None = None
    language: str | None = None


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an annotation, for ``kg check``: printed as ``FILE:LINE: message (hint)``
    (``FILE:LINE: warning: message (hint)`` for a warning).

    >>> print(Problem("a.ann", 3, "T9 is not defined", "define it"), Problem("a.ann", None, "x", None, "warning"))
    a.ann:3: T9 is not defined (define it) a.ann: warning: x
    """

    file: str
    line: int | None
    message: str
    hint: str | None = None
    severity: str = "error"  # error | warning

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line is not None else self.file
        text = f"{where}: {'warning: ' if self.severity == 'warning' else ''}{self.message}"
        if self.hint:
            text += f" ({self.hint})"
        return " ".join(text.split("\n"))


@dataclass(frozen=True)
class Article:
    """An article with everything annotated in it."""

    id: str
    text: str
    metadata: Metadata = field(default_factory=Metadata)
    entities: tuple[Entity, ...] = ()
    relations: tuple[Relation, ...] = ()
    events: tuple[Event, ...] = ()
    equivalences: tuple[tuple[str, ...], ...] = ()  # brat ``*`` sets: entity ids naming one thing
    notes: tuple[tuple[str, str], ...] = ()  # (annotation id, note text)
    source: str = ""  # path of the annotation file, for messages
    text_source: str = ""  # path of the text file
    problems: tuple[Problem, ...] = ()  # soft problems found while reading (unmapped types, …)

    def entity(self, entity_id: str) -> Entity | None:
        for e in self.entities:
            if e.id == entity_id:
                return e
        return None
