"""Word features for the entity recogniser: Arabic letter normalisation and clitic-stripped stems.

spaCy's blank pipelines embed a word by four hashed lexical attributes (``NORM``, ``PREFIX``, ``SUFFIX``,
``SHAPE``) that suit English: for Arabic ``SHAPE`` is the same ``xxxx`` for every word, ``PREFIX`` is the
first letter (most often the ``ا`` of the article ``ال``) and ``NORM`` keeps the spelling variants of one
name apart. This module registers the embedding layer ``kg.WordFeatures.v1``, which hashes, for each token:

``norm``    the word with Arabic spelling variants folded (:func:`normalise`: the folding names are matched
            with, :func:`kg.network.names.normalize_arabic`: hamza forms of alef, waw and ya, alef
            maqsura, ta marbuta, diacritics, tatweel, bidi marks; Latin letters lower-cased; digits to 0)
``stem``    the normalised word without its attached clitics (:func:`strip_clitics`: و ف ب ك ل + ال, لل)
``start``   the first two letters of the stem
``end``     the last three letters of the stem
``clitic``  the clitics stripped (``ال``, ``وال``, ``لل``, … or none)
``shape``   the kind of word (Arabic, Latin capitalised or not, digits, punctuation) and a length class

The hashes are stable (BLAKE2b of the string), so a saved pipeline reads the same rows when it is loaded
again; spaCy finds the layer by its registered name once :func:`register` has run (:mod:`kg.drafting.ner`
calls it before building or loading a pipeline; this module imports spaCy only then).

>>> normalise("أحمد"), normalise("إسرائيل"), normalise("مصطفى"), normalise("الجزيرة"), normalise("مـحـمّد")
('احمد', 'اسراييل', 'مصطفي', 'الجزيره', 'محمد')
>>> strip_clitics("والعراق"), strip_clitics("للامم"), strip_clitics("بيروت"), strip_clitics("الصين")
(('وال', 'عراق'), ('لل', 'امم'), ('', 'بيروت'), ('ال', 'صين'))
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from typing import Any

from kg.network.names import normalize_arabic

FEATURES = ("norm", "stem", "start", "end", "clitic", "shape")

_DIGITS_FOLD = str.maketrans({**{chr(0x0660 + i): "0" for i in range(10)}, **{chr(0x06F0 + i): "0" for i in range(10)}})
_DIGITS = re.compile(r"[0-9]")
# Longest first: a proclitic conjunction or preposition, then the article. A bare و/ب/ل/ك/ف is left on the
# word (واشنطن, بيروت, لندن): only the combinations with the article are stripped for sure.
_PROCLITICS = ("وبال", "وكال", "فبال", "وال", "فال", "بال", "كال", "ولل", "فلل", "لل", "ال")
_MIN_STEM = 2


def normalise(word: str) -> str:
    """The word with Arabic spelling variants folded as names are (:func:`kg.network.names.normalize_arabic`),
    Latin lower-cased and every digit made 0.

    >>> normalise("رئيس"), normalise("مؤتمر"), normalise("٢٠١٤"), normalise("\u200fNATO")
    ('رييس', 'موتمر', '0000', 'nato')
    """
    return _DIGITS.sub("0", normalize_arabic(word).translate(_DIGITS_FOLD).lower())


def strip_clitics(norm: str) -> tuple[str, str]:
    """(clitics, stem) of a normalised word: the article with the conjunctions and prepositions before it."""
    for p in _PROCLITICS:
        if norm.startswith(p) and len(norm) - len(p) >= _MIN_STEM:
            return p, norm[len(p):]
    return "", norm


def shape(word: str, *, longest: int = 8, punctuation: int = 3) -> str:
    """What a word looks like: its script or kind and its length up to ``longest``; punctuation as ``p`` and
    its first ``punctuation`` characters.

    >>> shape("بيروت"), shape("UN"), shape("1990"), shape("(U.S."), shape("(U.S.", punctuation=0)
    ('ar5', 'X2', 'd4', 'p(U.', 'p')
    """
    if not word:
        return ""
    first = word[0]
    if "\u0600" <= first <= "\u06ff":
        kind = "ar"
    elif first.isdigit():
        kind = "d"
    elif first.isalpha():
        kind = "X" if first.isupper() else "x"
    else:
        return "p" + word[:punctuation]
    return kind + str(min(len(word), longest))


def _hash(s: str) -> int:
    return int.from_bytes(hashlib.blake2b(s.encode("utf-8"), digest_size=8).digest(), "little")


@lru_cache(maxsize=200_000)
def word_features(word: str) -> tuple[int, ...]:
    """The hashed features of one word, in the order of :data:`FEATURES`."""
    norm = normalise(word)
    clitic, stem = strip_clitics(norm)
    values = (norm, stem, stem[:2], stem[-3:], clitic, shape(word))
    return tuple(_hash(f"{name}={value}") for name, value in zip(FEATURES, values, strict=True))


def register() -> None:
    """Register ``kg.WordFeatures.v1`` with spaCy (once; before a pipeline naming it is built or loaded)."""
    from spacy.util import registry

    if "kg.WordFeatures.v1" in registry.architectures:
        return

    @registry.architectures("kg.WordFeatures.v1")
    def word_feature_embed(width: int, rows: list[int]) -> Any:
        """Hash-embed :data:`FEATURES` (one table each, ``rows`` long) and mix them to ``width``."""
        import numpy
        from thinc.api import HashEmbed, Maxout, Model, chain, concatenate, list2ragged, ragged2list, with_array

        if len(rows) != len(FEATURES):
            raise ValueError(f"kg.WordFeatures.v1 needs {len(FEATURES)} row counts, not {len(rows)}")

        def forward(model: Any, docs: Any, is_train: bool) -> Any:
            out = []
            for doc in docs:
                table = numpy.array([word_features(t.text) for t in doc], dtype="uint64")
                out.append(model.ops.asarray(table.reshape(len(doc), len(FEATURES)), dtype="uint64"))
            return out, lambda d: []

        extract: Any = Model("kg_word_features", forward)
        embeds: list[Any] = [HashEmbed(width, n, column=i, seed=11 + i, dropout=0.0) for i, n in enumerate(rows)]
        return chain(extract, list2ragged(), with_array(concatenate(*embeds)),
                     with_array(Maxout(width, width * len(FEATURES), nP=3, dropout=0.0, normalize=True)),
                     ragged2list())

