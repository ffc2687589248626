"""The command line as a whole: help, examples, the README's commands, code quality."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from kg.cli import app

ROOT = Path(__file__).parent.parent
runner = CliRunner()
COMMANDS = ["demo", "build", "check", "query", "view", "analyze", "export", "stats", "annotate", "serve", "push",
            "types"]


def test_help_lists_every_command_with_a_summary():
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for name in COMMANDS:
        assert re.search(rf"^\s*│?\s*{name}\s+\S", result.stdout, re.M), f"{name} missing from --help"


def test_every_command_has_an_example_in_its_help():
    for name in COMMANDS:
        result = runner.invoke(app, [name, "--help"])
        assert result.exit_code == 0, name
        assert "Example" in result.stdout, f"`kg {name} --help` has no example"


def test_python_dash_m_kg_works():
    out = subprocess.run([sys.executable, "-m", "kg", "--help"], capture_output=True, text=True, check=True)
    assert "build" in out.stdout


def test_readme_starts_with_the_two_commands_and_ci_runs_the_second():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```(?:bash|sh)?\n(.*?)```", readme, re.S)
    first = blocks[0].strip().splitlines()
    assert len(first) == 2, first
    assert "kg demo" in first[0]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert first[1].strip() in ci


def test_ruff_and_mypy_are_clean():
    ruff = subprocess.run([sys.executable, "-m", "ruff", "check", "kg", "tests", "benchmarks"], cwd=ROOT,
                          capture_output=True, text=True)
    assert ruff.returncode == 0, ruff.stdout + ruff.stderr
    mypy = subprocess.run([sys.executable, "-m", "mypy", "kg"], cwd=ROOT, capture_output=True, text=True)
    assert mypy.returncode == 0, mypy.stdout + mypy.stderr
