"""`kg annotate`: a draft sidecar whose mentions are exact and which `kg check` accepts."""

from __future__ import annotations

import shutil
from pathlib import Path

from typer.testing import CliRunner

from kg.cli import app
from kg.mapping.pipeline import check_corpus
from kg.reading.sidecar import parse_sidecar

SEEDS = Path(__file__).parent.parent / "seeds"
runner = CliRunner()


def test_draft_of_the_seed_finds_registry_actors_with_exact_offsets(tmp_path: Path):
    corpus = tmp_path / "corpus"
    (corpus / "articles").mkdir(parents=True)
    shutil.copy(SEEDS / "actors.yaml", corpus)
    text_path = corpus / "articles" / "new.txt"
    shutil.copy(SEEDS / "articles" / "000_9c143c0af1e05f5b.txt", text_path)
    out = corpus / "articles" / "new.yaml"
    result = runner.invoke(app, ["annotate", str(text_path), "-o", str(out), "--language", "ar"])
    assert result.exit_code == 0, result.output
    text = text_path.read_text(encoding="utf-8")
    article = parse_sidecar(out.read_text(encoding="utf-8"), text, article_id="new", source=str(out))
    ids = {e.actor for e in article.entities}
    assert {"lna", "bdb", "khalifa-haftar", "benghazi", "ajdabiya"} <= ids
    for e in article.entities:
        for m in e.mentions:
            assert text[m.start:m.end] == m.text
    assert [p for p in check_corpus([corpus]) if p.severity == "error"] == []
    # never overwrites
    again = runner.invoke(app, ["annotate", str(text_path), "-o", str(out)])
    assert again.exit_code == 1 and "exists" in again.stderr


def test_missing_article_is_a_one_line_error():
    result = runner.invoke(app, ["annotate", "nope.txt"])
    assert result.exit_code == 1
    assert "nope.txt: no such file" in result.stderr
