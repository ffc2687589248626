"""Commands over corpora: build, check, types, demo."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from kg.cli import app, echo_json, fail
from kg.cli.options import StoreOption, open_store
from kg.errors import KGError

if TYPE_CHECKING:
    from kg.sparql.store import GraphStore


@app.command()
def build(
    corpus: Annotated[list[Path], typer.Argument(help="Corpus folders (kg.toml, actors.yaml, articles/).")],
    store: StoreOption = None,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Also write the graph to a file: "
                                             ".trig, .nq, .ttl, .nt or .jsonld.")] = None,
    workers: Annotated[int, typer.Option(help="Processes that read and map articles.", min=1)] = 1,
    force: Annotated[bool, typer.Option(help="Redo every article, changed or not.")] = False,
    memory: Annotated[bool, typer.Option("--memory", help="Build in memory only (with --out).")] = False,
    fmt: Annotated[str, typer.Option("--format", help="Summary format: table or json.")] = "table",
) -> None:
    """Build corpora into the store (and/or a file): all or nothing.

    Example: kg build seeds --out seeds.trig
    """
    from kg.sparql.store import GraphStore

    target = GraphStore() if memory else open_store(store)
    with target:
        _build_into(target, corpus, out=out, workers=workers, force=force, fmt=fmt)


def _build_into(target: GraphStore, corpus: list[Path], *, out: Path | None, workers: int, force: bool,
                fmt: str) -> None:
    from kg.build import build as run_build
    from kg.build import render_stats

    bar = None

    def progress(done: int, total: int) -> None:
        nonlocal bar
        if total < 50 or not sys.stderr.isatty():
            return
        if bar is None:
            bar = typer.progressbar(length=total, label="mapping articles", file=sys.stderr)
            bar.__enter__()
        bar.update(1 if done else 0)
        if done == total:
            bar.__exit__(None, None, None)

    try:
        report = run_build(corpus, store=target, out=out, workers=workers, force=force, progress=progress)
    except KGError as exc:
        fail(exc)
    for problem in report.problems:
        typer.echo(str(problem), err=True)
    if not report.ok:
        fail(f"{len(report.errors)} problem(s) in the annotations; the store was not changed")
    if fmt == "json":
        echo_json({"articles": report.articles, "mapped": report.mapped, "unchanged": report.unchanged,
                   "removed": report.removed, "warnings": len(report.problems), **report.stats})
        return
    typer.echo(f"built {report.articles} article(s): {report.mapped} mapped, {report.unchanged} unchanged, "
               f"{report.removed} removed" + (f" → {out}" if out else ""))
    typer.echo(render_stats(report.stats))


@app.command()
def check(
    corpus: Annotated[list[Path], typer.Argument(help="Corpus folders to check.")],
    shacl: Annotated[bool, typer.Option("--shacl", help="Also build in memory and validate the graph "
                                        "against the SHACL shapes.")] = False,
) -> None:
    """Check annotations: offsets, span text, types, ids, domain and range. Exit 1 on problems.

    Example: kg check seeds
    """
    from kg.mapping.pipeline import check_corpus

    problems = check_corpus(corpus)
    for problem in problems:
        typer.echo(str(problem))
    errors = [p for p in problems if p.severity == "error"]
    if not errors and shacl:
        from kg.build import build as run_build
        from kg.sparql.shapes import validate
        from kg.sparql.store import GraphStore

        try:
            mem = GraphStore()
            run_build(corpus, store=mem)
            conforms, report = validate(mem)
        except KGError as exc:
            fail(exc)
        if not conforms:
            typer.echo(report)
            fail("the graph does not conform to the SHACL shapes")
    if errors:
        typer.echo(f"{len(errors)} problem(s)", err=True)
        raise typer.Exit(1)
    typer.echo(f"ok: {', '.join(str(c) for c in corpus)}" + (" (SHACL conforms)" if shacl else ""))


@app.command()
def types(
    brat: Annotated[bool, typer.Option("--brat", help="Print a brat annotation.conf instead.")] = False,
    visual: Annotated[bool, typer.Option("--visual", help="Print a brat visual.conf instead.")] = False,
) -> None:
    """List the ontology's entity, relation and event types (or write brat configuration).

    Example: kg types --brat > annotation.conf
    """
    from kg.ontology import annotation_conf, load_ontology, visual_conf

    ont = load_ontology()
    if brat:
        typer.echo(annotation_conf(ont))
        return
    if visual:
        typer.echo(visual_conf(ont))
        return
    for title, names in (("entity types", ont.entity_types), ("relation types", ont.relation_types),
                         ("event types", ont.event_types), ("event roles", ont.roles),
                         ("figure kinds", ont.figure_kinds)):
        typer.echo(f"{title}:")
        for name in sorted(names):
            term = ont.term(name)
            typer.echo(f"  {name:<20}{term.label_en} | {term.label_ar}")


@app.command()
def demo(
    store: StoreOption = None,
    out: Annotated[Path, typer.Option("--out", "-o", help="Where to write the HTML view.")] = Path("kg-demo.html"),
    corpus: Annotated[Path | None, typer.Option(help="Corpus to build (default: the seed corpus).")] = None,
) -> None:
    """Build the seed corpus, print stats and who commands, supports and allies with whom, write a view.

    Example: kg demo --out demo.html
    """
    from kg.demo import run_demo

    try:
        run_demo(corpus=corpus, store_path=store, out=out, echo=typer.echo)
    except KGError as exc:
        fail(exc)
