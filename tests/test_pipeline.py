"""The per-article pipeline and what it closes: rules by argument types, symmetric relations in both
directions, brat note fields, --skip-invalid and its report, and the checks that keep bad input from a build."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kg.building.build import build
from kg.building.stats import store_stats
from kg.cli import app
from kg.errors import KGError
from kg.mapping.pipeline import check_corpus, process_article
from kg.model import Problem
from kg.reading.corpus import open_corpus
from kg.sparql.store import GraphStore

DATA = Path(__file__).parent / "data"
CONFLICT = DATA / "conflict_en"
KG = "https://w3id.org/kg/ontology#"
ID = "https://w3id.org/kg/id/"
runner = CliRunner()


def _nquads(corpus_dir: Path, name: str, **options: bool) -> str:
    corpus = open_corpus(corpus_dir)
    files = next(f for f in corpus.files if f.id == name)
    result = process_article(files, corpus, content_hash="h", **options)
    assert result.problems == () and result.skipped == ()
    return result.nquads


def _triples(nquads: str, predicate: str) -> set[tuple[str, str]]:
    found = set()
    for line in nquads.splitlines():
        s, p, o, _ = line.split(" ", 3)
        if p == f"<{KG}{predicate}>" and "#" not in s:
            found.add((s, o))
    return found


def _label_of(nquads: str) -> dict[str, str]:
    """Each node's first label (a node whose names an alias annotation merged has several)."""
    labels: dict[str, str] = {}
    for line in nquads.splitlines():
        if "<http://www.w3.org/2000/01/rdf-schema#label>" in line:
            labels.setdefault(line.split(" ", 1)[0], line.split('"')[1])
    return labels


def test_a_foreign_relation_maps_by_its_argument_types():
    a1, a2 = _nquads(CONFLICT, "a1_raqqa"), _nquads(CONFLICT, "a2_mosul")
    labels = {**_label_of(a1), **_label_of(a2)}

    def named(nquads: str, predicate: str) -> set[tuple[str, str]]:
        return {(labels[s], labels[o]) for s, o in _triples(nquads, predicate)}

    assert named(a1, "commands") == {("Abu Bakr al-Baghdadi", "ISIL")}  # In_charge_of, PER → ORG
    assert named(a1, "controls") == {("ISIL", "Raqqa")}  # In_charge_of, ORG → LOC
    assert named(a1, "locatedIn") == {("Kobani", "Syria")}  # Co_located, LOC → LOC
    assert named(a1, "operatesIn") == {("SDF", "Raqqa")}  # Co_located, ORG → LOC
    assert named(a2, "basedAt") == {("Peshmerga", "Erbil")}  # Located_in, ORG → LOC
    assert named(a2, "locatedIn") == {("Erbil", "Iraq")}  # Located_in, LOC → LOC
    assert named(a2, "memberOf") == {("Peshmerga", "Kurdistan Regional Government")}
    assert not _triples(a2, "supports") and not _triples(a2, "hostileTo")  # Likes, Dislikes: left out


def test_both_directions_of_a_symmetric_relation_keep_their_assertion_and_evidence():
    a1 = _nquads(CONFLICT, "a1_raqqa")
    assert len(_triples(a1, "alliedWith")) == 1  # the direct triple stays one
    art = f"{ID}article/a1_raqqa"
    for rid in ("R5", "R6"):
        assert f"<{art}#assertion-{rid}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#predicate> <{KG}alliedWith>" in a1
    for rid in ("R5", "R6"):  # each with its evidence, quote and claimant
        for prop in ("evidence", "quote", "claimant"):
            assert f"<{art}#assertion-{rid}> <{KG}{prop}> " in a1


def test_brat_note_fields_are_kept_on_the_assertion():
    a1 = _nquads(CONFLICT, "a1_raqqa")
    art = f"{ID}article/a1_raqqa"
    decimal = "http://www.w3.org/2001/XMLSchema#decimal"
    assert f'<{art}#assertion-R4> <{KG}confidence> "0.85"^^<{decimal}>' in a1
    assert f'<{art}#assertion-R4> <{KG}note> "confidence=0.85 trigger=clashed with"' in a1


def _broken_copy(tmp_path: Path) -> Path:
    corpus = tmp_path / "corpus"
    shutil.copytree(CONFLICT, corpus)
    ann = corpus / "a2_mosul.ann"
    ann.write_text(ann.read_text(encoding="utf-8") + "R9\tBelongs_to Arg1:T2 Arg2:T6\t\n"  # a place as member
                   "R10\tFighting_against Arg1:T1 Arg2:T99\t\n"  # an undefined argument
                   "#9\tAnnotatorNotes R3\tdate=2016-02-31\n", encoding="utf-8")
    return corpus


def test_without_skip_invalid_a_build_is_all_or_nothing(tmp_path: Path):
    corpus = _broken_copy(tmp_path)
    with GraphStore() as store:
        report = build([corpus], store=store)
        assert not report.ok and len(store) == 0
    result = runner.invoke(app, ["build", str(corpus), "--memory"])
    assert result.exit_code == 1 and "--skip-invalid" in result.output


def test_skip_invalid_builds_the_rest_and_lists_what_it_left_out(tmp_path: Path):
    corpus = _broken_copy(tmp_path)
    report_file = tmp_path / "left-out.json"
    result = runner.invoke(app, ["build", str(corpus), "--memory", "--skip-invalid", "--report", str(report_file)])
    assert result.exit_code == 3, result.output
    ann = str(corpus / "a2_mosul.ann")
    left = [line for line in result.stderr.splitlines() if line.startswith("left out: ")]
    assert [line.split(": ")[1] for line in left] == [f"{ann}:17", f"{ann}:18", f"{ann}:19"], result.stderr
    report = json.loads(report_file.read_text(encoding="utf-8"))
    assert report["left_out"] == len(report["items"]) == 3
    assert [(item["file"], item["line"]) for item in report["items"]] == [(ann, 17), (ann, 18), (ann, 19)]
    assert "memberOf' cannot go from Place 'T2'" in report["items"][0]["reason"]
    assert "left out 3 annotation(s)" in result.stdout
    # the rest is built: the other relations of the article are there
    with GraphStore() as store:
        built = build([corpus], store=store, skip_invalid=True)
        assert built.ok and built.skipped and store_stats(store)["relations_by_type"]["memberOf"] == 1


def test_a_clean_skip_invalid_build_exits_0():
    result = runner.invoke(app, ["build", str(CONFLICT), "--memory", "--skip-invalid"])
    assert result.exit_code == 0, result.output
    assert "left out 0 annotation(s)" in result.stdout


# -- the holes of issue 11, item 8: each is a kg check error with its file and line ---------------------------


def _corpus(tmp_path: Path, yaml_text: str, text: str = "Haftar leads the LNA in Benghazi.",
            registry: str | None = None) -> Path:
    (tmp_path / "articles").mkdir(exist_ok=True)
    (tmp_path / "articles" / "a.txt").write_text(text, encoding="utf-8")
    (tmp_path / "articles" / "a.yaml").write_text(yaml_text, encoding="utf-8")
    if registry is not None:
        (tmp_path / "actors.yaml").write_text(registry, encoding="utf-8")
    return tmp_path


ENTITIES = """entities:
  - {id: haftar, type: Person, mentions: [Haftar]}
  - {id: lna, type: ArmedGroup, mentions: [LNA]}
  - {id: bg, type: City, mentions: [Benghazi]}
"""


def _errors(path: Path) -> list[Problem]:
    return [p for p in check_corpus([path]) if p.severity == "error"]


def _check_then_build(path: Path) -> list[Problem]:
    """kg check's errors; and a build that passes the check never crashes (it may only refuse)."""
    errors = _errors(path)
    with GraphStore() as store:
        report = build([path], store=store, skip_invalid=True)
    assert report.ok
    if not errors:
        assert not report.skipped
    return errors


@pytest.mark.parametrize(("yaml_text", "line", "words"), [
    ("article: {date: 2016-13}\n", 1, "invalid date '2016-13'"),
    ("article: {date: 2016-02-31}\n", 1, "invalid date '2016-02-31'"),
    ("article: {language: en_US}\n", 1, "invalid language tag 'en_US'"),
    (ENTITIES + "relations:\n  - {type: commands, subject: haftar, object: lna, claimant: local_source}\n"
     "  - {type: commands, subject: haftar, object: lna, claimant: local sources}\n", 6,
     "claimant 'local_source' of 'R1' is not the id of an annotation"),
    (ENTITIES + "events:\n  - {id: E1, type: Clash, arguments: {participant: lna}}\n"
     "relations:\n  - {type: controls, subject: lna, object: E1}\n", 8, "has the event 'E1' (Clash) as its object"),
    (ENTITIES + "relations:\n  - {type: commands, subject: haftar, object: lna, confidance: 0.8}\n", 6,
     "unknown key `confidance` in a relation (did you mean `confidence`?)"),
])
def test_sidecar_mistakes_are_check_errors(tmp_path: Path, yaml_text: str, line: int, words: str):
    path = _corpus(tmp_path, yaml_text)
    errors = _check_then_build(path)
    assert [(Path(p.file).name, p.line) for p in errors if words in str(p)] == [("a.yaml", line)], errors


def test_a_mistyped_claimant_names_the_nearest_ids_and_a_registry_id_is_a_claimant(tmp_path: Path):
    yaml_text = ENTITIES + ("  - {id: local_sources, type: Source, mentions: [in]}\n"
                            "relations:\n  - {type: commands, subject: haftar, object: lna, claimant: local_source}\n"
                            "  - {type: commands, subject: haftar, object: lna, claimant: al_jazeera}\n")
    registry = "sources:\n  - {id: al_jazeera, type: MediaOutlet, labels: {en: Al Jazeera}}\n"
    [error] = _errors(_corpus(tmp_path, yaml_text, registry=registry))
    assert (error.line, error.hint) == (7, "did you mean local_sources?")


def test_brat_event_argument_and_dates(tmp_path: Path):
    (tmp_path / "a.txt").write_text("Haftar's forces clashed with the LNA.", encoding="utf-8")
    (tmp_path / "a.ann").write_text(
        "T1\tArmedGroup 0 15\tHaftar's forces\nT2\tClash 16 23\tclashed\nT3\tArmedGroup 33 36\tLNA\n"
        "E1\tClash:T2 participant:T1 participant:T3\nR1\thostileTo Arg1:T1 Arg2:E1\t\n"
        "R2\thostileTo Arg1:T1 Arg2:T3\t\n#1\tAnnotatorNotes R2\tdate=2016-13 confidence=high\n"
        "this line is not an annotation\n", encoding="utf-8")
    errors = [str(p) for p in _check_then_build(tmp_path)]
    ann = str(tmp_path / "a.ann")
    assert f"{ann}:7: invalid date '2016-13' in the note on R2 (write a real date as YYYY, YYYY-MM or YYYY-MM-DD)" \
        in errors
    assert any(e.startswith(f"{ann}:7: confidence 'high'") for e in errors)
    assert any(e.startswith(f"{ann}:8: not a brat annotation line") and "a stray line of text?" in e for e in errors)
    # checking went on past the malformed line: the event as a relation argument is reported too
    assert any(e.startswith(f"{ann}:5: relation 'R1' has the event 'E1' (Clash) as its object") for e in errors)


@pytest.mark.parametrize(("registry", "line", "words"), [
    ("actors:\n  - {id: lna, type: Armed Group, labels: {en: LNA}}\n", 2, "did you mean ArmedGroup?"),
    ("actors:\n  - {id: lna, type: Militia, labels: {en: LNA}}\n", 2, "type 'Militia', which is not an ontology class"),
    ("actors:\n  - {id: lna, type: ArmedGroup, labels: {en_GB: LNA}}\n", 2, "'en_GB' is not a language tag"),
    ("actors:\n  - {id: lna, type: ArmedGroup, labels: {1: LNA}}\n", 2, "'1' is not a language tag"),
    ("actors: 5\n", 1, "`actors` must be a list of entries"),
    ("actors:\n  - {id: x, type: Person}\n  - just words\n  - {id: y, type: Nope}\n", 3,
     "each registry item must be a mapping"),
])
def test_registry_mistakes_are_check_errors(tmp_path: Path, registry: str, line: int, words: str):
    path = _corpus(tmp_path, ENTITIES, registry=registry)
    errors = _check_then_build(path)
    assert [(Path(p.file).name, p.line) for p in errors if words in str(p)] == [("actors.yaml", line)], errors
    # without --skip-invalid a build refuses, with a one-line error
    with GraphStore() as store, pytest.raises(KGError, match=re.escape(words)):
        build([path], store=store)


def test_checking_goes_on_after_a_malformed_registry_entry(tmp_path: Path):
    registry = "actors:\n  - {id: x, type: Person}\n  - just words\n  - {id: y, type: Nope}\n"
    errors = _errors(_corpus(tmp_path, ENTITIES, registry=registry))
    assert [p.line for p in errors] == [3, 4]


def test_kg_check_ends_with_the_counts(tmp_path: Path):
    result = runner.invoke(app, ["check", str(DATA / "brat_tutorial_news")])
    assert result.exit_code == 0
    assert re.fullmatch(r"ok: .*: 0 errors, \d+ warnings?", result.stdout.splitlines()[-1])
    path = _corpus(tmp_path, "article: {date: 2016-13}\n")
    result = runner.invoke(app, ["check", str(path)])
    assert result.exit_code == 1
    assert result.stdout.splitlines()[-1] == "1 error, 0 warnings"


def test_since_refuses_an_impossible_date(seed_store_dir: Path):
    result = runner.invoke(app, ["analyze", "--store", str(seed_store_dir), "--since", "2016-02-31"])
    assert result.exit_code == 1
    assert "bad" in result.output and "2016-02-31" in result.output


def test_stats_count_negated_relations_apart(tmp_path: Path):
    yaml_text = ENTITIES + ("relations:\n  - {type: commands, subject: haftar, object: lna}\n"
                            "  - {type: controls, subject: lna, object: bg, negated: true}\n")
    with GraphStore() as store:
        build([_corpus(tmp_path, yaml_text)], store=store)
        stats = store_stats(store)
    assert (stats["relations"], stats["negated"]) == (1, 1)
    assert stats["relations_by_type"] == {"commands": 1}
