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
    from kg.model import Problem
    from kg.sparql.store import GraphStore


@app.command()
def build(
    corpus: Annotated[list[Path], typer.Argument(help="Corpus folders (kg.toml, actors.yaml, articles/).")],
    store: StoreOption = None,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Also write the graph to a file (.trig, .nq, "
                                             ".ttl, .nt or .jsonld), or to a folder DIR/ as N-Quads shards "
                                             "for any server's bulk loader.")] = None,
    workers: Annotated[int, typer.Option(help="Processes that read and map articles.", min=1)] = 1,
    dask: Annotated[str | None, typer.Option(
        "--dask", metavar="SCHEDULER",
        help="Map the articles on a Dask cluster: `local` (a LocalCluster) or a tcp:// scheduler address.")] = None,
    force: Annotated[bool, typer.Option(help="Redo every article, changed or not.")] = False,
    allow_empty: Annotated[bool, typer.Option("--allow-empty", help="Allow a build that removes every article "
                                              "from the store (an empty corpus).")] = False,
    memory: Annotated[bool, typer.Option("--memory", help="Build in memory only (with --out).")] = False,
    fmt: Annotated[str, typer.Option("--format", help="Summary format: table or json.")] = "table",
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="List every claimant in the summary "
                                          "(default: the five with most claims).")] = False,
    skip_invalid: Annotated[bool, typer.Option("--skip-invalid", help="Leave out every annotation that fails a "
                                               "check, list it (FILE:LINE: reason) and build the rest; exit "
                                               f"{LEFT_OUT} when anything was left out.")] = False,
    report: Annotated[Path | None, typer.Option("--report", help="With --skip-invalid: also write what was "
                                                "left out to this JSON file.")] = None,
) -> None:
    """Build corpora into the store (and/or a file): all or nothing, unless --skip-invalid.

    Example: kg build seeds --out seeds.trig

    Example: kg build corpus --skip-invalid --report left-out.json
    """
    from kg.sparql.store import GraphStore

    if report is not None and not skip_invalid:
        fail("--report goes with --skip-invalid")
    target = GraphStore() if memory else open_store(store)
    with target:
        left_out = _build_into(target, corpus, out=out, workers=workers, dask=dask, force=force,
                               allow_empty=allow_empty, fmt=fmt, skip_invalid=skip_invalid, report=report,
                               verbose=verbose)
    if left_out:
        raise typer.Exit(LEFT_OUT)


#: The exit status of ``kg build --skip-invalid`` when something was left out (the rest was built).
LEFT_OUT = 3


def _build_into(target: GraphStore, corpus: list[Path], *, out: Path | None, workers: int, dask: str | None,
                force: bool, allow_empty: bool, fmt: str, skip_invalid: bool = False,
                report: Path | None = None, verbose: bool = False) -> int:
    """Build, print the summary, and return how many annotations were left out."""
    from kg.building.build import build as run_build
    from kg.building.build import executor_for
    from kg.building.stats import render_stats

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

    def stage(name: str) -> None:
        if bar is not None and sys.stderr.isatty():  # a long build: say what happens after the bar is full
            typer.echo(f"{name} …", err=True)

    try:
        # local workers are left to the build, which maps a change of one batch in this process
        executor = executor_for(workers, dask) if dask is not None else None
        try:
            built = run_build(corpus, store=target, out=out, workers=workers, executor=executor, force=force,
                              allow_empty=allow_empty, progress=progress, skip_invalid=skip_invalid,
                              stage=stage)
        finally:
            close = getattr(executor, "close", None)
            if close is not None:
                close()
    except KGError as exc:
        fail(exc)
    for problem in built.problems:
        typer.echo(str(problem), err=True)
    for problem in built.skipped:
        typer.echo(f"left out: {problem}", err=True)
    if report is not None:
        _write_report(report, built.skipped, articles=built.articles)
    if not built.ok:
        fail(f"{len(built.errors)} problem(s) in the annotations; the store was not changed "
             "(kg build --skip-invalid builds the rest)")
    if fmt == "json":
        echo_json({"articles": built.articles, "mapped": built.mapped, "unchanged": built.unchanged,
                   "removed": built.removed, "warnings": len(built.problems), "left_out": len(built.skipped),
                   **built.stats})
        return len(built.skipped)
    typer.echo(f"built {built.articles} article(s): {built.mapped} mapped, {built.unchanged} unchanged, "
               f"{built.removed} removed" + (f" → {out}" if out else ""))
    if skip_invalid:
        typer.echo(f"left out {len(built.skipped)} annotation(s)" + (f" (listed in {report})" if report else ""))
    typer.echo(render_stats(built.stats, top=None if verbose else 5))
    return len(built.skipped)


def _write_report(path: Path, skipped: tuple[Problem, ...], *, articles: int) -> None:
    """What ``--skip-invalid`` left out, as JSON: one object per annotation left out, in order."""
    import json

    items = [{"file": p.file, "line": p.line, "reason": p.message, "hint": p.hint} for p in skipped]
    body = {"articles": articles, "left_out": len(items), "items": items}
    try:
        path.write_text(json.dumps(body, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    except OSError as exc:
        fail(f"cannot write the report {path}: {exc.strerror}")


@app.command()
def check(
    corpus: Annotated[list[Path], typer.Argument(help="Corpus folders to check.")],
    shacl: Annotated[bool, typer.Option("--shacl", help="Also build in memory and validate the graph "
                                        "against the SHACL shapes.")] = False,
) -> None:
    """Check annotations: offsets, span text, types, ids, domain and range, the registry. Exit 1 on errors.

    Ends with "N errors, M warnings". Errors block a build; warnings name what is left out on purpose.

    Example: kg check seeds
    """
    from kg.mapping.pipeline import check_corpus

    problems = check_corpus(corpus)
    for problem in problems:
        typer.echo(str(problem))
    errors = [p for p in problems if p.severity == "error"]
    counts = f"{_n(len(errors), 'error')}, {_n(len(problems) - len(errors), 'warning')}"
    if not errors and shacl:
        from kg.building.build import build as run_build
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
        typer.echo(counts)
        raise typer.Exit(1)
    typer.echo(f"ok: {', '.join(str(c) for c in corpus)}" + (" (SHACL conforms)" if shacl else "") + f": {counts}")


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")


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
