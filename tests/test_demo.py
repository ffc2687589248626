"""`kg demo`: the README's first command, run as a new user would."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kg.cli import app

runner = CliRunner()


def test_demo_builds_answers_and_writes_an_offline_view(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("KG_STORE", raising=False)
    result = runner.invoke(app, ["demo"])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert (tmp_path / ".kg-store").is_dir()
    for line in (
        "Khalifa Haftar → Libyan National Army   |   خليفة حفتر → الجيش الوطني الليبي",
        "Sadiq al-Ghariani → Benghazi Defense Brigades",
        "Benghazi Defense Brigades ↔ Benghazi Revolutionaries Shura Council (intended)",
        "Who commands whom", "Who supports whom", "Who is allied with whom",
    ):
        assert line in out
    assert re.search(r"articles\s+1\n", out)
    html_path = tmp_path / "kg-demo.html"
    assert f"HTML view: {html_path}" in out
    html = html_path.read_text(encoding="utf-8")
    assert not re.search(r"<(script|link)[^>]+(src|href)=[\"']https?:", html), "the view loads from a network"
    # running it again reuses the store: nothing is mapped twice
    again = runner.invoke(app, ["demo"])
    assert again.exit_code == 0


def test_demo_ends_with_three_commands_that_work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    import shlex

    from kg.demo import NEXT_COMMANDS

    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("KG_STORE", raising=False)
    result = runner.invoke(app, ["demo"])
    assert result.exit_code == 0, result.output
    tail = result.stdout.rstrip().splitlines()[-4:]
    assert tail[0] == "Next, try:" and len(NEXT_COMMANDS) == 3
    for line, (command, _) in zip(tail[1:], NEXT_COMMANDS, strict=True):
        assert line.strip().startswith(command)
        ran = runner.invoke(app, shlex.split(command)[1:])
        assert ran.exit_code == 0, (command, ran.output)
    assert (tmp_path / "events.csv").exists()
