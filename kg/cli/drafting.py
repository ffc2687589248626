"""Commands that draft annotations: annotate."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kg.cli import app, fail
from kg.errors import KGError


@app.command()
def annotate(
    article: Annotated[Path, typer.Argument(help="The article's text file (NAME.txt).")],
    registry: Annotated[Path | None, typer.Option(help="actors.yaml to search for (default: the corpus's, "
                                                  "found beside or above the article).")] = None,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Write the draft here (default: stdout). "
                                             "An existing file is never overwritten.")] = None,
    language: Annotated[str | None, typer.Option(help="Article language (ar, en).")] = None,
) -> None:
    """Draft a YAML sidecar for an article: every registry name found in its text, with offsets.

    Example: kg annotate corpus/articles/new.txt -o corpus/articles/new.yaml
    """
    from kg.annotate import annotate_file
    from kg.mapping.resolve import read_registry

    if not article.is_file():
        fail(f"{article}: no such file (give the article's .txt file)")
    if registry is None:
        registry = next((d / "actors.yaml" for d in article.resolve().parents if (d / "actors.yaml").is_file()),
                        None)
    try:
        draft = annotate_file(article, read_registry(registry), language=language)
    except KGError as exc:
        fail(exc)
    if out is None:
        typer.echo(draft, nl=False)
        return
    if out.exists():
        fail(f"{out} exists; choose another --out or remove it first")
    out.write_text(draft, encoding="utf-8")
    typer.echo(f"draft written to {out}: check every mention, then add relations and events")
