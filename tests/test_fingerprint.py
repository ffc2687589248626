"""Content hashes and the stamps that spare a build reading unchanged files."""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import pytest

from kg import build
from kg.building.fingerprint import STAMPS, Stamps
from kg.reading.corpus import ArticleFiles
from kg.sparql.store import GraphStore

ROOT = Path(__file__).parent.parent


def _age(folder: Path, seconds: float = 3600) -> None:
    past = time.time() - seconds
    for path in folder.rglob("*"):
        os.utime(path, (past, past))


def test_unchanged_files_are_not_read_again_and_an_edit_is_seen(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    corpus = tmp_path / "corpus"
    shutil.copytree(ROOT / "tests" / "data" / "multi", corpus)
    _age(corpus)
    with GraphStore(tmp_path / "store") as store:
        assert build([corpus], store=store).ok
    kept = json.loads((tmp_path / "store" / STAMPS).read_text(encoding="utf-8"))
    assert len(kept) >= len(list(corpus.rglob("*.txt")))  # a digest of each article's files at least

    def unread(self: ArticleFiles) -> str:
        raise AssertionError(f"read again: {self.text}")

    monkeypatch.setattr(ArticleFiles, "digest", unread)
    with GraphStore(tmp_path / "store") as store:
        report = build([corpus], store=store)
    assert report.ok and report.mapped == 0
    monkeypatch.undo()
    text = sorted((corpus / "articles").glob("*.txt"))[0] if (corpus / "articles").is_dir() else \
        sorted(corpus.glob("*.txt"))[0]
    text.write_text(text.read_text(encoding="utf-8") + " ", encoding="utf-8")
    with GraphStore(tmp_path / "store") as store:
        report = build([corpus], store=store)
    assert report.ok and report.mapped == 1


def test_a_file_written_just_now_is_not_kept(tmp_path: Path):
    path = tmp_path / "a.txt"
    path.write_text("x", encoding="utf-8")
    stamps = Stamps(tmp_path)
    assert stamps.get("a", [path], lambda: "first") == "first"
    stamps.save()
    assert not (tmp_path / STAMPS).exists()  # its time could recur within the clock's step
    _age(tmp_path)
    stamps = Stamps(tmp_path)
    stamps.get("a", [path], lambda: "first")
    stamps.save()
    assert Stamps(tmp_path).get("a", [path], lambda: "second") == "first"
    path.write_text("yy", encoding="utf-8")
    assert Stamps(tmp_path).get("a", [path], lambda: "second") == "second"


def test_the_stamps_file_keeps_digests_of_names_and_an_older_file_is_read_again(tmp_path: Path):
    path = tmp_path / "a.txt"
    path.write_text("x", encoding="utf-8")
    _age(tmp_path)
    name = f"digest {path} None None"
    (tmp_path / STAMPS).write_text(json.dumps({name: [[[1, 2, 3]], "old"]}), encoding="utf-8")  # an older file
    stamps = Stamps(tmp_path)
    assert stamps.get(name, [path], lambda: "computed") == "computed"
    stamps.save()
    kept = json.loads((tmp_path / STAMPS).read_text(encoding="utf-8"))
    [(key, (stamp, value))] = kept.items()
    assert str(tmp_path) not in key and len(key) == 24 and value == "computed"
    assert stamp == f"{path.stat().st_size}.{path.stat().st_mtime_ns}.{path.stat().st_ino}"
    assert Stamps(tmp_path).get(name, [path], lambda: "again") == "computed"
