"""Actor resolution: one IRI per actor, across articles and languages.

Names are matched after normalisation (:func:`normalize_name`):

* Unicode NFKC (Arabic presentation forms become plain letters), case folding;
* Arabic: diacritics (tashkil, U+064B–U+065F, U+0670) and tatweel removed; alef forms أ إ آ ٱ → ا;
  ى → ي; ة → ه; ؤ → و; ئ → ي; bidi and zero-width marks removed;
* punctuation becomes a space (apostrophes vanish: "Haftar's" → "haftars"); runs of spaces fold to one.

Arabic words carry clitics. When a mention does not match as written, the resolver also tries it with
a leading conjunction (و, ف) removed, then a leading preposition (ب, ل, ك; "لل" → "ال") removed, and
every candidate with and without the definite article "ال" on its first word. Registry names are indexed
with and without that article too. Only whole names are matched, never parts of names.

>>> normalize_name("سرايا الدفاع عن بنغازي") == normalize_name("سَرايا الدِّفاع عن بنغازى")
True
>>> normalize_name("Haftar's  Forces")
'haftars forces'
>>> sorted(name_keys("وبالجزيرة"))[:2]
['الجزيره', 'بالجزيره']
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from kg.errors import ConfigError, KGError, ResolveError
from kg.model import Article, Entity, Problem
from kg.network.names import lookup, name_keys, normalize_arabic, normalize_name  # noqa: F401
from kg.network.names import without_article as _without_article

_REGISTRY_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,99}$")
_QID = re.compile(r"^Q[1-9][0-9]*$")

#: IRI path segment for each top kind of entity.
CATEGORIES = ("actor", "place", "source", "rank", "title", "quantity")


@dataclass(frozen=True)
class RegistryEntry:
    """One canonical actor, place or source of ``actors.yaml``."""

    id: str
    type: str
    labels: tuple[tuple[str, str], ...] = ()  # (lang, text)
    aliases: tuple[tuple[str, str], ...] = ()
    wikidata: str | None = None
    ucdp: str | None = None
    acled: str | None = None
    line: int | None = None
    lat: float | None = None  # places: WGS 84 latitude and longitude, in degrees
    lon: float | None = None

    def label(self, lang: str) -> str | None:
        return next((t for lg, t in self.labels if lg == lang), None)


@dataclass(frozen=True)
class Registry:
    """The actor registry with its name index."""

    entries: dict[str, RegistryEntry] = field(default_factory=dict)
    index: dict[str, str] = field(default_factory=dict)  # name key → id
    source: str = ""
    problems: tuple[Problem, ...] = ()  # mistakes of the entries left out (read with strict=False)

    def by_external(self, kind: str, value: str) -> RegistryEntry | None:
        for entry in self.entries.values():
            if (kind == "wikidata" and entry.wikidata == value) or (kind == "ucdp" and entry.ucdp == value):
                return entry
        return None

    def find(self, name: str) -> RegistryEntry | None:
        """The entry a name denotes, if any.

        >>> reg = parse_registry({"actors": [{"id": "lna", "type": "ArmedGroup",
        ...     "labels": {"ar": "قوات حفتر", "en": "Libyan National Army"}, "aliases": {"en": ["LNA"]}}]})
        >>> reg.find("وقوات حفتر").id, reg.find("lna").id
        ('lna', 'lna')
        """
        rid = lookup(self.index, name)
        return None if rid is None else self.entries[rid]


_LANGUAGE = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*")
_SECTIONS = ("actors", "places", "sources")
_ENTRY_KEYS = ("id", "type", "labels", "aliases", "wikidata", "ucdp", "acled", "lat", "lon")


def _names(value: Any, what: str, source: str, line: int | None) -> list[tuple[str, str]]:
    if value is None:
        return []
    if not isinstance(value, dict):
        raise ConfigError(f"{what} must map a language to names", file=source, line=line,
                          hint="write e.g. `{ar: …, en: …}`")
    out = []
    for lang, names in value.items():
        if not isinstance(lang, str) or not _LANGUAGE.fullmatch(lang):
            raise ConfigError(f"{what}: {lang!r} is not a language tag", file=source,
                              line=getattr(value, "line", line),
                              hint="key names by a BCP 47 tag such as ar, en or en-GB (a hyphen, not an underscore)")
        for name in names if isinstance(names, list) else [names]:
            if not isinstance(name, str | int) or isinstance(name, bool) or not str(name).strip():
                raise ConfigError(f"{what}: empty or invalid name {name!r}", file=source, line=line)
            out.append((lang, str(name).strip()))
    return out


def _degrees(value: Any, limit: int, what: str, source: str, line: int | None) -> float | None:
    """A latitude or longitude in degrees (``None`` when absent)."""
    if value is None:
        return None
    try:
        degrees = float(value)
    except (TypeError, ValueError):
        degrees = float("nan")
    if not -limit <= degrees <= limit:
        raise ConfigError(f"invalid {what} {value!r}", file=source, line=line,
                          hint=f"write decimal degrees between -{limit} and {limit}")
    return degrees


def _entry(item: Any, line: int | None, source: str, entries: dict[str, RegistryEntry],
           entity_types: frozenset[str] | None) -> RegistryEntry:
    """One registry item, checked (a :class:`ConfigError` names its line)."""
    if not isinstance(item, dict):
        raise ConfigError("each registry item must be a mapping", file=source, line=line,
                          hint="write `- {id: …, type: …, labels: {ar: …, en: …}}`")
    for key in item:
        if key not in _ENTRY_KEYS:
            raise ConfigError(f"unknown key `{key}` in registry item", file=source, line=line,
                              hint=f"use {', '.join(_ENTRY_KEYS)}")
    rid = str(item.get("id", ""))
    if not _REGISTRY_ID.match(rid):
        raise ConfigError(f"invalid registry id {rid!r}", file=source, line=line,
                          hint="use lower-case ASCII letters, digits, '-' and '_'")
    if rid in entries:
        raise ConfigError(f"duplicate registry id {rid!r}", file=source, line=line,
                          hint=f"first defined at line {entries[rid].line}")
    etype = item.get("type")
    if not etype or not isinstance(etype, str):
        raise ConfigError(f"registry entry {rid!r} has no `type`", file=source, line=line,
                          hint="give an ontology class, e.g. type: ArmedGroup (`kg types` lists them)")
    if entity_types is not None and etype not in entity_types:
        import difflib

        close = difflib.get_close_matches(etype.replace(" ", ""), sorted(entity_types), n=3, cutoff=0.5)
        raise ConfigError(f"registry entry {rid!r} has type {etype!r}, which is not an ontology class",
                          file=source, line=line,
                          hint=f"did you mean {', '.join(close)}?" if close else "`kg types` lists the classes")
    wikidata = item.get("wikidata")
    if wikidata is not None and not _QID.match(str(wikidata)):
        raise ConfigError(f"invalid Wikidata id {wikidata!r}", file=source, line=line, hint="write Q123")
    for key in ("ucdp", "acled"):
        value = item.get(key)
        if value is not None and (isinstance(value, dict | list | bool) or not str(value).strip()):
            raise ConfigError(f"`{key}` of {rid!r} must be one plain value, not {value!r}", file=source,
                              line=line)
    acled = item.get("acled")
    if acled and not re.fullmatch(r"[A-Za-z][A-Za-z0-9]*", str(acled)):
        raise ConfigError(f"invalid ACLED category {acled!r} of {rid!r}", file=source, line=line,
                          hint="write the category's local name, e.g. StateForces")
    return RegistryEntry(
        id=rid,
        type=etype,
        labels=tuple(_names(item.get("labels"), f"labels of {rid!r}", source, line)),
        aliases=tuple(_names(item.get("aliases"), f"aliases of {rid!r}", source, line)),
        wikidata=str(wikidata) if wikidata else None,
        ucdp=str(item["ucdp"]) if item.get("ucdp") is not None else None,
        acled=str(acled) if acled else None,
        line=line,
        lat=_degrees(item.get("lat"), 90, "lat", source, line),
        lon=_degrees(item.get("lon"), 180, "lon", source, line),
    )


def parse_registry(data: Any, *, source: str = "actors.yaml", collect: list[Problem] | None = None,
                   entity_types: frozenset[str] | None = None) -> Registry:
    """Build a :class:`Registry` from the parsed ``actors.yaml`` (keys ``actors``, ``places``, ``sources``).

    The first mistake is raised as a :class:`ConfigError`, unless ``collect`` is given: then each mistake is
    appended to it (with its line), the entry is left out and the others are read. ``entity_types`` (the
    ontology's classes) makes an unknown ``type`` a mistake.
    """
    def fail(exc: ConfigError) -> None:
        if collect is None:
            raise exc
        collect.append(Problem(exc.file or source, exc.line, exc.message, exc.hint))

    if data is None:
        return Registry(source=source)
    if not isinstance(data, dict):
        fail(ConfigError("the registry must be a mapping with `actors:`, `places:`, `sources:`", file=source,
                         line=1, hint="start the file with `actors:` and a list of entries"))
        return Registry(source=source, problems=tuple(collect or ()))
    entries: dict[str, RegistryEntry] = {}
    index: dict[str, str] = {}
    for section, items in data.items():
        section_line = getattr(items, "line", None) or getattr(data, "line", None)
        if section not in _SECTIONS:
            fail(ConfigError(f"unknown section `{section}`", file=source, line=section_line,
                             hint="use actors, places, sources"))
            continue
        if items is not None and not isinstance(items, list):
            fail(ConfigError(f"`{section}` must be a list of entries, not {type(items).__name__}", file=source,
                             line=section_line, hint=f"write `{section}:` then one `- {{id: …, type: …}}` a line"))
            continue
        item_lines = getattr(items, "item_lines", ())
        for n, item in enumerate(items or []):
            line = getattr(item, "line", None) or (item_lines[n] if n < len(item_lines) else section_line)
            try:
                entry = _entry(item, line, source, entries, entity_types)
                keys = [(name, k) for _, name in (*entry.labels, *entry.aliases, ("", entry.id))
                        for k in dict.fromkeys((normalize_name(name), _without_article(normalize_name(name))))]
                for name, k in keys:
                    other = index.get(k)
                    if other is not None and other != entry.id and k == normalize_name(name):
                        raise ConfigError(f"the name {name!r} of {entry.id!r} is also a name of {other!r}",
                                          file=source, line=line, hint="a name may denote one entry only")
            except ConfigError as exc:
                fail(exc)
                continue
            entries[entry.id] = entry
            for _, k in keys:
                index.setdefault(k, entry.id)
    return Registry(entries=entries, index=index, source=source, problems=tuple(collect or ()))


def read_registry(path: Path | None, *, strict: bool = True, entity_types: frozenset[str] | None = None) -> Registry:
    """Read ``actors.yaml`` (a missing path gives an empty registry).

    ``strict``: the first mistake is raised; otherwise every mistake is in ``Registry.problems`` and the
    entries with mistakes are left out. A YAML syntax error is always raised.
    """
    if path is None or not path.exists():
        return Registry()
    from kg.reading.sidecar import load_yaml

    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise ConfigError("invalid UTF-8", file=str(path), hint="save the file as UTF-8") from None
    try:
        data = load_yaml(text, source=str(path))
    except KGError as exc:  # the YAML reader's errors are AnnotationErrors: restate as config
        raise ConfigError(exc.message, file=str(path), line=exc.line, hint=exc.hint) from None
    return parse_registry(data, source=str(path), collect=None if strict else [], entity_types=entity_types)


def slug(text: str) -> str:
    """A short, deterministic, IRI-safe key for a name that has no registry id.

    >>> slug("قوات حفتر") == slug("قوّات  حفتر")
    True
    >>> slug('a "<b>" \\n').startswith("h-")
    True
    """
    digest = hashlib.sha1(normalize_name(text).encode("utf-8")).hexdigest()[:16]
    return f"h-{digest}"


def iri_segment(text: str) -> str:
    """Percent-encode a file name or annotation id so it is always a valid IRI segment.

    >>> iri_segment('a b"<>')
    'a%20b%22%3C%3E'
    """
    return quote(text, safe="-_.~")


@dataclass(frozen=True)
class Resolved:
    """The node an annotated entity denotes."""

    iri: str
    type: str
    category: str
    entry: RegistryEntry | None = None


def category_of(entity_type: str, is_a: Any) -> str:
    """IRI category of a type: actor, place, source, rank, title or quantity (``is_a`` from the ontology)."""
    for cat, root in (("actor", "Actor"), ("place", "Place"), ("source", "Source"), ("rank", "Rank"),
                      ("title", "Title")):
        if is_a(entity_type, root):
            return cat
    return "quantity"


def resolve_article(article: Article, registry: Registry, *, base: str, is_a: Any) -> dict[str, Resolved]:
    """Map every entity id of an article to the node it denotes (a pure function)."""
    resolved: dict[str, Resolved] = {}
    for entity in article.entities:
        resolved[entity.id] = _resolve_entity(entity, article, registry, base, is_a)
    # brat `*` equivalences: all members take the registry node of any registered member, else the first's.
    for group in article.equivalences:
        members = [resolved[m] for m in group if m in resolved]
        if not members:
            continue
        chosen = next((r for r in members if r.entry is not None), members[0])
        for m in group:
            if m in resolved:
                resolved[m] = Resolved(chosen.iri, resolved[m].type, chosen.category, chosen.entry)
    return resolved


def _resolve_entity(entity: Entity, article: Article, registry: Registry, base: str, is_a: Any) -> Resolved:
    category = category_of(entity.type, is_a)
    entry: RegistryEntry | None = None
    if entity.actor is not None:
        entry = registry.entries.get(entity.actor)
        if entry is None:
            raise ResolveError(f"entity {entity.id!r} names unknown registry id {entity.actor!r}",
                               file=article.source, line=entity.line,
                               hint=f"add it to {registry.source or 'actors.yaml'} or fix the id")
    for kind, value in entity.external_ids:
        if entry is None and kind in ("wikidata", "ucdp"):
            entry = registry.by_external(kind, value)
    if entry is None:
        for mention in entity.mentions:
            entry = registry.find(mention.text)
            if entry is not None:
                break
    if entry is not None:
        return Resolved(f"{base}{category_of(entry.type, is_a)}/{entry.id}", entity.type,
                        category_of(entry.type, is_a), entry)
    qid = next((v for k, v in entity.external_ids if k == "wikidata" and _QID.match(v)), None)
    key = f"wd-{qid}" if qid else slug(entity.text or entity.id)
    return Resolved(f"{base}{category}/{key}", entity.type, category, None)


def claimant_iri(name: str, registry: Registry, *, base: str, is_a: Any) -> tuple[str, RegistryEntry | None]:
    """The node of a claimant given as free text (an outlet's name, "local sources")."""
    entry = registry.find(name)
    if entry is not None:
        return f"{base}{category_of(entry.type, is_a)}/{entry.id}", entry
    return f"{base}source/{slug(name)}", None
