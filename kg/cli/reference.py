"""The CLI reference (``docs/cli.md``), generated from the commands' own help.

``python -m kg.cli.reference > docs/cli.md`` writes it; a test fails when the file is stale or a command or
option is missing from it, so the reference always matches the code.

>>> text = render_reference()
>>> text.startswith("# kg command reference")
True
>>> "## kg build" in text and "--store" in text
True
"""

from __future__ import annotations

import typer

#: Width of the help text in the reference (fixed, so the file does not depend on the terminal).
WIDTH = 100


def command_names() -> list[str]:
    """The names of every ``kg`` command, in the order ``kg --help`` lists them."""
    from kg.cli import app

    group = typer.main.get_command(app)
    return list(group.commands)  # type: ignore[attr-defined]


def command_help(name: str) -> str:
    """``kg NAME --help`` as plain text at :data:`WIDTH` columns."""
    from kg.cli import app

    group = typer.main.get_command(app)
    parent = typer.Context(group, info_name="kg", terminal_width=WIDTH, max_content_width=WIDTH)
    command = group.commands[name]  # type: ignore[attr-defined]
    ctx = typer.Context(command, info_name=name, parent=parent, terminal_width=WIDTH, max_content_width=WIDTH)
    return command.get_help(ctx)


def option_names(name: str) -> list[str]:
    """Every option flag of one command (``--store``, ``-s`` …)."""
    from kg.cli import app

    command = typer.main.get_command(app).commands[name]  # type: ignore[attr-defined]
    return [flag for param in command.params for flag in getattr(param, "opts", []) if flag.startswith("-")]


def render_reference() -> str:
    """The whole reference as Markdown: one section per command with its ``--help``."""
    names = command_names()
    lines = [
        "# kg command reference",
        "",
        "Generated from the commands' own `--help` by `python -m kg.cli.reference > docs/cli.md`; "
        "the test suite fails when it is stale.",
        "",
        *(f"- [`kg {n}`](#kg-{n})" for n in names),
        "",
    ]
    for n in names:
        lines += [f"## kg {n}", "", "```text", command_help(n).rstrip(), "```", ""]
    return "\n".join(lines)


if __name__ == "__main__":
    print(render_reference(), end="")
