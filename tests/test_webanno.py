"""WebAnno TSV 3 exports (INCEpTION) read into the same graph as the annotations they were made from."""

from __future__ import annotations

import shutil

import pytest
from inception_graphs import DATA, INCEPTION, SEEDS, assert_same_but_labels, differences, graphs

from kg.errors import AnnotationError
from kg.mapping.pipeline import check_corpus
from kg.reading.webanno import parse_webanno

NE = "de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity"


def test_seed_export_builds_to_the_seed_graph():
    assert differences(graphs(SEEDS), graphs(INCEPTION / "seed" / "tsv")) == []


def test_astral_plane_characters_before_spans():
    assert differences(graphs(INCEPTION / "astral" / "brat"), graphs(INCEPTION / "astral" / "tsv")) == []
    tsv = (INCEPTION / "astral" / "tsv" / "astral.tsv").read_text(encoding="utf-8")
    assert "\n1-5\t18-22\tقوات\tArmedGroup[1]" in tsv  # UTF-16 units in the file: 14-18 in code points
    article = parse_webanno(tsv, article_id="astral")
    first = article.entities[0]
    assert (first.text, first.mentions[0].start, first.mentions[0].end) == ("قوات حفتر", 14, 23)


def test_brat_tutorial_export_has_the_same_assertions_and_mentions():
    original, exported = graphs(DATA / "brat_tutorial_news"), graphs(INCEPTION / "news" / "tsv")
    assert original.keys() == exported.keys()
    for name, graph in original.items():
        assert_same_but_labels(graph, exported[name], name)


def test_the_same_article_in_the_three_formats_is_the_same_graph():
    tsv = graphs(INCEPTION / "seed" / "tsv")
    assert differences(tsv, graphs(INCEPTION / "seed" / "json")) == []


def test_a_txt_beside_the_tsv_is_the_text_and_every_token_is_checked(tmp_path):
    corpus = tmp_path / "c"
    shutil.copytree(INCEPTION / "seed" / "tsv", corpus)
    toml = (corpus / "kg.toml").read_text(encoding="utf-8")
    (corpus / "kg.toml").write_text(toml.replace("../../../../../seeds", str(SEEDS)), encoding="utf-8")
    text = (SEEDS / "articles" / "000_9c143c0af1e05f5b.txt").read_text(encoding="utf-8")
    (corpus / "000_9c143c0af1e05f5b.txt").write_text(text, encoding="utf-8")
    assert differences(graphs(SEEDS), graphs(corpus)) == []
    (corpus / "000_9c143c0af1e05f5b.txt").write_text(text.replace("حفتر", "حفتز", 1), encoding="utf-8")
    [problem] = check_corpus([corpus])
    assert problem.line == 14 and problem.message == "token 'حفتر' at 24-28 (UTF-16) is 'حفتز' in the text"


# -- the examples of the WebAnno TSV 3.3 specification ------------------------------------------------------

HEADER = "#FORMAT=WebAnno TSV 3.3\n"


def test_multi_token_and_stacked_spans():
    tsv = (HEADER + f"#T_SP={NE}|value\n\n\n#Text=Ms. Haag plays\n"
           "1-1\t0-3\tMs.\tPER[1]|PERpart[2]\t\n1-2\t4-8\tHaag\tPER[1]\t\n1-3\t9-14\tplays\t_\t\n")
    article = parse_webanno(tsv, article_id="a")
    assert [(e.type, e.text, e.line) for e in article.entities] == [("PERpart", "Ms.", 6), ("PER", "Ms. Haag", 6)]


def test_relation_with_disambiguation_ids_and_null_values():
    tsv = (HEADER + f"#T_SP={NE}|value\n#T_RL=webanno.custom.Relation|value|BT_{NE}\n\n\n"
           "#Text=This is a test .\n1-1\t0-4\tThis\t*\t_\t_\t\n1-2\t5-7\tis\t_\t_\t_\t\n1-3\t8-9\ta\t_\t_\t_\t\n"
           "1-4\t10-14\ttest\t_\t_\t_\t\n1-5\t15-16\t.\t*[1]|*[2]\t*\t1-1[0_1]\t\n")
    article = parse_webanno(tsv, article_id="a")
    assert [(e.id, e.type, e.text) for e in article.entities] == [
        ("T1", "NamedEntity", "This"), ("T2", "NamedEntity", "."), ("T3", "NamedEntity", ".")]
    [r] = article.relations
    assert (r.type, r.subject, r.object, r.line) == ("Relation", "T1", "T2", 11)


def test_sub_tokens_and_chains():
    tsv = (HEADER + f"#T_SP={NE}|value\n#T_CH=de.tudarmstadt.ukp.dkpro.core.api.coref.type.CoreferenceLink"
           "|referenceType|referenceRelation\n\n\n#Text=Haftar and his forces: وقوات حفتر\n"
           "1-1\t0-6\tHaftar\tPerson\tnam[1]\tcoref->1-1\t\n1-2\t7-10\tand\t_\t_\t_\t\n"
           "1-3\t11-14\this\t_\tpr[1]\t*->1-2\t\n1-4\t15-21\tforces\t_\t_\t_\t\n1-5\t21-22\t:\t_\t_\t_\t\n"
           "1-6\t23-28\tوقوات\t_\t_\t_\t\n1-6.1\t24-28\tقوات\tArmedGroup[2]\t_\t_\t\n1-7\t29-33\tحفتر\tArmedGroup[2]\t_\t_\t\n")
    article = parse_webanno(tsv, article_id="a")
    assert [(e.type, [m.text for m in e.mentions]) for e in article.entities] == [
        ("Person", ["Haftar", "his"]), ("ArmedGroup", ["قوات حفتر"])]


def test_slot_features_and_escapes():
    tsv = (HEADER + "#T_SP=webanno.custom.Frame|FE|ROLE_webanno.custom.Frame:Roles_webanno.custom.FrameRolesLink"
           "|webanno.custom.Lu\n#T_SP=webanno.custom.Lu|luvalue\n\n\n#Text=Bob auctioned the clock to John .\n"
           "2-1\t27-30\tBob\t_\t_\t_\tbob\t\n2-2\t31-40\tauctioned\ttrans\\_action\tseller;goods;buyer\t2-1;2-3[4];2-6\t_\t\n"
           "2-3\t41-44\tthe\t_\t_\t_\tclock[4]\t\n2-4\t45-50\tclock\t_\t_\t_\tclock[4]\t\n2-5\t51-53\tto\t_\t_\t_\t_\t\n"
           "2-6\t54-58\tJohn\t_\t_\t_\tjohn\t\n2-7\t59-60\t.\t_\t_\t_\t_\t\n")
    text = " " * 27 + "Bob auctioned the clock to John ."
    article = parse_webanno(tsv, article_id="a", text=text)
    assert [(e.type, e.text) for e in article.entities] == [("bob", "Bob"), ("clock", "the clock"), ("john", "John")]
    [event] = article.events
    assert (event.type, event.trigger.text if event.trigger else None) == ("trans_action", "auctioned")
    assert event.arguments == (("seller", "T1"), ("goods", "T2"), ("buyer", "T3"))


def test_a_malformed_row_is_named_and_reading_goes_on():
    tsv = (HEADER + f"#T_SP={NE}|value\n\n\n#Text=Haftar and Amal\n1-1\t0-6\tHaftar\tPerson\t\n"
           "1-2 7-10 and _\n1-3\t11-15\tAmal\tArmedGroup\t\n")
    article = parse_webanno(tsv, article_id="a", source="a.tsv")
    assert [e.text for e in article.entities] == ["Haftar", "Amal"]
    [problem] = article.problems
    assert (problem.file, problem.line) == ("a.tsv", 7) and problem.message.startswith("malformed row")


def test_not_a_tsv_file():
    with pytest.raises(AnnotationError, match="not a WebAnno TSV 3 file"):
        parse_webanno("1-1\t0-6\tHaftar\n", article_id="a")
