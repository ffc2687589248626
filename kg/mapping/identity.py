"""Identity in a corpus: pronouns are not actors, and aliases hold across the corpus's articles.

An entity all of whose mentions are pronouns ("We", "his", "هم") names nobody by itself. When an alias
annotation (a brat ``*`` set, an ``alsoKnownAs`` relation) links it to a named entity, it is kept and
resolves to that entity's node, without giving the node its pronoun as a name; otherwise
:func:`leave_out_pronouns` leaves it out, with what refers to it, and says so in a warning naming the file
and line. kg.toml's ``[identity.pronouns]`` replaces the list of a language or adds one; an article whose
language has no list is checked against every list.

:func:`corpus_aliases` joins, across articles, the names that the alias annotations of any article of a corpus
merge; :func:`resolve_in_corpus` resolves an article with its corpus's settings and that table.

>>> from kg.model import Article, Entity, Mention, Relation, Span
>>> text = "We fight the LNA."
>>> art = Article("a", text, source="a.ann", entities=(
...     Entity("T1", "ArmedGroup", (Mention((Span(0, 2),), "We"),), line=1),
...     Entity("T2", "ArmedGroup", (Mention((Span(13, 16),), "LNA"),), line=2)),
...     relations=(Relation("R1", "hostileTo", "T1", "T2", line=3),))
>>> out = leave_out_pronouns(art)
>>> [e.id for e in out.entities], out.relations
(['T2'], ())
>>> print(out.problems[0])  # doctest: +ELLIPSIS
a.ann:1: warning: T1 'We' is a pronoun: it is not made into an actor (annotate the name it stands for, ...)
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import os
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from kg.mapping.names import is_pronoun, normalize_name
from kg.mapping.resolve import ALIAS, Registry, Resolution, resolve_article
from kg.model import Article, Entity, Event, Figure, Problem, Relation

if TYPE_CHECKING:
    from kg.ontology import Ontology
    from kg.reading.corpus import ArticleFiles, Corpus
    from kg.reading.scheme import CorpusConfig

#: kg's pronouns by language (primary language subtag); kg.toml ``[identity.pronouns]`` replaces a list.
PRONOUNS: dict[str, tuple[str, ...]] = {
    "en": ("i", "me", "my", "mine", "myself", "we", "us", "our", "ours", "ourselves", "you", "your", "yours",
           "yourself", "yourselves", "he", "him", "his", "himself", "she", "her", "hers", "herself", "it", "its",
           "itself", "they", "them", "their", "theirs", "themselves", "who", "whom", "whose", "which", "this",
           "that", "these", "those"),
    "ar": ("أنا", "نحن", "أنت", "أنتِ", "أنتما", "أنتم", "أنتن", "هو", "هي", "هما", "هم", "هن", "إياه", "إياها",
           "إياهم", "إيانا", "ه", "ها", "هم", "هما", "هن", "نا", "ي", "ك", "كم", "هذا", "هذه", "هؤلاء", "ذلك", "تلك",
           "أولئك", "الذي", "التي", "الذين", "اللذان", "اللتان", "اللواتي", "اللاتي"),
}


def pronoun_words(language: str | None, overrides: Mapping[str, Sequence[str]] | None = None) -> frozenset[str]:
    """The folded pronouns for an article's language (``en-GB`` → ``en``); every list when it has none.

    >>> "we" in pronoun_words("en-GB"), "هم" in pronoun_words("ar"), "we" in pronoun_words(None)
    (True, True, True)
    >>> pronoun_words("en", {"en": []})
    frozenset()
    """
    primary = (language or "").replace("_", "-").split("-")[0].lower()
    return _pronoun_words(primary, tuple((k.lower(), tuple(v)) for k, v in (overrides or {}).items()))


@functools.lru_cache(maxsize=64)
def _pronoun_words(primary: str, overrides: tuple[tuple[str, tuple[str, ...]], ...]) -> frozenset[str]:
    lists = {**PRONOUNS, **dict(overrides)}
    chosen = [lists[primary]] if primary in lists else list(lists.values())
    return frozenset(key for words in chosen for w in words if (key := normalize_name(w)))


def _linked_to_names(article: Article, pronoun_ids: set[str]) -> set[str]:
    """The pronoun entities an alias annotation joins (through others, too) to an entity with a name."""
    links = [(g[0], x) for g in article.equivalences for x in g[1:]]
    links += [(r.subject, r.object) for r in article.relations
              if r.type == ALIAS and not (r.negated or r.uncertain or r.intended)]
    named = {e.id for e in article.entities} - pronoun_ids
    reached = set(named)
    changed = True
    while changed:
        changed = False
        for a, b in links:
            if (a in reached) != (b in reached):
                reached |= {a, b}
                changed = True
    return reached & pronoun_ids


def leave_out_pronouns(article: Article, *, pronouns: Mapping[str, Sequence[str]] | None = None,
                       merge_aliases: bool = True) -> Article:
    """The article without its pronoun-only entities (and the relations, arguments and figures that refer to
    them), each left out with a warning in ``Article.problems``. Entities with a name and a pronoun keep both
    mentions, the name first."""
    words = pronoun_words(article.metadata.language, pronouns)
    if not words:
        return article
    entities: list[Entity] = []
    pronoun_ids: set[str] = set()
    for e in article.entities:
        flags = [is_pronoun(m.text, words) for m in e.mentions]
        if e.mentions and all(flags):
            pronoun_ids.add(e.id)
        elif any(flags) and flags[0]:  # the entity's name is its first mention: put a name first
            e = dataclasses.replace(e, mentions=tuple(m for m, f in zip(e.mentions, flags, strict=True) if not f)
                                    + tuple(m for m, f in zip(e.mentions, flags, strict=True) if f))
        entities.append(e)
    if not pronoun_ids:
        return dataclasses.replace(article, entities=tuple(entities))
    gone = pronoun_ids - (_linked_to_names(article, pronoun_ids) if merge_aliases else set())
    if not gone:
        return dataclasses.replace(article, entities=tuple(entities))
    texts = {e.id: e.text for e in article.entities}
    source = article.source or article.id
    problems = list(article.problems)

    def warn(line: int | None, message: str, hint: str) -> None:
        problems.append(Problem(source, line, message, hint, "warning"))

    def named(x: str) -> str:
        return f"{x} ({texts[x]!r}, a pronoun)"

    for e in entities:
        if e.id in gone:
            warn(e.line, f"{e.id} {e.text!r} is a pronoun: it is not made into an actor",
                 "annotate the name it stands for, or join it to that name with a brat `*` Equiv set or an "
                 "alias relation; [identity.pronouns] in kg.toml sets the pronouns of a language")
    relations: list[Relation] = []
    for r in article.relations:
        lost = [x for x in (r.subject, r.object) if x in gone]
        if lost:
            warn(r.line, f"relation {r.id} ({r.type}) left out: it joins " + " and ".join(map(named, lost)),
                 "relate the name the pronoun stands for")
            continue
        if r.claimant in gone:
            warn(r.line, f"the claimant of {r.id} is {named(r.claimant)}: its text is the claimant",
                 "name the claimant the pronoun stands for")
            r = dataclasses.replace(r, claimant=texts[r.claimant])
        relations.append(r)
    events = [_event_without(ev, gone, texts, warn, named) for ev in article.events]
    equivalences = tuple(kept for g in article.equivalences if len(kept := tuple(x for x in g if x not in gone)) > 1)
    return dataclasses.replace(article, entities=tuple(e for e in entities if e.id not in gone),
                               relations=tuple(relations), events=tuple(events), equivalences=equivalences,
                               problems=tuple(problems))


def _event_without(ev: Event, gone: set[str], texts: Mapping[str, str], warn, named) -> Event:  # type: ignore[no-untyped-def]
    arguments = []
    for role, target in ev.arguments:
        if target in gone:
            warn(ev.line, f"argument {role} of event {ev.id} left out: {named(target)}",
                 "give the event the name the pronoun stands for")
        else:
            arguments.append((role, target))
    place = ev.place
    if place in gone:
        warn(ev.line, f"place of event {ev.id} left out: {named(place)}", "give the event the place's name")
        place = None
    claimant = ev.claimant
    if claimant in gone:
        warn(ev.line, f"the claimant of event {ev.id} is {named(claimant)}: its text is the claimant",
             "name the claimant the pronoun stands for")
        claimant = texts[claimant]
    figures: list[Figure] = []
    for fig in ev.figures:
        of, by = fig.of, fig.claimant
        if of in gone:
            warn(fig.line, f"whose {fig.kind} figure of event {ev.id} counts: {named(of)}, left out",
                 "say whose losses with the name the pronoun stands for")
            of = None
        if by in gone:
            warn(fig.line, f"the claimant of a {fig.kind} figure of event {ev.id} is {named(by)}: its text is "
                 "the claimant", "name the claimant the pronoun stands for")
            by = texts[by]
        figures.append(dataclasses.replace(fig, of=of, claimant=by))
    return dataclasses.replace(ev, arguments=tuple(arguments), place=place, claimant=claimant,
                               figures=tuple(figures))


def resolve_in_corpus(article: Article, config: CorpusConfig, registry: Registry, ontology: Ontology, *,
                      aliases: Mapping[str, str] | None = None, coreference: bool = True) -> Resolution:
    """:func:`kg.mapping.resolve.resolve_article` with a corpus's settings: base IRI, ``[identity]`` of kg.toml,
    and the corpus's alias table (:func:`corpus_aliases`)."""
    return resolve_article(article, registry, base=config.base, ontology=ontology,
                           merge_aliases=config.merge_aliases, aliases=aliases or {}, coreference=coreference,
                           pronouns=pronoun_words(article.metadata.language, config.pronouns))


# -- the corpus's alias table -------------------------------------------------------------------------------

_TABLES: dict[tuple[object, ...], dict[str, str]] = {}
_LAST: list[Any] = []  # the last corpus asked about, and its table


def _alias_words(config: CorpusConfig) -> tuple[str, ...]:
    """Words without which an annotation file holds no alias relation (a cheap filter before reading it)."""
    foreign = [name for name, rules in config.relations.items()
               if any(r.type == ALIAS for r in (rules if isinstance(rules, tuple) else (rules,)))]
    return (ALIAS, *foreign)


def _key(corpus: Corpus) -> tuple[object, ...]:
    """What the alias table depends on: the corpus, and every file's path, time and size, as one digest (kept
    whole, the stamps of 100,000 articles took 26 MB in the building process and in each worker)."""
    digest = hashlib.sha256()
    for path in (p for f in corpus.files for p in f.paths if p is not None):
        try:
            st = os.stat(path)
        except OSError:
            continue
        digest.update(f"{path}\0{st.st_mtime_ns}\0{st.st_size}\n".encode("utf-8", "surrogateescape"))
    return (str(corpus.root.resolve()), corpus.config.base, corpus.config.merge_aliases, digest.hexdigest())


def corpus_aliases(corpus: Corpus, ontology: Ontology, *,
                   may_hold: Callable[[ArticleFiles, tuple[str, ...]], bool] | None = None) -> dict[str, str]:
    """The node IRI of a name → the node its corpus's alias relations merge it into, in any article.

    An alias annotated in one article ("ISIL, known as Daesh") then also joins the names where another article
    names only one of them. brat ``*`` sets are left out: they often join a name to a description ("the
    group") that holds in its own article only. Computed once a process for a corpus whose files are
    unchanged; only annotation files that can hold an alias relation are read. Empty when kg.toml turns
    merging off.
    """
    if not corpus.config.merge_aliases:
        return {}
    if _LAST and _LAST[0] is corpus:  # the same corpus object: its files were looked at already
        return _LAST[1]
    key = _key(corpus)
    if key not in _TABLES:
        _TABLES.clear()
        _TABLES[key] = _build_table(corpus, ontology, may_hold or holds_words)
    _LAST[:] = [corpus, _TABLES[key]]
    return _TABLES[key]


def holds_words(files: ArticleFiles, words: tuple[str, ...]) -> bool:
    """Whether an article's annotation file holds any of ``words`` (it is read)."""
    raw = files.annotation.read_text(encoding="utf-8", errors="replace") if files.annotation else ""
    return any(w in raw for w in words)


def _build_table(corpus: Corpus, ontology: Ontology,
                 may_hold: Callable[[ArticleFiles, tuple[str, ...]], bool]) -> dict[str, str]:
    from kg.errors import KGError
    from kg.reading.corpus import read_article
    from kg.reading.scheme import apply_scheme

    words = _alias_words(corpus.config)
    parent: dict[str, str] = {}
    members: dict[str, set[str]] = {}  # root → its nodes
    kinds: dict[str, set[str]] = {}  # root → the types of its entities
    entries: dict[str, set[str]] = {}  # root → the registry ids among its nodes
    registered: set[str] = set()  # nodes of registry entries

    def root(x: str) -> str:
        if x not in parent:
            parent[x], members[x], kinds[x], entries[x] = x, {x}, set(), set()
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for files in corpus.files:
        try:
            if not may_hold(files, words):
                continue
            article = read_article(files, corpus.config)
            article = apply_scheme(
                article, corpus.config, entity_types=ontology.entity_types, relation_types=ontology.relation_types,
                event_types=ontology.event_types, roles=ontology.roles, is_a=ontology.is_a,
                symmetric=frozenset(n for n in ontology.relation_types if ontology.term(n).symmetric))
            article = leave_out_pronouns(article, pronouns=corpus.config.pronouns)
            own = resolve_in_corpus(article, dataclasses.replace(corpus.config, merge_aliases=False),
                                    corpus.registry, ontology)
            # alias relations only: a * set is often coreference ("the group"), true in its article alone
            merged = resolve_in_corpus(article, corpus.config, corpus.registry, ontology, coreference=False)
        except (KGError, OSError, ValueError):
            continue  # the article's own processing reports it
        for mine in own.values():
            if mine.label is not None or mine.entry is not None:  # not a pronoun
                kinds[root(mine.iri)].add(mine.type)
            if mine.entry is not None:
                entries[root(mine.iri)].add(mine.entry.id)
                registered.add(mine.iri)
        for x, mine in own.items():
            if mine.iri == merged[x].iri or (mine.label is None and mine.entry is None):
                continue  # not merged, or a pronoun (it names nobody elsewhere)
            a, b = root(mine.iri), root(merged[x].iri)
            if a == b:
                continue
            if len(entries[a] | entries[b]) > 1 or any(ontology.disjoint(s, t) for s in kinds[a] for t in kinds[b]):
                continue  # the article's own resolution reports what it keeps apart
            parent[b] = a
            members[a] |= members.pop(b)
            kinds[a] |= kinds.pop(b)
            entries[a] |= entries.pop(b)
    table: dict[str, str] = {}
    for group in members.values():
        if len(group) < 2:
            continue
        ordered = sorted(group)
        chosen = (next((n for n in ordered if n in registered), None)
                  or next((n for n in ordered if "/wd-Q" in n), None) or ordered[0])
        table.update({n: chosen for n in group if n != chosen})
    return table


def aliases_digest(corpus: Corpus, ontology: Ontology | None = None, *,
                   may_hold: Callable[[ArticleFiles, tuple[str, ...]], bool] | None = None) -> str:
    """A hash of the corpus's alias table: an article is mapped again when another's aliases change it.
    ``may_hold(files, words)`` tells whether an article's annotation file holds any of the words an alias
    relation needs (default: read it)."""
    import hashlib

    from kg.ontology import load_ontology

    table = corpus_aliases(corpus, ontology or load_ontology(), may_hold=may_hold)
    if not table:
        return ""  # the hashes of corpora without cross-article aliases stay as they were
    return hashlib.sha256("\n".join(f"{k} {v}" for k, v in sorted(table.items())).encode()).hexdigest()
