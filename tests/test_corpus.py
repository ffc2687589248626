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


def test_article_files_keep_strings_and_give_paths(tmp_path):
    import pickle

    from kg.reading.corpus import ArticleFiles, files_under, find_articles

    (tmp_path / "articles" / "b").mkdir(parents=True)
    for name in ("a.txt", "a.ann", "a.yaml", "b/c.txt", "b/c.yaml", "b-c.txt", "b-c.yaml"):
        (tmp_path / "articles" / name).write_text("x", encoding="utf-8")
    files = find_articles(tmp_path)
    assert [f.id for f in files] == ["a", "b-c", "b/c"]
    a = files[0]
    assert a.text == tmp_path / "articles" / "a.txt" and a.annotation == tmp_path / "articles" / "a.ann"
    assert a.metadata == tmp_path / "articles" / "a.yaml" and files[1].metadata is None
    assert all(isinstance(p, str) for p in a._paths) and not hasattr(a, "__dict__")  # 4× smaller than Paths
    assert pickle.loads(pickle.dumps(a)) == a and hash(pickle.loads(pickle.dumps(a))) == hash(a)
    assert a != ArticleFiles("a", a.text, a.annotation)
    # the files are listed as paths sort, part by part ("b/c" before "b-c.txt", as ["b", "c"] < ["b-c.txt"])
    listed = [p.relative_to(tmp_path / "articles").as_posix() for p in files_under(tmp_path / "articles")]
    assert listed == sorted(listed, key=lambda p: p.split("/"))
