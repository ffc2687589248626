"""Reading the number a quantity span names ("أكثر من ٢٥", "ستة جنود", "1,200") for casualty figures.

>>> parse_count("more than 25")
(25, 'more-than')
"""

from __future__ import annotations

import re

_NUMBER = re.compile(r"\d+(?:[,\u066c]\d{3})*")
_WORD = re.compile(r"\w+")
# Arabic letters folded for matching number words: hamza forms of alef, taa marbuta, alef maqsura.
_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ة": "ه", "ى": "ي", "ـ": None,
                       **{chr(c): None for c in range(0x064B, 0x0653)}})
_NUMBER_WORDS = {
    **{w.translate(_FOLD): n for n, words in enumerate((
        ("واحد", "واحدة"), ("اثنان", "اثنين", "اثنتان", "اثنتين"), ("ثلاث", "ثلاثة"), ("أربع", "أربعة"),
        ("خمس", "خمسة"), ("ست", "ستة"), ("سبع", "سبعة"), ("ثمان", "ثماني", "ثمانية"), ("تسع", "تسعة"),
        ("عشر", "عشرة")), 1) for w in words},
    **{w: n for n, w in enumerate(
        ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"), 1)},
}
_QUALIFIERS = tuple((phrase.translate(_FOLD), q) for phrase, q in (
    ("more than", "more-than"), ("over", "more-than"), ("أكثر من", "more-than"),
    ("at least", "at-least"), ("على الأقل", "at-least"), ("لا يقل عن", "at-least"),
    ("at most", "at-most"), ("up to", "at-most"),
    ("about", "about"), ("around", "about"), ("approximately", "about"), ("nearly", "about"),
    ("نحو", "about"), ("حوالي", "about"), ("قرابة", "about"), ("زهاء", "about"),
))


def parse_count(span_text: str) -> tuple[int, str] | None:
    """The number a quantity names and its qualifier, or None when it names no number.

    Western and Arabic-Indic digits and the number words one to ten (Arabic or English) are read.

    >>> parse_count("أكثر من ٢٥")
    (25, 'more-than')
    >>> parse_count("ستة جنود")
    (6, 'exact')
    >>> parse_count("1,200"), parse_count("dozens")
    ((1200, 'exact'), None)
    """
    words = _WORD.findall(span_text.lower().translate(_FOLD))
    padded = f" {' '.join(words)} "
    qualifier = next((q for phrase, q in _QUALIFIERS if f" {phrase} " in padded), "exact")
    digits = _NUMBER.search(span_text)
    if digits is not None:
        number = digits.group().replace(",", "").replace("\u066c", "")
        return (int(number), qualifier) if len(number) <= 18 else None
    for word in words:
        n = _NUMBER_WORDS.get(word)
        if n is None and word.startswith("و"):  # "and six": the conjunction is written joined
            n = _NUMBER_WORDS.get(word[1:])
        if n is not None:
            return n, qualifier
    return None
