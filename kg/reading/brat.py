"""Reading brat standoff annotations (``NAME.ann`` beside ``NAME.txt``) into plain records.

Parsing is kept apart from file I/O: :func:`parse_brat` and :func:`check_brat` take strings,
:func:`read_brat` and :func:`read_text` read files.

How the text is counted follows brat itself (``server/src/annotation.py``): brat opens both files with
``codecs.open(path, "rU", encoding="utf8")``, and ``codecs.open`` drops the ``U`` and opens the file in
binary mode, so no newline is translated: a ``\\r\\n`` is two code points, as here. Offsets are code points of
the text, half-open. The text of a discontinuous annotation joins its fragments with one space (brat's
``DISCONT_SEP``); the pre-1.3 form, fragments joined with nothing, is accepted too. Unlike brat, a leading BOM
is dropped (brat would count it as a code point). Lines of the ``.ann`` file are split at ``\\n`` only (a
trailing ``\\r`` is ignored), and blank lines are skipped.

The reader keeps types and roles as written (:mod:`kg.reading.scheme` maps them onto the ontology) but checks the
structure: every problem of a file is collected, with its line, by :func:`check_brat`.

>>> text = "Haftar commands the LNA."
>>> ann = "T1\\tPerson 0 6\\tHaftar\\nT2\\tArmedGroup 20 23\\tLNA\\nR1\\tcommands Arg1:T1 Arg2:T2\\t\\n"
>>> article = parse_brat(ann, text, article_id="a")
>>> [(e.id, e.type, e.text) for e in article.entities]
[('T1', 'Person', 'Haftar'), ('T2', 'ArmedGroup', 'LNA')]
>>> r = article.relations[0]
>>> r.type, r.subject, r.object, r.line
('commands', 'T1', 'T2', 3)
>>> print(check_brat("T1\\tPerson 0 7\\tHaftar", text, source="a.ann")[0].message)
text of T1 'Haftar' differs from the text at 0-7: 'Haftar '
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING

from kg.errors import AnnotationError
from kg.model import (
    Article,
    Entity,
    Event,
    Figure,
    Mention,
    Metadata,
    Problem,
    Relation,
    Span,
    valid_date,
    valid_decimal,
)
from kg.reading.brat_lines import KINDS, Line, Parser
from kg.reading.counts import parse_count
from kg.vocab import FLAGS

if TYPE_CHECKING:
    from kg.reading.scheme import CorpusConfig

__all__ = ["ATTRIBUTE_FLAGS", "check_brat", "parse_brat", "parse_count", "read", "read_brat", "read_text"]

_NOTE_FIELD = re.compile(r"\s*(claimant|date|confidence|evidence)\s*:\s*(.*?)\s*", re.IGNORECASE)
_EVIDENCE = re.compile(r"\s*(\d+)\s*-\s*(\d+)\s*")
_QID = re.compile(r"Q[1-9][0-9]*")
_NOTE_PAIR = re.compile(r"(?:^|(?<=\s))([A-Za-z_][\w.-]*)\s*=")


def _plural(kind: str) -> str:
    return {"A": "attributes", "M": "attributes", "N": "normalisations", "#": "notes", "*": "equivalences"}.get(
        kind, f"{KINDS.get(kind, kind)}s")


def figure_kinds() -> frozenset[str]:
    """The ontology's figure kinds: an event argument with one of these roles pointing to a ``Quantity``
    becomes a figure (``killed:T9``).

    >>> sorted(figure_kinds())
    ['captured', 'killed', 'missing', 'wounded']
    """
    from kg.ontology import load_ontology

    return load_ontology().figure_kinds


#: Attribute name (or ``name=value``), lower-cased → relation/event flag.
ATTRIBUTE_FLAGS: Mapping[str, str] = MappingProxyType({
    "negation": "negated", "negated": "negated",
    "uncertain": "uncertain", "speculation": "uncertain", "confidence=low": "uncertain",
    "former": "former", "intended": "intended",
})
_FALSE = frozenset({"false", "no", "0", "none"})


def note_fields(note: str) -> dict[str, str]:
    """The fields of a note: ``key=value`` pairs, or ``claimant: T7; date: 2016-07`` (other notes: {}).

    Keys are lower-cased; a value runs to the next ``key=``.

    >>> note_fields("confidence=0.85 trigger=clashed with")
    {'confidence': '0.85', 'trigger': 'clashed with'}
    >>> note_fields("claimant: T7; date: 2016-07"), note_fields("Is this right?")
    ({'claimant': 'T7', 'date': '2016-07'}, {})
    """
    found: dict[str, str] = {}
    pairs = list(_NOTE_PAIR.finditer(note))
    if pairs and not note[: pairs[0].start()].strip():
        for m, after in zip(pairs, [*pairs[1:], None], strict=True):
            value = note[m.end(): after.start() if after else len(note)].strip().rstrip(";,").strip()
            found[m.group(1).lower()] = value
        return found
    for part in note.split(";"):
        field_match = _NOTE_FIELD.fullmatch(part)
        if field_match is not None and field_match.group(2):
            found[field_match.group(1).lower()] = field_match.group(2)
    return found


class _Builder:
    """Turns the lines of a parsed .ann file that have no error into records."""

    def __init__(self, p: Parser) -> None:
        self.p = p
        self.attrs: dict[str, list[Line]] = {}
        self.norms: dict[str, list[Line]] = {}
        self.notes: dict[str, dict[str, str]] = {}
        self.note_text: dict[str, str] = {}  # annotation id → its notes, verbatim
        self.trigger_of: dict[str, str] = {}  # trigger T id → first event using it
        for rec in p.lines:
            if not rec.ok:
                continue
            if rec.kind in "AM":
                self.attrs.setdefault(rec.args[0][1], []).append(rec)
            elif rec.kind == "N":
                self.norms.setdefault(rec.args[0][1], []).append(rec)
            elif rec.kind == "E":
                self.trigger_of.setdefault(rec.args[0][1], rec.id)
        for rec in p.lines:  # the trigger of an event left out is left out with it, not made an entity
            if rec.kind == "E" and not rec.ok and rec.args:
                self.trigger_of.setdefault(rec.args[0][1], rec.id)
        for rec in p.lines:
            if rec.ok and rec.kind == "#":
                self.add_note(rec)

    def add_note(self, rec: Line) -> None:
        """Keep a note for its target (a note on an event's trigger is the event's)."""
        target = self.p.by_id[rec.args[0][1]]
        owner = self.trigger_of.get(target.id, target.id)
        if target.kind not in "TRE":
            self.p.warnings.append(Problem(self.p.source, rec.line, f"{rec.id}: notes on {_plural(target.kind)} "
                                           "are not kept", "put the note on the annotation it is about",
                                           "warning"))
            return
        self.notes.setdefault(owner, {}).update(self.note(rec))
        text = (rec.value or "").strip()
        if text:
            self.note_text[owner] = f"{self.note_text[owner]}\n{text}" if owner in self.note_text else text

    def note(self, rec: Line) -> dict[str, str]:
        fields = note_fields(rec.value or "")
        date = fields.get("date")
        if date is not None and not valid_date(date):
            self.p.error(rec.line, f"invalid date {date!r} in the note on {rec.args[0][1]}",
                         "write a real date as YYYY, YYYY-MM or YYYY-MM-DD")
            del fields["date"]
        confidence = fields.get("confidence")
        if confidence is not None and not valid_decimal(confidence):
            self.p.error(rec.line, f"confidence {confidence!r} in the note on {rec.args[0][1]} is not a number",
                         "write a decimal number such as confidence=0.85")
            del fields["confidence"]
        evidence = fields.get("evidence")
        if evidence is not None and self.evidence(evidence) is None:
            self.p.warnings.append(Problem(
                self.p.source, rec.line, f"evidence {evidence!r} in the note on {rec.args[0][1]} is not a span of "
                "the text; left out", "write the evidence's offsets as START-END (several: 10-25, 40-52)",
                "warning"))
            del fields["evidence"]
        # a claimant that reads like an id but names nothing is reported on its relation (kg.reading.check)
        return fields

    def evidence(self, value: str | None) -> Mention | None:
        """The span(s) of a relation's ``evidence: START-END[, START-END…]`` note field, or None."""
        if not value:
            return None
        spans = []
        for part in value.split(","):
            m = _EVIDENCE.fullmatch(part)
            if m is None:
                return None
            start, end = int(m.group(1)), int(m.group(2))
            if not 0 <= start < end <= len(self.p.text):
                return None
            spans.append(Span(start, end))
        spans.sort()
        return Mention(spans=tuple(spans), text=" ".join(self.p.text[s.start:s.end] for s in spans))

    def ref(self, ref: str) -> str:
        return self.trigger_of.get(ref, ref)

    def flags(self, rec: Line, allowed: tuple[str, ...]) -> set[str]:
        found: set[str] = set()
        for a in self.attrs.get(rec.id, ()):
            name, value = a.type.lower(), (a.value or "").lower()
            flag = self.p.flags.get(f"{name}={value}") if value else None
            if flag is None and value not in _FALSE:
                flag = self.p.flags.get(name)
            if flag in allowed:
                found.add(flag)
            elif flag:
                self.p.warnings.append(Problem(self.p.source, a.line, f"{a.id}: {KINDS[rec.kind]}s have no "
                                               f"{flag!r} flag; attribute left out", None, "warning"))
            elif flag is None and value not in _FALSE:
                written = f"{a.type}={a.value}" if a.value else a.type
                self.p.warnings.append(Problem(
                    self.p.source, a.line, f"{a.id}: attribute {written} of {rec.id} sets no flag; left out",
                    f'map it in [attributes] of kg.toml to one of {", ".join(FLAGS)} (or to "" to leave it out '
                    "without a word)", "warning"))
        return found

    def mention(self, rec: Line) -> Mention:
        return Mention(spans=rec.spans, text=rec.text, line=rec.line)

    def entity(self, rec: Line) -> Entity:
        ids: dict[tuple[str, str], None] = {}
        for nrec in self.norms.get(rec.id, ()):
            db, _, ext = (nrec.value or "").partition(":")
            if ext.upper() != "NULL":
                ids[(db.lower(), ext)] = None
            if db.lower() == "wikidata" and ext.upper() != "NULL" and not _QID.fullmatch(ext):
                self.p.warnings.append(Problem(self.p.source, nrec.line, f"{nrec.id}: {ext!r} is not a Wikidata id",
                                               "write Wikidata:Q123", "warning"))
            if db.lower() not in ("wikidata", "ucdp") and ext.upper() != "NULL":
                self.p.warnings.append(Problem(
                    self.p.source, nrec.line, f"{nrec.id}: only Wikidata and UCDP ids are kept, not {db}:{ext}",
                    "normalise to Wikidata:Q… or UCDP:…", "warning"))
        attrs = self.attrs.get(rec.id, ())
        attributes = tuple((a.type, "true" if a.value is None else a.value) for a in attrs)
        for a in attrs:
            ignored = self.p.flags.get(a.type.lower()) == "" or self.p.flags.get(
                f"{a.type.lower()}={(a.value or '').lower()}") == ""
            if not ignored:
                written = f"{a.type}={a.value}" if a.value else a.type
                self.p.warnings.append(Problem(
                    self.p.source, a.line, f"{a.id}: attribute {written} of entity {rec.id} is not kept in the graph",
                    'kg keeps flags on relations and events; map it to "" in [attributes] of kg.toml to leave it '
                    "out without a word", "warning"))
        return Entity(id=rec.id, type=rec.type, mentions=(self.mention(rec),), external_ids=tuple(ids),
                      attributes=attributes, line=rec.line, note=self.note_text.get(rec.id))

    def relation(self, rec: Line) -> Relation:
        (n1, a1), (n2, a2) = rec.args
        if {n1, n2} == {"Arg1", "Arg2"} and n1 == "Arg2":
            a1, a2 = a2, a1
        note = self.notes.get(rec.id, {})
        flags = self.flags(rec, ("negated", "uncertain", "former", "intended"))
        return Relation(id=rec.id, type=rec.type, subject=self.ref(a1), object=self.ref(a2),
                        claimant=note.get("claimant"), date=note.get("date"), negated="negated" in flags,
                        uncertain="uncertain" in flags, former="former" in flags,
                        intended="intended" in flags, line=rec.line, confidence=note.get("confidence"),
                        evidence=self.evidence(note.get("evidence")), note=self.note_text.get(rec.id))

    def event(self, rec: Line) -> Event:
        note = self.notes.get(rec.id, {})
        trigger = self.p.by_id.get(rec.args[0][1])
        arguments: list[tuple[str, str]] = []
        figures: list[Figure] = []
        for name, ref in rec.args[1:]:
            role = name.rstrip("0123456789") or name
            target = self.p.by_id.get(ref)
            if role.lower() in figure_kinds() and target is not None and target.ok \
                    and target.type.lower() == "quantity":
                count = parse_count(target.text)
                if count is None:
                    self.p.error(rec.line,
                                 f"{role} figure of {rec.id} is {ref} {target.text!r}, which has no number",
                                 "annotate a span holding the number (digits or a number word)")
                    continue
                figures.append(Figure(kind=role.lower(), count=count[0], qualifier=count[1],
                                      claimant=note.get("claimant"), evidence=self.mention(target),
                                      line=rec.line))
            else:
                arguments.append((role, self.ref(ref)))
        flags = self.flags(rec, ("negated", "uncertain"))
        return Event(id=rec.id, type=rec.type, trigger=self.mention(trigger) if trigger else None,
                     arguments=tuple(arguments), date=note.get("date"), figures=tuple(figures),
                     negated="negated" in flags, uncertain="uncertain" in flags, line=rec.line,
                     confidence=note.get("confidence"), note=self.note_text.get(rec.id))


@dataclass(slots=True)
class _Result:
    problems: list[Problem]  # errors, in line order
    warnings: list[Problem]
    entities: list[Entity] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)
    equivalences: list[tuple[str, ...]] = field(default_factory=list)


def _read(ann_text: str, text: str, source: str, flags: Mapping[str, str] | None) -> _Result:
    """The one pass shared by :func:`check_brat` and :func:`parse_brat`."""
    table = dict(ATTRIBUTE_FLAGS)
    if flags:
        table.update((k.lower(), v) for k, v in flags.items())
    parser = Parser(text, source, table)
    parser.parse(ann_text)
    parser.check_references()
    builder = _Builder(parser)
    result = _Result(parser.errors, parser.warnings)
    for rec in parser.lines:
        if not rec.ok:
            continue
        if rec.kind == "T" and rec.id not in builder.trigger_of:
            result.entities.append(builder.entity(rec))
        elif rec.kind == "R":
            result.relations.append(builder.relation(rec))
        elif rec.kind == "E":
            result.events.append(builder.event(rec))
        elif rec.kind == "#":
            result.notes.append((rec.args[0][1], rec.value or ""))
        elif rec.kind == "*":
            result.equivalences.append(tuple(ref for _, ref in rec.args))
    result.problems.sort(key=lambda p: p.line or 0)
    return result


def check_brat(ann_text: str, text: str, *, source: str) -> list[Problem]:
    """Every structural error of a .ann file against its text, in line order (empty when it reads cleanly).

    Warnings (such as a text-bound annotation without its text) are not errors: :func:`parse_brat` puts
    them in ``Article.problems``.

    >>> [p.message for p in check_brat("T1\\tPerson 0 4\\tAmal\\nR1\\tsupports Arg1:T1 Arg2:T9\\n", "Amal",
    ...                                source="x.ann")]
    ['R1 refers to T9, which is not defined']
    """
    return _read(ann_text, text, source, None).problems


def parse_brat(
    ann_text: str,
    text: str,
    *,
    article_id: str,
    source: str = "",
    text_source: str = "",
    metadata: Metadata | None = None,
    attribute_flags: Mapping[str, str] | None = None,
) -> Article:
    """Parse brat standoff against its text into an :class:`Article`; the first error is raised.

    ``attribute_flags`` adds attribute names (or ``name=value``) that set a flag (``negated``, ``uncertain``,
    ``former``, ``intended``; ``""`` to ignore one) to :data:`ATTRIBUTE_FLAGS`. Text-bound annotations that
    are event triggers become the events' triggers, not entities. Warnings go to ``Article.problems``.
    """
    source = source or f"{article_id}.ann"
    r = _read(ann_text, text, source, attribute_flags)
    if r.problems:
        first = r.problems[0]
        raise AnnotationError(first.message, file=first.file, line=first.line, hint=first.hint)
    return Article(
        id=article_id, text=text, metadata=metadata or Metadata(), entities=tuple(r.entities),
        relations=tuple(r.relations), events=tuple(r.events), equivalences=tuple(r.equivalences),
        notes=tuple(r.notes), source=source, text_source=text_source, problems=tuple(r.warnings),
    )


def read_text(path: Path) -> str:
    """Read a UTF-8 file as brat does (CRLF kept); a leading BOM is dropped.

    Invalid UTF-8 is an :class:`AnnotationError` naming the byte offset and its line.
    """
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise AnnotationError(f"cannot read {path.name}: {exc.strerror}", file=str(path),
                              hint="check the path and its permissions") from None
    try:
        return raw.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise AnnotationError(f"invalid UTF-8 at byte {exc.start} ({exc.reason})", file=str(path), line=line,
                              hint="save the file as UTF-8") from None


def read(path: Path, text: str | None, *, metadata: Metadata, config: CorpusConfig) -> Article:
    """The brat reader of :data:`kg.reading.readers.READERS`: read ``path`` once, against ``text``.

    Unlike :func:`parse_brat`, nothing is raised for a bad line: every problem (errors and warnings, in line
    order) is in ``Article.problems`` and the records with errors are left out, so that checking goes on and
    ``kg build --skip-invalid`` can build the rest. An unreadable file raises :class:`AnnotationError`.
    """
    r = _read(read_text(path), text or "", str(path), config.attributes)
    problems = sorted((*r.problems, *r.warnings), key=lambda p: p.line or 0)
    return Article(
        id=path.stem, text=text or "", metadata=metadata, entities=tuple(r.entities),
        relations=tuple(r.relations), events=tuple(r.events), equivalences=tuple(r.equivalences),
        notes=tuple(r.notes), source=str(path), problems=tuple(problems),
    )


def read_brat(
    ann_path: Path, *, metadata: Metadata | None = None, attribute_flags: Mapping[str, str] | None = None
) -> Article:
    """Read ``NAME.ann`` and the ``NAME.txt`` beside it (see :func:`parse_brat`)."""
    text_path = ann_path.with_suffix(".txt")
    if not text_path.is_file():
        raise AnnotationError(f"no text file for {ann_path.name}", file=str(ann_path),
                              hint=f"add {text_path.name} beside it")
    return parse_brat(read_text(ann_path), read_text(text_path), article_id=ann_path.stem,
                      source=str(ann_path), text_source=str(text_path), metadata=metadata,
                      attribute_flags=attribute_flags)
