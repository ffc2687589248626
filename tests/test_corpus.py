"""The corpus layout: which files are articles, and every other file reported unless it is configuration or
documentation."""

from __future__ import annotations

import shutil

from inception_graphs import INCEPTION
from typer.testing import CliRunner

from kg.cli import app
from kg.mapping.pipeline import check_corpus
from kg.reading.corpus import open_corpus


def test_a_file_no_reader_knows_is_reported(tmp_path):
    corpus = tmp_path / "c"
    shutil.copytree(INCEPTION / "astral" / "json", corpus)
    (corpus / "astral.conllu").write_text("1\tHaftar\n", encoding="utf-8")
    (corpus / "README.md").write_text("notes\n", encoding="utf-8")
    problems = check_corpus([corpus])
    assert [(p.file, p.severity) for p in problems] == [(str(corpus / "astral.conllu"), "warning")]
    assert problems[0].message == "not read: no reader knows .conllu"
    result = CliRunner().invoke(app, ["check", str(corpus)])
    assert "astral.conllu: warning: not read: no reader knows .conllu" in result.output


def test_configuration_and_documentation_are_not_reported(tmp_path):
    corpus = tmp_path / "c"
    shutil.copytree(INCEPTION / "news" / "xmi", corpus)
    for name in ("annotation.conf", "visual.conf", "LICENSE_brat.md", "README"):
        (corpus / name).write_text("x\n", encoding="utf-8")
    (corpus / ".hidden").write_text("x\n", encoding="utf-8")
    assert open_corpus(corpus).problems == ()
    assert len(open_corpus(corpus).files) == 13
