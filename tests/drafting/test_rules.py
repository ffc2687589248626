"""The ontology's cue phrases, and what the rules find in the seed article without a model."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.drafting.rules import (
    CLAIM_GROUP,
    RELATION_GROUP,
    find_figures,
    find_sources,
    load_rules,
    parse_number_words,
    sentences,
)
from kg.ontology import load_ontology

SEED = Path(__file__).parents[2] / "seeds" / "articles" / "000_9c143c0af1e05f5b.txt"


def test_every_relation_has_arabic_and_english_cues_in_the_ontology():
    ont = load_ontology()
    for name in ont.relation_types - {"hasRank", "hasTitle", "affiliatedWith"}:
        assert ont.cues_for(name, "ar") and ont.cues_for(name, "en"), name
    assert ("under the command of", True) in ont.cues_for("commands", "en")
    assert ("المتحالفة مع", False) in ont.cues_for("alliedWith", "ar")
    assert ("بدعم من", True) in ont.cues_for("supports", "ar")
    for qualifier in ("more-than", "at-least", "about", "at-most"):
        assert ont.cues_for(qualifier, "ar") and ont.cues_for(qualifier, "en")


@pytest.mark.parametrize(("text", "key", "inverse"), [
    ("الكتيبة 101 بإمرة الملازم", "commands", True),
    ("الملازم الموالي للواء", "loyalTo", False),
    ("سرايا الدفاع المتحالفة مع غرفة", "alliedWith", False),
    ("ويحظى التشكيلان بدعم من مفتي", "supports", True),
    ("وسيطرت على جنوبها", "controls", False),
    ("عقب اشتباكات مع الكتيبة", "hostileTo", False),
    ("the brigade, under the command of Haftar", "commands", True),
    ("a militia loyal to the GNA", "loyalTo", False),
    ("forces backed by the UAE", "supports", True),
    ("the BDB clashed with the LNA", "hostileTo", False),
    ("the BDB took control of Ajdabiya", "controls", False),
])
def test_relation_cues_match_with_clitics_and_letter_variants(text: str, key: str, inverse: bool):
    found = load_rules().find(text, RELATION_GROUP)
    assert (key, inverse) in [(c.key, c.inverse) for c in found]


def test_number_words_and_digits():
    assert parse_number_words("اثنين") == 2 and parse_number_words("ستة") == 6
    assert parse_number_words("خمسة وعشرون") == 25 and parse_number_words("ثلاثمئة") is None
    assert parse_number_words("ثلاث مئة") == 300 and parse_number_words("twenty five") == 25
    rules = load_rules()
    assert [(f.count, f.qualifier) for f in find_figures("قتل ٢٥ شخصا", rules)] == [(25, "exact")]
    assert [(f.count, f.qualifier, f.kind) for f in find_figures("more than 25 were killed", rules)] == [
        (25, "more-than", "killed")]
    assert find_figures("في عام 2011 قتل", rules) == []  # a year is no count


def test_the_seed_figures_and_claimants_are_found_by_rules_alone():
    text = SEED.read_text(encoding="utf-8")
    rules = load_rules()
    figures = {(f.kind, f.count, f.qualifier) for s, e in sentences(text) for f in find_figures(text, rules, s, e)}
    assert {("killed", 25, "more-than"), ("wounded", 15, "exact"), ("killed", 2, "exact"),
            ("wounded", 6, "exact"), ("killed", 4, "exact")} <= figures
    sources = [src.text for s, e in sentences(text) for src in find_sources(text, rules, s, e)]
    assert sources == ["مصادر محلية", "مصادر من سرايا الدفاع"]
    english = "The LNA fought the BDB; according to BDB sources, 12 LNA fighters were killed."
    assert [s.text for s in find_sources(english, rules)] == ["BDB sources"]
    assert load_rules().find("وقالت مصادر", CLAIM_GROUP)[0].key == "claimant"
