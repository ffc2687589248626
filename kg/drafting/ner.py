"""The entity recogniser: a spaCy 3.8 blank pipeline (``ar``, ``en``, …) with one ``ner`` component.

spaCy is the optional extra ``draft`` (``pip install 'kg[draft]'``) and is imported only here. Nothing is
downloaded: a blank pipeline has a rule-based tokenizer and no vectors, and the recogniser learns its own
hashed word, prefix, suffix and shape embeddings from the corpus. Training and prediction go sentence by
sentence (:func:`kg.drafting.rules.sentences`), so offsets stay those of the article text.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from kg.drafting.scores import Counts
from kg.errors import KGError, require
from kg.model import Article

Span3 = tuple[int, int, str]  # start, end, type
_BLANK = ("ar", "en", "fr")
EMBED_ROWS = 10000
WIDTH = 128
DEPTH = 4
HIDDEN = 64
EPOCHS = 20
PATIENCE = 3


def require_spacy() -> Any:
    """Import spaCy or say how to install it."""
    return require("spacy", message="training and drafting with a model need spaCy",
                   hint="pip install 'kg[draft]' (spaCy 3.8; no model is downloaded)")


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


def ner_config(*, width: int = WIDTH, depth: int = DEPTH, rows: int = EMBED_ROWS, hidden: int = HIDDEN,
               features: str = "words") -> dict[str, Any]:
    """The ``ner`` component's model: kg's word features (:mod:`kg.drafting.features`) or spaCy's own
    (``features="spacy"``: NORM, PREFIX, SUFFIX, SHAPE), a CNN of ``depth`` layers of ``width``, and the
    transition-based tagger with ``hidden`` units."""
    from kg.drafting.features import FEATURES, register

    register()
    if features == "spacy":
        tok2vec: dict[str, Any] = {"@architectures": "spacy.HashEmbedCNN.v2", "pretrained_vectors": None,
                                   "width": width, "depth": depth, "embed_size": rows, "window_size": 1,
                                   "maxout_pieces": 3, "subword_features": True}
    else:
        tok2vec = {"@architectures": "spacy.Tok2Vec.v2",
                   "embed": {"@architectures": "kg.WordFeatures.v1", "width": width,
                             "rows": [rows, rows, rows // 2, rows // 2, 100, 200][:len(FEATURES)]},
                   "encode": {"@architectures": "spacy.MaxoutWindowEncoder.v2", "width": width,
                              "window_size": 1, "maxout_pieces": 3, "depth": depth}}
    return {"model": {"@architectures": "spacy.TransitionBasedParser.v2", "state_type": "ner",
                      "extra_state_tokens": False, "hidden_width": hidden, "maxout_pieces": 2,
                      "use_upper": True, "tok2vec": tok2vec}}


def exact_f1(nlp: Any, samples: Sequence[tuple[str, Sequence[Span3]]]) -> float:
    """Micro F1 of exact spans and types of the recogniser on (sentence, spans) samples."""
    texts = [t for t, _ in samples]
    counts = Counts()
    for doc, (_t, spans) in zip(nlp.pipe(texts, batch_size=64), samples, strict=True):
        counts.add(Counts.of(((e.start_char, e.end_char, e.label_) for e in doc.ents), spans))
    return counts.f1


def train_ner(samples: Iterable[tuple[str, Sequence[Span3]]], lang: str, *, epochs: int = EPOCHS, seed: int = 0,
              dropout: float = 0.2, dev: Sequence[tuple[str, Sequence[Span3]]] = (), patience: int = PATIENCE,
              progress: Callable[[int, float, float | None], None] | None = None, **config: Any) -> Any:
    """Train a recogniser on (sentence, spans) samples; ``progress(epoch, loss, dev F1)`` after each epoch.

    With ``dev`` samples (a part of the training articles, never the held-out ones), training stops when the
    exact-span F1 on them has not risen for ``patience`` epochs, and the weights of the best epoch are kept.
    ``config`` goes to :func:`ner_config`.
    """
    spacy = require_spacy()
    from spacy.util import compounding, fix_random_seed, minibatch

    fix_random_seed(seed)
    nlp = blank(lang)
    nlp.add_pipe("ner", config=ner_config(**config))
    examples = [_example(nlp, text, spans) for text, spans in samples if text.strip()]
    if not any(ex.reference.ents for ex in examples):
        raise KGError(f"no entity to learn from in the {lang!r} articles",
                      hint="annotate some entities first (kg check lists what is read)")
    optimizer = nlp.initialize(lambda: examples)
    rng = random.Random(seed)
    del spacy
    best, best_epoch, best_weights = -1.0, 0, None
    for epoch in range(1, epochs + 1):
        rng.shuffle(examples)
        losses: dict[str, float] = {}
        for batch in minibatch(examples, size=compounding(8.0, 48.0, 1.01)):
            nlp.update(batch, drop=dropout, sgd=optimizer, losses=losses)
        score = exact_f1(nlp, dev) if dev else None
        if progress is not None:
            progress(epoch, losses.get("ner", 0.0), score)
        if score is None:
            continue
        if score > best:
            best, best_epoch, best_weights = score, epoch, nlp.get_pipe("ner").to_bytes()
        elif epoch - best_epoch >= patience:
            break
    if best_weights is not None:
        nlp.get_pipe("ner").from_bytes(best_weights)
    nlp.meta["kg"] = {"epochs": epoch, "best_epoch": best_epoch or epoch,
                      "dev_f1": round(best, 4) if best >= 0 else None}
    return nlp


def predict(nlp: Any, text: str, *, propagate: bool = True) -> list[Span3]:
    """Entity spans the recogniser finds in a text, as offsets into the text; with ``propagate``, every
    other occurrence of a name found (:func:`propagate_names`) too."""
    from kg.drafting.rules import sentences

    spans = sentences(text)
    out: list[Span3] = []
    for (s, _e), doc in zip(spans, nlp.pipe([text[a:b] for a, b in spans], batch_size=64), strict=True):
        out.extend((s + ent.start_char, s + ent.end_char, ent.label_) for ent in doc.ents)
    return propagate_names(text, out) if propagate else out


def propagate_names(text: str, spans: Sequence[Span3], *, min_length: int = 3,
                    surname: str | None = "Person") -> list[Span3]:
    """The spans and every other occurrence, as a whole word sequence, of a name they tag in the text.

    A name found once in an article is the same name where the recogniser missed it (one sense per
    article): the occurrence gets the name's most frequent type, unless it overlaps a span already found.
    The last word (four letters or more) of a name of several words of type ``surname`` is such a name too
    (``برونو موتان`` … ``موتان``).

    >>> text = "قال برونو موتان امس ان موتان يدير متحف برونو موتان"
    >>> [text[s:e] for s, e, _t in propagate_names(text, [(4, 15, "Person")])]
    ['برونو موتان', 'موتان', 'برونو موتان']
    """
    import re
    from collections import Counter

    labels: dict[str, Counter[str]] = {}
    for s, e, t in spans:
        name = text[s:e]
        if len(name) >= min_length and name.strip() == name:
            labels.setdefault(name, Counter())[t] += 1
    parts = {name.split()[-1]: surname for name, counts in labels.items() if surname in counts and " " in name
             and len(name.split()[-1]) >= 4}
    taken = sorted((s, e) for s, e, _ in spans)
    out = list(spans)
    names = [(name, counts.most_common(1)[0][0]) for name, counts in labels.items()]
    names += [(name, label) for name, label in parts.items() if name not in labels and label is not None]
    for name, label in sorted(names, key=lambda nl: -len(nl[0])):
        for m in re.finditer(r"(?<!\w)" + re.escape(name) + r"(?!\w)", text):
            if any(m.start() < b and a < m.end() for a, b in taken):
                continue
            out.append((m.start(), m.end(), label))
            taken.append((m.start(), m.end()))
    return sorted(out)


def save(nlp: Any, folder: Path) -> None:
    nlp.to_disk(folder)


def load(folder: Path) -> Any:
    """Load a recogniser saved by :func:`save` (from the folder only: nothing is downloaded)."""
    spacy = require_spacy()
    from kg.drafting.features import register

    register()  # kg.WordFeatures.v1, which the pipeline's config names
    return spacy.load(folder)
