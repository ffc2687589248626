"""Relations between mentions of one sentence: the ontology's cue phrases, and a classifier learnt from them.

Candidates are pairs of mentions of two different entities in one sentence, at most :data:`MAX_GAP` words
apart. **Rules** (no model needed): a relation cue phrase between the two mentions says the relation and its
direction (``kg:inverseCuePhrase``: from the second to the first); a cue of a symmetric relation just before
two mentions joined by "و"/"and" says it too (``اشتباكات بين قوات حفتر وسرايا الدفاع``). Every proposal must fit
the relation's domain and range. **Classifier**: a multinomial logistic regression (scikit-learn, at training
time only) over sparse features of the pair: the two entity types, the cue phrases found between and before
them, the words between, the distance, how many mentions lie between. It has a "none" class, so it learns
when a cue misleads. Its weights are kept as JSON (no pickle: a model folder is safe to open), and
prediction is a dot product here, with no scikit-learn.

>>> from kg.model import Article, Entity, Mention, Span
>>> text = "الكتيبة 101 بإمرة الملازم محمد ابسيط"
>>> art = Article("a", text, entities=(Entity("b", "MilitaryUnit", (Mention((Span(0, 11),), "الكتيبة 101"),)),
...     Entity("p", "Person", (Mention((Span(26, 36),), "محمد ابسيط"),))))
>>> [(r.type, r.subject, r.object) for r in draft_relations(art)]
[('commands', 'p', 'b')]
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from kg.drafting.rules import RELATION_GROUP, Rules, load_rules, sentences, tokens
from kg.mapping.resolve import normalize_name
from kg.model import Article, Mention, Relation, Span

MAX_GAP = 12  # words between two mentions of a candidate pair
CUE_REACH = 4  # words at most between a cue and each of the two mentions
NONE = "none"
_JOINERS = {"و", "and", "،", ","}
_ATTRIBUTE_OF = {"Rank": "hasRank", "Title": "hasTitle"}  # a rank or title written just before a name


@dataclass(frozen=True)
class Pair:
    """Two mentions of different entities in one sentence, in text order."""

    a: str  # entity id of the first mention
    b: str
    a_span: tuple[int, int]
    b_span: tuple[int, int]
    a_type: str
    b_type: str
    sentence: tuple[int, int]
    between: int  # mentions of other entities between them


@dataclass(frozen=True)
class Proposal:
    """A drafted relation between two entities, with its confidence and what proposed it."""

    relation: Relation
    confidence: float
    by: str  # "rules" | "model"


def _mentions(article: Article) -> list[tuple[int, int, str, str]]:
    out = [(m.start, m.end, e.id, e.type) for e in article.entities for m in e.mentions]
    return sorted(out)


def candidate_pairs(article: Article) -> Iterator[Pair]:
    """Every candidate pair of the article."""
    mentions = _mentions(article)
    for s, e in sentences(article.text):
        inside = [m for m in mentions if m[0] >= s and m[1] <= e]
        for i, a in enumerate(inside):
            for j in range(i + 1, len(inside)):
                b = inside[j]
                if b[2] == a[2] or b[0] < a[1]:
                    continue
                if len(tokens(article.text, a[1], b[0])) > MAX_GAP:
                    break
                between = len({m[2] for m in inside[i + 1:j] if m[0] >= a[1] and m[1] <= b[0]} - {a[2], b[2]})
                yield Pair(a[2], b[2], (a[0], a[1]), (b[0], b[1]), a[3], b[3], (s, e), between)


def _words(text: str, start: int, end: int) -> list[str]:
    return [normalize_name(text[a:b]) for a, b in tokens(text, start, end)]


def features(text: str, pair: Pair, rules: Rules, ontology: Any) -> dict[str, float]:
    """The sparse features of a pair (names → 1.0)."""
    f: dict[str, float] = {}

    def top(t: str) -> str:
        return next((c for c in ("Person", "Organization", "Place", "Source", "Actor") if ontology.is_a(t, c)), t)

    f[f"types:{pair.a_type}|{pair.b_type}"] = 1.0
    f[f"tops:{top(pair.a_type)}|{top(pair.b_type)}"] = 1.0
    gap = _words(text, pair.a_span[1], pair.b_span[0])
    for w in gap[:MAX_GAP]:
        f[f"w:{w}"] = 1.0
    if gap:
        f[f"first:{gap[0]}"] = 1.0
        f[f"last:{gap[-1]}"] = 1.0
    f[f"len:{min(len(gap), 12) // 2}"] = 1.0
    f[f"between:{min(pair.between, 3)}"] = 1.0
    for cue in rules.find(text, RELATION_GROUP, pair.a_span[1], pair.b_span[0]):
        f[f"cue:{cue.key}:{'inv' if cue.inverse else 'fwd'}"] = 1.0
    before = _words(text, max(pair.sentence[0], pair.a_span[0] - 40), pair.a_span[0])[-3:]
    for w in before:
        f[f"pre:{w}"] = 1.0
    for cue in rules.find(text, RELATION_GROUP, max(pair.sentence[0], pair.a_span[0] - 30), pair.a_span[0]):
        f[f"precue:{cue.key}"] = 1.0
    return f


def rule_proposals(text: str, pair: Pair, rules: Rules, ontology: Any) -> list[tuple[str, bool, float]]:
    """(relation, reversed, confidence) that the cue phrases give a pair; allowed by domain and range."""
    out: list[tuple[str, bool, float]] = []
    gap_words = tokens(text, pair.a_span[1], pair.b_span[0])
    cues = rules.find(text, RELATION_GROUP, pair.a_span[1], pair.b_span[0])
    joined = [normalize_name(text[a:b]) for a, b in gap_words]
    if not cues and len(joined) <= 1 and (not joined or joined[0] in _JOINERS):
        before = rules.find(text, RELATION_GROUP, max(pair.sentence[0], pair.a_span[0] - 25), pair.a_span[0])
        cues = [c for c in before if ontology.term(c.key).symmetric]
    if not joined and pair.b_type == "Person" and pair.a_type in _ATTRIBUTE_OF:  # "اللواء خليفة حفتر"
        out.append((_ATTRIBUTE_OF[pair.a_type], True, 0.75))
    for cue in cues:
        if len(tokens(text, pair.a_span[1], cue.start)) > CUE_REACH or len(
                tokens(text, cue.end, pair.b_span[0])) > CUE_REACH:
            continue  # a cue speaks of the mentions next to it
        reverse = cue.inverse
        s_type, o_type = (pair.b_type, pair.a_type) if reverse else (pair.a_type, pair.b_type)
        if not ontology.allowed(cue.key, s_type, o_type):
            continue
        confidence = max(0.3, 0.8 - 0.04 * len(gap_words) - 0.15 * pair.between)
        out.append((cue.key, reverse, round(confidence, 2)))
    return out


def label_of(relation: str, reverse: bool, symmetric: bool) -> str:
    return f"{relation}=" if symmetric else f"{relation}{'<' if reverse else '>'}"


def gold_labels(article: Article, ontology: Any) -> dict[Pair, str]:
    """The training label of every candidate pair: a relation (with direction) or "none".

    A pair of two related entities outside the relation's evidence is left out (neither positive nor
    negative): the same two entities are often named again in sentences that do not state the relation.
    """
    labels: dict[Pair, str] = {}
    related: dict[frozenset[str], list[Relation]] = {}
    for r in article.relations:
        if not r.negated:
            related.setdefault(frozenset((r.subject, r.object)), []).append(r)
    for pair in candidate_pairs(article):
        rels = related.get(frozenset((pair.a, pair.b)))
        if not rels:
            labels[pair] = NONE
            continue
        for r in rels:
            ev = r.evidence
            if ev is None or _inside(pair, ev):
                symmetric = ontology.term(r.type).symmetric if ontology.get(r.type) else False
                labels[pair] = label_of(r.type, r.subject == pair.b, symmetric)
                break
    return labels


def _inside(pair: Pair, evidence: Mention) -> bool:
    s, e = evidence.start - 2, evidence.end + 2
    return s <= pair.a_span[0] and pair.b_span[1] <= e or (
        max(pair.a_span[0], s) < min(pair.a_span[1], e) and max(pair.b_span[0], s) < min(pair.b_span[1], e))


@dataclass(frozen=True)
class RelationModel:
    """A trained pair classifier: feature names, classes, and the weights (one row a class)."""

    features: tuple[str, ...]
    classes: tuple[str, ...]
    coef: tuple[tuple[float, ...], ...]
    intercept: tuple[float, ...]

    def to_json(self) -> dict[str, Any]:
        return {"features": list(self.features), "classes": list(self.classes),
                "coef": [list(r) for r in self.coef], "intercept": list(self.intercept)}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> RelationModel:
        return cls(tuple(data["features"]), tuple(data["classes"]), tuple(tuple(r) for r in data["coef"]),
                   tuple(data["intercept"]))

    def probabilities(self, feats: dict[str, float]) -> dict[str, float]:
        index = self._index()
        active = [index[f] for f in feats if f in index]
        scores = [b + sum(row[i] for i in active) for row, b in zip(self.coef, self.intercept, strict=True)]
        if len(self.classes) == 2 and len(scores) == 1:
            p = 1 / (1 + math.exp(-scores[0]))
            return {self.classes[0]: 1 - p, self.classes[1]: p}
        top = max(scores)
        exp = [math.exp(s - top) for s in scores]
        total = sum(exp)
        return {c: x / total for c, x in zip(self.classes, exp, strict=True)}

    def _index(self) -> dict[str, int]:
        cached = self.__dict__.get("_idx")
        if cached is None:
            cached = {f: i for i, f in enumerate(self.features)}
            object.__setattr__(self, "_idx", cached)
        return cached


def train_relations(articles: Sequence[Article], *, ontology: Any = None, rules: Rules | None = None,
                    c: float = 2.0) -> RelationModel | None:
    """Fit the pair classifier on the articles' relations; None when they hold fewer than two labels."""
    from kg.ontology import load_ontology

    ontology = ontology or load_ontology()
    rules = rules or load_rules()
    xs: list[dict[str, float]] = []
    ys: list[str] = []
    for article in articles:
        for pair, label in gold_labels(article, ontology).items():
            xs.append(features(article.text, pair, rules, ontology))
            ys.append(label)
    if len(set(ys)) < 2:
        return None
    try:
        from sklearn.feature_extraction import DictVectorizer
        from sklearn.linear_model import LogisticRegression
    except ImportError:
        from kg.errors import KGError

        raise KGError("training the relation classifier needs scikit-learn",
                      hint="pip install 'kg[draft]'") from None
    vec = DictVectorizer()
    x = vec.fit_transform(xs)
    clf = LogisticRegression(C=c, max_iter=2000, class_weight="balanced")
    clf.fit(x, ys)
    names = tuple(vec.get_feature_names_out())
    return RelationModel(names, tuple(str(k) for k in clf.classes_),
                         tuple(tuple(round(float(v), 5) for v in row) for row in clf.coef_),
                         tuple(round(float(v), 5) for v in clf.intercept_))


def draft_relations(article: Article, model: RelationModel | None = None, *, ontology: Any = None,
                    rules: Rules | None = None, threshold: float = 0.5) -> list[Relation]:
    """The relations drafted between the article's entities (see :func:`propose`), best first per pair."""
    return [p.relation for p in propose(article, model, ontology=ontology, rules=rules, threshold=threshold)]


def propose(article: Article, model: RelationModel | None = None, *, ontology: Any = None,
            rules: Rules | None = None, threshold: float = 0.5) -> list[Proposal]:
    """Relations between the article's entities: rule proposals, and the classifier's when there is a model.

    One proposal per (type, subject, object), the most confident, with the words from the first mention to
    the second as its evidence.
    """
    from kg.ontology import load_ontology

    ontology = ontology or load_ontology()
    rules = rules or load_rules()
    best: dict[tuple[str, str, str], Proposal] = {}
    for pair in candidate_pairs(article):
        found = list(rule_proposals(article.text, pair, rules, ontology))
        by = {r: "rules" for r, _, _ in found}
        if model is not None:
            probs = model.probabilities(features(article.text, pair, rules, ontology))
            for label, p in probs.items():
                if label == NONE or p < threshold:
                    continue
                rel, direction = label[:-1], label[-1]
                found.append((rel, direction == "<", round(p, 2)))
                by[rel] = "model"
        for rel, reverse, conf in found:
            subject, obj = (pair.b, pair.a) if reverse else (pair.a, pair.b)
            s_type, o_type = (pair.b_type, pair.a_type) if reverse else (pair.a_type, pair.b_type)
            if not ontology.get(rel) or not ontology.allowed(rel, s_type, o_type):
                continue
            if ontology.term(rel).symmetric:
                subject, obj = sorted((subject, obj))
            key = (rel, subject, obj)
            if key in best and best[key].confidence >= conf:
                continue
            start, end = pair.a_span[0], pair.b_span[1]
            evidence = Mention((Span(start, end),), article.text[start:end])
            relation = Relation(id="", type=rel, subject=subject, object=obj, evidence=evidence)
            best[key] = Proposal(relation, conf, by.get(rel, "rules"))
    return sorted(best.values(), key=lambda p: (p.relation.evidence.start if p.relation.evidence else 0,
                                               -p.confidence))
