"""The ``kg`` command line: each command parses its options, calls one library function, prints.

Errors a user can cause are :class:`kg.errors.KGError`: the one wrapper in :class:`KGGroup` prints them as
one line on stderr, ``Error: …``, with exit status 1, never a traceback. Usage errors exit with status 2.

Commands live in one module per part of the data flow: :mod:`kg.cli.corpus` (build, check, types, demo),
:mod:`kg.cli.graph` (stats, query, serve, push), :mod:`kg.cli.network` (view, analyze, export) and
:mod:`kg.cli.drafting` (annotate). Shared options are in :mod:`kg.cli.options`.
"""

from __future__ import annotations

import json
from typing import Any, NoReturn

import typer
from typer.core import TyperGroup

from kg.errors import KGError


class KGGroup(TyperGroup):
    """The command group that turns every :class:`KGError` into one line and exit status 1."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except KGError as exc:
            typer.echo(f"Error: {exc}", err=True)
            raise typer.Exit(1) from None


app = typer.Typer(
    name="kg",
    cls=KGGroup,
    help="Annotated news articles → an RDF knowledge graph of who commands, allies with, supports and "
    "fights whom.\n\nStart with `kg demo`.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    add_completion=False,
    rich_markup_mode=None,
)


def fail(exc: KGError | str) -> NoReturn:
    """Print one line on stderr and exit 1."""
    typer.echo(f"Error: {exc}", err=True)
    raise typer.Exit(1)


def echo_json(value: object) -> None:
    typer.echo(json.dumps(value, ensure_ascii=False, indent=2))


def main() -> None:
    """Entry point of the ``kg`` console script."""
    app()


from kg.cli import corpus, drafting, graph, network  # noqa: E402,F401  (each registers its commands)
