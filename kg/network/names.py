"""Names: how kg folds spelling variants, and the one resolver that finds what a name denotes.

Every lookup of a thing by its name goes through here: the registry while mapping mentions
(:meth:`kg.mapping.resolve.Registry.find`), the saved questions' actor parameters
(:func:`kg.sparql.query.resolve_actor`) and the network's analyses and views (:func:`find_actor`). A module
of its own, importing nothing else of kg but the errors, so that all three can use it without an import cycle.

Names are matched after normalisation (:func:`normalize_name`):

* Unicode NFKC (Arabic presentation forms become plain letters), case folding;
* Arabic: diacritics (tashkil, U+064B–U+065F, U+0670) and tatweel removed; alef forms أ إ آ ٱ → ا;
  ى → ي; ة → ه; ؤ → و; ئ → ي; bidi and zero-width marks removed;
* English: a possessive 's is dropped ("Haftar's forces" → "haftar forces"), and so is a leading "the"
  ("The Islamic State" → "islamic state");
* punctuation becomes a space (other apostrophes vanish: "forces'" → "forces"); runs of spaces fold to one.

Arabic words carry clitics. When a name does not match as written, the resolver also tries it with a
leading conjunction (و, ف) removed, then a leading preposition (ب, ل, ك; "لل" → "ال") removed, and every
candidate with and without the definite article "ال" on its first word (:func:`name_keys`). Names are
indexed with and without that article too.

>>> normalize_name("سرايا الدفاع عن بنغازي") == normalize_name("سَرايا الدِّفاع عن بنغازى")
True
>>> normalize_name("Haftar's  Forces")
'haftar forces'
>>> normalize_name("the Islamic State of Iraq and the Levant") == normalize_name("Islamic State of Iraq and the Levant")
True
>>> sorted(name_keys("وبالجزيرة"))[:2]
['الجزيره', 'بالجزيره']
>>> index = name_index([("actor/lna", ["Libyan National Army", "الجيش الوطني الليبي"], ["LNA", "قوات حفتر"])])
>>> resolve_name(index, "وقوات حفتر"), resolve_name(index, "lna")
('actor/lna', 'actor/lna')
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from kg.errors import UnknownActorError

_ARABIC_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff\u061c]")
_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", "ؤ": "و", "ئ": "ي"})
_APOSTROPHES = re.compile("['’ʼ`´]")
_POSSESSIVE = re.compile(r"(?<=\w)['’ʼ`´]s\b")
_LEADING_THE = "the "
_PUNCT = re.compile(r"[^\w\s]|_")
_SPACES = re.compile(r"\s+")
_CONJUNCTIONS = ("و", "ف")
_PREPOSITIONS = ("ب", "ل", "ك")

T = TypeVar("T")


def normalize_arabic(text: str) -> str:
    """Fold Arabic spelling variants (see the module docstring); other scripts pass through.

    >>> normalize_arabic("إسماعيل الصلّابي") == normalize_arabic("اسماعيل الصلابي")
    True
    """
    text = _INVISIBLE.sub("", unicodedata.normalize("NFKC", text))
    return _ARABIC_MARKS.sub("", text).translate(_FOLD)


def normalize_name(text: str) -> str:
    """The matching key of a name: Arabic folded, case folded, possessive and a leading "the" dropped,
    punctuation and spacing folded.

    >>> normalize_name("The  U.S.-led Coalition's"), normalize_name("the")
    ('u s led coalition', 'the')
    """
    text = _POSSESSIVE.sub("", normalize_arabic(text).casefold())
    text = _SPACES.sub(" ", _PUNCT.sub(" ", _APOSTROPHES.sub("", text))).strip()
    return text[len(_LEADING_THE):] if text.startswith(_LEADING_THE) else text


def without_article(key: str) -> str:
    """A folded key without the Arabic definite article on its first word (kept when too short).

    >>> without_article("الجزيره")
    'جزيره'
    """
    return key[2:] if key.startswith("ال") and len(key) > 4 else key


def name_keys(text: str) -> set[str]:
    """Every key under which a name may match: as written, without clitics, without "ال"."""
    key = normalize_name(text)
    candidates = {key}
    if key[:1] in _CONJUNCTIONS and len(key) > 3:
        candidates.add(key[1:])
    for cand in list(candidates):
        if cand.startswith("لل") and len(cand) > 4:
            candidates.add("ال" + cand[2:])
        elif cand[:1] in _PREPOSITIONS and len(cand) > 3:
            candidates.add(cand[1:])
    candidates |= {without_article(c) for c in candidates}
    return {c for c in candidates if c}


def lookup(index: Mapping[str, T], name: str) -> T | None:
    """What ``index`` (folded key → value) holds for a name: as written, else the longest clitic variant.

    >>> lookup({"بنغازي": "benghazi"}, "وبنغازي")
    'benghazi'
    """
    key = normalize_name(name)
    if key in index:
        return index[key]
    for cand in sorted(name_keys(name), key=len, reverse=True):
        if cand in index:
            return index[cand]
    return None


def local_name(iri: str) -> str:
    """The part of an IRI after its last ``#`` or ``/``.

    >>> local_name("https://w3id.org/kg/ontology#commands"), local_name("https://w3id.org/kg/id/actor/lna")
    ('commands', 'lna')
    """
    return re.split(r"[#/]", iri.rstrip("/#"))[-1]


@dataclass(frozen=True)
class NameIndex:
    """Things by their names: ``names`` (id → its labels, then aliases), and folded keys of labels (ids'
    last segments included) and of aliases → the ids that bear them."""

    names: Mapping[str, tuple[str, ...]]
    labels: Mapping[str, frozenset[str]]
    aliases: Mapping[str, frozenset[str]]


def name_index(items: Iterable[tuple[str, Iterable[str | None], Iterable[str | None]]]) -> NameIndex:
    """An index of ``(id, labels, aliases)``; empty or missing names are skipped."""
    names: dict[str, list[str]] = {}
    labels: dict[str, set[str]] = {}
    aliases: dict[str, set[str]] = {}
    for ident, its_labels, its_aliases in items:
        own = names.setdefault(ident, [])
        for texts, keys in ((its_labels, labels), (its_aliases, aliases)):
            for text in texts:
                if text and text not in own:
                    own.append(text)
                if text:
                    key = normalize_name(text)
                    for k in {key, without_article(key)}:
                        keys.setdefault(k, set()).add(ident)
        labels.setdefault(normalize_name(local_name(ident)), set()).add(ident)
    return NameIndex({i: tuple(n) for i, n in names.items()}, {k: frozenset(v) for k, v in labels.items()},
                     {k: frozenset(v) for k, v in aliases.items()})


def resolve_name(index: NameIndex, name: str, *, what: str = "actor",
                 describe: Callable[[str], str] | None = None, hint: str | None = None) -> str:
    """The id a name denotes: the id itself, else a name as written, else a label, then an alias, with
    spelling and clitics folded, else whole words of exactly one name ("الغرياني").

    A name that matches several things raises :class:`UnknownActorError` naming them (``describe`` turns an
    id into its description, by default its first name); one that matches nothing lists close names (or
    gives ``hint`` when none is close).

    >>> index = name_index([("a", ["Same Name"], []), ("b", ["Same Name"], []), ("c", ["Sadiq al-Ghariani"], [])])
    >>> resolve_name(index, "Ghariani")
    'c'
    >>> resolve_name(index, "same name")
    Traceback (most recent call last):
    ...
    kg.errors.UnknownActorError: 'same name' names 2 actors: Same Name, Same Name (give a fuller name or the IRI)
    >>> resolve_name(index, "Sadik al-Gariani")
    Traceback (most recent call last):
    ...
    kg.errors.UnknownActorError: no actor named 'Sadik al-Gariani' (did you mean Sadiq al-Ghariani?)
    """
    text = name.strip()
    if text in index.names:
        return text
    show = describe or (lambda i: index.names[i][0] if index.names.get(i) else local_name(i))
    exact = {i for i, names in index.names.items() if text in names or local_name(i) == text}
    key = normalize_name(text)
    stages: list[Callable[[], set[str]]] = [
        lambda: exact,
        lambda: set(lookup(index.labels, text) or ()),
        lambda: set(lookup(index.aliases, text) or ()),
        lambda: {i for i, names in index.names.items()
                 if key and any(f" {key} " in f" {normalize_name(n)} " for n in names)},
    ]
    for stage in stages:
        found = sorted(stage())
        if len(found) == 1:
            return found[0]
        if found:
            shown = ", ".join(show(i) for i in found[:5])
            raise UnknownActorError(f"{name!r} names {len(found)} {what}s: {shown}",
                                    hint="give a fuller name or the IRI")
    every = {normalize_name(n): n for names in index.names.values() for n in names}
    close = difflib.get_close_matches(key, list(every), n=5, cutoff=0.6)
    raise UnknownActorError(f"no {what} named {name!r}",
                            hint=f"did you mean {', '.join(every[c] for c in close)}?" if close else hint)


def find_actor(network: Any, name: str) -> str:
    """The node of a network (from :func:`kg.network.actor_network`) that a name denotes: its IRI, its id
    (last IRI segment), a label or an alias in either language (see :func:`resolve_name`).

    >>> from kg.network import network_from_triples
    >>> net = network_from_triples([("Khalifa Haftar", "commands", "Libyan National Army")])
    >>> find_actor(net, "khalifa  haftar")
    'Khalifa Haftar'
    >>> find_actor(net, "Khalifa Hafter")
    Traceback (most recent call last):
    ...
    kg.errors.UnknownActorError: no actor named 'Khalifa Hafter' (did you mean Khalifa Haftar?)
    """
    index = name_index((str(node), (data.get("label"), data.get("label_en"), data.get("label_ar")),
                        data.get("aliases") or ()) for node, data in network.nodes(data=True))
    return resolve_name(index, name, describe=lambda n: str(network.nodes[n].get("label", n)),
                        hint="see `kg analyze centrality`")
