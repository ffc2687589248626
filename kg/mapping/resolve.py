"""Actor resolution: one IRI per actor, across articles and languages.

Names are compared by their folded keys (:mod:`kg.mapping.names`: Arabic and English rules, clitics). The
registry (``actors.yaml``) is indexed by the keys of its labels and aliases; :func:`resolve_article` maps each
entity of an article to a node: its registry entry (named by id, external id or name, when the types agree),
else a node keyed by its name's hash; alias annotations then merge names into one node.

>>> reg = parse_registry({"actors": [{"id": "bdb", "type": "ArmedGroup", "labels": {"ar": "سرايا الدفاع عن بنغازي"}}]})
>>> reg.find("وسَرايا الدِّفاع عن بنغازى").id
'bdb'
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.errors import ConfigError, KGError, ResolveError
from kg.mapping.names import iri_segment as iri_segment
from kg.mapping.names import is_pronoun, slug
from kg.model import Article, Entity, Problem, degrees
from kg.network.names import lookup, name_keys, normalize_arabic, normalize_name  # noqa: F401
from kg.network.names import without_article as _without_article

if TYPE_CHECKING:
    from kg.ontology import Ontology

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


def _coordinate(item: dict[str, Any], key: str, limit: int, source: str, line: int | None) -> float | None:
    value = degrees(item.get(key), limit)
    if value is not None and value != value:  # NaN: not a number within the limit
        raise ConfigError(f"invalid {key} {item[key]!r}", file=source, line=line,
                          hint=f"write decimal degrees between -{limit} and {limit}")
    return value


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
        lat=_coordinate(item, "lat", 90, source, line),
        lon=_coordinate(item, "lon", 180, source, line),
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


@dataclass(frozen=True)
class Resolved:
    """The node an annotated entity denotes.

    ``label``: the name the entity gives its node in this article (``None`` when the registry names it, or
    when the entity is only a pronoun); ``typed``: whether the article states the entity's type on the node
    (not when it conflicts with the type the node already has).
    """

    iri: str
    type: str
    category: str
    entry: RegistryEntry | None = None
    label: str | None = None
    typed: bool = True


class Resolution(dict[str, Resolved]):
    """Entity id → :class:`Resolved`, with the problems resolution found (``problems``, warnings)."""

    problems: tuple[Problem, ...] = ()


#: The relation whose annotations say that two names denote one node.
ALIAS = "alsoKnownAs"


def category_of(entity_type: str, is_a: Any) -> str:
    """IRI category of a type: place, actor, source, rank, title or quantity (``is_a`` from the ontology).

    A country is a place and an actor: its IRI stays ``place/…``.
    """
    for cat, root in (("place", "Place"), ("actor", "Actor"), ("source", "Source"), ("rank", "Rank"),
                      ("title", "Title")):
        if is_a(entity_type, root):
            return cat
    return "quantity"


def resolve_article(article: Article, registry: Registry, *, base: str, is_a: Any = None,
                    ontology: Ontology | None = None, merge_aliases: bool = True,
                    pronouns: Collection[str] = (), aliases: Mapping[str, str] | None = None,
                    coreference: bool = True) -> Resolution:
    """Map every entity id of an article to the node it denotes (a pure function of the article and registry).

    A name matches a registry entry only when their types can be one thing (``ontology.disjoint``); a
    mismatch is reported. With ``merge_aliases``, the ends of every brat ``*`` set and of every
    ``alsoKnownAs`` relation (not negated, uncertain or intended) become one node: the registry entry of a
    member, else its Wikidata id, else the first member of a ``*`` set (its head, as in an INCEpTION
    coreference chain), else the smallest IRI of the names (so the choice does not depend on the order of the
    relations); names whose types conflict, or that are two registry entries, stay apart (a warning). Every
    merged name is kept as a label; ``pronouns`` (folded) are never labels. ``aliases`` maps the node of a
    name to the node the corpus's alias relations merge it into (in any article). ``coreference=False``
    merges by alias relations and equal names only: no ``*`` sets, and an entity's other mentions name nothing
    else (what holds in every article, for the corpus's alias table).
    """
    if ontology is not None:
        is_a, disjoint = ontology.is_a, ontology.disjoint
    else:
        def disjoint(a: str, b: str) -> bool:
            return False
    is_a = is_a or (lambda name, ancestor: name == ancestor)

    def clash(a: str, b: str) -> bool:
        return category_of(a, is_a) != category_of(b, is_a) or disjoint(a, b)

    problems: list[Problem] = []
    entities = {e.id: e for e in article.entities}
    resolved = Resolution({e.id: _resolve_entity(e, article, registry, base, is_a, clash, pronouns, problems)
                           for e in article.entities})
    if merge_aliases:
        for x, res in list(resolved.items()):
            if aliases and res.iri in aliases:
                resolved[x] = _aliased(res, aliases[res.iri], registry, base, is_a, clash)
        _merge(article, registry, resolved, entities, clash, pronouns, problems, base, coreference)
    else:
        for a, b, line, what in _alias_links(article):
            if (what.startswith("equivalence") and ontology is not None and a in entities and b in entities
                    and not ontology.allowed(ALIAS, entities[a].type, entities[b].type)):
                problems.append(_warn(article, line, f"{what} joins {a}, {_a(entities[a].type)}, and {b}, "
                                      f"{_a(entities[b].type)}: an actor and a place are not one; not recorded",
                                      "fix the types or the set"))
    _single_types(article, resolved, entities, clash, problems)
    for r in article.relations:
        ends = (resolved.get(r.subject), resolved.get(r.object))
        if r.type != ALIAS and r.subject != r.object and ends[0] and ends[1] and ends[0].iri == ends[1].iri:
            problems.append(_warn(article, r.line, f"{r.id} ({r.type}) joins {r.subject} and {r.object}, which are "
                                  "one node: it relates the node to itself", "check the alias annotations and "
                                  "the registry, or the relation's arguments"))
    resolved.problems = tuple(problems)
    return resolved


def _aliased(res: Resolved, target: str, registry: Registry, base: str, is_a: Any,
             clash: Callable[[str, str], bool]) -> Resolved:
    """The entity moved to the node another article's alias annotation merges its name into."""
    entry = registry.entries.get(target.rsplit("/", 1)[-1])
    if entry is not None and f"{base}{category_of(entry.type, is_a)}/{entry.id}" != target:
        entry = None
    if entry is not None and clash(res.type, entry.type):
        return res
    label = None if entry is not None and res.label and registry.find(res.label) is entry else res.label
    category = target[len(base):].split("/", 1)[0] if target.startswith(base) else res.category
    return Resolved(target, res.type, category, entry, label=label, typed=res.typed)


def _a(word: str) -> str:
    """The word with its indefinite article: "an ArmedGroup", "a Person"."""
    return f"{'an' if word[:1].lower() in 'aeiou' else 'a'} {word}"


def _warn(article: Article, line: int | None, message: str, hint: str) -> Problem:
    return Problem(article.source or article.id, line, message, hint, "warning")


def _where(registry: Registry, entry: RegistryEntry) -> str:
    return f"{registry.source or 'actors.yaml'}:{entry.line}" if entry.line else registry.source or "actors.yaml"


def _resolve_entity(entity: Entity, article: Article, registry: Registry, base: str, is_a: Any,
                    clash: Callable[[str, str], bool], pronouns: Collection[str], problems: list[Problem]) -> Resolved:
    category = category_of(entity.type, is_a)
    name = next((m.text for m in entity.mentions if not is_pronoun(m.text, pronouns)), None)
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
    if entry is not None:  # named by id: the registry's type holds
        typed = not clash(entity.type, entry.type)
        if not typed:
            problems.append(_warn(article, entity.line, f"{entity.id} is {_a(entity.type)}, but registry entry "
                                  f"{entry.id!r} ({_where(registry, entry)}) is {_a(entry.type)}: the node keeps "
                                  f"the registry's type", "fix the entity's type or the registry's"))
        return Resolved(f"{base}{category_of(entry.type, is_a)}/{entry.id}", entity.type,
                        category_of(entry.type, is_a), entry, typed=typed)
    for mention in entity.mentions:
        found = registry.find(mention.text)
        if found is not None and clash(entity.type, found.type):
            problems.append(_warn(
                article, mention.line or entity.line,
                f"{entity.id} {mention.text!r} is {_a(entity.type)}, but the registry entry with that name, "
                f"{found.id!r} ({_where(registry, found)}), is {_a(found.type)}: the types conflict, so it is "
                "not that entry", "fix the entity's type, or name its entry with `actor:` (YAML)"))
        elif found is not None:
            return Resolved(f"{base}{category_of(found.type, is_a)}/{found.id}", entity.type,
                            category_of(found.type, is_a), found)
    qid = next((v for k, v in entity.external_ids if k == "wikidata" and _QID.match(v)), None)
    if qid:
        key = f"wd-{qid}"
    elif name is None and entity.mentions:  # only pronouns: no name to share; it takes its alias's node
        key = slug(f"pronoun {article.id} {entity.id}")
    else:
        key = slug(name or entity.text or entity.id)
    return Resolved(f"{base}{category}/{key}", entity.type, category, None, label=name)


def _alias_links(article: Article, coreference: bool = True) -> Iterator[tuple[str, str, int | None, str]]:
    """(a, b, line, what) for every pair of ids an annotation says are one: ``*`` sets, alias relations."""
    lines = {e.id: e.line for e in article.entities}
    for n, group in enumerate(article.equivalences if coreference else (), 1):
        for other in group[1:]:
            yield group[0], other, lines.get(group[0]), f"equivalence set {n} ({' '.join(group)})"
    for r in article.relations:
        if r.type == ALIAS and not (r.negated or r.uncertain or r.intended):
            yield r.subject, r.object, r.line, f"{r.id} ({ALIAS})"


def _merge(article: Article, registry: Registry, resolved: Resolution, entities: dict[str, Entity],
           clash: Callable[[str, str], bool], pronouns: Collection[str], problems: list[Problem], base: str,
           coreference: bool) -> None:
    parent = {x: x for x in resolved}

    def root(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    members = {x: [x] for x in resolved}  # root → its group
    same: dict[str, str] = {}  # names that are one node already (one registry entry, one folded name)
    links = [(same.setdefault(res.iri, x), x, entities[x].line, "") for x, res in resolved.items()]
    if coreference:  # an entity's other names (an INCEpTION chain read as one entity) are its names too
        links += [(same.setdefault(node, x), x, entities[x].line, "") for x, res in resolved.items()
                  if res.entry is None and res.label is not None
                  for node in {f"{base}{res.category}/{slug(m.text)}" for m in entities[x].mentions
                               if not is_pronoun(m.text, pronouns)} - {res.iri}]
    for a, b, line, what in [*links, *_alias_links(article, coreference)]:
        if a not in resolved or b not in resolved or root(a) == root(b):
            continue
        ra, rb = root(a), root(b)
        group_a, group_b = members[ra], members[rb]
        reason = next((f"{x} is {_a(entities[x].type)} (line {entities[x].line}) and {y} "
                       f"{_a(entities[y].type)} (line {entities[y].line})" for x in group_a for y in group_b
                       if clash(entities[x].type, entities[y].type)), None)
        entries = {e.id for x in group_a + group_b if (e := resolved[x].entry) is not None}
        if reason is None and len(entries) > 1:
            reason = f"they are the registry entries {' and '.join(map(repr, sorted(entries)))}"
        if reason is not None and what:
            problems.append(_warn(article, line, f"{what} says {a} and {b} are one, but {reason}: they stay "
                                  "apart", "fix the types, the alias annotation, or the registry"))
        if reason is None:
            parent[rb] = ra
            members[ra] += members.pop(rb)
    # a chain's head: a brat * set's first member, or an entity with several names (INCEpTION reads a chain so)
    heads = [g[0] for g in article.equivalences] if coreference else []
    heads += [x for x, e in entities.items() if coreference and len({normalize_name(m.text) for m in e.mentions
                                                                     if not is_pronoun(m.text, pronouns)}) > 1]
    for group in members.values():
        if len(group) < 2:
            continue
        nodes = [resolved[x] for x in group]
        chosen = (next((r for r in nodes if r.entry is not None), None)
                  or next((r for r in nodes if "/wd-Q" in r.iri), None)
                  or next((resolved[h] for h in heads if h in group and resolved[h].label is not None), None)
                  or min((r for r in nodes if r.label is not None), key=lambda r: r.iri, default=None)
                  or min(nodes, key=lambda r: r.iri))
        for x in group:
            own = resolved[x]
            name = next((m.text for m in entities[x].mentions if not is_pronoun(m.text, pronouns)), None)
            if chosen.entry is not None and name is not None and registry.find(name) is chosen.entry:
                name = None  # the registry already names the node so
            resolved[x] = Resolved(chosen.iri, own.type, chosen.category, chosen.entry, label=name,
                                   typed=own.typed and (chosen.entry is None or not clash(own.type, chosen.entry.type)))


def _single_types(article: Article, resolved: Resolution, entities: dict[str, Entity],
                  clash: Callable[[str, str], bool], problems: list[Problem]) -> None:
    """One node, one kind: an entity whose type conflicts with an earlier one's on the same node is reported
    with both lines, and its type is not stated."""
    first: dict[str, str] = {}
    for x, res in resolved.items():
        if not res.typed:
            continue
        if res.iri not in first:
            first[res.iri] = x
            continue
        y = first[res.iri]
        if clash(entities[y].type, entities[x].type):
            e, f = entities[y], entities[x]
            problems.append(_warn(article, f.line, f"{f.id} {f.text!r} is {_a(f.type)} but denotes the node of "
                                  f"{e.id} {e.text!r}, {_a(e.type)} (line {e.line}): the node keeps {e.type}",
                                  "fix one of the two types, or tell the names apart"))
            resolved[x] = dataclasses.replace(res, typed=False)


def claimant_iri(name: str, registry: Registry, *, base: str, is_a: Any) -> tuple[str, RegistryEntry | None]:
    """The node of a claimant given as free text (an outlet's name, "local sources")."""
    entry = registry.find(name)
    if entry is not None:
        return f"{base}{category_of(entry.type, is_a)}/{entry.id}", entry
    return f"{base}source/{slug(name)}", None
