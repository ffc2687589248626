"""The draft marker in YAML and brat, and the warnings `kg check` gives for drafts."""

from __future__ import annotations

from pathlib import Path

from kg.drafting.markers import Mark, brat_drafts, draft_warnings, note_text, parse_item, parse_note
from kg.reading.corpus import ArticleFiles


def test_marker_forms():
    assert parse_item({"id": "e1", "draft": {"confidence": 0.8, "by": "model"}}) == Mark(0.8, "model")
    assert parse_item({"id": "e1", "draft": 0.4}) == Mark(0.4, "unknown")
    assert parse_item({"id": "e1"}) is None and parse_item({"id": "e1", "draft": False}) is None
    assert parse_note(note_text(Mark(0.7, "rules"), claimant="T3")) == Mark(0.7, "rules")
    assert parse_note("claimant: T3; date: 2016") is None


def test_warnings_name_file_line_and_how_to_accept(tmp_path: Path):
    (tmp_path / "a.txt").write_text("LNA", encoding="utf-8")
    (tmp_path / "a.yaml").write_text(
        "entities:\n  - id: lna\n    type: ArmedGroup\n    mentions: [LNA]\n    draft: {confidence: 0.9, by: registry}\n",
        encoding="utf-8")
    [w] = draft_warnings(ArticleFiles("a", tmp_path / "a.txt", tmp_path / "a.yaml"))
    assert w.severity == "warning" and w.line == 2 and "draft entity lna" in w.message and "`draft:`" in w.hint
    ann = "T1\tArmedGroup 0 3\tLNA\n#1\tAnnotatorNotes T1\tdraft: 0.9; by: registry\n"
    (tmp_path / "a.ann").write_text(ann, encoding="utf-8")
    assert brat_drafts(ann) == {"T1": (Mark(0.9, "registry"), 2)}
    [w] = draft_warnings(ArticleFiles("a", tmp_path / "a.txt", tmp_path / "a.ann"))
    assert w.line == 2 and "draft T1 (drafted by registry" in w.message


def test_an_unreadable_file_gives_no_draft_warning(tmp_path: Path):
    (tmp_path / "a.txt").write_text("x", encoding="utf-8")
    (tmp_path / "a.ann").write_bytes(b"T1\tPerson 0 1\t\xff\n")
    assert draft_warnings(ArticleFiles("a", tmp_path / "a.txt", tmp_path / "a.ann")) == []
