"""The draft marker: how a drafted annotation says it is a draft, in both annotation formats.

* **YAML sidecar**: the item (entity, relation or event) has a ``draft`` key:
  ``draft: {confidence: 0.83, by: model}`` (``by``: ``registry``, ``model`` or ``rules``).
* **brat**: the annotation (T, R or E) has an ``AnnotatorNotes`` note with a ``draft:`` field, next to the
  other note fields kg reads (``claimant:``, ``date:``): ``#3<TAB>AnnotatorNotes T5<TAB>draft: 0.83; by: model``.

A person **accepts** a draft by deleting the marker (the ``draft:`` key, or the note's ``draft: …; by: …``
fields), corrects it by editing it (and deleting the marker), and rejects it by deleting the item. Until
then ``kg check`` lists every draft as a warning, and ``kg annotate`` replaces drafts on its next run while
keeping every item without a marker as the person left it.

>>> parse_note("claimant: T7; draft: 0.62; by: rules")
Mark(confidence=0.62, by='rules')
>>> parse_note("claimant: T7") is None
True
>>> note_text(Mark(0.5, "model"), claimant="T2")
'claimant: T2; draft: 0.5; by: model'
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kg.model import Problem

if TYPE_CHECKING:
    from kg.model import Article
    from kg.reading.corpus import ArticleFiles

KEY = "draft"
SECTIONS = ("entities", "relations", "events")
_NOTE_FIELD = re.compile(r"\s*(draft|by)\s*:\s*([^;]*?)\s*(?:;|$)", re.IGNORECASE)


@dataclass(frozen=True)
class Mark:
    """A draft's confidence (0–1) and what drafted it."""

    confidence: float
    by: str

    def to_yaml(self) -> dict[str, Any]:
        return {"confidence": round(self.confidence, 2), "by": self.by}


def parse_note(note: str) -> Mark | None:
    """The draft marker of a brat note, or None when the note has none."""
    fields = {m.group(1).lower(): m.group(2) for m in _NOTE_FIELD.finditer(note)}
    if "draft" not in fields:
        return None
    try:
        confidence = float(fields["draft"])
    except ValueError:
        confidence = 0.0
    return Mark(confidence, fields.get("by", "") or "unknown")


def note_text(mark: Mark, **fields: str | None) -> str:
    """A brat note carrying the marker after the other fields."""
    parts = [f"{k}: {v}" for k, v in fields.items() if v]
    return "; ".join([*parts, f"draft: {round(mark.confidence, 2)}", f"by: {mark.by}"])


def parse_item(item: Any) -> Mark | None:
    """The draft marker of a YAML item (a mapping), or None."""
    if not isinstance(item, dict) or KEY not in item:
        return None
    value = item[KEY]
    if isinstance(value, dict):
        try:
            confidence = float(value.get("confidence", 0.0))
        except (TypeError, ValueError):
            confidence = 0.0
        return Mark(confidence, str(value.get("by", "unknown")))
    if value is False or value is None:
        return None
    try:
        return Mark(float(value), "unknown")
    except (TypeError, ValueError):
        return Mark(0.0, "unknown")


def brat_drafts(ann_text: str) -> dict[str, tuple[Mark, int]]:
    """Annotation id → (marker, line of the note) for every draft of a brat file."""
    found: dict[str, tuple[Mark, int]] = {}
    for n, line in enumerate(ann_text.splitlines(), 1):
        if not line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) < 3:
            continue
        head = fields[1].split()
        mark = parse_note(fields[2])
        if mark is not None and len(head) == 2:
            found[head[1]] = (mark, n)
    return found


def draft_warnings(files: ArticleFiles, article: Article | None = None) -> list[Problem]:
    """One warning for every draft an article's annotation file still holds (for ``kg check``)."""
    del article  # the markers are read from the file itself, with their lines
    out: list[Problem] = []
    path = files.annotation
    suffix = path.suffix.lower() if path is not None else ""
    try:
        content = path.read_text(encoding="utf-8-sig") if path is not None else ""
    except (OSError, UnicodeDecodeError):
        return []  # the reader reports an unreadable file
    if path is not None and suffix == ".ann":
        for ann_id, (mark, line) in brat_drafts(content).items():
            out.append(_warning(str(path), line, f"draft {ann_id}", mark,
                                "check it, then delete the note's `draft:` and `by:` fields"))
    elif path is not None and suffix in (".yaml", ".yml"):
        from kg.reading.sidecar import load_yaml

        try:
            data = load_yaml(content, source=str(path))
        except Exception:  # noqa: BLE001 - the sidecar's own errors are reported by its reader
            return []
        if not isinstance(data, dict):
            return []
        for section in SECTIONS:
            for i, item in enumerate(data.get(section) or [], 1):
                item_mark = parse_item(item)
                if item_mark is not None:
                    what = f"{section[:-1] if section != 'entities' else 'entity'} {item.get('id') or i!s}"
                    out.append(_warning(str(path), getattr(item, "line", None), f"draft {what}", item_mark,
                                        "check it, then delete its `draft:` line"))
    return out


def _warning(file: str, line: int | None, what: str, mark: Mark, hint: str) -> Problem:
    return Problem(file, line, f"{what} (drafted by {mark.by}, confidence {mark.confidence:.2f}) "
                   "is not accepted yet", hint, "warning")
