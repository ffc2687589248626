"""Learning to draft from a corpus's own annotations: ``kg train CORPUS… [-o MODEL]``.

The articles (any reader, mapped by ``kg.toml``, checked) are split by article into a training part and a
held-out part (a stable split: articles sorted by a hash of their id). On the training part, one entity
recogniser per language (a CRF, :mod:`kg.drafting.crf`, or a spaCy pipeline, :mod:`kg.drafting.ner`) learns
the ontology's entity types and a logistic regression learns relations between mention pairs; on the
held-out part both are scored, and the per-type precision becomes the confidence that drafts carry.
The model folder (:mod:`kg.drafting.model`) keeps the report.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from kg.drafting.evaluate import evaluate_articles
from kg.drafting.gold import GoldArticle, read_gold
from kg.drafting.model import FORMAT, Model, check_recogniser, save_model
from kg.drafting.ner import EPOCHS
from kg.drafting.scores import Counts, Evaluation
from kg.errors import KGError

Progress = Callable[[str], None]
DEV = 0.1  # the spaCy recogniser's dev part; the CRF's is none unless asked for
GROUPS = True
RECOGNISER = "crf"


def _dev_f1(recogniser: Any, samples: Sequence[tuple[str, Sequence[tuple[int, int, str]]]]) -> float:
    counts = Counts()
    for text, spans in samples:
        counts.add(Counts.of(recogniser.spans(text), spans))
    return counts.f1


def split(articles: Sequence[GoldArticle], holdout: float) -> tuple[list[GoldArticle], list[GoldArticle]]:
    """(training part, held-out part): a fraction ``holdout`` of the articles, at least one when there are
    two or more and ``holdout > 0``; stable across runs and machines.

    >>> from kg.model import Article
    >>> arts = [GoldArticle(Path("c"), Article(f"a{i}", ""), "", "ar") for i in range(10)]
    >>> train, held = split(arts, 0.2)
    >>> len(train), len(held), split(arts, 0.2)[1] == held
    (8, 2, True)
    """
    ordered = sorted(articles, key=lambda g: hashlib.sha1(f"{g.article.id}".encode()).hexdigest())
    if holdout <= 0 or len(ordered) < 2:
        return list(articles), []
    n = min(len(ordered) - 1, max(1, round(len(ordered) * holdout)))
    held = {id(g) for g in ordered[:n]}
    return [g for g in articles if id(g) not in held], [g for g in articles if id(g) in held]


def fit(articles: Sequence[GoldArticle], *, epochs: int | None = None, seed: int = 0, dev: float | None = None,
        groups: bool = GROUPS, recogniser: str = RECOGNISER, progress: Progress | None = None,
        **config: Any) -> Model:
    """Train the recognisers and the relation classifier on the articles (in memory).

    ``recogniser`` is ``"crf"`` (:mod:`kg.drafting.crf`; ``epochs`` are its most L-BFGS iterations) or
    ``"spacy"`` (:mod:`kg.drafting.ner`; ``epochs`` are passes). A fraction ``dev`` of each language's articles
    (at least one article; none when there are fewer than five; by default 0.1 for spaCy and none for the
    CRF) is kept aside: spaCy's training stops at its best epoch on them, the CRF's F1 on them is reported.
    ``config`` goes to :func:`kg.drafting.crf.train_crf` or :func:`kg.drafting.ner.ner_config`. With
    ``groups``, the recogniser learns the broad groups (Person, Organization, Place) and
    :mod:`kg.drafting.types` gives the names it finds their fine types.
    """
    from kg.drafting.crf import ITERATIONS, train_crf
    from kg.drafting.ner import sentence_samples, train_ner
    from kg.drafting.relations import train_relations
    from kg.drafting.scores import group_of
    from kg.drafting.types import learn_types
    from kg.ontology import load_ontology

    check_recogniser(recogniser)
    say = progress or (lambda _msg: None)
    model = Model(None, {"format": FORMAT, "languages": {}})
    by_lang: dict[str, list[GoldArticle]] = {}
    for g in articles:
        by_lang.setdefault(g.language, []).append(g)
    for lang, group in sorted(by_lang.items()):
        part = dev if dev is not None else (DEV if recogniser == "spacy" else 0.0)
        learn, check = split(group, part) if part > 0 and len(group) >= 5 else (group, [])
        samples = [(text, spans) for g in learn for _off, text, spans in sentence_samples(g.article)]
        dev_samples = [(text, spans) for g in check for _off, text, spans in sentence_samples(g.article)]
        if not any(spans for _text, spans in samples):
            continue
        started = time.perf_counter()
        every = samples + dev_samples
        if groups:
            ontology = load_ontology()

            def broad(t: str, ontology: Any = ontology) -> str | None:
                return group_of(t, ontology)

            model.types[lang] = learn_types(((text[s:e], t) for text, spans in every for s, e, t in spans), broad)

            def coarse(spans: Sequence[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
                return [(s, e, broad(t) or t) for s, e, t in spans]

            samples = [(text, coarse(spans)) for text, spans in samples]
            dev_samples = [(text, coarse(spans)) for text, spans in dev_samples]

        def epoch_done(e: int, loss: float, score: float | None, lang: str = lang) -> None:
            say(f"{lang}: epoch {e}/{epochs}, loss {loss:.1f}" + (f", dev F1 {score:.3f}" if score is not None
                                                                   else ""))

        if recogniser == "crf":
            nlp = train_crf(samples, iterations=epochs or ITERATIONS, progress=say, **config)
            meta = {**nlp.meta, "recogniser": "crf"}
            if dev_samples:
                meta["dev_f1"] = round(_dev_f1(nlp, dev_samples), 4)
        else:
            nlp = train_ner(samples, lang, epochs=epochs or EPOCHS, seed=seed, dev=dev_samples,
                            progress=epoch_done, **config)
            meta = {**nlp.meta.get("kg", {}), "recogniser": "spacy"}
        model.recognisers[lang] = nlp
        model.report["languages"][lang] = {
            "articles": len(group), "dev_articles": len(check), "sentences": len(every),
            "words": sum(len(t.split()) for t, _ in every),
            "entities": sum(len(s) for _, s in every), "seconds": round(time.perf_counter() - started, 1),
            "labels": sorted({t for _, s in every for _a, _b, t in s}), **meta,
        }
    model.relations = train_relations([g.article for g in articles])
    say(f"relations: {'classifier trained' if model.relations else 'too few relations, rules only'}")
    return model


def _confidence(result: dict[str, Any]) -> dict[str, dict[str, float]]:
    ent = {t: c["precision"] for t, c in result["entities"]["overlap"].items() if t != "all" and c["tp"] + c["fp"]}
    rel = {t: c["precision"] for t, c in result["relations"].items() if t != "all" and c["tp"] + c["fp"]}
    return {"entities": ent, "relations": rel}


def train(paths: Iterable[Path], out: Path, *, holdout: float = 0.1, epochs: int | None = None, seed: int = 0,
          dev: float | None = None, recogniser: str = RECOGNISER, progress: Progress | None = None,
          **config: Any) -> dict[str, Any]:
    """Train on the corpora, score on the held-out part, write the model folder; the report."""
    check_recogniser(recogniser)
    paths = list(paths)
    started = time.perf_counter()
    gold = read_gold(paths)
    if not gold.articles:
        raise KGError("no annotated article to learn from in " + ", ".join(map(str, paths)),
                      hint="kg check lists what is wrong with the articles")
    if not any(g.article.entities for g in gold.articles):
        raise KGError("the corpora have no entity annotations to learn from",
                      hint="annotate entities first (YAML sidecars or brat)")
    training, held = split(gold.articles, holdout)
    model = fit(training, epochs=epochs, seed=seed, dev=dev, recogniser=recogniser, progress=progress, **config)
    scores = evaluate_articles(held, model).to_json() if held else None
    model.report.update({
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "corpora": [{"path": str(p), "articles": [{"id": g.article.id, "sha256": g.digest,
                                                   "heldout": g in held} for g in gold.articles if g.corpus == p]}
                    for p in paths],
        "sizes": {"articles": len(gold.articles), "training": len(training), "heldout": len(held),
                  "words": sum(len(g.article.text.split()) for g in gold.articles),
                  "entities": sum(len(e.mentions) for g in gold.articles for e in g.article.entities),
                  "relations": sum(len(g.article.relations) for g in gold.articles),
                  "skipped": len(gold.skipped)},
        "settings": {"holdout": holdout, "epochs": epochs, "dev": dev, "seed": seed, "recogniser": recogniser,
                     **config},
        "scores": scores,
        "confidence": _confidence(scores) if scores else {},
        "seconds": round(time.perf_counter() - started, 1),
    })
    save_model(model, out)
    return model.report


def cross_validate(paths: Iterable[Path], folds: int, *, epochs: int | None = None, seed: int = 0,
                   progress: Progress | None = None) -> dict[str, Any]:
    """K-fold cross-validation by article: train on K-1 folds, score on the one left out, add up."""
    if folds < 2:
        raise KGError(f"--folds must be 2 or more, not {folds}", hint="use e.g. --folds 5")
    gold = read_gold(paths)
    ordered = sorted(gold.articles, key=lambda g: hashlib.sha1(g.article.id.encode()).hexdigest())
    if len(ordered) < folds:
        raise KGError(f"{len(ordered)} articles cannot make {folds} folds", hint=f"use --folds {len(ordered)}"
                      if len(ordered) >= 2 else "annotate more articles")
    total = Evaluation(folds=folds)
    for k in range(folds):
        held = ordered[k::folds]
        training = [g for g in ordered if g not in held]
        if progress:
            progress(f"fold {k + 1}/{folds}: {len(training)} articles to train, {len(held)} to score")
        model = fit(training, epochs=epochs, seed=seed, progress=progress)
        total.add(evaluate_articles(held, model))
    result = total.to_json()
    result["skipped"] = [str(p) for p in gold.skipped]
    return result
