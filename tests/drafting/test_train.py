"""`kg train`, `kg annotate --model` and `kg evaluate` on a small part of NewsFANE Gold and the fixtures."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from kg.cli import app
from kg.drafting.model import load_model

DATA = Path(__file__).parents[1] / "data"
NEWSFANE = DATA / "newsfane_small"
runner = CliRunner()


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("model") / "m"
    result = runner.invoke(app, ["train", str(NEWSFANE), "-o", str(out), "--holdout", "0.25"])
    assert result.exit_code == 0, result.output
    assert "held-out entities: P" in result.stdout
    return out


@pytest.mark.slow
def test_the_model_folder_holds_its_report(tiny_model: Path):
    report = json.loads((tiny_model / "report.json").read_text(encoding="utf-8"))
    assert report["format"] == "kg-drafting-model/2"
    articles = report["corpora"][0]["articles"]
    assert len(articles) == 12 and all(len(a["sha256"]) == 64 for a in articles)
    assert sum(a["heldout"] for a in articles) == 3 == report["sizes"]["heldout"]
    assert report["sizes"]["training"] == 9 and report["sizes"]["entities"] > 300
    assert report["languages"]["ar"]["labels"] and "Person" in report["languages"]["ar"]["labels"]
    assert "Group" not in report["languages"]["ar"]["labels"]  # mapped to "" in kg.toml: left out
    scores = report["scores"]["entities"]
    assert scores["exact"]["all"]["gold"] > 50 and 0 <= scores["exact"]["all"]["f1"] <= 1
    assert scores["overlap"]["all"]["f1"] >= scores["exact"]["all"]["f1"]
    # the recogniser is the CRF: crfsuite's model file, the gazetteer, its meta (no spaCy pipeline)
    assert (tiny_model / "ner-ar" / "crf.model").stat().st_size > 1000
    assert (tiny_model / "ner-ar" / "meta.json").is_file() and not (tiny_model / "ner-ar" / "config.cfg").exists()
    assert report["languages"]["ar"]["recogniser"] == report["settings"]["recogniser"] == "crf"
    assert report["languages"]["ar"]["iterations"] > 10 and report["languages"]["ar"]["gazetteer_names"] > 100
    assert report["scores"]["groups"]["Person+Organization+Place"]["exact"]["f1"] > 0.3
    model = load_model(tiny_model)
    # a held-out article whose gold has 13 countries, 9 cities and 4 persons
    text = (NEWSFANE / "articles" / "0000.txt").read_text(encoding="utf-8")
    found = model.entities(text, "ar")
    assert len(found) > 20 and {"Country", "City"} <= {t for _s, _e, t in found}
    assert 0 < max(model.confidence("entities", t, -1) for t in ("City", "Country", "Person")) <= 1


@pytest.mark.slow
def test_annotate_with_the_model_drafts_new_names(tiny_model: Path, tmp_path: Path):
    article = tmp_path / "a.txt"
    shutil.copy(NEWSFANE / "articles" / "0011.txt", article)
    result = runner.invoke(app, ["annotate", str(article), "--model", str(tiny_model)])
    assert result.exit_code == 0, result.output
    data = yaml.safe_load(result.stdout)
    text = article.read_text(encoding="utf-8")
    model_entities = [e for e in data["entities"] if e["draft"]["by"] == "model"]
    assert model_entities
    for e in model_entities:
        for m in e["mentions"]:
            assert text[m["at"][0]:m["at"][1]] == m["text"]


@pytest.mark.slow
def test_evaluate_prints_a_table_and_json(tiny_model: Path):
    table = runner.invoke(app, ["evaluate", str(NEWSFANE), "--model", str(tiny_model)])
    assert table.exit_code == 0, table.output
    assert "entities (exact spans" in table.stdout and "Person+Organization+Place" in table.stdout
    result = runner.invoke(app, ["evaluate", str(NEWSFANE), "--model", str(tiny_model), "--format", "json"])
    data = json.loads(result.stdout)
    assert data["articles"] == 12 and data["entities"]["exact"]["Person"]["gold"] > 0
    assert data["words_per_second"] > 0


@pytest.mark.slow
def test_cross_validation_on_the_multi_article_fixture():
    result = runner.invoke(app, ["evaluate", str(DATA / "multi"), str(Path(__file__).parents[2] / "seeds"),
                                 "--folds", "2", "--epochs", "2", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["folds"] == 2 and data["articles"] == 5
    assert data["relations"]["all"]["gold"] == 63
    assert data["relations_rules_only"]["all"]["precision"] > 0.3


@pytest.mark.slow
def test_the_spacy_recogniser_can_still_be_chosen(tmp_path: Path):
    out = tmp_path / "m"
    result = runner.invoke(app, ["train", str(NEWSFANE), "-o", str(out), "--recogniser", "spacy", "--epochs", "1",
                                 "--holdout", "0.25"])
    assert result.exit_code == 0, result.output
    assert (out / "ner-ar" / "config.cfg").is_file() and not (out / "ner-ar" / "crf.model").exists()
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["languages"]["ar"]["recogniser"] == "spacy" and report["languages"]["ar"]["dev_articles"] == 1
    assert load_model(out).entities("قال محمد", "ar") is not None


def test_train_rejects_an_unknown_recogniser(tmp_path: Path):
    result = runner.invoke(app, ["train", str(NEWSFANE), "-o", str(tmp_path / "m"), "--recogniser", "hmm"])
    assert result.exit_code == 1 and "crf or spacy" in result.stderr


def test_evaluate_needs_a_model_or_folds():
    result = runner.invoke(app, ["evaluate", str(DATA / "multi")])
    assert result.exit_code == 1 and "--model" in result.stderr and "--folds" in result.stderr


def test_train_says_what_is_missing(tmp_path: Path):
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "a.txt").write_text("نص بلا تعليقات", encoding="utf-8")
    result = runner.invoke(app, ["train", str(tmp_path), "-o", str(tmp_path / "m")])
    assert result.exit_code == 1 and "no entity annotations" in result.stderr


def test_training_stops_at_its_best_epoch_on_the_dev_part_and_the_saved_pipeline_loads(tmp_path: Path):
    from kg.drafting.ner import load, predict, save, train_ner

    text = "زار محمد بيروت امس"
    samples = [(text, [(4, 8, "Person"), (9, 14, "City")])] * 12
    nlp = train_ner(samples, "ar", epochs=40, dev=samples[:2], patience=3, width=64, depth=2, rows=1000)
    meta = nlp.meta["kg"]
    assert meta["dev_f1"] == 1.0 and meta["epochs"] < 40 and meta["epochs"] - meta["best_epoch"] == 3
    assert predict(nlp, text) == [(4, 8, "Person"), (9, 14, "City")]
    save(nlp, tmp_path / "ner")
    assert predict(load(tmp_path / "ner"), text + ". " + text)[-1] == (len(text) + 11, len(text) + 16, "City")


def test_a_model_saved_again_keeps_none_of_the_older_files(tiny_model: Path, tmp_path: Path):
    from kg.drafting.model import REPORT, load_model, save_model

    model = load_model(tiny_model)
    for lang in model.languages:
        model.recogniser(lang)
    folder = tmp_path / "again"
    (folder / "ner-ar").mkdir(parents=True)
    (folder / REPORT).write_text("{}", encoding="utf-8")
    (folder / "ner-ar" / "config.cfg").write_text("an older spaCy pipeline", encoding="utf-8")
    save_model(model, folder)
    assert not (folder / "ner-ar" / "config.cfg").exists()
    assert (folder / "ner-ar" / "crf.model").is_file()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # nothing left beside it
    assert load_model(folder).recogniser(model.languages[0]) is not None


def test_what_a_killed_save_left_beside_the_model_is_removed_by_the_next(tiny_model: Path, tmp_path: Path):
    from kg.drafting.model import load_model, save_model

    model = load_model(tiny_model)
    for lang in model.languages:
        model.recogniser(lang)
    folder = tmp_path / "m"
    save_model(model, folder)
    for name in (".m-new-k1lled", ".m-old-4242"):  # the temporary folders of saves killed mid-way
        (tmp_path / name / "ner-ar").mkdir(parents=True)
    (tmp_path / ".other-new-x").mkdir()  # another model's: not ours to remove
    save_model(model, folder)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".other-new-x", "m"]


def test_where_folders_cannot_be_swapped_two_renames_replace_the_model_or_put_the_old_one_back(
        tiny_model: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    import kg.drafting.model as model_module
    from kg.drafting.model import REPORT, load_model, save_model

    model = load_model(tiny_model)
    for lang in model.languages:
        model.recogniser(lang)
    folder = tmp_path / "m"
    folder.mkdir()
    (folder / REPORT).write_text("{}", encoding="utf-8")
    (folder / "older.txt").write_text("the older model", encoding="utf-8")
    monkeypatch.setattr(model_module, "exchange", lambda a, b: False)  # a system without renameat2
    save_model(model, folder)
    assert not (folder / "older.txt").exists() and (folder / "ner-ar" / "crf.model").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m"]

    # the second rename fails (the new folder vanished, a full disk, a signal): the model is the older one
    (folder / "older.txt").write_text("the older model", encoding="utf-8")
    renames: list[Path] = []
    real_rename = Path.rename

    def failing_second_rename(self: Path, target: Path) -> Path:
        renames.append(self)
        if len(renames) == 2:
            raise OSError(28, "No space left on device")
        return real_rename(self, target)

    monkeypatch.setattr(Path, "rename", failing_second_rename)
    with pytest.raises(OSError):
        save_model(model, folder)
    assert len(renames) == 3  # out of the way, (the new one in: failed), and back
    assert (folder / "older.txt").read_text(encoding="utf-8") == "the older model"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m"]


def test_the_model_folder_is_swapped_in_one_step():
    """Readers never find the folder missing: the new folder and the old one trade places atomically."""
    import os
    import sys
    import tempfile

    from kg.drafting.model import exchange

    root = Path(tempfile.mkdtemp())
    (root / "new").mkdir()
    (root / "new" / "report.json").write_text("new", encoding="utf-8")
    (root / "model").mkdir()
    (root / "model" / "report.json").write_text("old", encoding="utf-8")
    inode = os.stat(root / "new").st_ino
    swapped = exchange(root / "new", root / "model")
    if sys.platform.startswith("linux"):
        assert swapped
    if swapped:
        assert (root / "model" / "report.json").read_text(encoding="utf-8") == "new"
        assert (root / "new" / "report.json").read_text(encoding="utf-8") == "old"
        assert os.stat(root / "model").st_ino == inode
    shutil.rmtree(root)


def test_a_model_of_the_older_format_is_refused_with_a_hint(tiny_model: Path, tmp_path: Path):
    """Format 1 folded words with a copy of its own (no ؤ/ئ folding): its gazetteer keys would not match."""
    from kg.drafting.model import REPORT
    from kg.errors import KGError

    folder = tmp_path / "old"
    shutil.copytree(tiny_model, folder)
    report = json.loads((folder / REPORT).read_text(encoding="utf-8"))
    (folder / REPORT).write_text(json.dumps({**report, "format": "kg-drafting-model/1"}), encoding="utf-8")
    with pytest.raises(KGError, match="another version of kg") as caught:
        load_model(folder)
    assert "train the model again" in (caught.value.hint or "")


def test_the_recogniser_folds_words_as_names_are_matched():
    from kg.drafting.features import normalise
    from kg.network.names import normalize_arabic

    for word in ("رئيس", "مؤتمر", "إسرائيل", "\u200fالجزيرة", "مصطفى"):
        assert normalise(word) == normalize_arabic(word)
