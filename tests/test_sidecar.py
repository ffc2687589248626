"""The YAML sidecar reader: every mention form, and a clear error for every mistake."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.errors import AnnotationError, KGError
from kg.model import Span
from kg.reading.sidecar import parse_sidecar, read_sidecar

TEXT = "قوات حفتر تقاتل سرايا الدفاع عن بنغازي. وقالت مصادر محلية إن قوات حفتر تتقدم نحو بنغازي."


def parse(yaml_text: str, text: str = TEXT):
    return parse_sidecar(yaml_text, text, article_id="t", source="t.yaml")


def test_mention_forms_and_offsets_are_code_points():
    art = parse("""
entities:
  - id: lna
    type: ArmedGroup
    mentions: [{text: قوات حفتر, all: true}]
  - id: bdb
    type: ArmedGroup
    mentions: [سرايا الدفاع عن بنغازي]
  - id: benghazi
    type: City
    mentions: [{text: بنغازي, occurrence: 2}]
  - id: src
    type: Source
    mentions: [{text: مصادر محلية, at: [46, 57]}]
""")
    lna, bdb, benghazi, src = art.entities
    assert [m.spans for m in lna.mentions] == [(Span(0, 9),), (Span(61, 70),)]
    assert all(TEXT[m.start:m.end] == m.text for e in art.entities for m in e.mentions)
    assert benghazi.mentions[0].start == TEXT.rindex("بنغازي")
    assert src.mentions[0].text == "مصادر محلية"
    assert bdb.line == 6


def test_substring_inside_longer_mention_of_same_entity_is_dropped():
    art = parse("""
entities:
  - id: bdb
    type: ArmedGroup
    mentions: [سرايا الدفاع عن بنغازي, {text: سرايا الدفاع, all: true}]
""")
    assert [m.text for m in art.entities[0].mentions] == ["سرايا الدفاع عن بنغازي"]


def test_relations_events_figures_and_metadata():
    art = parse("""
article: {title: عنوان, outlet: الجزيرة, date: 2016-07-17, language: ar, url: "https://example.org/a"}
entities:
  - {id: lna, type: ArmedGroup, mentions: [{text: قوات حفتر, occurrence: 1}]}
  - {id: bdb, type: ArmedGroup, mentions: [سرايا الدفاع عن بنغازي]}
  - {id: src, type: Source, mentions: [مصادر محلية]}
relations:
  - {type: hostileTo, subject: lna, object: bdb, evidence: قوات حفتر تقاتل, claimant: src, date: "2016", uncertain: true}
events:
  - id: clash
    type: Clash
    trigger: تقاتل
    arguments: {participant: [lna, bdb]}
    claimant: src
    figures:
      - {kind: killed, count: 25, qualifier: more-than, of: lna, evidence: تتقدم}
""")
    assert art.metadata.date == "2016-07-17" and art.metadata.outlet == "الجزيرة"
    (rel,) = art.relations
    assert (rel.id, rel.claimant, rel.date, rel.uncertain, rel.negated) == ("R1", "src", "2016", True, False)
    assert rel.evidence is not None and TEXT[rel.evidence.start:rel.evidence.end] == "قوات حفتر تقاتل"
    (ev,) = art.events
    assert ev.arguments == (("participant", "lna"), ("participant", "bdb"))
    assert ev.claimant == "src"
    assert ev.figures[0].count == 25 and ev.figures[0].qualifier == "more-than"


@pytest.mark.parametrize(
    ("yaml_text", "line", "words"),
    [
        ("entities:\n  - {id: x, type: City, mentions: [دمشق]}\n", 2, "does not occur"),
        ("entities:\n  - {id: x, type: City, mentions: [بنغازي]}\n", 2, "ambiguous: it occurs 2 times"),
        ("entities:\n  - {id: x, type: City, mentions: [{text: بنغازي, at: [0, 6]}]}\n", 2, "differs from the text"),
        ("entities:\n  - {id: x, type: City, mentions: [{text: بنغازي, at: [90, 9000]}]}\n", 2, "outside the text"),
        ("entities:\n  - {id: x, type: City, mentions: [{text: بنغازي, occurrence: 3}]}\n", 2, "occurrence 3"),
        ("entities:\n  - {id: 'a b', type: City}\n", 2, "invalid id"),
        ("entities:\n  - {type: City}\n", 2, "missing `id`"),
        ("relations:\n\n  - {type: commands, subject: a, object: b, date: July}\n", 3, "invalid date"),
        ("entities:\n  - id: x\n    type: City\n   mentions: []\n", 4, "YAML syntax error"),
        ("entities: [\n", 2, "YAML syntax error"),
        ("article: {author: x}\n", 1, "unknown key `author`"),
        ("topics: []\n", 1, "unknown top-level key"),
        ("events:\n  - {id: e, type: Clash, figures: [{kind: killed, count: many}]}\n", 2, "`count` must be"),
    ],
)
def test_every_mistake_names_file_line_and_problem(yaml_text, line, words):
    with pytest.raises(AnnotationError) as info:
        parse(yaml_text)
    assert info.value.file == "t.yaml"
    assert info.value.line == line
    assert words in str(info.value)
    assert str(info.value).startswith(f"t.yaml:{line}: ")
    assert "\n" not in str(info.value)


def test_invalid_utf8_is_reported_with_its_line(tmp_path: Path):
    path = tmp_path / "a.yaml"
    path.write_bytes(b"article:\n  title: \xff\xfe\n")
    with pytest.raises(AnnotationError, match=r"a.yaml:2: invalid UTF-8"):
        read_sidecar(path, TEXT, article_id="a")


def test_metadata_only_sidecar_refuses_annotations():
    with pytest.raises(AnnotationError, match="beside an annotation file"):
        parse_sidecar("entities: []\n", TEXT, article_id="t", source="t.yaml", metadata_only=True)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300), st.text(max_size=80))
def test_random_yaml_never_crashes(yaml_text, text):
    with contextlib.suppress(KGError):
        parse_sidecar(yaml_text, text, article_id="t", source="t.yaml")


_value = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 3000) | st.text(max_size=12),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(
        st.sampled_from(["id", "type", "text", "at", "all", "occurrence", "mentions", "subject", "object",
                         "evidence", "figures", "count", "kind", "arguments", "date", "claimant"]),
        children, max_size=4),
    max_leaves=12,
)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from(["article", "entities", "relations", "events"]), _value, max_size=4))
def test_random_structures_give_an_article_or_a_kg_error(data):
    import yaml

    with contextlib.suppress(KGError):
        parse(yaml.safe_dump(data, allow_unicode=True))
