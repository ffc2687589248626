"""UIMA CAS JSON and XMI exports (INCEpTION) read into the same graph as the annotations they were made from."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from cassis import Cas
from inception_graphs import DATA, INCEPTION, LABEL, NAMES, SEEDS, assert_same_but_labels, differences, graphs, triples
from typer.testing import CliRunner

from kg.cli import app
from kg.errors import AnnotationError
from kg.mapping.pipeline import check_corpus
from kg.reading.cas import load_cas, parse_cas

sys.path.insert(0, str(Path(__file__).parent.parent / "scripts"))
from inception_fixtures import typesystem  # noqa: E402


@pytest.fixture(scope="module")
def seed_graphs():
    return graphs(SEEDS)


@pytest.mark.parametrize("kind", ["json", "xmi"])
def test_seed_export_builds_to_the_seed_graph(kind, seed_graphs):
    # Every entity, mention, relation (evidence, claimant, date, flags), event (roles, place, figures with
    # whose losses and whose claim) of the seed: the same graph up to the annotation ids in assertion IRIs.
    assert differences(seed_graphs, graphs(INCEPTION / "seed" / kind)) == []


@pytest.mark.parametrize("kind", ["json", "xmi"])
def test_astral_plane_characters_before_spans(kind):
    # 😊, 𝐀 and 🇱🇾 count two UTF-16 units each in the CAS and one code point each in kg.
    assert differences(graphs(INCEPTION / "astral" / "brat"), graphs(INCEPTION / "astral" / kind)) == []
    article = parse_cas(load_cas(INCEPTION / "astral" / kind / f"astral.{kind}"), article_id="astral")
    spans = {e.text: (e.mentions[0].start, e.mentions[0].end) for e in article.entities}
    assert spans["قوات حفتر"] == (14, 23) and spans["𝐀jdabiya"] == (61, 69) and spans["LNA"] == (119, 122)


def test_the_cas_json_counts_utf16_units():
    data = json.loads((INCEPTION / "astral" / "json" / "astral.json").read_text(encoding="utf-8"))
    ne = [fs for fs in data["%FEATURE_STRUCTURES"] if fs.get("value") == "ArmedGroup"]
    assert (ne[0]["begin"], ne[0]["end"]) == (18, 27)  # 14, 23 in code points: two astral characters before


@pytest.mark.parametrize("kind", ["json", "xmi"])
def test_brat_tutorial_export_has_the_same_assertions_and_mentions(kind):
    # brat's `*` sets become coreference chains, read as one entity: its node keeps the name of its first
    # mention instead of one label per member. Everything else is the same graph.
    original, exported = graphs(DATA / "brat_tutorial_news"), graphs(INCEPTION / "news" / kind)
    assert original.keys() == exported.keys()
    for name, graph in original.items():
        other = exported[name]
        assert_same_but_labels(graph, other, name)
        labels = {t for t in triples(graph) if t[1] == LABEL or t[1] in NAMES}
        other_labels = {t for t in triples(other) if t[1] == LABEL or t[1] in NAMES}
        notes = sum(1 for _, p, _ in graph if str(p) == "https://w3id.org/kg/ontology#note")
        assert len(graph) - len(labels) - notes == len(other) - len(other_labels), name  # assertions, events


def test_fixtures_are_what_the_script_writes():
    script = Path(__file__).parent.parent / "scripts" / "inception_fixtures.py"
    result = subprocess.run([sys.executable, str(script), "--check"], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr


# -- reading rules, on small CASes ------------------------------------------------------------------------

def _cas(text: str):
    ts = typesystem()
    cas = Cas(typesystem=ts)
    cas.sofa_string = text
    return cas, ts.get_type


def test_chain_of_one_type_is_one_entity_of_several_types_an_equivalence():
    cas, T = _cas("Haftar met Hafter. Amal and ISIS.")
    ne = "de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity"
    a, b = T(ne)(begin=0, end=6, value="Person"), T(ne)(begin=11, end=17, value="Person")
    c, d = T(ne)(begin=19, end=23, value="Person"), T(ne)(begin=28, end=32, value="ArmedGroup")
    link = "de.tudarmstadt.ukp.dkpro.core.api.coref.type.CoreferenceLink"
    chain = "de.tudarmstadt.ukp.dkpro.core.api.coref.type.CoreferenceChain"
    for fs in (a, b, c, d):
        cas.add(fs)
    for first, second in ((a, b), (c, d)):
        l2 = T(link)(begin=second.begin, end=second.end)
        l1 = T(link)(begin=first.begin, end=first.end, next=l2)
        cas.add(l1)
        cas.add(l2)
        cas.add(T(chain)(first=l1))
    article = parse_cas(cas, article_id="x")
    assert [(e.id, [m.text for m in e.mentions]) for e in article.entities] == [
        ("T1", ["Haftar", "Hafter"]), ("T3", ["Amal"]), ("T4", ["ISIS"])]
    assert article.equivalences == (("T3", "T4"),)


def test_a_feature_kg_toml_maps_to_a_flag():
    from cassis import TypeSystem

    ts = TypeSystem()
    ne = ts.create_type("de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity")
    ts.create_feature(ne, "value", "uima.cas.String")
    rel = ts.create_type("webanno.custom.Claim")
    for name, range_type in (("label", "uima.cas.String"), ("Negation", "uima.cas.Boolean"),
                             ("Certainty", "uima.cas.String"), ("Governor", ne), ("Dependent", ne)):
        ts.create_feature(rel, name, range_type)
    cas = Cas(typesystem=ts)
    cas.sofa_string = "Amal is not in ISIS"
    a, b = ne(begin=0, end=4, value="Person"), ne(begin=15, end=19, value="ArmedGroup")
    cas.add(a)
    cas.add(b)
    cas.add(rel(begin=15, end=19, Governor=a, Dependent=b, label="member", Negation=True, Certainty="doubtful"))
    [r] = parse_cas(cas, article_id="x", attribute_flags={"Certainty=doubtful": "uncertain"}).relations
    assert (r.type, r.negated, r.uncertain) == ("member", True, True)
    [problem] = parse_cas(cas, article_id="x").problems  # without the mapping, Certainty means nothing to kg
    assert (problem.severity, problem.message) == ("warning", "feature Certainty of webanno.custom.Claim is not read "
                                                              "(1 value)")


def test_identifier_actor_flags_and_claimant_features():
    cas, T = _cas("Reuters: Haftar does not command the LNA.")
    ne = "de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity"
    src = T(ne)(begin=0, end=7, value="Source", actor="reuters")
    haftar = T(ne)(begin=9, end=15, value="Person", identifier="http://www.wikidata.org/entity/Q312502")
    lna = T(ne)(begin=37, end=40, value="ArmedGroup", identifier="UCDP:7072")
    for fs in (src, haftar, lna):
        cas.add(fs)
    cas.add(T("webanno.custom.Relation")(begin=37, end=40, Governor=haftar, Dependent=lna, value="commands",
                                         negated=True, claimant="reuters", date="2016-07",
                                         evidence="Haftar does not command the LNA"))
    article = parse_cas(cas, article_id="x")
    assert [e.external_ids for e in article.entities] == [(), (("wikidata", "Q312502"),), (("ucdp", "7072"),)]
    r = article.relations[0]
    assert (r.subject, r.object, r.negated, r.claimant, r.date) == ("T2", "T3", True, "T1", "2016-07")
    assert r.evidence is not None and (r.evidence.start, r.evidence.end) == (9, 40)
    assert article.problems == ()


def test_what_cannot_be_read_is_reported_never_dropped_in_silence():
    cas, T = _cas("Haftar attacked Benghazi, killing many.")
    ne = "de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity"
    haftar = T(ne)(begin=0, end=6, value="Person")
    cas.add(haftar)
    token = T("de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.Token")(begin=7, end=15)
    cas.add(token)
    cas.add(T("webanno.custom.Relation")(begin=7, end=15, Governor=haftar, Dependent=token, value="attacks",
                                         evidence="Haftar raided"))
    cas.add(T("webanno.custom.Figure")(begin=26, end=38, qualifier="about"))  # in no event, and no number
    cas.add(T("webanno.custom.Event")(begin=7, end=15, value="Attack", date="2016-13"))
    messages = [(p.severity, p.message) for p in parse_cas(cas, article_id="x", source="x.json").problems]
    assert ("error", "Relation 'attacks' at 7-15: its Dependent is not an entity or an event; left out") in messages
    assert ("warning", "figure Figure at 26-38 'killing many' belongs to no event; left out") in messages
    assert ("error", "invalid date '2016-13' on Event at 7-15 'attacked'") in messages


def test_a_layer_kg_does_not_read_is_named_once():
    from cassis import TypeSystem

    ts = TypeSystem()
    pos = ts.create_type("de.tudarmstadt.ukp.dkpro.core.api.lexmorph.type.pos.POS")
    ts.create_feature(pos, "PosValue", "uima.cas.String")
    dep = ts.create_type("de.tudarmstadt.ukp.dkpro.core.api.syntax.type.dependency.Dependency")
    ts.create_feature(dep, "Governor", pos)
    ts.create_feature(dep, "Dependent", pos)
    cas = Cas(typesystem=ts)
    cas.sofa_string = "a b"
    a, b = pos(begin=0, end=1, PosValue="DT"), pos(begin=2, end=3, PosValue="NN")
    cas.add(a)
    cas.add(b)
    cas.add(dep(begin=0, end=1, Governor=b, Dependent=a))
    problems = parse_cas(cas, article_id="x").problems
    assert [(p.severity, p.message) for p in problems] == [
        ("warning", "layer de.tudarmstadt.ukp.dkpro.core.api.lexmorph.type.pos.POS (2 annotations) is not read"),
        ("warning", "layer de.tudarmstadt.ukp.dkpro.core.api.syntax.type.dependency.Dependency (1 annotation) "
                    "is not read")]


def test_the_txt_beside_an_export_must_be_its_text(tmp_path):
    corpus = tmp_path / "c"
    shutil.copytree(INCEPTION / "astral" / "json", corpus)
    (corpus / "astral.txt").write_text("something else\n", encoding="utf-8")
    [problem] = [p for p in check_corpus([corpus]) if p.severity == "error"]
    assert "the text in astral.json differs from astral.txt at code point 0" in problem.message
    (corpus / "astral.txt").write_text((INCEPTION / "astral" / "brat" / "astral.txt").read_text("utf-8"), "utf-8")
    assert check_corpus([corpus]) == []


def test_broken_exports_are_errors_naming_the_file(tmp_path):
    (tmp_path / "a.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(AnnotationError, match="cannot read a.json as a UIMA CAS"):
        load_cas(tmp_path / "a.json")
    shutil.copy(INCEPTION / "astral" / "xmi" / "astral.xmi", tmp_path / "b.xmi")
    with pytest.raises(AnnotationError, match="no TypeSystem.xml for b.xmi"):
        load_cas(tmp_path / "b.xmi", root=tmp_path)


def test_kg_check_and_build_read_a_corpus_of_exports(tmp_path):
    result = CliRunner().invoke(app, ["build", str(INCEPTION / "seed" / "xmi"), "--store", str(tmp_path / "s")])
    assert result.exit_code == 0, result.output
    result = CliRunner().invoke(app, ["query", "SELECT (COUNT(*) AS ?n) WHERE { ?a a <https://w3id.org/kg/ontology#Assertion> }",
                                      "--store", str(tmp_path / "s"), "--format", "csv"])
    assert result.stdout.split() == ["n", "52"]
