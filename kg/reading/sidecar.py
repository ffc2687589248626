"""The YAML sidecar: hand-written annotations beside an article's text.

Parsing is pure (:func:`parse_sidecar` takes the YAML and the text); every problem
names the file and the line of the YAML item it comes from. See
``docs/annotation-format.md`` for the format.

>>> text = "قوات حفتر تقاتل سرايا الدفاع. قوات حفتر تتقدم."
>>> yaml_text = '''
... article: {title: مثال, language: ar}
... entities:
...   - {id: lna, type: ArmedGroup, mentions: [{text: قوات حفتر, all: true}]}
...   - {id: bdb, type: ArmedGroup, mentions: [سرايا الدفاع]}
... relations:
...   - {type: hostileTo, subject: lna, object: bdb, evidence: قوات حفتر تقاتل سرايا الدفاع}
... '''
>>> art = parse_sidecar(yaml_text, text, article_id="ex", source="ex.yaml")
>>> [(e.id, len(e.mentions)) for e in art.entities]
[('lna', 2), ('bdb', 1)]
>>> art.relations[0].evidence.spans
(Span(start=0, end=28),)
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

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
from kg.reading.yamlload import Map as _Map
from kg.reading.yamlload import load_yaml as load_yaml

if TYPE_CHECKING:
    from kg.reading.scheme import CorpusConfig

_ID = re.compile(r"^[A-Za-z0-9_\-.]{1,100}$")
_LANGUAGE = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*")
_FLAGS = ("negated", "uncertain", "former", "intended")
_QUALIFIERS = ("exact", "at-least", "more-than", "about", "at-most")
_METADATA_KEYS = ("title", "outlet", "date", "url", "language")
_TOP_KEYS = ("article", "entities", "relations", "events")
_ITEM_KEYS = {
    "an entity": ("id", "type", "mentions", "actor", "wikidata", "ucdp", "acled_id", "attributes", "note"),
    "a relation": ("id", "type", "subject", "object", "evidence", "claimant", "date", "confidence", "note",
                   *_FLAGS),
    "an event": ("id", "type", "trigger", "arguments", "place", "date", "figures", "claimant", "negated",
                 "uncertain", "confidence", "note"),
    "a figure": ("kind", "count", "qualifier", "of", "claimant", "evidence"),
}
for _what in ("an entity", "a relation", "an event"):  # kg annotate's draft marker (kg.drafting.markers):
    _ITEM_KEYS[_what] += ("draft",)                     # kg check warns on it; the reader passes it by


def _line(value: Any, default: int | None) -> int | None:
    return getattr(value, "line", None) or default


class _Reader:
    """State for one sidecar: the text, the file name, and the ids seen."""

    def __init__(self, text: str, source: str) -> None:
        self.text = text
        self.source = source
        self.warnings: list[Problem] = []

    def error(self, message: str, line: int | None, hint: str | None = None) -> AnnotationError:
        return AnnotationError(message, file=self.source, line=line, hint=hint)

    def mapping(self, value: Any, what: str, line: int | None) -> _Map:
        if not isinstance(value, dict):
            raise self.error(f"{what} must be a mapping, not {type(value).__name__}", _line(value, line),
                             "write it as `key: value` lines")
        known = _ITEM_KEYS.get(what)
        if known is not None:
            for key in value:
                if key not in known:
                    import difflib

                    close = difflib.get_close_matches(str(key), known, n=1)
                    raise self.error(f"unknown key `{key}` in {what}", _line(value, line),
                                     f"did you mean `{close[0]}`?" if close else f"use {', '.join(known)}")
        return value if isinstance(value, _Map) else _Map(value)

    def sequence(self, value: Any, what: str, line: int | None) -> list[Any]:
        if value is None:
            return []
        if not isinstance(value, list):
            raise self.error(f"{what} must be a list", _line(value, line), "start each item with `- `")
        return value

    def string(self, item: _Map, key: str, line: int | None, *, required: bool = False) -> str | None:
        value = item.get(key)
        if value is None:
            if required:
                raise self.error(f"missing `{key}`", line, f"add `{key}: …` to this item")
            return None
        if isinstance(value, (bool, dict | list)):
            raise self.error(f"`{key}` must be a plain value, not {type(value).__name__}", line)
        return str(value)

    def ident(self, item: _Map, key: str, line: int | None) -> str:
        value = self.string(item, key, line, required=True)
        assert value is not None  # noqa: S101 - required=True guarantees it
        if not _ID.match(value):
            raise self.error(f"invalid id {value!r} in `{key}`", line,
                             "use letters, digits, '_', '-' or '.' only")
        return value

    def date(self, item: _Map, key: str, line: int | None) -> str | None:
        value = self.string(item, key, line)
        if value is not None and not valid_date(value):
            raise self.error(f"invalid date {value!r} in `{key}`", line,
                             "write a real date as YYYY, YYYY-MM or YYYY-MM-DD")
        return value

    def language(self, item: _Map, key: str, line: int | None) -> str | None:
        value = self.string(item, key, line)
        if value is not None and not _LANGUAGE.fullmatch(value):
            raise self.error(f"invalid language tag {value!r} in `{key}`", line,
                             "write a BCP 47 tag such as ar, en or en-GB (a hyphen, not an underscore)")
        return value

    def decimal(self, item: _Map, key: str, line: int | None) -> str | None:
        value = item.get(key)
        if value is None:
            return None
        text = str(value)
        if isinstance(value, bool) or not valid_decimal(text):
            raise self.error(f"`{key}` must be a decimal number, not {value!r}", line, "e.g. confidence: 0.85")
        return text

    def flag(self, item: _Map, key: str, line: int | None) -> bool:
        value = item.get(key, False)
        if not isinstance(value, bool):
            raise self.error(f"`{key}` must be true or false, not {value!r}", line)
        return value

    # -- mentions -----------------------------------------------------------------------------------

    def occurrences(self, needle: str) -> list[int]:
        found, start = [], self.text.find(needle)
        while start != -1:
            found.append(start)
            start = self.text.find(needle, start + 1)
        return found

    def mentions(self, value: Any, line: int | None, what: str) -> list[Mention]:
        """One YAML mention item (string or mapping) → one or more mentions (``all: true``)."""
        if isinstance(value, str):
            value = _Map(text=value)
            value.line = line or 0
        item = self.mapping(value, what, line)
        line = _line(item, line)
        needle = self.string(item, "text", line)
        at = item.get("at")
        if at is not None:
            return [self.at_mention(at, needle, line, what)]
        if not needle:
            raise self.error(f"{what} has neither `text` nor `at`", line, "give the quoted text, or offsets")
        starts = self.occurrences(needle)
        if not starts:
            raise self.error(f"{what} {needle!r} does not occur in the article text", line,
                             "copy the words exactly as the article writes them")
        if item.get("all") is True:
            return [Mention((Span(s, s + len(needle)),), needle, line) for s in starts]
        occurrence = item.get("occurrence")
        if occurrence is not None:
            if not isinstance(occurrence, int) or isinstance(occurrence, bool) or not (
                1 <= occurrence <= len(starts)
            ):
                raise self.error(f"{what} {needle!r}: occurrence {occurrence!r} is not between 1 and "
                                 f"{len(starts)}", line, "count occurrences from 1")
            s = starts[occurrence - 1]
            return [Mention((Span(s, s + len(needle)),), needle, line)]
        if len(starts) > 1:
            where = ", ".join(str(s) for s in starts[:8])
            raise self.error(f"{what} {needle!r} is ambiguous: it occurs {len(starts)} times (at {where})",
                             line, "add `occurrence: N`, `at: [START, END]` or `all: true`")
        s = starts[0]
        return [Mention((Span(s, s + len(needle)),), needle, line)]

    def at_mention(self, at: Any, needle: str | None, line: int | None, what: str) -> Mention:
        if not (isinstance(at, list) and len(at) == 2 and all(
            isinstance(x, int) and not isinstance(x, bool) for x in at
        )):
            raise self.error(f"{what}: `at` must be [START, END], not {at!r}", line,
                             "give two code-point offsets")
        start, end = at
        if start < 0 or end > len(self.text) or start >= end:
            raise self.error(f"{what}: span [{start}, {end}] is outside the text (0–{len(self.text)}) or empty",
                             line, "fix the offsets")
        actual = self.text[start:end]
        if needle is not None and actual != needle:
            raise self.error(f"{what}: text {needle!r} differs from the text at [{start}, {end}]: {actual!r}",
                             line, "fix the offsets or the quoted text")
        return Mention((Span(start, end),), actual, line)

    def one_mention(self, value: Any, line: int | None, what: str) -> Mention | None:
        if value is None:
            return None
        found = self.mentions(value, line, what)
        if len(found) != 1:
            raise self.error(f"{what} must be one span", line, "drop `all: true`")
        return found[0]

    # -- records ------------------------------------------------------------------------------------

    def metadata(self, value: Any) -> Metadata:
        if value is None:
            return Metadata()
        item = self.mapping(value, "`article`", 1)
        line = _line(item, 1)
        for key in item:
            if key not in _METADATA_KEYS:
                raise self.error(f"unknown key `{key}` in `article`", line,
                                 f"use {', '.join(_METADATA_KEYS)}")
        return Metadata(
            title=self.string(item, "title", line),
            outlet=self.string(item, "outlet", line),
            date=self.date(item, "date", line),
            url=self.string(item, "url", line),
            language=self.language(item, "language", line),
        )

    def entity(self, value: Any, line: int | None) -> Entity:
        item = self.mapping(value, "an entity", line)
        line = _line(item, line)
        eid = self.ident(item, "id", line)
        etype = self.string(item, "type", line, required=True) or ""
        mentions: list[Mention] = []
        for m in self.sequence(item.get("mentions"), "`mentions`", line):
            mentions.extend(self.mentions(m, _line(m, line), f"mention of {eid!r}"))
        external = tuple((k, str(item[k])) for k in ("wikidata", "ucdp", "acled_id") if item.get(k) is not None)
        attributes = item.get("attributes") or {}
        if not isinstance(attributes, dict):
            raise self.error("`attributes` must be a mapping", line)
        if attributes:
            self.warnings.append(Problem(self.source, line, f"the attributes of {eid!r} are not kept in the graph",
                                         "kg keeps flags on relations and events, and external ids "
                                         "(wikidata, ucdp) on entities", "warning"))
        return Entity(
            id=eid,
            type=etype,
            mentions=tuple(_dedupe(mentions)),
            external_ids=external,
            actor=self.string(item, "actor", line),
            attributes=tuple((str(k), str(v)) for k, v in attributes.items()),
            line=line,
            note=self.string(item, "note", line),
        )

    def relation(self, value: Any, line: int | None, n: int) -> Relation:
        item = self.mapping(value, "a relation", line)
        line = _line(item, line)
        rid = self.ident(item, "id", line) if "id" in item else f"R{n}"
        return Relation(
            id=rid,
            type=self.string(item, "type", line, required=True) or "",
            subject=self.ident(item, "subject", line),
            object=self.ident(item, "object", line),
            evidence=self.one_mention(item.get("evidence"), line, f"evidence of {rid}"),
            claimant=self.string(item, "claimant", line),
            date=self.date(item, "date", line),
            line=line,
            confidence=self.decimal(item, "confidence", line),
            note=self.string(item, "note", line),
            **{flag: self.flag(item, flag, line) for flag in _FLAGS},
        )

    def figure(self, value: Any, line: int | None, what: str) -> Figure:
        item = self.mapping(value, "a figure", line)
        line = _line(item, line)
        count = item.get("count")
        if not isinstance(count, int) or isinstance(count, bool) or count < 0:
            raise self.error(f"{what}: `count` must be a whole number ≥ 0, not {count!r}", line)
        qualifier = self.string(item, "qualifier", line) or "exact"
        if qualifier not in _QUALIFIERS:
            raise self.error(f"{what}: unknown qualifier {qualifier!r}", line, f"use {', '.join(_QUALIFIERS)}")
        return Figure(
            kind=self.string(item, "kind", line, required=True) or "",
            count=count,
            qualifier=qualifier,
            of=self.string(item, "of", line),
            claimant=self.string(item, "claimant", line),
            evidence=self.one_mention(item.get("evidence"), line, f"evidence of {what}"),
            line=line,
        )

    def event(self, value: Any, line: int | None, n: int) -> Event:
        item = self.mapping(value, "an event", line)
        line = _line(item, line)
        eid = self.ident(item, "id", line) if "id" in item else f"E{n}"
        arguments: list[tuple[str, str]] = []
        args = item.get("arguments") or {}
        if not isinstance(args, dict):
            raise self.error(f"`arguments` of {eid!r} must map roles to ids", line, "write `role: [id, …]`")
        for role, ids in args.items():
            for target in ids if isinstance(ids, list) else [ids]:
                arguments.append((str(role), str(target)))
        figures = [
            self.figure(f, _line(f, line), f"figure {i} of {eid!r}")
            for i, f in enumerate(self.sequence(item.get("figures"), "`figures`", line), 1)
        ]
        return Event(
            id=eid,
            type=self.string(item, "type", line, required=True) or "",
            trigger=self.one_mention(item.get("trigger"), line, f"trigger of {eid!r}"),
            arguments=tuple(arguments),
            place=self.string(item, "place", line),
            date=self.date(item, "date", line),
            figures=tuple(figures),
            claimant=self.string(item, "claimant", line),
            negated=self.flag(item, "negated", line),
            uncertain=self.flag(item, "uncertain", line),
            line=line,
            confidence=self.decimal(item, "confidence", line),
            note=self.string(item, "note", line),
        )


def _dedupe(mentions: list[Mention]) -> Iterator[Mention]:
    """Drop repeated spans, and spans lying inside a longer span of the same entity."""
    ordered = sorted(mentions, key=lambda m: (m.start, -m.end))
    last_end = -1
    seen: set[tuple[Span, ...]] = set()
    for m in ordered:
        if m.spans in seen or (len(m.spans) == 1 and m.end <= last_end):
            continue
        seen.add(m.spans)
        last_end = max(last_end, m.end)
        yield m


def parse_sidecar(
    yaml_text: str,
    text: str | None,
    *,
    article_id: str,
    source: str = "",
    text_source: str = "",
    metadata_only: bool = False,
    collect: list[Problem] | None = None,
) -> Article:
    """Parse a YAML sidecar against the article text into an :class:`Article`.

    With ``metadata_only`` (a sidecar beside a brat ``.ann``) only the ``article:`` block is allowed.
    The first problem is raised, unless ``collect`` is given: then the problem of each item is appended to
    it and the item is left out, and the other items are read (a YAML syntax error is always raised).
    """
    data = load_yaml(yaml_text, source=source)
    reader = _Reader(text or "", source)
    if data is None:
        data = _Map()
    top = reader.mapping(data, "the sidecar", 1)

    def each(build: Any, *args: Any) -> Any:
        if collect is None:
            return build(*args)
        try:
            return build(*args)
        except AnnotationError as exc:
            collect.append(Problem(exc.file or source, exc.line, exc.message, exc.hint))
            return None

    for key in top:
        if key not in _TOP_KEYS:
            each(_raise, reader.error(f"unknown top-level key `{key}`", _line(top.get(key), 1),
                                      f"use {', '.join(_TOP_KEYS)}"))
        elif metadata_only and key != "article":
            each(_raise, reader.error(f"`{key}` in a sidecar beside an annotation file", _line(top.get(key), 1),
                                      "keep annotations in the annotation file; the sidecar holds only "
                                      "`article:`"))
    metadata = each(reader.metadata, top.get("article")) or Metadata()
    if metadata_only:
        return Article(id=article_id, text=text or "", metadata=metadata, source=source, text_source=text_source)

    def items(key: str, build: Any) -> list[Any]:
        values = each(reader.sequence, top.get(key), f"`{key}`", 1) or []
        found = (each(build, v, _line(v, 1), n) for n, v in enumerate(values, 1))
        return [x for x in found if x is not None]

    return Article(
        id=article_id,
        text=text or "",
        metadata=metadata,
        entities=tuple(items("entities", lambda v, line, _n: reader.entity(v, line))),
        relations=tuple(items("relations", reader.relation)),
        events=tuple(items("events", reader.event)),
        source=source,
        text_source=text_source,
        problems=(*(collect or ()), *reader.warnings),
    )


def _raise(error: AnnotationError) -> None:
    raise error


def _decode(path: Path) -> str:
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise AnnotationError(f"invalid UTF-8 at byte {exc.start}", file=str(path), line=line,
                              hint="save the file as UTF-8") from None


def read_sidecar(path: Path, text: str | None, *, article_id: str, text_source: str = "",
                 metadata_only: bool = False) -> Article:
    """Read a sidecar file; invalid UTF-8 is reported with its line."""
    return parse_sidecar(_decode(path), text, article_id=article_id, source=str(path), text_source=text_source,
                         metadata_only=metadata_only)


def read(path: Path, text: str | None, *, metadata: Metadata, config: CorpusConfig) -> Article:
    """The YAML sidecar reader of :data:`kg.reading.readers.READERS`: every item's problem is collected.

    ``metadata`` is not used: the sidecar holds the article's metadata itself.
    """
    return parse_sidecar(_decode(path), text, article_id=path.stem, source=str(path), collect=[])


def read_metadata(path: Path, text: str | None = None) -> tuple[Metadata, tuple[Problem, ...]]:
    """The ``article:`` block of a sidecar beside an annotation file of another format, with its problems."""
    problems: list[Problem] = []
    article = parse_sidecar(_decode(path), text, article_id=path.stem, source=str(path), metadata_only=True,
                            collect=problems)
    return article.metadata, tuple(problems)
