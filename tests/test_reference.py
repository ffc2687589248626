"""docs/cli.md is generated from the commands' help and must match the code."""

from __future__ import annotations

from pathlib import Path

from kg.cli.reference import command_names, option_names, render_reference

DOC = Path(__file__).resolve().parent.parent / "docs" / "cli.md"


def test_reference_is_current() -> None:
    assert DOC.read_text(encoding="utf-8") == render_reference(), (
        "docs/cli.md is stale: run `python -m kg.cli.reference > docs/cli.md`")


def test_every_command_and_option_is_documented() -> None:
    text = DOC.read_text(encoding="utf-8")
    names = command_names()
    assert {"build", "check", "query", "serve", "push", "view", "analyze", "export", "stats"} <= set(names)
    for name in names:
        section = text.split(f"## kg {name}\n", 1)
        assert len(section) == 2, f"kg {name} is missing from docs/cli.md"
        body = section[1].split("\n## kg ", 1)[0]
        for flag in option_names(name):
            assert flag in body, f"kg {name} {flag} is missing from docs/cli.md"


def test_every_command_has_an_example() -> None:
    from kg.cli.reference import command_help

    for name in command_names():
        assert "Example" in command_help(name), f"kg {name} --help has no example"
