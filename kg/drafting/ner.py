"""The entity recogniser: a spaCy 3.8 blank pipeline (``ar``, ``en``, …) with one ``ner`` component.

spaCy is the optional extra ``draft`` (``pip install 'kg[draft]'``) and is imported only here. Nothing is
downloaded: a blank pipeline has a rule-based tokenizer and no vectors, and the recogniser learns its own
hashed word, prefix, suffix and shape embeddings from the corpus. Training and prediction go sentence by
sentence (:func:`kg.drafting.rules.sentences`), so offsets stay those of the article text.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from kg.errors import KGError
from kg.model import Article

Span3 = tuple[int, int, str]  # start, end, type
_BLANK = ("ar", "en", "fr")
EMBED_ROWS = 10000


def require_spacy() -> Any:
    """Import spaCy or say how to install it."""
    try:
        import spacy
    except ImportError:
        raise KGError("training and drafting with a model need spaCy",
                      hint="pip install 'kg[draft]' (spaCy 3.8; no model is downloaded)") from None
    return spacy


def sentence_samples(article: Article) -> list[tuple[int, str, list[Span3]]]:
    """(offset, sentence text, entity spans relative to the sentence) for every sentence of the article.

    Nested or overlapping mentions keep the longest (a recogniser tags flat spans); a mention that crosses
    a sentence end is left out.
    """
    from kg.drafting.rules import sentences

    spans = sorted(((s.start, s.end, e.type) for e in article.entities for m in e.mentions for s in m.spans),
                   key=lambda x: (x[0], -(x[1] - x[0])))
    flat: list[Span3] = []
    for s, e, t in sorted(spans, key=lambda x: -(x[1] - x[0])):
        if not any(s < fe and fs < e for fs, fe, _ in flat):
            flat.append((s, e, t))
    out = []
    for s, e in sentences(article.text):
        inside = sorted((a - s, b - s, t) for a, b, t in flat if a >= s and b <= e)
        out.append((s, article.text[s:e], inside))
    return out


def blank(lang: str) -> Any:
    """A blank spaCy pipeline for the language (``xx``, multi-language, when spaCy has none for it)."""
    spacy = require_spacy()
    return spacy.blank(lang if lang in _BLANK or _has_language(spacy, lang) else "xx")


def _has_language(spacy: Any, lang: str) -> bool:
    try:
        spacy.util.get_lang_class(lang)
    except (ImportError, KeyError):
        return False
    return True


def _example(nlp: Any, text: str, spans: Sequence[Span3]) -> Any:
    from spacy.training import Example
    from spacy.util import filter_spans

    doc = nlp.make_doc(text)
    ents = [sp for s, e, t in spans if (sp := doc.char_span(s, e, label=t, alignment_mode="expand")) is not None]
    gold = nlp.make_doc(text)
    gold.ents = [gold.char_span(sp.start_char, sp.end_char, label=sp.label_) for sp in filter_spans(ents)]
    return Example(doc, gold)


def train_ner(samples: Iterable[tuple[str, Sequence[Span3]]], lang: str, *, epochs: int = 12, seed: int = 0,
              dropout: float = 0.2, progress: Callable[[int, float], None] | None = None) -> Any:
    """Train a recogniser on (sentence, spans) samples; ``progress(epoch, loss)`` after each epoch."""
    spacy = require_spacy()
    from spacy.util import compounding, fix_random_seed, minibatch

    fix_random_seed(seed)
    nlp = blank(lang)
    # More hash rows than spaCy's default 2,000: a news corpus has tens of thousands of word forms (Arabic
    # clitics multiply them), and names are the rare ones that collide.
    nlp.add_pipe("ner", config={"model": {"tok2vec": {"embed_size": EMBED_ROWS}}})
    examples = [_example(nlp, text, spans) for text, spans in samples if text.strip()]
    if not any(ex.reference.ents for ex in examples):
        raise KGError(f"no entity to learn from in the {lang!r} articles",
                      hint="annotate some entities first (kg check lists what is read)")
    optimizer = nlp.initialize(lambda: examples)
    rng = random.Random(seed)
    del spacy
    for epoch in range(1, epochs + 1):
        rng.shuffle(examples)
        losses: dict[str, float] = {}
        for batch in minibatch(examples, size=compounding(8.0, 48.0, 1.01)):
            nlp.update(batch, drop=dropout, sgd=optimizer, losses=losses)
        if progress is not None:
            progress(epoch, losses.get("ner", 0.0))
    return nlp


def predict(nlp: Any, text: str) -> list[Span3]:
    """Entity spans the recogniser finds in a text, as offsets into the text."""
    from kg.drafting.rules import sentences

    spans = sentences(text)
    out: list[Span3] = []
    for (s, _e), doc in zip(spans, nlp.pipe([text[a:b] for a, b in spans], batch_size=64), strict=True):
        out.extend((s + ent.start_char, s + ent.end_char, ent.label_) for ent in doc.ents)
    return out


def save(nlp: Any, folder: Path) -> None:
    nlp.to_disk(folder)


def load(folder: Path) -> Any:
    """Load a recogniser saved by :func:`save` (from the folder only: nothing is downloaded)."""
    spacy = require_spacy()
    started = time.perf_counter()
    nlp = spacy.load(folder)
    del started
    return nlp
