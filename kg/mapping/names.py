"""Names as the mapping needs them: pronouns, and the deterministic IRI-safe key of a name.

Folding (Arabic and English rules, clitics) is :mod:`kg.network.names`, the one place every lookup by name
goes through; it is re-exported here.

>>> slug("Haftar's forces") == slug("haftar forces")
True
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Collection
from urllib.parse import quote

from kg.network.names import name_keys as name_keys
from kg.network.names import normalize_arabic as normalize_arabic
from kg.network.names import normalize_name
from kg.network.names import without_article as without_article

_CONJUNCTIONS = ("و", "ف")
_PREPOSITIONS = ("ب", "ل", "ك")


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
