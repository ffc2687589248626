"""The lines of a brat ``.ann`` file: syntax, offsets, span text and references, every problem collected.

:class:`Parser` makes one pass over the lines (:meth:`Parser.parse`), then checks that every reference
names a record of the right kind (:meth:`Parser.check_references`). A record with a problem is kept with
``ok = False``, so that the records built from the file (:mod:`kg.reading.brat`) leave it out while the
other lines are still read and checked.

>>> p = Parser("Haftar", "a.ann", {})
>>> p.parse("T1\\tPerson 0 6\\tHaftar\\nR1\\tcommands Arg1:T1 Arg2:T9\\n"); p.check_references()
>>> [(e.line, e.message) for e in p.errors]
[(2, 'R1 refers to T9, which is not defined')]
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from kg.model import Problem, Span

ID_SYNTAX = re.compile(r"(?:[A-Za-z]+|#[A-Za-z]*)[0-9]+[^\s:]*")
KINDS = {"T": "text-bound annotation", "R": "relation", "E": "event", "A": "attribute", "M": "attribute",
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


@dataclass(slots=True)
class Line:
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


class Parser:
    """One pass over a .ann file: parse every line, then resolve references; problems are collected."""

    def __init__(self, text: str, source: str, flags: Mapping[str, str]) -> None:
        self.text = text
        self.source = source
        self.flags = flags
        self.errors: list[Problem] = []
        self.warnings: list[Problem] = []
        self.by_id: dict[str, Line] = {}
        self.lines: list[Line] = []

    def error(self, line: int | None, message: str, hint: str | None = None) -> None:
        self.errors.append(Problem(self.source, line, message, hint))

    def malformed(self, n: int, kind: str, raw: str, what: str) -> None:
        self.error(n, f"malformed {KINDS[kind]} line {raw!r}: {what}", f"write it as {_SHAPES[kind]}")

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
            head = raw.split(None, 1)[0] if raw.split() else ""
            looks_like_id = head == "*" or (head[:1] in KINDS and ID_SYNTAX.fullmatch(head) is not None)
            self.error(n, f"not a brat annotation line: {raw!r}",
                       "brat lines are ID<TAB>DATA: a space instead of the tab?" if looks_like_id else
                       "a stray line of text? every line of a .ann file starts with an id such as T1, R1 or E1 "
                       "and a tab: remove the line, or put it in a note (#1<TAB>AnnotatorNotes T1<TAB>text)")
            return
        if ann_id != "*" and (kind not in KINDS or kind == "*" or not ID_SYNTAX.fullmatch(ann_id)):
            self.error(n, f"unknown annotation id {ann_id!r}",
                       "brat ids are T1, R1, E1, A1, M1, N1, #1 or *")
            return
        data, _, tail = rest.partition("\t")
        rec = Line(kind, ann_id, n)
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

    def textbound(self, rec: Line, raw: str, data: str, tail: str) -> None:
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

    def with_args(self, rec: Line, raw: str, fields: list[str]) -> None:
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

    def target(self, rec: Line, ref: str, kinds: str, what: str) -> Line | None:
        """The record ``ref`` names, or None (reported, and ``rec`` marked bad) when it is missing or of the
        wrong kind."""
        found = self.by_id.get(ref)
        if found is None:
            rec.ok = False
            self.error(rec.line, f"{rec.id} refers to {ref}, which is not defined",
                       f"define {ref} or fix the reference")
        elif found.kind not in kinds:
            rec.ok = False
            need = " or ".join(_a(KINDS[k]) for k in dict.fromkeys(kinds.replace("M", "A")))
            self.error(rec.line, f"{what} of {rec.id} is {ref}, {_a(KINDS[found.kind])}, not {need}",
                       "fix the reference")
            return None
        return found

    def check_references(self) -> None:
        """Report references to missing records or records of the wrong kind, then mark every record that
        depends on a bad one as bad too (named, so that no line is left out without a word)."""
        wanted = {"R": "TE", "E": "TE", "*": "T", "A": "TRE", "M": "TRE", "N": "TRE", "#": "TRENAM"}
        for rec in self.lines:
            if not rec.ok or rec.kind == "T":
                continue
            for i, (_, ref) in enumerate(rec.args):
                trigger = rec.kind == "E" and i == 0
                what = "the trigger" if trigger else "an argument" if rec.kind in "RE*" else "the target"
                found = self.target(rec, ref, "T" if trigger else wanted[rec.kind], what)
                if trigger and found is not None and found.type != rec.type:
                    rec.ok = False
                    self.error(rec.line,
                               f"trigger {ref} of {rec.id} has type {found.type!r}, not {rec.type!r}",
                               "give the trigger the event's type")
        changed = True
        while changed:
            changed = False
            for rec in self.lines:
                if not rec.ok or rec.kind == "T":
                    continue
                bad = next((self.by_id[ref] for _, ref in rec.args
                            if ref in self.by_id and not self.by_id[ref].ok), None)
                if bad is not None:
                    rec.ok, changed = False, True
                    self.error(rec.line, f"{rec.id} is left out: it refers to {bad.id} (line {bad.line}), "
                               "which has an error", f"fix line {bad.line}")

def _a(noun: str) -> str:
    return f"an {noun}" if noun[0] in "aeiou" else f"a {noun}"
