"""Names as kg compares them: the folded key of a name, its clitic variants, pronouns, IRI-safe keys.

Names are matched after normalisation (:func:`normalize_name`):

* Unicode NFKC (Arabic presentation forms become plain letters), case folding;
* Arabic: diacritics (tashkil, U+064B–U+065F, U+0670) and tatweel removed; alef forms أ إ آ ٱ → ا;
  ى → ي; ة → ه; ؤ → و; ئ → ي; bidi and zero-width marks removed;
* English: a possessive 's is dropped ("Haftar's forces" → "haftar forces"), and so is a leading "the"
  ("The Islamic State" → "islamic state");
* punctuation becomes a space (other apostrophes vanish: "forces'" → "forces"); runs of spaces fold to one.

Arabic words carry clitics. When a mention does not match as written, the resolver also tries it with
a leading conjunction (و, ف) removed, then a leading preposition (ب, ل, ك; "لل" → "ال") removed, and
every candidate with and without the definite article "ال" on its first word. Registry names are indexed
with and without that article too. Only whole names are matched, never parts of names.

>>> normalize_name("سرايا الدفاع عن بنغازي") == normalize_name("سَرايا الدِّفاع عن بنغازى")
True
>>> normalize_name("Haftar's  Forces")
'haftar forces'
>>> normalize_name("the Islamic State of Iraq and the Levant") == normalize_name("Islamic State of Iraq and the Levant")
True
>>> sorted(name_keys("وبالجزيرة"))[:2]
['الجزيره', 'بالجزيره']
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from collections.abc import Collection
from urllib.parse import quote

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
    """The key without the Arabic article "ال" on its first word (kept when the rest would be too short)."""
    return key[2:] if key.startswith("ال") and len(key) > 4 else key


def name_keys(text: str) -> set[str]:
    """Every key under which a mention may match: as written, without clitics, without "ال"."""
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


def _longest(words: Collection[str]) -> int:
    return _longest_cached(words) if isinstance(words, frozenset) else max(map(len, words), default=0)


@functools.lru_cache(maxsize=64)
def _longest_cached(words: frozenset[str]) -> int:
    return max(map(len, words), default=0)


def is_pronoun(text: str, pronouns: Collection[str]) -> bool:
    """Whether a mention is only a pronoun (``pronouns`` folded by :func:`normalize_name`), clitics allowed.

    A word of two or more capitals ("US", "IT") is an acronym, not a pronoun.

    >>> words = {normalize_name(w) for w in ("we", "us", "هم")}
    >>> is_pronoun("We", words), is_pronoun("US", words), is_pronoun("وهم", words), is_pronoun("ISIL", words)
    (True, False, True, False)
    """
    if not pronouns or (len(text) > 1 and text.isupper()) or len(text) > _longest(pronouns) + 2:
        return False
    key = normalize_name(text)
    keys = {key, key[1:]} if key[:1] in _CONJUNCTIONS else {key}
    keys |= {k[1:] for k in keys if k[:1] in _PREPOSITIONS}
    return any(k in pronouns for k in keys if k)


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
