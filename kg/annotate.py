"""Draft annotations for a human to correct: find the registry's names in an article's text.

Every label and alias of the corpus registry (``actors.yaml``) is searched in the text after the same
normalisation the resolver uses (Arabic spelling variants, diacritics, tatweel, case), allowing an Arabic
clitic (و ف ب ل ك, "ال") before the name. Longer names win over names inside them. The draft is a YAML
sidecar with offsets into the original text; relations and events are left for the annotator.

>>> from kg.mapping.resolve import parse_registry
>>> reg = parse_registry({"actors": [{"id": "lna", "type": "ArmedGroup",
...     "labels": {"ar": "قوات حفتر", "en": "Libyan National Army"}}]})
>>> [(m.entry.id, m.start, m.end) for m in find_names("وقـوّات حفتر تتقدم", reg)]
[('lna', 1, 12)]
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import yaml

from kg.mapping.resolve import Registry, RegistryEntry, normalize_name

_PREFIX = re.compile(r"(?:^|(?<=\s))(?:[وف]?(?:[بلك]|لل|ال|بال|كال)?)")


@dataclass(frozen=True)
class Found:
    """A registry name found in the text, as a code-point span of the original text."""

    entry: RegistryEntry
    start: int
    end: int
    text: str


def _normalized_with_map(text: str) -> tuple[str, list[int]]:
    """The text normalised character by character, with the original index of each output character."""
    out: list[str] = []
    where: list[int] = []
    for i, ch in enumerate(text):
        folded = normalize_name(ch) if not ch.isspace() else " "
        if not folded and unicodedata.category(ch).startswith("P"):
            folded = " "
        for c in folded:
            out.append(c)
            where.append(i)
    return "".join(out), where


def find_names(text: str, registry: Registry) -> list[Found]:
    """Every non-overlapping occurrence of a registry name in the text, longest first."""
    norm, where = _normalized_with_map(text)
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


def draft_sidecar(text: str, registry: Registry, *, title: str | None = None, language: str | None = None) -> str:
    """A YAML sidecar with one entity per registry entry found, every mention with its offsets."""
    by_entry: dict[str, list[Found]] = {}
    for f in find_names(text, registry):
        by_entry.setdefault(f.entry.id, []).append(f)
    entities = [
        {
            "id": rid.replace("-", "_"),
            "type": found[0].entry.type,
            "actor": rid,
            "mentions": [{"text": f.text, "at": [f.start, f.end]} for f in found],
        }
        for rid, found in by_entry.items()
    ]
    article = {k: v for k, v in (("title", title), ("language", language)) if v}
    head = ("# Draft annotations: every name of the registry found in the text.\n"
            "# Check each mention, add the entities the registry lacks, then the relations and events.\n")
    body = {"article": article, "entities": entities, "relations": [], "events": []}
    return head + yaml.safe_dump(body, allow_unicode=True, sort_keys=False, width=120, default_flow_style=None)


def annotate_file(text_path: Path, registry: Registry, *, language: str | None = None) -> str:
    """Read an article's text and return the draft sidecar for it."""
    from kg.reading.brat import read_text

    text = read_text(text_path)
    first_line = text.strip().splitlines()[0] if text.strip() else None
    return draft_sidecar(text, registry, title=first_line, language=language)
