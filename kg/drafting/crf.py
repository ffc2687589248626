"""The entity recogniser ``kg train`` uses: a linear-chain CRF (python-crfsuite) over Arabic word features.

Each word of a sentence is described by strings: its folded form, clitic-stripped stem, the stem's
prefixes and suffixes, the clitics, a shape (:mod:`kg.drafting.features`); how often the training data met
the word and which share of it inside a name (:meth:`Gazetteer.rarity`), and the type of the names it was
met in most often (:meth:`Gazetteer.word_type`), for the words before and after it too, and where in those
names it stood most often (:meth:`Gazetteer.word_place`: a first name, a last, one alone); whether it begins,
continues or ends a training name of each type (:meth:`Gazetteer.marks`); and the form, stem, clitics, shape
and name mark of the two words before and after it. The CRF tags the words with BIOES labels of the types
(the broad groups when :mod:`kg.drafting.train` asks for them). The gazetteer features of the training
sentences come from the *other* parts of the training data (five parts, each described by the names and
counts of the other four), so the CRF learns how far to trust a name or a word it
has met as it will meet them in new text, instead of learning that every known name is right.

**Why a CRF rather than spaCy**, the well-kept choice (:mod:`kg.drafting.ner`, ``kg train --recogniser
spacy``): without pretrained vectors, which kg never downloads, spaCy's blank pipeline with kg's word
features reached 0.67 F1 with exact spans for persons, organisations and places together on NewsFANE Gold's
held-out articles (persons 0.67, organisations 0.39, places 0.79) after 724 s of training; this CRF reaches
0.760 (persons 0.79, organisations 0.56, places 0.83; 0.83 with overlapping spans) after about 130 s, and
``kg annotate`` drafts 2.3 to 2.8 times as fast (benchmarks/README.md, "Drafting annotations"). It is one
small binary wheel, deterministic, and its model is three plain files.

Saved, the recogniser is a folder: ``crf.model`` (crfsuite's binary file), ``gazetteer.json`` (the names,
the word counts, the words' types and places in names) and ``meta.json``. Offsets stay those of the text:
words are found by a regular expression inside each sentence (:func:`kg.drafting.rules.sentences`).
"""

from __future__ import annotations

import json
import re
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.drafting.features import normalise, shape, strip_clitics
from kg.errors import KGError, require

Span3 = tuple[int, int, str]
ITERATIONS = 150
C1 = 0.1
C2 = 0.01
PARTS = 5
MAX_NAME = 6
MODEL_FILE = "crf.model"
GAZETTEER_FILE = "gazetteer.json"
META_FILE = "meta.json"
KIND = "kg-crf/1"
_MARKS = "\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640"
_WORD = re.compile(rf"(?:[\w{_MARKS}]|(?<=\w)['’](?=\w))+|\S")


def require_crfsuite() -> Any:
    """Import python-crfsuite or say how to install it."""
    return require("pycrfsuite", message="training and drafting with a model need python-crfsuite",
                   hint="pip install python-crfsuite (a dependency of kg; no model is downloaded)")


def words(text: str) -> list[tuple[int, int]]:
    """Word and punctuation spans of a sentence.

    >>> text = "زار محمّد بيروت، امس (U.S.)"
    >>> [text[s:e] for s, e in words(text)]
    ['زار', 'محمّد', 'بيروت', '،', 'امس', '(', 'U', '.', 'S', '.', ')']
    """
    return [m.span() for m in _WORD.finditer(text)]


def key(word: str) -> str:
    """A word as the gazetteer compares it: folded, without the article and the clitics before it."""
    return strip_clitics(normalise(word))[1]


@dataclass
class Gazetteer:
    """Names of the training data, as sequences of :func:`key`, with the type each was tagged most often; how
    often each word was met, and inside a name; and the type of name each word was met in most often, and
    where in them (``B-``, ``I-``, ``E-``, ``S-`` as in :func:`bioes`)."""

    names: dict[str, str] = field(default_factory=dict)
    counts: dict[str, list[int]] = field(default_factory=dict)  # key → [occurrences, occurrences in a name]
    types: dict[str, str] = field(default_factory=dict)  # key → the type of the names it was met in most
    places: dict[str, str] = field(default_factory=dict)  # key → its label in names, the one met most

    @classmethod
    def learn(cls, samples: Iterable[tuple[str, Sequence[Span3]]]) -> Gazetteer:
        counts: dict[str, dict[str, int]] = {}
        seen: dict[str, list[int]] = {}
        in_types: dict[str, dict[str, int]] = {}
        in_places: dict[str, dict[str, int]] = {}
        for text, spans in samples:
            ws = words(text)
            # the types and places are those of the labels the CRF learns (bioes)
            for (a, b), label in zip(ws, bioes(ws, spans), strict=True):
                k = key(text[a:b])
                c = seen.setdefault(k, [0, 0])
                c[0] += 1
                c[1] += any(s < b and a < e for s, e, _t in spans)
                if label != "O":
                    _count(in_types, k, label[2:])
                    _count(in_places, k, label)
            for s, e, t in spans:
                k = " ".join(key(text[a:b]) for a, b in words(text[s:e]))
                if k and len(k.split()) <= MAX_NAME:
                    _count(counts, k, t)
        return cls(_most(counts), seen, _most(in_types), _most(in_places))

    def word_type(self, word_key: str) -> str:
        """The type of the names the word was met in most often, or "-" (a word never met in a name).

        >>> gaz = Gazetteer.learn([("زار محمد علي بيروت", [(4, 12, "Person"), (13, 18, "Place")]),
        ...                        ("قال محمد", [(4, 8, "Person")])])
        >>> gaz.word_type("محمد"), gaz.word_type("بيروت"), gaz.word_type("زار"), gaz.word_type("حلب")
        ('Person', 'Place', '-', '-')
        """
        return self.types.get(word_key, "-")

    def word_place(self, word_key: str) -> str:
        """The word's label in the names it was met in, the one met most often (``B-Person`` for a first
        name), or "-".

        >>> gaz = Gazetteer.learn([("زار محمد علي بيروت", [(4, 12, "Person"), (13, 18, "Place")])])
        >>> gaz.word_place("محمد"), gaz.word_place("علي"), gaz.word_place("بيروت"), gaz.word_place("زار")
        ('B-Person', 'E-Person', 'S-Place', '-')
        """
        return self.places.get(word_key, "-")

    def rarity(self, word_key: str) -> list[str]:
        """How often the word was met (a frequency class) and which share of it inside a name (none, less
        than half, half or more, always).

        >>> gaz = Gazetteer({}, {"بيروت": [3, 3], "قال": [40, 0], "الحزب": [4, 1]})
        >>> gaz.rarity("بيروت"), gaz.rarity("قال"), gaz.rarity("الحزب"), gaz.rarity("زيوريخ")
        (['f=2', 'r=1'], ['f=20', 'r=0'], ['f=2', 'r=low'], ['f=0'])
        """
        c = self.counts.get(word_key)
        if not c or not c[0]:
            return ["f=0"]
        seen, inside = c[0], c[1]
        share = inside / seen
        return ["f=" + ("1" if seen == 1 else "2" if seen < 5 else "5" if seen < 20 else "20"),
                "r=" + ("0" if share == 0 else "low" if share < 0.5 else "high" if share < 1 else "1")]

    def marks(self, keys: Sequence[str]) -> list[str]:
        """For each word, ``B-type``/``I-``/``E-``/``S-`` of the longest gazetteer name over it, or ""."""
        out = [""] * len(keys)
        i = 0
        while i < len(keys):
            for n in range(min(MAX_NAME, len(keys) - i), 0, -1):
                t = self.names.get(" ".join(keys[i:i + n]))
                if t is None:
                    continue
                if n == 1:
                    out[i] = "S-" + t
                else:
                    out[i], out[i + n - 1] = "B-" + t, "E-" + t
                    for j in range(i + 1, i + n - 1):
                        out[j] = "I-" + t
                i += n - 1
                break
            i += 1
        return out


def _count(counts: dict[str, dict[str, int]], k: str, what: str) -> None:
    by = counts.setdefault(k, {})
    by[what] = by.get(what, 0) + 1


def _most(counts: dict[str, dict[str, int]]) -> dict[str, str]:
    """For each key, the type counted most often (the first counted of equals)."""
    return {k: max(c, key=lambda t: c[t]) for k, c in counts.items()}


def _own(word: str) -> dict[str, str]:
    norm = normalise(word)
    clitic, stem = strip_clitics(norm)
    kind = shape(word, longest=7, punctuation=0)
    out = {"n": norm, "s": stem, "c": clitic or "-", "sh": kind}
    if kind == "p":
        out["n"] = word
    else:
        out.update({"p2": stem[:2], "p3": stem[:3], "x2": stem[-2:], "x3": stem[-3:], "x4": stem[-4:],
                    "n1": norm[:1]})
    return out


def sentence_features(tokens: Sequence[str], gazetteer: Gazetteer) -> list[list[str]]:
    """The CRF's features of each word of a sentence (its own, its gazetteer mark, and ±2 neighbours')."""
    own = [_own(w) for w in tokens]
    gaz = gazetteer.marks([o["s"] for o in own])
    rarity = [gazetteer.rarity(o["s"]) for o in own]
    word_type = [gazetteer.word_type(o["s"]) for o in own]
    word_place = [gazetteer.word_place(o["s"]) for o in own]
    n = len(tokens)
    out: list[list[str]] = []
    for i in range(n):
        f = ["b"] + [f"{k}={v}" for k, v in own[i].items()]
        f.append("g=" + (gaz[i] or "-"))
        if gaz[i]:
            f.append("gt=" + gaz[i][2:])
        f += rarity[i]
        f.append("wt=" + word_type[i])
        f.append("wp=" + word_place[i])
        for d in (-1, 1):
            if 0 <= i + d < n:
                f += [f"{d}{x}" for x in rarity[i + d]]
                f.append(f"{d}wt=" + word_type[i + d])
        for d in (-2, -1, 1, 2):
            j = i + d
            if 0 <= j < n:
                o = own[j]
                f += [f"{d}n={o['n']}", f"{d}s={o['s']}", f"{d}c={o['c']}", f"{d}sh={o['sh']}",
                      f"{d}g={gaz[j] or '-'}"]
            else:
                f.append(f"{d}=edge")
        if i > 0:
            f.append(f"-1n|n={own[i - 1]['n']}|{own[i]['n']}")
        if i + 1 < n:
            f.append(f"n|1n={own[i]['n']}|{own[i + 1]['n']}")
        out.append(f)
    return out


def bioes(spans_of_words: Sequence[tuple[int, int]], spans: Sequence[Span3]) -> list[str]:
    """BIOES labels of the words for the entity spans (a span covers the words it overlaps)."""
    labels = ["O"] * len(spans_of_words)
    for s, e, t in spans:
        inside = [i for i, (a, b) in enumerate(spans_of_words) if a < e and s < b]
        if not inside or any(labels[i] != "O" for i in inside):
            continue
        if len(inside) == 1:
            labels[inside[0]] = "S-" + t
            continue
        labels[inside[0]], labels[inside[-1]] = "B-" + t, "E-" + t
        for i in inside[1:-1]:
            labels[i] = "I-" + t
    return labels


def decode(spans_of_words: Sequence[tuple[int, int]], labels: Sequence[str]) -> list[Span3]:
    """Entity spans from BIOES labels; a run broken off (B without E, a stray I or E) is taken as it is.

    >>> decode([(0, 3), (4, 8), (9, 14), (15, 18)], ["O", "B-Person", "E-Person", "S-Place"])
    [(4, 14, 'Person'), (15, 18, 'Place')]
    """
    out: list[Span3] = []
    start: int | None = None
    kind, prev_end = "", 0
    for (a, b), label in zip(spans_of_words, labels, strict=True):
        tag, _, t = label.partition("-")
        if start is not None and (tag in ("O", "B", "S") or t != kind):
            out.append((start, prev_end, kind))
            start = None
        if tag in ("B", "S") or (tag in ("I", "E") and start is None):
            start, kind = a, t
        prev_end = b
        if tag in ("E", "S") and start is not None:
            out.append((start, b, kind))
            start = None
    if start is not None:
        out.append((start, prev_end, kind))
    return out


@dataclass
class Recogniser:
    """A trained CRF (crfsuite's model file, in memory) with its gazetteer."""

    data: bytes
    gazetteer: Gazetteer
    meta: dict[str, Any]
    tagger: Any = None

    def __post_init__(self) -> None:
        if self.tagger is None:
            self.tagger = require_crfsuite().Tagger()
            self.tagger.open_inmemory(self.data)

    def spans(self, text: str) -> list[Span3]:
        spans = words(text)
        if not spans:
            return []
        feats = sentence_features([text[a:b] for a, b in spans], self.gazetteer)
        return decode(spans, self.tagger.tag(feats))


def train_crf(samples: Iterable[tuple[str, Sequence[Span3]]], *, iterations: int = ITERATIONS,
              c1: float = C1, c2: float = C2, parts: int = PARTS,
              progress: Callable[[str], None] | None = None) -> Recogniser:
    """Train the CRF on (sentence, spans) samples (``parts`` parts for the gazetteer features)."""
    pycrfsuite = require_crfsuite()
    samples = [(text, list(spans)) for text, spans in samples if text.strip()]
    if not any(spans for _t, spans in samples):
        raise KGError("no entity to learn from in the articles",
                      hint="annotate some entities first (kg check lists what is read)")
    trainer = pycrfsuite.Trainer(verbose=False)
    k = max(1, min(parts, len(samples)))
    chunks = [samples[i * len(samples) // k:(i + 1) * len(samples) // k] for i in range(k)]
    for i, chunk in enumerate(chunks):
        others = Gazetteer.learn(s for j, c in enumerate(chunks) if j != i for s in c) if k > 1 else Gazetteer()
        for text, spans in chunk:
            ws = words(text)
            if ws:
                trainer.append(sentence_features([text[a:b] for a, b in ws], others), bioes(ws, spans))
    trainer.set_params({"c1": c1, "c2": c2, "max_iterations": iterations,
                        "feature.possible_transitions": True})
    if progress is not None:
        progress(f"CRF: {len(samples)} sentences, up to {iterations} L-BFGS iterations")
    with tempfile.TemporaryDirectory() as tmp:
        trainer.train(str(Path(tmp) / MODEL_FILE))
        data = (Path(tmp) / MODEL_FILE).read_bytes()
    gazetteer = Gazetteer.learn(samples)
    info = trainer.logparser.last_iteration or {}
    meta = {"kind": KIND, "iterations": len(trainer.logparser.iterations), "loss": info.get("loss"),
            "c1": c1, "c2": c2, "labels": sorted({t for _s, sp in samples for *_r, t in sp}),
            "gazetteer_names": len(gazetteer.names)}
    return Recogniser(data, gazetteer, meta)


def save_crf(recogniser: Recogniser, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / MODEL_FILE).write_bytes(recogniser.data)
    (folder / GAZETTEER_FILE).write_text(json.dumps({"names": recogniser.gazetteer.names,
                                                     "counts": recogniser.gazetteer.counts,
                                                     "types": recogniser.gazetteer.types,
                                                     "places": recogniser.gazetteer.places}, ensure_ascii=False),
                                         encoding="utf-8")
    (folder / META_FILE).write_text(json.dumps(recogniser.meta, ensure_ascii=False, indent=2) + "\n",
                                    encoding="utf-8")


def is_crf(folder: Path) -> bool:
    return (folder / MODEL_FILE).is_file()


def load_crf(folder: Path) -> Recogniser:
    """Open a recogniser folder written by :func:`train_crf`."""
    gaz = json.loads((folder / GAZETTEER_FILE).read_text(encoding="utf-8"))
    meta = json.loads((folder / META_FILE).read_text(encoding="utf-8"))
    # a folder saved before words had types and places has neither: its CRF never learnt them
    gazetteer = Gazetteer(gaz["names"], gaz["counts"], gaz.get("types", {}), gaz.get("places", {}))
    return Recogniser((folder / MODEL_FILE).read_bytes(), gazetteer, meta)


def predict_crf(recogniser: Recogniser, text: str, *, propagate: bool = True) -> list[Span3]:
    """Entity spans in a text, sentence by sentence, as offsets into the text (see
    :func:`kg.drafting.ner.predict` for ``propagate``)."""
    from kg.drafting.ner import propagate_names
    from kg.drafting.rules import sentences

    out: list[Span3] = []
    for s, e in sentences(text):
        out.extend((s + a, s + b, t) for a, b, t in recogniser.spans(text[s:e]))
    return propagate_names(text, out) if propagate else out
