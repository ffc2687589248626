"""How well kg drafts annotations: entities on NewsFANE Gold, relations on the hand-annotated corpora.

1. Entities: the NewsFANE Gold newswire corpus (CC BY-SA 3.0; see ``../shared/data/SOURCES.md``) is
   converted to a kg corpus of brat articles of 40 consecutive sentences with ``benchmarks/newsfane.py``
   (its ``kg.toml`` maps the 50 fine-grained classes onto the ontology), then ``kg.drafting.train.train``
   holds out 10 % of the articles (sentence blocks), trains on the rest and scores the held-out part:
   precision, recall, F1 per type, exact and overlapping spans, and for persons, organisations and places
   together.
2. Relations: leave-one-article-out on the seed corpus and ``tests/data/multi`` (5 articles): the classifier
   is trained on the other articles, relations are drafted between the gold entities of the one left out,
   rules with the classifier and rules alone.
3. Speed: words a second of drafting (recogniser and relations) on the held-out articles.

Usage: ``python benchmarks/bench_drafting.py NEWSFANE_FILE_OR_FOLDER [--recogniser crf|spacy] [--epochs N]
[--holdout 0.1]``;
the results are printed and written to ``benchmarks/out/drafting.json``.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))
OUT = HERE / "out" / "drafting.json"


def entities(source: Path, *, epochs: int | None, holdout: float, work: Path, keep: Path | None = None,
             recogniser: str = "crf", **config: object) -> dict:
    from newsfane import convert

    from kg.drafting.train import train

    src = source / "NewsFANE_Gold_2014_170K.txt" if source.is_dir() else source
    corpus = work / "newsfane"
    n = convert(src, corpus)
    print(f"{n} articles of 40 sentences converted from {src}", flush=True)
    started = time.perf_counter()
    model = keep or work / "model"
    report = train([corpus], model, holdout=holdout, epochs=epochs, recogniser=recogniser,
                   progress=lambda msg: print("  " + msg, flush=True), **config)
    report["train_seconds"] = round(time.perf_counter() - started, 1)
    report["annotate"] = annotate_speed(corpus, model, report)
    return report


def annotate_speed(corpus: Path, model_folder: Path, report: dict) -> dict:
    """Words a second of ``kg annotate``'s drafting (model names, rules, relations, events; no registry) on
    the held-out articles, the model loaded once."""
    from kg.drafting.model import load_model
    from kg.drafting.output import draft_text
    from kg.mapping.resolve import Registry

    model = load_model(model_folder)
    held = [a["id"] for c in report["corpora"] for a in c["articles"] if a["heldout"]]
    texts = [(corpus / "articles" / f"{name}.txt").read_text(encoding="utf-8") for name in held]
    model.entities(texts[0][:200], "ar")  # load the recogniser outside the timing
    started = time.perf_counter()
    drafted = sum(len(draft_text(t, None, registry=Registry(), model=model)[0].marks) for t in texts)
    seconds = time.perf_counter() - started
    words = sum(len(t.split()) for t in texts)
    return {"articles": len(texts), "words": words, "seconds": round(seconds, 2), "drafted_items": drafted,
            "words_per_second": round(words / seconds, 1)}


def relations_leave_one_out() -> dict:
    from kg.drafting.evaluate import evaluate_articles
    from kg.drafting.gold import read_gold
    from kg.drafting.model import FORMAT, Model
    from kg.drafting.relations import train_relations
    from kg.drafting.scores import Evaluation

    gold = read_gold([ROOT / "seeds", ROOT / "tests" / "data" / "multi"]).articles
    total = Evaluation(folds=len(gold))
    for g in gold:
        rest = [o.article for o in gold if o is not g]
        model = Model(None, {"format": FORMAT, "languages": {}}, train_relations(rest))
        total.add(evaluate_articles([g], model))
    return total.to_json()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("newsfane", type=Path, help="NewsFANE_Gold_2014_170K.txt or the folder holding it")
    parser.add_argument("--recogniser", choices=("crf", "spacy"), default="crf")
    parser.add_argument("--epochs", type=int, default=None,
                        help="crf: most L-BFGS iterations (150); spacy: most epochs (20, stops at the best on the dev part)")
    parser.add_argument("--holdout", type=float, default=0.1)
    parser.add_argument("--width", type=int, default=None, help="spacy: the recogniser's width (default: kg's)")
    parser.add_argument("--keep", type=Path, default=None, help="keep the model in this folder")
    parser.add_argument("--relations-only", action="store_true", help="skip the NewsFANE training")
    args = parser.parse_args()
    from kg.drafting.scores import format_table

    report = None
    if not args.relations_only:
        with tempfile.TemporaryDirectory() as tmp:
            config = {"width": args.width} if args.width else {}
            report = entities(args.newsfane, epochs=args.epochs, holdout=args.holdout, work=Path(tmp),
                              keep=args.keep, recogniser=args.recogniser, **config)
        print("\n# Entities, NewsFANE Gold held-out articles\n")
        print(format_table(report["scores"]))
        print("kg annotate drafting:", report["annotate"], "\n")
    rel = relations_leave_one_out()
    print("# Relations, seed + tests/data/multi, leave-one-article-out\n")
    print(format_table(rel))
    OUT.parent.mkdir(exist_ok=True)
    if report is None and OUT.is_file():
        report = json.loads(OUT.read_text(encoding="utf-8")).get("newsfane")
    OUT.write_text(json.dumps({"newsfane": report, "relations": rel}, ensure_ascii=False, indent=2) + "\n",
                   encoding="utf-8")
    print(f"written to {OUT}")


if __name__ == "__main__":
    main()
