"""`kg check`: every mistake on one line naming the file, the line and what to do."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from kg.cli import app
from kg.mapping.pipeline import check_corpus

DATA = Path(__file__).parent / "data"
BROKEN = sorted(p for p in (DATA / "broken_yaml").iterdir() if p.is_dir())
runner = CliRunner()


def test_seed_corpus_is_clean():
    assert check_corpus([Path("seeds")]) == []
    result = runner.invoke(app, ["check", "seeds"])
    assert result.exit_code == 0, result.output
    assert "ok: seeds" in result.stdout


def test_multi_fixture_is_clean():
    assert check_corpus([DATA / "multi"]) == []


@pytest.mark.parametrize("corpus", BROKEN, ids=[p.name for p in BROKEN])
def test_each_broken_corpus_points_at_the_mistake(corpus: Path):
    line, words = (corpus / "EXPECTED").read_text(encoding="utf-8").splitlines()[:2]
    result = runner.invoke(app, ["check", str(corpus)])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    lines = [x for x in result.stdout.splitlines() if words in x]
    assert lines, result.output
    expected_file = "a.txt" if corpus.name == "invalid_utf8" else "a.yaml"
    assert any(x.startswith(str(corpus / "articles" / expected_file) + f":{line}: ") for x in lines), lines
    # each message ends with a hint in parentheses
    assert all(x.rstrip().endswith(")") for x in lines)


def test_missing_corpus_is_a_one_line_error():
    result = runner.invoke(app, ["check", "no/such/folder"])
    assert result.exit_code == 1
    assert "corpus folder not found: no/such/folder" in result.output
    assert "Traceback" not in result.output


def test_usage_error_exits_2():
    assert runner.invoke(app, ["check"]).exit_code == 2


def test_shacl_validation_of_the_seed_graph():
    result = runner.invoke(app, ["check", "--shacl", "seeds"])
    assert result.exit_code == 0, result.output
    assert "SHACL conforms" in result.stdout
