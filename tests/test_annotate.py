"""`kg annotate`: drafts with exact offsets and draft markers, that `kg check` lists until a person accepts
them, in YAML and in brat; a person's corrections survive the next run."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml
from typer.testing import CliRunner

from kg.cli import app
from kg.drafting.markers import brat_drafts
from kg.mapping.pipeline import check_corpus
from kg.ontology import annotation_conf, load_ontology
from kg.reading.brat import check_brat
from kg.reading.sidecar import parse_sidecar

SEEDS = Path(__file__).parent.parent / "seeds"
SEED_TEXT = SEEDS / "articles" / "000_9c143c0af1e05f5b.txt"
runner = CliRunner()


def _corpus(tmp_path: Path) -> Path:
    corpus = tmp_path / "corpus"
    (corpus / "articles").mkdir(parents=True)
    shutil.copy(SEEDS / "actors.yaml", corpus)
    shutil.copy(SEED_TEXT, corpus / "articles" / "new.txt")
    return corpus


def test_yaml_draft_of_the_seed_has_exact_offsets_markers_and_passes_check_with_warnings(tmp_path: Path):
    corpus = _corpus(tmp_path)
    text_path = corpus / "articles" / "new.txt"
    result = runner.invoke(app, ["annotate", str(text_path), "-o", str(corpus / "articles"), "--language", "ar"])
    assert result.exit_code == 0, result.output
    out = corpus / "articles" / "new.yaml"
    text = text_path.read_text(encoding="utf-8")
    article = parse_sidecar(out.read_text(encoding="utf-8"), text, article_id="new", source=str(out))
    assert {"lna", "bdb", "khalifa-haftar", "benghazi", "ajdabiya", "local-sources"} <= {e.actor for e in article.entities}
    for e in article.entities:
        for m in e.mentions:
            assert text[m.start:m.end] == m.text
    triples = {(r.type, r.subject, r.object) for r in article.relations}
    assert ("commands", "mohamed_absayat", "battalion_101") in triples
    assert ("loyalTo", "mohamed_absayat", "khalifa_haftar") in triples
    assert ("alliedWith", "ajdabiya_operations_room", "bdb") in triples
    figures = {(f.kind, f.count, f.qualifier) for ev in article.events for f in ev.figures}
    assert ("killed", 25, "more-than") in figures and ("wounded", 6, "exact") in figures
    bdb_figure = next(f for ev in article.events for f in ev.figures if f.count == 6)
    assert bdb_figure.claimant == "bdb_sources"
    data = yaml.safe_load(out.read_text(encoding="utf-8"))
    for section in ("entities", "relations", "events"):
        for item in data[section]:
            assert set(item["draft"]) == {"confidence", "by"} and 0 < item["draft"]["confidence"] <= 1
    problems = check_corpus([corpus])
    assert [p for p in problems if p.severity == "error"] == []
    drafts = [p for p in problems if "is not accepted yet" in p.message]
    assert len(drafts) == len(data["entities"]) + len(data["relations"]) + len(data["events"])
    assert all(p.severity == "warning" and p.line for p in drafts)


def test_a_persons_corrections_win_over_drafts_on_the_next_run(tmp_path: Path):
    corpus = _corpus(tmp_path)
    text_path = corpus / "articles" / "new.txt"
    out = corpus / "articles" / "new.yaml"
    assert runner.invoke(app, ["annotate", str(text_path), "-o", str(out)]).exit_code == 0
    data = yaml.safe_load(out.read_text(encoding="utf-8"))
    # The person accepts Haftar, retypes Benghazi's entity, deletes a relation, and accepts another.
    by_id = {e["id"]: e for e in data["entities"]}
    del by_id["khalifa_haftar"]["draft"]
    by_id["benghazi"]["type"] = "Region"
    del by_id["benghazi"]["draft"]
    accepted = next(r for r in data["relations"] if r["type"] == "loyalTo" and r["object"] == "khalifa_haftar"
                    and r["subject"] == "mohamed_absayat")
    del accepted["draft"]
    data["relations"] = [r for r in data["relations"] if r["type"] != "commands" or "draft" not in r]
    out.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert runner.invoke(app, ["annotate", str(text_path), "-o", str(out)]).exit_code == 0
    again = yaml.safe_load(out.read_text(encoding="utf-8"))
    ents = {e["id"]: e for e in again["entities"]}
    assert "draft" not in ents["khalifa_haftar"] and ents["benghazi"]["type"] == "Region"
    assert "draft" not in ents["benghazi"]
    assert sum(1 for e in again["entities"] if e.get("actor") == "benghazi") == 1  # no second draft of it
    loyal = [r for r in again["relations"] if r["type"] == "loyalTo" and r["subject"] == "mohamed_absayat"
             and r["object"] == "khalifa_haftar"]
    assert len(loyal) == 1 and "draft" not in loyal[0]
    assert "mohamed_absayat" in ents  # the accepted relation keeps the (draft) entities it names
    assert [p for p in check_corpus([corpus]) if p.severity == "error"] == []


def test_brat_drafts_open_with_the_generated_annotation_conf(tmp_path: Path):
    corpus = _corpus(tmp_path)
    text_path = corpus / "articles" / "new.txt"
    result = runner.invoke(app, ["annotate", str(text_path), "--format", "brat", "-o", str(corpus / "articles")])
    assert result.exit_code == 0, result.output
    ann = (corpus / "articles" / "new.ann").read_text(encoding="utf-8")
    text = text_path.read_text(encoding="utf-8")
    assert check_brat(ann, text, source="new.ann") == []
    conf = (corpus / "articles" / "annotation.conf").read_text(encoding="utf-8")
    assert conf == annotation_conf(load_ontology())
    declared = {line.strip().split("\t")[0] for line in conf.splitlines() if line.strip() and not line.startswith("#")}
    lines = [line.split("\t") for line in ann.splitlines()]
    for fields in lines:
        if fields[0][0] in "TR":
            assert fields[1].split()[0] in declared, fields
        if fields[0][0] == "E":
            assert fields[1].split(":")[0] in declared
            assert all(arg.split(":")[0].rstrip("0123456789") in conf for arg in fields[1].split()[1:])
    drafts = brat_drafts(ann)
    parts = {arg.split(":")[1] for f in lines if f[0][0] == "E" for arg in f[1].split()
             if arg.split(":")[0].rstrip("0123456789") in ("killed", "wounded") or arg == f[1].split()[0]}
    ids = {f[0] for f in lines if f[0][0] in "TRE"} - parts
    assert ids == set(drafts)  # every drafted annotation carries the marker (an event's, its trigger's too)
    warnings = [p for p in check_corpus([corpus]) if "is not accepted yet" in p.message]
    assert len(warnings) == len(drafts)
    assert not [p for p in check_corpus([corpus]) if p.severity == "error"]
    # accept T1 (delete its marker) and draft again: T1 stays, unmarked
    t1 = next(f for f in lines if f[0] == "T1")
    kept = [ln for ln in ann.splitlines() if not (ln.startswith("#") and ln.split("\t")[1].endswith(" T1"))]
    (corpus / "articles" / "new.ann").write_text("\n".join(kept) + "\n", encoding="utf-8")
    assert runner.invoke(app, ["annotate", str(text_path), "-o", str(corpus / "articles" / "new.ann")]).exit_code == 0
    ann2 = (corpus / "articles" / "new.ann").read_text(encoding="utf-8")
    assert "\t".join(t1) in ann2.splitlines() and "T1" not in brat_drafts(ann2)
    spans = [tuple(f[1].split()[1:3]) for f in (ln.split("\t") for ln in ann2.splitlines()) if f[0][0] == "T"]
    assert spans.count(tuple(t1[1].split()[1:3])) == 1
    assert check_brat(ann2, text, source="new.ann") == []


def test_without_registry_or_model_it_says_what_it_needs(tmp_path: Path):
    article = tmp_path / "a.txt"
    article.write_text("قتل خمسة", encoding="utf-8")
    result = runner.invoke(app, ["annotate", str(article)])
    assert result.exit_code == 1
    assert "no actors.yaml" in result.stderr and "--model" in result.stderr and "kg train" in result.stderr


def test_missing_article_is_a_one_line_error():
    result = runner.invoke(app, ["annotate", "nope.txt"])
    assert result.exit_code == 1
    assert "nope.txt: no such file" in result.stderr


def test_stdout_draft_of_an_english_article(tmp_path: Path):
    multi = Path(__file__).parent / "data" / "multi"
    result = runner.invoke(app, ["annotate", str(multi / "articles" / "a2.txt")])
    assert result.exit_code == 0, result.output
    data = yaml.safe_load(result.stdout)
    assert any(e.get("type") == "Source" for e in data["entities"])
    assert ("commands", ) in {(r["type"],) for r in data["relations"]}


def test_a_deleted_draft_is_not_drafted_again(tmp_path: Path):
    corpus = _corpus(tmp_path)
    text_path = corpus / "articles" / "new.txt"
    out = corpus / "articles" / "new.yaml"
    assert runner.invoke(app, ["annotate", str(text_path), "-o", str(out)]).exit_code == 0
    assert (corpus / "articles" / ".new.kg-drafts").is_file()
    data = yaml.safe_load(out.read_text(encoding="utf-8"))
    data["entities"] = [e for e in data["entities"] if e["id"] != "al_jazeera"]
    data["relations"] = [r for r in data["relations"] if r["type"] != "renamedFrom"]
    out.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert runner.invoke(app, ["annotate", str(text_path), "-o", str(out)]).exit_code == 0
    again = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert "al_jazeera" not in {e["id"] for e in again["entities"]}
    assert "renamedFrom" not in {r["type"] for r in again["relations"]}
    assert "alliedWith" in {r["type"] for r in again["relations"]}  # the others are drafted again
    assert [p for p in check_corpus([corpus]) if p.severity == "error"] == []


def test_an_article_annotated_in_another_format_is_not_given_a_second_file(tmp_path: Path):
    corpus = _corpus(tmp_path)
    (corpus / "articles" / "new.ann").write_text("", encoding="utf-8")
    result = runner.invoke(app, ["annotate", str(corpus / "articles" / "new.txt"), "-o", str(corpus / "articles")])
    assert result.exit_code == 1 and "new.ann already annotates" in result.stderr and "--format brat" in result.stderr


def test_brat_relation_drafts_carry_their_evidence_and_keep_it_once_accepted(tmp_path: Path):
    from kg.reading.brat import parse_brat

    corpus = _corpus(tmp_path)
    text_path = corpus / "articles" / "new.txt"
    out = corpus / "articles" / "new.ann"
    assert runner.invoke(app, ["annotate", str(text_path), "--format", "brat", "-o", str(out)]).exit_code == 0
    text = text_path.read_text(encoding="utf-8")
    ann = out.read_text(encoding="utf-8")
    article = parse_brat(ann, text, article_id="new")
    assert article.relations and all(r.evidence is not None for r in article.relations)
    for r in article.relations:  # the evidence spans both ends of the relation
        assert r.evidence is not None and text[r.evidence.start:r.evidence.end] == r.evidence.text
        ends = {e.id: e for e in article.entities}
        for end in (r.subject, r.object):
            m = ends[end].mentions[0]
            assert r.evidence.start <= m.start and m.end <= r.evidence.end
    # accept the first relation: delete the draft fields of its note, keep the rest
    rid = article.relations[0].id
    evidence = article.relations[0].evidence
    lines = ann.splitlines()
    at = next(i for i, ln in enumerate(lines) if ln.startswith("#") and ln.split("\t")[1].endswith(" " + rid))
    lines[at] = lines[at].split("; draft:")[0]
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert runner.invoke(app, ["annotate", str(text_path), "--format", "brat", "-o", str(out)]).exit_code == 0
    again = out.read_text(encoding="utf-8")
    assert rid not in brat_drafts(again)
    kept = next(r for r in parse_brat(again, text, article_id="new").relations if r.id == rid)
    assert kept.evidence == evidence
    assert check_brat(again, text, source="new.ann") == []


def test_brat_evidence_outside_the_text_is_a_warning():
    from kg.reading.brat import parse_brat

    text = "Haftar commands the LNA."
    ann = ("T1\tPerson 0 6\tHaftar\nT2\tArmedGroup 20 23\tLNA\nR1\tcommands Arg1:T1 Arg2:T2\t\n"
           "#1\tAnnotatorNotes R1\tevidence: 0-23\n#2\tAnnotatorNotes R1\tevidence: 5-90\n")
    article = parse_brat(ann, text, article_id="a")
    assert article.relations[0].evidence is not None and article.relations[0].evidence.text == text[:23]
    assert any("5-90" in p.message and p.severity == "warning" for p in article.problems)
