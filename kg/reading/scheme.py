"""A corpus's configuration (``kg.toml``) and the mapping of a foreign annotation scheme onto the ontology.

:func:`read_config` reads ``kg.toml``; :func:`apply_scheme` renames an article's entity, relation and event
types and event roles to ontology names. Nothing is relabelled silently: a type that is neither an ontology
name nor mapped is left out and reported as a problem of the article; a type mapped to ``""`` is left out
on purpose, without a word.

>>> from kg.model import Article, Entity, Relation
>>> config = CorpusConfig(Path("."), entities={"GPE": "Place", "Money": ""},
...                       relations={"Located": RelationMap("basedAt")})
>>> article = Article("a", "", entities=(Entity("T1", "Person", ()), Entity("T2", "GPE", ()),
...                                      Entity("T3", "Money", ()), Entity("T4", "Vehicle", (), line=4)),
...                   relations=(Relation("R1", "Located", "T1", "T2"),), source="a.ann")
>>> mapped = apply_scheme(article, config, entity_types=frozenset({"Person", "Place"}),
...                       relation_types=frozenset({"basedAt"}), event_types=frozenset(), roles=frozenset())
>>> [(e.id, e.type) for e in mapped.entities]
[('T1', 'Person'), ('T2', 'Place')]
>>> mapped.relations[0].type
'basedAt'
>>> print(mapped.problems[0])
a.ann:4: unknown entity type 'Vehicle' (add it to [entities] in kg.toml or use one of: Person, Place)
"""

from __future__ import annotations

import dataclasses
import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from kg.errors import ConfigError
from kg.model import Article, Entity, Event, Figure, Problem, Relation

DEFAULT_BASE = "https://w3id.org/kg/id/"
FLAGS = ("negated", "uncertain", "former", "intended")

_TABLES = ("entities", "relations", "events", "roles", "attributes")
_TOP_KEYS = ("base", "registry", "language", "outlet", *_TABLES, "identity")
_IDENTITY_KEYS = ("merge_aliases", "pronouns")
_IRI_CHAR = r"[^\s<>\"{}|\\^`]"
_BASE = re.compile(rf"(?:https?://[^\s<>\"{{}}|\\^`/]+(?:/{_IRI_CHAR}*)?|urn:[A-Za-z0-9][A-Za-z0-9-]*:{_IRI_CHAR}+)[/#]")
_LANGUAGE = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*")
_TOML_AT = re.compile(r"\(at line (\d+), column \d+\)")


@dataclass(frozen=True)
class RelationMap:
    """Where a foreign relation type goes: an ontology relation (``""``: left out on purpose; ``reverse`` swaps
    subject and object).

    ``subject`` and ``object``, when given, restrict the rule to arguments of those types: foreign types as
    written, or ontology classes (a class matches its subclasses: ``Actor`` matches ``Person``). A foreign
    type mapped by a list of rules takes the first rule that fits its arguments; a rule without
    ``subject`` and ``object`` fits any (the default).

    >>> rule = RelationMap("controls", object=("Place",))
    >>> rule.fits("Person", "Person", "City", "GPE", lambda a, b: a == b or (a, b) == ("City", "Place"))
    True
    """

    type: str
    reverse: bool = False
    subject: tuple[str, ...] = ()
    object: tuple[str, ...] = ()

    def fits(self, subject_type: str, subject_written: str, object_type: str, object_written: str,
             is_a: Callable[[str, str], bool]) -> bool:
        """Whether the rule applies to a subject and an object of these types (ontology, and as written)."""
        def one(names: tuple[str, ...], mapped: str, written: str) -> bool:
            return not names or any(n in (mapped, written) or is_a(mapped, n) for n in names)

        return one(self.subject, subject_type, subject_written) and one(self.object, object_type, object_written)


#: What kg.toml gives for one foreign relation type: one rule, or rules tried in order.
RelationRules = RelationMap | tuple[RelationMap, ...]


@dataclass(frozen=True)
class EventMap:
    """Where a foreign event type goes: an ontology event type, its roles renamed (``""`` drops a role)."""

    type: str
    roles: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class CorpusConfig:
    """What ``kg.toml`` says of a corpus (every setting has a default: the file is optional)."""

    root: Path
    base: str = DEFAULT_BASE
    registry: Path | None = None
    language: str | None = None
    outlet: str | None = None
    entities: Mapping[str, str] = field(default_factory=dict)  # foreign → ontology class; "" = leave out
    relations: Mapping[str, RelationRules] = field(default_factory=dict)
    events: Mapping[str, EventMap] = field(default_factory=dict)
    roles: Mapping[str, str] = field(default_factory=dict)  # role renames for every event type
    attributes: Mapping[str, str] = field(default_factory=dict)  # brat attribute (or name=value) → flag
    merge_aliases: bool = True  # [identity]: alias annotations make one node of their ends
    pronouns: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # language → pronouns (replaces kg's)


# -- reading kg.toml -------------------------------------------------------------------------------


class _Toml:
    """A kg.toml being read: its path and lines, for errors that name the line."""

    def __init__(self, path: Path, text: str) -> None:
        self.path = path
        self.lines = text.splitlines()

    def line_of(self, *keys: str) -> int | None:
        """Line of a key path such as ``("events", "Die", "roles")``, found as ``key =`` or a table header."""
        n = 0
        for i, key in enumerate(keys):
            k = re.escape(key)
            before = r"^\s*(?:\[\[?\s*)?" if i == 0 else r"(?:^|[\s{,.\[])"
            pattern = re.compile(rf"{before}[\"']?{k}[\"']?\s*(?:=|[\].])")
            found = next((j for j in range(max(n - 1, 0), len(self.lines)) if pattern.search(self.lines[j])), None)
            if found is None:
                break
            n = found + 1
        return n or None

    def error(self, message: str, keys: tuple[str, ...], hint: str | None = None) -> ConfigError:
        return ConfigError(message, file=str(self.path), line=self.line_of(*keys), hint=hint)

    def string(self, value: Any, keys: tuple[str, ...]) -> str:
        if not isinstance(value, str):
            raise self.error(f"{'.'.join(keys)} must be a string, not {type(value).__name__}", keys,
                             'write it in quotes, e.g. key = "value"')
        return value

    def table(self, value: Any, keys: tuple[str, ...]) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.error(f"{'.'.join(keys)} must be a table", keys, f"write it as [{'.'.join(keys)}]")
        return value

    def known(self, table: dict[str, Any], valid: tuple[str, ...], keys: tuple[str, ...]) -> None:
        for key in table:
            if key not in valid:
                where = f" in {'.'.join(keys)}" if keys else ""
                raise self.error(f"unknown key {key!r}{where}", (*keys, key),
                                 f"valid keys: {', '.join(valid)}")


def _relation_map(toml: _Toml, name: str, value: Any) -> RelationRules:
    keys = ("relations", name)
    if isinstance(value, str):
        return RelationMap(value)
    if isinstance(value, list):
        if not value:
            raise toml.error(f"relations.{name} is an empty list of rules", keys,
                             f'write {name} = [{{ subject = "…", object = "…", type = "…" }}, {{ type = "…" }}]')
        rules = tuple(_relation_rule(toml, name, item) for item in value)
        for rule, later in zip(rules, rules[1:], strict=False):
            if not (rule.subject or rule.object):
                raise toml.error(f"relations.{name}: a rule follows the default rule (the one without subject "
                                 f"and object), so it is never used: {later}", keys,
                                 "put the default rule last")
        return rules
    return _relation_rule(toml, name, value)


def _relation_rule(toml: _Toml, name: str, value: Any) -> RelationMap:
    keys = ("relations", name)
    table = toml.table(value, keys)
    toml.known(table, ("type", "reverse", "subject", "object"), keys)
    if "type" not in table:
        raise toml.error(f"relations.{name} has no type", keys, f'write {name} = {{ type = "…" }}')
    reverse = table.get("reverse", False)
    if not isinstance(reverse, bool):
        raise toml.error(f"relations.{name}.reverse must be true or false", (*keys, "reverse"))

    def types(key: str) -> tuple[str, ...]:
        found = table.get(key, [])
        names = found if isinstance(found, list) else [found]
        return tuple(toml.string(n, (*keys, key)) for n in names)

    return RelationMap(toml.string(table["type"], (*keys, "type")), reverse, types("subject"), types("object"))


def _event_map(toml: _Toml, name: str, value: Any) -> EventMap:
    keys = ("events", name)
    if isinstance(value, str):
        return EventMap(value)
    table = toml.table(value, keys)
    toml.known(table, ("type", "roles"), keys)
    if "type" not in table:
        raise toml.error(f"events.{name} has no type", keys, f'write {name} = {{ type = "…" }}')
    roles = toml.table(table.get("roles", {}), (*keys, "roles"))
    return EventMap(toml.string(table["type"], (*keys, "type")), MappingProxyType(
        {k: toml.string(v, (*keys, "roles", k)) for k, v in roles.items()}))


def _strings(toml: _Toml, data: dict[str, Any], name: str) -> Mapping[str, str]:
    table = toml.table(data.get(name, {}), (name,))
    return MappingProxyType({k: toml.string(v, (name, k)) for k, v in table.items()})


def _identity(toml: _Toml, data: dict[str, Any]) -> tuple[bool, Mapping[str, tuple[str, ...]]]:
    """``[identity]``: ``merge_aliases`` (true or false) and ``pronouns`` (language → list of words)."""
    table = toml.table(data.get("identity", {}), ("identity",))
    toml.known(table, _IDENTITY_KEYS, ("identity",))
    merge = table.get("merge_aliases", True)
    if not isinstance(merge, bool):
        raise toml.error("identity.merge_aliases must be true or false", ("identity", "merge_aliases"))
    pronouns: dict[str, tuple[str, ...]] = {}
    for lang, words in toml.table(table.get("pronouns", {}), ("identity", "pronouns")).items():
        keys = ("identity", "pronouns", lang)
        if not _LANGUAGE.fullmatch(lang):
            raise toml.error(f"identity.pronouns: {lang!r} is not a language tag", keys, 'e.g. en = ["we", "he"]')
        if not isinstance(words, list):
            raise toml.error(f"identity.pronouns.{lang} must be a list of words", keys, 'e.g. en = ["we", "he"]')
        pronouns[lang.lower()] = tuple(toml.string(w, keys) for w in words)
    return merge, MappingProxyType(pronouns)


def parse_config(toml_text: str, *, root: Path, source: Path | None = None) -> CorpusConfig:
    """Parse the text of a ``kg.toml`` (paths in it are relative to ``root``).

    >>> c = parse_config('base = "https://example.org/kg/"\\n[entities]\\nGPE = "Place"\\n', root=Path("."))
    >>> c.base, dict(c.entities)
    ('https://example.org/kg/', {'GPE': 'Place'})
    """
    path = source or root / "kg.toml"
    try:
        data = tomllib.loads(toml_text)
    except tomllib.TOMLDecodeError as exc:
        at = _TOML_AT.search(str(exc))
        message = _TOML_AT.sub("", str(exc)).strip()
        raise ConfigError(f"TOML syntax error: {message}", file=str(path),
                          line=int(at.group(1)) if at else None, hint="fix the TOML at that line") from None
    toml = _Toml(path, toml_text)
    toml.known(data, _TOP_KEYS, ())

    base = toml.string(data.get("base", DEFAULT_BASE), ("base",))
    if not _BASE.fullmatch(base):
        raise toml.error(f"base {base!r} is not an absolute http(s) or urn IRI ending in / or #", ("base",),
                         f'e.g. base = "{DEFAULT_BASE}"')

    registry: Path | None = None
    if "registry" in data:
        registry = root / toml.string(data["registry"], ("registry",))
        if not registry.is_file():
            raise toml.error(f"registry file {registry} not found", ("registry",),
                             "fix the path (relative to the folder of kg.toml) or remove the line")
    else:
        registry = next((p for p in (root / "actors.yaml", root / "actors.yml") if p.is_file()), None)

    language = toml.string(data["language"], ("language",)) if "language" in data else None
    if language is not None and not _LANGUAGE.fullmatch(language):
        raise toml.error(f"language {language!r} is not a language tag", ("language",),
                         'e.g. language = "ar"')
    outlet = toml.string(data["outlet"], ("outlet",)) if "outlet" in data else None

    attributes = _strings(toml, data, "attributes")
    for name, flag in attributes.items():
        if flag not in (*FLAGS, ""):
            raise toml.error(f"attributes.{name} = {flag!r} is not a flag", ("attributes", name),
                             f"use one of: {', '.join(FLAGS)} (or \"\" to ignore the attribute)")
    relations = toml.table(data.get("relations", {}), ("relations",))
    events = toml.table(data.get("events", {}), ("events",))
    merge_aliases, pronouns = _identity(toml, data)
    return CorpusConfig(
        root=root,
        base=base,
        registry=registry,
        language=language,
        outlet=outlet,
        entities=_strings(toml, data, "entities"),
        relations=MappingProxyType({k: _relation_map(toml, k, v) for k, v in relations.items()}),
        events=MappingProxyType({k: _event_map(toml, k, v) for k, v in events.items()}),
        roles=_strings(toml, data, "roles"),
        attributes=attributes,
        merge_aliases=merge_aliases,
        pronouns=pronouns,
    )


def read_config(corpus_dir: Path) -> CorpusConfig:
    """Read ``corpus_dir/kg.toml``; without one, every setting has its default."""
    path = corpus_dir / "kg.toml"
    if not path.is_file():
        return parse_config("", root=corpus_dir, source=path)
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"invalid UTF-8 at byte {exc.start}", file=str(path),
                          line=raw.count(b"\n", 0, exc.start) + 1, hint="save the file as UTF-8") from None
    return parse_config(text, root=corpus_dir, source=path)


# -- mapping an article ----------------------------------------------------------------------------


class _Mapper:
    """State while one article is mapped: what was kept, what was left out, and the problems."""

    def __init__(self, article: Article, config: CorpusConfig, roles: frozenset[str]) -> None:
        self.article = article
        self.config = config
        self.roles = roles
        self.problems: list[Problem] = list(article.problems)
        self.dropped: dict[str, str] = {}  # id → why it was left out
        self.texts = {e.id: e.text for e in article.entities}

    def problem(self, line: int | None, message: str, hint: str | None = None,
                severity: str = "error") -> None:
        self.problems.append(Problem(self.article.source, line, message, hint, severity))

    def target(self, kind: str, record_id: str, written: str, mapped: str | None, valid: frozenset[str],
               line: int | None) -> str | None:
        """The ontology name for a type, or None (left out, reported unless mapped to "")."""
        if mapped is None:
            if written in valid:
                return written
            table = "entities" if kind == "entity" else f"{kind}s"
            self.problem(line, f"unknown {kind} type {written!r}",
                         f"add it to [{table}] in kg.toml or use one of: {', '.join(sorted(valid))}")
        elif mapped in valid:
            return mapped
        elif mapped:
            self.problem(line, f"kg.toml maps {kind} type {written!r} to {mapped!r}, not an ontology name",
                         f"use one of: {', '.join(sorted(valid))}")
        self.dropped[record_id] = written
        return None

    def claimant(self, claimant: str | None, owner: str, line: int | None) -> str | None:
        """A claimant left out with its entity becomes the entity's text (a free-text claimant)."""
        if claimant is None or claimant not in self.dropped:
            return claimant
        text = self.texts.get(claimant) or claimant
        self.problem(line, f"claimant {claimant} of {owner} ({self.dropped[claimant]}) was left out; "
                     f"its text {text!r} is the claimant", "map its type in kg.toml", "warning")
        return text

    def role(self, event: Event, foreign: str, event_map: EventMap | None) -> str | None:
        mapped = event_map.roles.get(foreign) if event_map is not None else None
        if mapped is None:
            mapped = self.config.roles.get(foreign)
        if mapped is None:
            if foreign in self.roles:
                return foreign
            self.problem(event.line, f"unknown role {foreign!r} in event {event.id} ({event.type})",
                         f"add it to the roles of {event.type} in [events] or to [roles] in kg.toml, "
                         f"or use one of: {', '.join(sorted(self.roles))}")
            return None
        if mapped and mapped not in self.roles:
            self.problem(event.line, f"kg.toml maps role {foreign!r} to {mapped!r}, not an ontology role",
                         f"use one of: {', '.join(sorted(self.roles))}")
            return None
        return mapped or None


def _map_event(m: _Mapper, ev: Event, new_type: str, event_map: EventMap | None) -> Event:
    arguments: list[tuple[str, str]] = []
    place = ev.place
    for foreign, target in ev.arguments:
        role = m.role(ev, foreign, event_map)
        if role is None:
            continue
        if target in m.dropped:
            m.problem(ev.line, f"argument {foreign} of event {ev.id} ({ev.type}) left out: "
                      f"{target} ({m.dropped[target]}) was left out", "map its type in kg.toml", "warning")
        elif role == "place" and place is None:
            place = target
        else:
            arguments.append((role, target))
    if place is not None and place in m.dropped:
        m.problem(ev.line, f"place of event {ev.id} ({ev.type}) left out: "
                  f"{place} ({m.dropped[place]}) was left out", "map its type in kg.toml", "warning")
        place = None
    figures: list[Figure] = []
    for fig in ev.figures:
        of = fig.of
        if of is not None and of in m.dropped:
            m.problem(fig.line, f"whose {fig.kind} figure of event {ev.id} counts: "
                      f"{of} ({m.dropped[of]}) was left out", "map its type in kg.toml", "warning")
            of = None
        figures.append(dataclasses.replace(fig, of=of, claimant=m.claimant(fig.claimant, ev.id, fig.line)))
    return dataclasses.replace(ev, type=new_type, arguments=tuple(arguments), place=place,
                               figures=tuple(figures))


def _rule(m: _Mapper, r: Relation, rules: RelationRules | None, kinds: dict[str, tuple[str, str]],
          is_a: Callable[[str, str], bool]) -> tuple[bool, RelationMap | None]:
    """Whether a rule of kg.toml fits a relation (if not, it is reported), and that rule (None: not mapped)."""
    if rules is None or isinstance(rules, RelationMap):
        if isinstance(rules, RelationMap) and (rules.subject or rules.object):
            rules = (rules,)
        else:
            return True, rules
    unknown = ("?", "?")
    (s_type, s_written), (o_type, o_written) = kinds.get(r.subject, unknown), kinds.get(r.object, unknown)
    for rule in rules:
        if rule.fits(s_type, s_written, o_type, o_written, is_a):
            return True, rule
    m.problem(r.line, f"no rule for {r.type!r} in kg.toml fits {r.id}: {s_written} {r.subject} → "
              f"{o_written} {r.object}",
              'add a rule for these types, or a default rule { type = "…" } (type = "" leaves them out)')
    m.dropped[r.id] = r.type
    return False, None


def apply_scheme(
    article: Article,
    config: CorpusConfig,
    *,
    entity_types: frozenset[str],
    relation_types: frozenset[str],
    event_types: frozenset[str],
    roles: frozenset[str],
    symmetric: frozenset[str] = frozenset(),
    is_a: Callable[[str, str], bool] | None = None,
) -> Article:
    """A copy of the article with ontology names for its types and roles (``article`` is not changed).

    A mapping in ``config`` wins over a name that is already in the ontology (a foreign scheme may use an
    ontology name in another sense). Left out, with a problem in ``Article.problems``: records of unknown
    types (an error), relations whose subject or object was left out, and event arguments pointing to
    something left out (warnings). A relation mapped by rules takes the first rule that fits the types of its
    arguments (``is_a`` from the ontology lets a rule name a superclass). A relation of a ``symmetric`` type is
    never reversed; written in both directions, each annotation is kept (with its own evidence). An event's
    first ``place`` argument becomes its ``place``.
    """
    m = _Mapper(article, config, roles)

    entities: list[Entity] = []
    for e in article.entities:
        new_type = m.target("entity", e.id, e.type, config.entities.get(e.type), entity_types, e.line)
        if new_type is not None:
            entities.append(e if new_type == e.type else dataclasses.replace(e, type=new_type))

    kept: list[tuple[Event, str, EventMap | None]] = []
    for ev in article.events:  # every type first: an event may be the argument of an earlier one
        event_map = config.events.get(ev.type)
        mapped = event_map.type if event_map else None
        new_type = m.target("event", ev.id, ev.type, mapped, event_types, ev.line)
        if new_type is not None:
            kept.append((ev, new_type, event_map))
    events = [_map_event(m, ev, new_type, event_map) for ev, new_type, event_map in kept]

    written = {e.id: e.type for e in article.entities}
    kinds = {e.id: (e.type, written[e.id]) for e in entities}
    kinds.update((ev.id, (new_type, ev.type)) for ev, new_type, _ in kept)
    relations: list[Relation] = []
    for r in article.relations:
        gone = [x for x in (r.subject, r.object) if x in m.dropped]
        rules = config.relations.get(r.type)
        if gone and (rules is not None or r.type in relation_types):
            m.problem(r.line, f"relation {r.id} ({r.type}) left out: its "
                      + " and ".join(f"argument {x} ({m.dropped[x]})" for x in gone) + " was left out",
                      "map the argument's type in kg.toml", "warning")
            continue
        fits, rule = _rule(m, r, rules, kinds, is_a or (lambda a, b: a == b))
        if not fits:
            continue
        new_type = m.target("relation", r.id, r.type, rule.type if rule else None, relation_types, r.line)
        if new_type is None:
            continue
        if gone:
            continue
        subject, obj = r.subject, r.object
        if rule is not None and rule.reverse and new_type not in symmetric:
            subject, obj = obj, subject
        relations.append(dataclasses.replace(r, type=new_type, subject=subject, object=obj,
                                             claimant=m.claimant(r.claimant, r.id, r.line)))

    equivalences = []
    for members in article.equivalences:
        remaining = tuple(x for x in members if x not in m.dropped)
        if len(remaining) > 1:
            equivalences.append(remaining)

    return dataclasses.replace(article, entities=tuple(entities), relations=tuple(relations),
                               events=tuple(events), equivalences=tuple(equivalences),
                               problems=tuple(m.problems))
