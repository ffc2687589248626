"""Commands that draft annotations and learn to: annotate, train, evaluate."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kg.cli import app, echo_json, fail

_SUFFIX = {"yaml": ".yaml", "brat": ".ann"}


def _registry_for(article: Path, registry: Path | None) -> Path | None:
    if registry is not None:
        if not registry.is_file():
            fail(f"{registry}: no such registry file")
        return registry
    return next((d / "actors.yaml" for d in article.resolve().parents if (d / "actors.yaml").is_file()), None)


def _target(article: Path, out: Path | None, fmt: str, many: bool) -> Path | None:
    if out is None:
        return None
    if not many and out.suffix in (".yaml", ".yml", ".ann") and not out.is_dir():
        return out
    return out / (article.stem + _SUFFIX[fmt])


@app.command()
def annotate(
    articles: Annotated[list[Path], typer.Argument(help="Article text files (NAME.txt).")],
    model: Annotated[Path | None, typer.Option(help="A model folder made by `kg train`.")] = None,
    registry: Annotated[Path | None, typer.Option(help="actors.yaml to search for (default: the corpus's, "
                                                  "found beside or above the article).")] = None,
    fmt: Annotated[str | None, typer.Option("--format", help="yaml (a sidecar) or brat (.ann); default: from "
                                            "-o FILE's suffix, else yaml.")] = None,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Folder for NAME.yaml / NAME.ann (or, for one "
                                             "article, the file). An existing file keeps every item a person "
                                             "accepted; only drafts are replaced. Default: stdout.")] = None,
    language: Annotated[str | None, typer.Option(help="Article language (ar, en); default: guessed.")] = None,
) -> None:
    """Draft annotations for a person to correct: registry names, model names, claimants, relations, events.

    Every drafted item carries its confidence and a draft marker; `kg check` lists drafts until a person
    accepts them (docs/annotation-format.md, "Drafts").

    Example: kg annotate corpus/articles/new.txt --model kg-model -o corpus/articles
    """
    from kg.drafting.output import mark_counts, write_draft
    from kg.mapping.resolve import read_registry

    if fmt is None:
        fmt = "brat" if out is not None and out.suffix == ".ann" else "yaml"
    if fmt not in _SUFFIX:
        fail(f"unknown --format {fmt!r}; use yaml or brat")
    for a in articles:
        if not a.is_file():
            fail(f"{a}: no such file (give the article's .txt file)")
    if out is None and len(articles) > 1:
        fail("several articles need -o DIR (one draft file each)")
    reg_path = _registry_for(articles[0], registry)
    reg = read_registry(reg_path)
    loaded = None
    if model is not None:
        from kg.drafting.model import load_model

        loaded = load_model(model)
    if not reg.entries and loaded is None:
        fail(f"nothing to draft names with: no actors.yaml beside or above {articles[0]} and no --model "
             "(give --registry actors.yaml, or --model MODEL made by `kg train CORPUS -o MODEL`)")
    targets = [_target(a, out, fmt, len(articles) > 1) for a in articles]
    for target in targets:
        other = next((target.with_suffix(x) for x in (".ann", ".yaml", ".yml", ".json", ".xmi", ".tsv")
                      if target is not None and x != target.suffix and target.with_suffix(x).is_file()), None)
        if other is not None:
            fail(f"{other} already annotates this article; draft into it "
                 f"(--format {'brat' if other.suffix == '.ann' else 'yaml'}) or move it away first")
    for a, target in zip(articles, targets, strict=True):
        content, draft, _ = write_draft(a, target, registry=reg, model=loaded, fmt=fmt, language=language)
        if target is None:
            typer.echo(content, nl=False)
            continue
        n = mark_counts(draft)
        typer.echo(f"{target}: drafted {n['entities']} entities, {n['relations']} relations, {n['events']} "
                   "events; check them, then remove their draft markers (kg check lists what is left)")
    if fmt == "brat" and out is not None:
        _brat_config(out if out.is_dir() else out.parent)


def _brat_config(folder: Path) -> None:
    """annotation.conf and visual.conf from the ontology, so that brat opens the drafts (never overwritten)."""
    from kg.ontology import annotation_conf, load_ontology, visual_conf

    ont = load_ontology()
    for name, make in (("annotation.conf", annotation_conf), ("visual.conf", visual_conf)):
        if not (folder / name).exists():
            (folder / name).write_text(make(ont), encoding="utf-8")


@app.command()
def train(
    corpus: Annotated[list[Path], typer.Argument(help="Annotated corpus folders to learn from.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Model folder to write.")] = Path("kg-model"),
    holdout: Annotated[float, typer.Option(help="Fraction of the articles held out and scored.",
                                           min=0.0, max=0.9)] = 0.1,
    recogniser: Annotated[str, typer.Option(help="The entity recogniser: crf (a linear-chain CRF, "
                                            "python-crfsuite) or spacy (a blank spaCy pipeline).")] = "crf",
    epochs: Annotated[int | None, typer.Option(help="crf: most L-BFGS iterations (default 150); spacy: most "
                                               "passes over the corpus (default 20; it stops earlier once its F1 "
                                               "on the dev part stops rising).", min=1)] = None,
    dev: Annotated[float | None, typer.Option(help="Fraction of the training articles kept aside: spacy stops "
                                              "training at its best epoch on them (default 0.1); crf only scores "
                                              "them (default 0: it learns from every training article).",
                                              min=0.0, max=0.5)] = None,
    seed: Annotated[int, typer.Option(help="Random seed (same data, same seed: same model).")] = 0,
) -> None:
    """Learn to draft entities and relations from the corpora's own annotations (CPU, no download).

    Example: kg train corpus -o kg-model
    """
    from kg.drafting.train import train as run_train

    report = run_train(corpus, out, holdout=holdout, epochs=epochs, dev=dev, seed=seed, recogniser=recogniser,
                       progress=lambda msg: typer.echo(msg, err=True))
    sizes = report["sizes"]
    typer.echo(f"model written to {out}: {sizes['training']} articles trained on, {sizes['heldout']} held out "
               f"({report['seconds']:.0f} s)")
    scores = report.get("scores")
    if scores:
        ent = scores["entities"]["exact"].get("all")
        rel = scores["relations"].get("all")
        if ent:
            typer.echo(f"held-out entities: P {ent['precision']:.2f} R {ent['recall']:.2f} F1 {ent['f1']:.2f}")
        if rel and rel["gold"]:
            typer.echo(f"held-out relations: P {rel['precision']:.2f} R {rel['recall']:.2f} F1 {rel['f1']:.2f}")
    typer.echo(f"details in {out / 'report.json'}")


@app.command()
def evaluate(
    gold: Annotated[list[Path], typer.Argument(help="Gold corpus folders.")],
    model: Annotated[Path | None, typer.Option(help="The model folder to measure.")] = None,
    folds: Annotated[int | None, typer.Option(help="Cross-validate instead: train on K-1 folds of the gold "
                                              "articles, score the one left out.", min=2)] = None,
    fmt: Annotated[str, typer.Option("--format", help="table or json.")] = "table",
    epochs: Annotated[int | None, typer.Option(help="With --folds: most CRF iterations (default 150).",
                                               min=1)] = None,
) -> None:
    """Precision, recall and F1 of drafts against gold annotations, per entity and relation type.

    Example: kg evaluate gold-corpus --model kg-model
    """
    from kg.drafting.scores import format_table

    if fmt not in ("table", "json"):
        fail(f"unknown --format {fmt!r}; use table or json")
    if (model is None) == (folds is None):
        fail("give --model MODEL to measure a model, or --folds K to cross-validate (one of them)")
    if folds is not None:
        from kg.drafting.train import cross_validate

        result = cross_validate(gold, folds, epochs=epochs, progress=lambda msg: typer.echo(msg, err=True))
    else:
        from kg.drafting.evaluate import evaluate as run_evaluate

        assert model is not None  # noqa: S101 - checked above
        result = run_evaluate(gold, model)
    for line in result.get("skipped", []):
        typer.echo(f"skipped: {line}", err=True)
    if fmt == "json":
        echo_json(result)
    else:
        typer.echo(format_table(result), nl=False)
