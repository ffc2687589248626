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

The reader keeps types and roles as written (:mod:`kg.scheme` maps them onto the ontology) but checks the
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

from kg.errors import AnnotationError
from kg.model import Article, Entity, Event, Figure, Mention, Metadata, Problem, Relation, Span

#: brat's id syntax (``__split_annotation_id``): a letter prefix (or ``#`` and letters), digits, a suffix.
_ID = re.compile(r"(?:[A-Za-z]+|#[A-Za-z]*)[0-9]+[^\s:]*")
_DATE = re.compile(r"\d{4}(?:-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12]\d|3[01]))?)?")
_NOTE_FIELD = re.compile(r"\s*(claimant|date)\s*:\s*(.*?)\s*", re.IGNORECASE)
_NUMBER = re.compile(r"\d+(?:[,\u066c]\d{3})*")
_WORD = re.compile(r"\w+")
_KINDS = {"T": "text-bound annotation", "R": "relation", "E": "event", "A": "attribute", "M": "attribute",
          "N": "normalisation", "#": "note", "*": "equivalence"}
_SHAPES = {
    "T": "T1<TAB>TYPE START END<TAB>TEXT",
    "R": "R1<TAB>TYPE Arg1:T1 Arg2:T2",
    "E": "E1<TAB>TYPE:T1 ROLE:T2 ROLE:T3",
    "A": "A1<TAB>NAME TARGET [VALUE]",
    "M": "M1<TAB>NAME TARGET",
    "N": "N1<TAB>Reference TARGET DB:ID<TAB>NAME",
    "#": "#1<TAB>AnnotatorNotes TARGET<TAB>NOTE",
    "*": "*<TAB>Equiv T1 T2",
}


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

# Arabic letters folded for matching number words: hamza forms of alef, taa marbuta, alef maqsura.
_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ة": "ه", "ى": "ي", "ـ": None,
                       **{chr(c): None for c in range(0x064B, 0x0653)}})
_NUMBER_WORDS = {
    **{w.translate(_FOLD): n for n, words in enumerate((
        ("واحد", "واحدة"), ("اثنان", "اثنين", "اثنتان", "اثنتين"), ("ثلاث", "ثلاثة"), ("أربع", "أربعة"),
        ("خمس", "خمسة"), ("ست", "ستة"), ("سبع", "سبعة"), ("ثمان", "ثماني", "ثمانية"), ("تسع", "تسعة"),
        ("عشر", "عشرة")), 1) for w in words},
    **{w: n for n, w in enumerate(
        ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"), 1)},
}
_QUALIFIERS = tuple((phrase.translate(_FOLD), q) for phrase, q in (
    ("more than", "more-than"), ("over", "more-than"), ("أكثر من", "more-than"),
    ("at least", "at-least"), ("على الأقل", "at-least"), ("لا يقل عن", "at-least"),
    ("at most", "at-most"), ("up to", "at-most"),
    ("about", "about"), ("around", "about"), ("approximately", "about"), ("nearly", "about"),
    ("نحو", "about"), ("حوالي", "about"), ("قرابة", "about"), ("زهاء", "about"),
))


def parse_count(span_text: str) -> tuple[int, str] | None:
    """The number a quantity names and its qualifier, or None when it names no number.

    Western and Arabic-Indic digits and the number words one to ten (Arabic or English) are read.

    >>> parse_count("أكثر من ٢٥")
    (25, 'more-than')
    >>> parse_count("ستة جنود")
    (6, 'exact')
    >>> parse_count("1,200"), parse_count("dozens")
    ((1200, 'exact'), None)
    """
    words = _WORD.findall(span_text.lower().translate(_FOLD))
    padded = f" {' '.join(words)} "
    qualifier = next((q for phrase, q in _QUALIFIERS if f" {phrase} " in padded), "exact")
    digits = _NUMBER.search(span_text)
    if digits is not None:
        number = digits.group().replace(",", "").replace("\u066c", "")
        return (int(number), qualifier) if len(number) <= 18 else None
    for word in words:
        n = _NUMBER_WORDS.get(word)
        if n is None and word.startswith("و"):  # "and six": the conjunction is written joined
            n = _NUMBER_WORDS.get(word[1:])
        if n is not None:
            return n, qualifier
    return None


@dataclass(slots=True)
class _Line:
    """One parsed line of a .ann file: its kind, id, type/name, fields and line number."""

    kind: str
    id: str
    line: int
    type: str = ""
    spans: tuple[Span, ...] = ()
    text: str = ""
    args: list[tuple[str, str]] = field(default_factory=list)  # (name, id); E: trigger first
    value: str | None = None
    ok: bool = True


class _Parser:
    """One pass over a .ann file: parse every line, then resolve references; problems are collected."""

    def __init__(self, text: str, source: str, flags: Mapping[str, str]) -> None:
        self.text = text
        self.source = source
        self.flags = flags
        self.errors: list[Problem] = []
        self.warnings: list[Problem] = []
        self.by_id: dict[str, _Line] = {}
        self.lines: list[_Line] = []

    def error(self, line: int | None, message: str, hint: str | None = None) -> None:
        self.errors.append(Problem(self.source, line, message, hint))

    def malformed(self, n: int, kind: str, raw: str, what: str) -> None:
        self.error(n, f"malformed {_KINDS[kind]} line {raw!r}: {what}", f"write it as {_SHAPES[kind]}")

    # -- first pass: lines -----------------------------------------------------------------------

    def parse(self, ann_text: str) -> None:
        for n, raw in enumerate(ann_text.split("\n"), 1):
            if raw and not raw.isspace():  # a \r left by CRLF is whitespace, like brat's trailing \n
                self.parse_line(n, raw)

    def parse_line(self, n: int, raw: str) -> None:
        ann_id, tab, rest = raw.partition("\t")
        ann_id = ann_id.strip()
        kind = ann_id[:1]
        if not tab:
            self.error(n, f"not a brat annotation line: {raw!r}",
                       "brat lines are ID<TAB>DATA (a space instead of the tab?)")
            return
        if ann_id != "*" and (kind not in _KINDS or kind == "*" or not _ID.fullmatch(ann_id)):
            self.error(n, f"unknown annotation id {ann_id!r}",
                       "brat ids are T1, R1, E1, A1, M1, N1, #1 or *")
            return
        data, _, tail = rest.partition("\t")
        rec = _Line(kind, ann_id, n)
        if ann_id != "*":
            first = self.by_id.get(ann_id)
            if first is not None:
                self.error(n, f"duplicate id {ann_id} (first on line {first.line})",
                           "give each annotation its own id")
                return
            self.by_id[ann_id] = rec
        self.lines.append(rec)
        fields = data.split()
        if kind == "T":
            self.textbound(rec, raw, data, tail)
        elif kind in "RE*":
            self.with_args(rec, raw, fields)
        elif kind in "AM#" and (len(fields) == 2 or (kind == "A" and len(fields) == 3)):
            rec.type, rec.args = fields[0], [("", fields[1])]
            rec.value = fields[2] if len(fields) == 3 else tail.strip() if kind == "#" else None
        elif kind == "N" and len(fields) == 3 and fields[2].partition(":")[0] and fields[2].partition(":")[2]:
            rec.type, rec.args = fields[0], [("", fields[1])]
            rec.value = fields[2]
        else:
            rec.ok = False
            self.malformed(n, kind, raw, "wrong number of fields")

    def textbound(self, rec: _Line, raw: str, data: str, tail: str) -> None:
        rec.type, _, offsets = data.partition(" ")
        if not rec.type:
            rec.ok = False
            self.malformed(rec.line, "T", raw, "no type")
            return
        spans: list[Span] = []
        for fragment in offsets.split(";"):
            pair = fragment.split()
            if len(pair) != 2 or not all(p.isascii() and p.isdigit() for p in pair):
                rec.ok = False
                self.malformed(rec.line, "T", raw, f"bad offsets {fragment.strip()!r}")
                return
            spans.append(Span(int(pair[0]), int(pair[1])))
        size = len(self.text)
        for s in spans:
            if s.start > s.end:
                rec.ok = False
                self.error(rec.line, f"start {s.start} is after end {s.end} in {rec.id}",
                           "swap the two offsets")
            elif s.end > size:
                rec.ok = False
                self.error(rec.line, f"offset {s.end} is past the end of the text ({size} code points)",
                           f"fix the offsets of {rec.id}, or check that the .txt is the one annotated")
        if not rec.ok:
            return
        ordered = sorted(spans)
        if any(a.end > b.start for a, b in zip(ordered, ordered[1:], strict=False)):
            rec.ok = False
            self.error(rec.line, f"the fragments of {rec.id} overlap",
                       "give each fragment its own part of the text")
            return
        pieces = [self.text[s.start:s.end] for s in spans]
        ref = " ".join(pieces)
        rec.spans, rec.text = tuple(spans), ref
        if tail.startswith(ref) and not tail[len(ref):].strip():
            return
        if not tail.strip():
            self.warnings.append(Problem(self.source, rec.line, f"{rec.id} has no text after its offsets",
                                         "brat writes the annotated text after a second tab", "warning"))
            return
        old = "".join(pieces)
        if len(spans) > 1 and tail.startswith(old) and not tail[len(old):].strip():
            return  # pre-1.3 brat joined the fragments with nothing
        where = ";".join(f"{s.start}-{s.end}" for s in spans)
        written = tail.rstrip() or tail
        rec.ok = False
        self.error(rec.line, f"text of {rec.id} {written!r} differs from the text at {where}: {ref!r}",
                   "fix the offsets or the text after the tab")

    def with_args(self, rec: _Line, raw: str, fields: list[str]) -> None:
        kind = rec.kind
        if not fields:
            rec.ok = False
            self.malformed(rec.line, kind, raw, "no type")
            return
        head, rest = fields[0], fields[1:]
        if kind == "*":
            rec.type, rec.args = head, [("", ref) for ref in rest]
            if len(rest) < 2:
                rec.ok = False
                self.malformed(rec.line, kind, raw, "an equivalence needs at least two ids")
            return
        if kind == "E":
            rec.type, colon, trigger = head.partition(":")
            if not (rec.type and colon and trigger) or ":" in trigger:
                rec.ok = False
                self.malformed(rec.line, kind, raw, f"{head!r} is not TYPE:TRIGGER")
                return
            rec.args.append(("", trigger))
        else:
            rec.type = head
        for arg in rest:
            name, colon, ref = arg.partition(":")
            if not (name and colon and ref) or ":" in ref:
                rec.ok = False
                self.malformed(rec.line, kind, raw, f"argument {arg!r} is not ROLE:ID")
                return
            rec.args.append((name, ref))
        if kind == "R" and (len(rest) != 2 or rec.args[0][0] == rec.args[1][0]):
            rec.ok = False
            self.malformed(rec.line, kind, raw, "a relation has two differently named arguments")

    # -- second pass: references -------------------------------------------------------------------

    def target(self, rec: _Line, ref: str, kinds: str, what: str) -> _Line | None:
        """The record ``ref`` names, or None (reported) when it is missing or of the wrong kind."""
        found = self.by_id.get(ref)
        if found is None:
            self.error(rec.line, f"{rec.id} refers to {ref}, which is not defined",
                       f"define {ref} or fix the reference")
        elif found.kind not in kinds:
            need = " or ".join(_a(_KINDS[k]) for k in dict.fromkeys(kinds.replace("M", "A")))
            self.error(rec.line, f"{what} of {rec.id} is {ref}, {_a(_KINDS[found.kind])}, not {need}",
                       "fix the reference")
            return None
        return found if found is not None and found.ok else None

    def check_references(self) -> None:
        wanted = {"R": "TE", "E": "TE", "*": "T", "A": "TRE", "M": "TRE", "N": "TRE", "#": "TRENAM"}
        for rec in self.lines:
            if not rec.ok or rec.kind == "T":
                continue
            for i, (_, ref) in enumerate(rec.args):
                trigger = rec.kind == "E" and i == 0
                what = "the trigger" if trigger else "an argument" if rec.kind in "RE*" else "the target"
                found = self.target(rec, ref, "T" if trigger else wanted[rec.kind], what)
                if trigger and found is not None and found.type != rec.type:
                    self.error(rec.line,
                               f"trigger {ref} of {rec.id} has type {found.type!r}, not {rec.type!r}",
                               "give the trigger the event's type")


def _a(noun: str) -> str:
    return f"an {noun}" if noun[0] in "aeiou" else f"a {noun}"


def _note_fields(note: str) -> dict[str, str]:
    """``claimant: T7; date: 2016-07`` → ``{"claimant": "T7", "date": "2016-07"}`` (other notes: {})."""
    found: dict[str, str] = {}
    for part in note.split(";"):
        m = _NOTE_FIELD.fullmatch(part)
        if m is not None and m.group(2):
            found[m.group(1).lower()] = m.group(2)
    return found


class _Builder:
    """Turns a parsed .ann file into records (on parse errors the result is thrown away)."""

    def __init__(self, p: _Parser) -> None:
        self.p = p
        self.attrs: dict[str, list[_Line]] = {}
        self.norms: dict[str, list[_Line]] = {}
        self.notes: dict[str, dict[str, str]] = {}
        self.trigger_of: dict[str, str] = {}  # trigger T id → first event using it
        for rec in p.lines:
            if not rec.ok:
                continue
            if rec.kind in "AM":
                self.attrs.setdefault(rec.args[0][1], []).append(rec)
            elif rec.kind == "N":
                self.norms.setdefault(rec.args[0][1], []).append(rec)
            elif rec.kind == "#":
                self.notes.setdefault(rec.args[0][1], {}).update(self.note(rec))
            elif rec.kind == "E":
                self.trigger_of.setdefault(rec.args[0][1], rec.id)

    def note(self, rec: _Line) -> dict[str, str]:
        fields = _note_fields(rec.value or "")
        date = fields.get("date")
        if date is not None and not _DATE.fullmatch(date):
            self.p.error(rec.line, f"invalid date {date!r} in the note on {rec.args[0][1]}",
                         "write YYYY, YYYY-MM or YYYY-MM-DD")
            del fields["date"]
        claimant = fields.get("claimant")
        if claimant is not None and _ID.fullmatch(claimant) and claimant not in self.p.by_id:
            self.p.error(rec.line, f"{rec.id} names claimant {claimant}, which is not defined",
                         f"define {claimant} or fix the note")
        return fields

    def ref(self, ref: str) -> str:
        return self.trigger_of.get(ref, ref)

    def flags(self, rec: _Line, allowed: tuple[str, ...]) -> set[str]:
        found: set[str] = set()
        for a in self.attrs.get(rec.id, ()):
            name, value = a.type.lower(), (a.value or "").lower()
            flag = self.p.flags.get(f"{name}={value}") if value else None
            if flag is None and value not in _FALSE:
                flag = self.p.flags.get(name)
            if flag in allowed:
                found.add(flag)
            elif flag:
                self.p.warnings.append(Problem(self.p.source, a.line, f"{a.id}: {_KINDS[rec.kind]}s have no "
                                               f"{flag!r} flag; attribute left out", None, "warning"))
        return found

    def mention(self, rec: _Line) -> Mention:
        return Mention(spans=rec.spans, text=rec.text, line=rec.line)

    def entity(self, rec: _Line) -> Entity:
        ids: dict[tuple[str, str], None] = {}
        for nrec in self.norms.get(rec.id, ()):
            db, _, ext = (nrec.value or "").partition(":")
            if ext.upper() != "NULL":
                ids[(db.lower(), ext)] = None
        attrs = self.attrs.get(rec.id, ())
        attributes = tuple((a.type, "true" if a.value is None else a.value) for a in attrs)
        return Entity(id=rec.id, type=rec.type, mentions=(self.mention(rec),), external_ids=tuple(ids),
                      attributes=attributes, line=rec.line)

    def relation(self, rec: _Line) -> Relation:
        (n1, a1), (n2, a2) = rec.args
        if {n1, n2} == {"Arg1", "Arg2"} and n1 == "Arg2":
            a1, a2 = a2, a1
        note = self.notes.get(rec.id, {})
        flags = self.flags(rec, ("negated", "uncertain", "former", "intended"))
        return Relation(id=rec.id, type=rec.type, subject=self.ref(a1), object=self.ref(a2),
                        claimant=note.get("claimant"), date=note.get("date"), negated="negated" in flags,
                        uncertain="uncertain" in flags, former="former" in flags,
                        intended="intended" in flags, line=rec.line)

    def event(self, rec: _Line) -> Event:
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
                     negated="negated" in flags, uncertain="uncertain" in flags, line=rec.line)


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
    parser = _Parser(text, source, table)
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
