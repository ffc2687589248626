"""Precision, recall and F1: exact and overlapping spans, groups, symmetric relations, the table."""

from __future__ import annotations

from kg.drafting.scores import Evaluation, format_table, grouped, relation_counts, score_spans
from kg.ontology import load_ontology


def test_exact_and_overlap_counts():
    gold = [(0, 5, "Person"), (10, 20, "City"), (30, 35, "Country")]
    pred = [(0, 5, "Person"), (12, 20, "City"), (30, 35, "City"), (40, 45, "Person")]
    s = score_spans(gold, pred)
    assert (s.exact["Person"].tp, s.exact["Person"].fp, s.exact["Person"].fn) == (1, 1, 0)
    assert (s.exact["City"].tp, s.exact["City"].fp, s.exact["City"].fn) == (0, 2, 1)
    assert s.overlap["City"].tp == 1 and s.overlap["Country"].fn == 1
    assert s.exact["Person"].precision == 0.5 and s.exact["Person"].recall == 1.0
    g = score_spans(grouped(gold, load_ontology()), grouped(pred, load_ontology()))
    assert g.exact["Place"].tp == 1 and g.overlap["Place"].tp == 2  # City for Country counts as a Place


def test_one_gold_span_matches_once():
    s = score_spans([(0, 10, "Person")], [(0, 4, "Person"), (5, 10, "Person")])
    assert (s.overlap["Person"].tp, s.overlap["Person"].fp) == (1, 1)


def test_symmetric_relations_match_either_way_round():
    counts = relation_counts([("alliedWith", "a", "b"), ("commands", "x", "y")],
                             [("alliedWith", "b", "a"), ("commands", "y", "x")], frozenset({"alliedWith"}))
    assert counts["alliedWith"].tp == 1 and counts["commands"].fp == 1 and counts["commands"].fn == 1


def test_table_and_json_agree():
    ev = Evaluation()
    ev.entities.add(score_spans([(0, 5, "Person")], [(0, 5, "Person")]))
    ev.groups.add(score_spans([(0, 5, "Person")], [(0, 5, "Person")]))
    ev.articles, ev.words, ev.seconds = 1, 10, 0.5
    data = ev.to_json()
    assert data["entities"]["exact"]["Person"]["f1"] == 1.0 and data["words_per_second"] == 20.0
    assert data["groups"]["Person+Organization+Place"]["exact"]["f1"] == 1.0
    table = format_table(data)
    assert "Person+Organization+Place" in table and "1 articles, 10 words" in table
