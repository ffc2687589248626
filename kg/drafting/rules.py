"""Rules the ontology carries: cue phrases for relations, events, figures, qualifiers and claimants.

The phrases live in ``ontology/kg.ttl`` (``kg:cuePhrase``, ``kg:inverseCuePhrase``, tagged ``@ar``/``@en``);
this module only matches them. Matching works on kg's name normalisation (:func:`kg.mapping.resolve.normalize_name`:
Arabic letter variants and diacritics folded, case folded), at word starts, a proclitic (و ف ب ل ك) allowed
before the phrase, and a phrase ending in a one-letter preposition (``الموالي لـ``) may end inside the next
word (``للواء``). Everything here is a pure function of the text; no model is needed.

>>> rules = load_rules()
>>> [(c.key, c.inverse) for c in rules.find("الكتيبة 101 بإمرة الملازم", "relation")]
[('commands', True)]
>>> [(f.count, f.qualifier, f.kind) for f in find_figures("قتل أكثر من 25 وأصيب 15 آخرون", rules)]
[(25, 'more-than', 'killed'), (15, 'exact', 'wounded')]
>>> parse_number_words("خمسة وعشرين"), parse_number_words("twelve")
(25, 12)
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from kg.mapping.resolve import normalize_name

_CLITIC = "(?:[وف]?(?:[بلك]|لل|ال|بال|كال|وال)?)??"
_SENTENCE_END = re.compile(r"[.!?؟؛\n]+(?=\s|$)|\n")
_TOKEN = re.compile(r"\w+", re.UNICODE)
_DIGITS = re.compile(r"[0-9\u0660-\u0669]+(?:[,\u066c][0-9\u0660-\u0669]{3})*")


@dataclass(frozen=True)
class Cue:
    """A cue phrase found in a text: what it signals (a term name or qualifier), where, and its direction."""

    key: str
    start: int
    end: int
    inverse: bool = False


@dataclass(frozen=True)
class FoundFigure:
    """A casualty figure found by the rules: kind, count, qualifier and the words that say it."""

    kind: str
    count: int
    qualifier: str
    start: int
    end: int


@dataclass(frozen=True)
class FoundSource:
    """A claimant found by the rules ("مصادر محلية", "BDB sources"), with the cue that introduced it."""

    start: int
    end: int
    text: str


def normalized(text: str) -> tuple[str, list[int]]:
    """The text normalised character by character, with the original index of each output character.

    >>> normalized("قوّات")[0], normalized("A-b")[0]
    ('قوات', 'a b')
    """
    out: list[str] = []
    where: list[int] = []
    for i, ch in enumerate(text):
        folded = _fold(ch)
        for c in folded:
            out.append(c)
            where.append(i)
    return "".join(out), where


@functools.lru_cache(maxsize=8192)
def _fold(ch: str) -> str:
    """One character as the name normalisation writes it (punctuation and spaces: one space)."""
    folded = normalize_name(ch) if not ch.isspace() else " "
    if not folded and unicodedata.category(ch)[0] in "PS":
        folded = " "
    return folded


def sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans of the text (split at ``. ! ? ؟ ؛`` before a space, and at line ends), blanks left out.

    >>> text = "قتل 5. وقالت مصادر"
    >>> [text[s:e] for s, e in sentences(text)]
    ['قتل 5.', 'وقالت مصادر']
    """
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        spans.append((start, m.end()))
        start = m.end()
    spans.append((start, len(text)))
    out = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))
    return out


def tokens(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Word spans (runs of letters and digits) inside ``text[start:end]``."""
    return [(m.start(), m.end()) for m in _TOKEN.finditer(text, start, len(text) if end is None else end)]


class Rules:
    """The ontology's cue phrases, compiled into one pattern per group (relations, events, figures, …)."""

    def __init__(self, cues: dict[str, tuple[tuple[str, str, bool], ...]], groups: dict[str, Iterable[str]]):
        self.patterns: dict[str, re.Pattern[str]] = {}
        self.meaning: dict[str, dict[str, tuple[str, bool]]] = {}
        for group, keys in groups.items():
            table: dict[str, tuple[str, bool]] = {}
            for key in keys:
                for _lang, phrase, inverse in cues.get(key, ()):
                    norm = normalize_name(phrase)
                    if norm:
                        table.setdefault(norm, (key, inverse))
            self.meaning[group] = table
            alternatives = []
            for norm in sorted(table, key=len, reverse=True):
                body = re.escape(norm).replace(r"\ ", " ")
                tail = "" if re.search(r"(?:^| )[لب]$", norm) else r"(?!\w)"
                alternatives.append(body + tail)
            self.patterns[group] = re.compile(rf"(?<!\w){_CLITIC}((?:{'|'.join(alternatives) or '(?!)'}))")

    def find(self, text: str, group: str, start: int = 0, end: int | None = None) -> list[Cue]:
        """The cues of a group found in ``text[start:end]``, as spans of the original text."""
        piece = text[start:end]
        norm, where = normalized(piece)
        found = []
        for m in self.patterns[group].finditer(norm):
            key, inverse = self.meaning[group][m.group(1)]
            found.append(Cue(key, start + where[m.start(1)], start + where[m.end(1) - 1] + 1, inverse))
        return found


RELATION_GROUP, EVENT_GROUP, FIGURE_GROUP = "relation", "event", "figure"
QUALIFIER_GROUP, CLAIM_GROUP, SOURCE_GROUP = "qualifier", "claim", "source"
QUALIFIERS = ("more-than", "at-least", "about", "at-most")


@functools.lru_cache(maxsize=2)
def load_rules() -> Rules:
    """The rules of the installed ontology (cached)."""
    from kg.ontology import load_ontology

    ont = load_ontology()
    return Rules(ont.cues, {
        RELATION_GROUP: sorted(ont.relation_types), EVENT_GROUP: sorted(ont.event_types),
        FIGURE_GROUP: sorted(ont.figure_kinds), QUALIFIER_GROUP: QUALIFIERS, CLAIM_GROUP: ("claimant",),
        SOURCE_GROUP: ("Source",),
    })


# -- numbers ---------------------------------------------------------------------------------------------

def _table(rows: Iterable[tuple[int, str]]) -> dict[str, int]:
    return {normalize_name(w): n for n, words in rows for w in words.split()}


_UNITS = _table([(1, "واحد واحدة أحد"), (2, "اثنان اثنين اثنتان اثنتين"), (3, "ثلاث ثلاثة"), (4, "أربع أربعة"),
                 (5, "خمس خمسة"), (6, "ست ستة"), (7, "سبع سبعة"), (8, "ثمان ثماني ثمانية"), (9, "تسع تسعة"),
                 (10, "عشر عشرة")])
_TENS = _table([(20, "عشرون عشرين"), (30, "ثلاثون ثلاثين"), (40, "أربعون أربعين"), (50, "خمسون خمسين"),
                (60, "ستون ستين"), (70, "سبعون سبعين"), (80, "ثمانون ثمانين"), (90, "تسعون تسعين")])
_HUNDREDS = _table([(100, "مئة مائة"), (200, "مئتان مئتين مائتان مائتين"), (1000, "ألف"), (2000, "ألفان ألفين")])
_UNITS_EN = ("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
             "sixteen seventeen eighteen nineteen")
_EN = {w: n for n, w in enumerate(_UNITS_EN.split())}
_TENS_EN = "twenty thirty forty fifty sixty seventy eighty ninety"
_EN.update({w: 10 * n for n, w in enumerate(_TENS_EN.split(), 2)})
_EN.update({"hundred": 100, "thousand": 1000, "dozen": 12})
_WORD_NUMBERS = {**_UNITS, **_TENS, **_HUNDREDS, **_EN}


def _word_value(word: str) -> int | None:
    word = normalize_name(word)
    if word in _WORD_NUMBERS:
        return _WORD_NUMBERS[word]
    if word[:1] == "و" and word[1:] in _WORD_NUMBERS:  # "وعشرين": the conjunction written joined
        return _WORD_NUMBERS[word[1:]]
    return None


def parse_number_words(words: str) -> int | None:
    """The number that a run of number words says (Arabic or English), or None.

    >>> parse_number_words("ثلاثة عشر"), parse_number_words("مئة وعشرين"), parse_number_words("عشرات")
    (13, 120, None)
    """
    values = [_word_value(w) for w in words.split()]
    if not values or any(v is None for v in values):
        return None
    total = 0
    for v in values:
        assert v is not None  # noqa: S101 - checked above
        total = total * v if v in (100, 1000) and 0 < total < v else total + v
    return total


def _numbers(text: str, start: int, end: int) -> list[tuple[int, int, int]]:
    """(value, start, end) of every number written in digits or words in ``text[start:end]``."""
    found = []
    for m in _DIGITS.finditer(text, start, end):
        digits = m.group().replace(",", "").replace("\u066c", "")
        if len(digits) <= 9:
            found.append((int(digits.translate(str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789"))), m.start(), m.end()))
    words = tokens(text, start, end)
    i = 0
    while i < len(words):
        j = i
        while j < len(words) and _word_value(text[words[j][0]:words[j][1]]) is not None:
            j += 1
        if j > i:
            s, e = words[i][0], words[j - 1][1]
            value = parse_number_words(" ".join(text[a:b] for a, b in words[i:j]))
            if value is not None and not any(fs <= s < fe for _, fs, fe in found):
                found.append((value, s, e))
            i = j
        else:
            i += 1
    return sorted(found, key=lambda f: f[1])


def find_figures(text: str, rules: Rules, start: int = 0, end: int | None = None) -> list[FoundFigure]:
    """Casualty figures: a number (digits or words, with a qualifier before it) near a figure-kind cue.

    The kind is the nearest figure cue within four words of the number, in the same sentence.
    """
    end = len(text) if end is None else end
    kinds = rules.find(text, FIGURE_GROUP, start, end)
    qualifiers = rules.find(text, QUALIFIER_GROUP, start, end)
    words = tokens(text, start, end)
    out = []
    for value, s, e in _numbers(text, start, end):
        if 1900 <= value <= 2100 and not qualifiers:  # a year, not a count
            continue
        qual = next((q for q in qualifiers if 0 <= s - q.end <= 2), None)
        w = _word_index(words, qual.start if qual else s)
        w_end = _word_index(words, s)
        near = [c for c in kinds if _word_index(words, c.start) - w_end >= -4 and _word_index(words, c.start) - w <= 4]
        if not near:
            continue

        def distance(c: Cue, w: int = w, w_end: int = w_end) -> tuple[int, int]:
            at = _word_index(words, c.start)
            return (w - at if at < w else at - w_end, 0 if at < w else 1)

        kind = min(near, key=distance)
        fs = min(s, kind.start, qual.start if qual else s)
        fe = max(e, kind.end)
        out.append(FoundFigure(kind.key, value, qual.key if qual else "exact", fs, fe))
    return out


def _word_index(words: list[tuple[int, int]], offset: int) -> int:
    return next((i for i, (_a, b) in enumerate(words) if b > offset), len(words))


_SOURCE_STOP = {normalize_name(w) for w in (
    "إن", "أن", "ان", "أنه", "إنه", "بأن", "على", "في", "عن", "the", "that", ",", "said", "told")}


def find_sources(text: str, rules: Rules, start: int = 0, end: int | None = None) -> list[FoundSource]:
    """Claimants a sentence names: a source word (مصادر, sources, …) near a claim cue (قالت, according to, …).

    The source's words run from the source word (or, in English, from the word after the cue) to the next
    stop word ("إن", "that", a ``ل``-prefixed word such as "للجزيرة"), four words at most after the source word.
    """
    end = len(text) if end is None else end
    claims = rules.find(text, CLAIM_GROUP, start, end)
    nouns = rules.find(text, SOURCE_GROUP, start, end)
    words = tokens(text, start, end)
    out: list[FoundSource] = []
    for noun in nouns:
        n = _word_index(words, noun.start)
        if not any(abs(_word_index(words, c.start) - n) <= 4 for c in claims):
            continue
        first = n
        # English "according to BDB sources": the words between the cue and the source word belong to it
        before = [c for c in claims if c.end <= noun.start and _word_index(words, c.end) >= n - 3]
        if before and not _is_arabic(text[noun.start:noun.end]):
            first = _word_index(words, before[-1].end)
        last = n
        for k in range(n + 1, min(n + 5, len(words))):
            word = normalize_name(text[words[k][0]:words[k][1]])
            gap = text[words[k - 1][1]:words[k][0]]
            if word in _SOURCE_STOP or word.startswith("لل") or any(p in gap for p in ",.،:;()"):
                break
            last = k
        s, e = words[first][0], words[last][1]
        if not any(o.start <= s < o.end for o in out):
            out.append(FoundSource(s, e, text[s:e]))
    return out


def _is_arabic(word: str) -> bool:
    return any("\u0600" <= ch <= "\u06ff" for ch in word)
