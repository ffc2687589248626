"""Measuring a model against gold annotations: ``kg evaluate GOLD… --model MODEL``.

Entities: the model's recogniser on each gold article's text, against the gold entities (see
:mod:`kg.drafting.scores`). Relations: drafted between the *gold* entities, so that the score is the relation
drafter's alone (rules and classifier, and rules only). Speed: words of text a second through the whole
entity and relation drafting.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from kg.drafting.gold import GoldArticle, read_gold
from kg.drafting.model import Model, load_model
from kg.drafting.scores import Evaluation, grouped, relation_counts, score_spans


def gold_spans(article: Any) -> list[tuple[int, int, str]]:
    """The flat gold entity spans of an article (of nested mentions, the longest)."""
    from kg.drafting.ner import sentence_samples

    return [(off + s, off + e, t) for off, _text, spans in sentence_samples(article) for s, e, t in spans]


def evaluate_articles(gold: Sequence[GoldArticle], model: Model, *, ontology: Any = None) -> Evaluation:
    """Score the model on the articles."""
    from kg.drafting.relations import propose
    from kg.ontology import load_ontology

    ontology = ontology or load_ontology()
    symmetric = frozenset(n for n in ontology.relation_types if ontology.term(n).symmetric)
    result = Evaluation()
    for g in gold:
        article = g.article
        started = time.perf_counter()
        predicted = model.entities(article.text, g.language) if model.recogniser(g.language) is not None else None
        proposals = propose(article, model.relations, ontology=ontology)
        rules_only = propose(article, None, ontology=ontology)
        result.seconds += time.perf_counter() - started
        result.articles += 1
        result.words += len(article.text.split())
        if predicted is not None:
            gold_entities = gold_spans(article)
            result.entities.add(score_spans(gold_entities, predicted))
            result.groups.add(score_spans(grouped(gold_entities, ontology), grouped(predicted, ontology)))
        truth = [(r.type, r.subject, r.object) for r in article.relations if not r.negated]
        for table, found in ((result.relations, proposals), (result.relations_rules, rules_only)):
            counts = relation_counts(truth, [(p.relation.type, p.relation.subject, p.relation.object)
                                             for p in found], symmetric)
            for t, c in counts.items():
                table.setdefault(t, type(c)()).add(c)
    return result


def evaluate(gold_paths: Iterable[Path], model_folder: Path) -> dict[str, Any]:
    """The evaluation of a model folder on gold corpora, as JSON-ready data."""
    model = load_model(model_folder)
    gold = read_gold(gold_paths)
    result = evaluate_articles(gold.articles, model).to_json()
    result["skipped"] = [str(p) for p in gold.skipped]
    return result
