"""Tests of kg.reading.brat: the shared brat fixtures, every line kind, malformed files, and random input."""

from __future__ import annotations

import contextlib
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.errors import AnnotationError, KGError
from kg.model import Article, Problem, Span
from kg.reading.brat import check_brat, parse_brat, parse_count, read_brat, read_text

DATA = Path(__file__).parent / "data"
BROKEN = DATA / "broken"

# Lines of each kind in each fixture, counted once with `grep -c '^T' FILE` (and R, E, A, M, N, #, \*).
# "A on T" counts the attribute lines whose target is a text-bound annotation (the others are on events).
LINE_COUNTS = {
    "brat_tutorial_news/000-introduction.ann":
        {"T": 7, "R": 2, "E": 1, "A": 5, "A on T": 4, "N": 1, "#": 1, "*": 0},
    "brat_tutorial_news/010-navigation.ann":
        {"T": 0, "R": 0, "E": 0, "A": 0, "A on T": 0, "N": 0, "#": 0, "*": 0},
    "brat_tutorial_news/020-top_bar.ann":
        {"T": 0, "R": 0, "E": 0, "A": 0, "A on T": 0, "N": 0, "#": 0, "*": 0},
    "brat_tutorial_news/030-login.ann":
        {"T": 0, "R": 0, "E": 0, "A": 0, "A on T": 0, "N": 0, "#": 0, "*": 0},
    "brat_tutorial_news/040-text_span_annotation.ann":
        {"T": 4, "R": 0, "E": 0, "A": 0, "A on T": 0, "N": 0, "#": 0, "*": 0},
    "brat_tutorial_news/050-editing_text_span_annotations.ann":
        {"T": 6, "R": 0, "E": 0, "A": 0, "A on T": 0, "N": 0, "#": 0, "*": 0},
    "brat_tutorial_news/060-relation_annotation.ann":
        {"T": 10, "R": 1, "E": 0, "A": 0, "A on T": 0, "N": 0, "#": 0, "*": 1},
    "brat_tutorial_news/070-editing_relation_annotations.ann":
        {"T": 9, "R": 3, "E": 0, "A": 0, "A on T": 0, "N": 0, "#": 0, "*": 1},
    "brat_tutorial_news/080-event-annotation.ann":
        {"T": 21, "R": 0, "E": 4, "A": 0, "A on T": 0, "N": 0, "#": 0, "*": 0},
    "brat_tutorial_news/090-event_structures.ann":
        {"T": 22, "R": 0, "E": 6, "A": 0, "A on T": 0, "N": 0, "#": 0, "*": 0},
    "brat_tutorial_news/100-attribute_annotation.ann":
        {"T": 26, "R": 0, "E": 10, "A": 6, "A on T": 1, "N": 0, "#": 0, "*": 0},
    "brat_tutorial_news/110-note_annotation.ann":
        {"T": 14, "R": 2, "E": 2, "A": 0, "A on T": 0, "N": 0, "#": 3, "*": 0},
    "brat_tutorial_news/999-complete.ann":
        {"T": 0, "R": 0, "E": 0, "A": 0, "A on T": 0, "N": 0, "#": 0, "*": 0},
    "arabic_newsfane_sample/newsfane_conflict_sample.ann":
        {"T": 1052, "R": 0, "E": 0, "A": 0, "A on T": 0, "N": 0, "#": 0, "*": 0},
}


def _parse(ann: str, text: str) -> Article:
    return parse_brat(ann, text, article_id="t", source="t.ann")


def _mention_texts_match(article: Article) -> None:
    mentions = [m for e in article.entities for m in e.mentions]
    mentions += [ev.trigger for ev in article.events if ev.trigger is not None]
    mentions += [f.evidence for ev in article.events for f in ev.figures if f.evidence is not None]
    for m in mentions:
        assert m.text == " ".join(article.text[s.start:s.end] for s in m.spans)


# -- the shared fixtures -------------------------------------------------------------------------------


def test_every_fixture_file_is_counted() -> None:
    found = {p.relative_to(DATA).as_posix() for d in ("brat_tutorial_news", "arabic_newsfane_sample")
             for p in (DATA / d).glob("*.ann")}
    assert found == set(LINE_COUNTS)


@pytest.mark.parametrize("name", sorted(LINE_COUNTS))
def test_fixture_reads_completely(name: str) -> None:
    counts = LINE_COUNTS[name]
    article = read_brat(DATA / name)
    triggers = {ev.trigger.spans for ev in article.events if ev.trigger is not None}
    assert len(article.entities) + len(triggers) == counts["T"]
    assert len(article.relations) == counts["R"]
    assert len(article.events) == counts["E"]
    assert sum(len(e.attributes) for e in article.entities) == counts["A on T"]
    assert sum(len(e.external_ids) for e in article.entities) == counts["N"]
    assert len(article.notes) == counts["#"]
    assert len(article.equivalences) == counts["*"]
    # without a kg.toml, what kg does not keep (entity attributes, attributes that set no flag, ids of other
    # databases) is named in a warning on its line, never dropped without a word
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    assert all(p.severity == "warning" and lines[p.line - 1][:1] in "AN" for p in article.problems)
    flags = dict.fromkeys(("mention", "individual", "confidence=neutral", "confidence=high", "confidence=low"), "")
    assert read_brat(DATA / name, attribute_flags=flags).problems == tuple(
        p for p in article.problems if lines[p.line - 1][:1] == "N")
    assert article.source == str(DATA / name)
    assert article.text_source == str((DATA / name).with_suffix(".txt"))
    _mention_texts_match(article)


def test_introduction_details() -> None:
    a = read_brat(DATA / "brat_tutorial_news/000-introduction.ann")
    assert a.id == "000-introduction"
    t4 = a.entity("T4")
    assert t4 is not None and t4.text == "Raul Salinas de Gortari"
    assert t4.attributes == (("Mention", "Name"), ("Individual", "true"))
    t5 = a.entity("T5")
    assert t5 is not None and t5.external_ids == (("wikipedia", "64488"),)
    assert a.entity("T3") is None  # the trigger of E1, not an entity
    (ev,) = a.events
    assert ev.type == "Transfer-money" and ev.trigger is not None and ev.trigger.text == "moving"
    assert ev.arguments == (("Giver-Arg", "T1"), ("Money-Arg", "T2"), ("Beneficiary-Arg", "T4"),
                            ("Recipient-Arg", "T6"))
    assert not ev.uncertain  # Confidence High
    assert a.notes == (("T2", "100000000 USD"),)
    r2 = a.relations[0]
    assert (r2.id, r2.type, r2.subject, r2.object, r2.line) == ("R2", "Origin", "T6", "T7", 9)


def test_repeated_roles_lose_their_number() -> None:
    a = read_brat(DATA / "brat_tutorial_news/080-event-annotation.ann")
    e3 = next(ev for ev in a.events if ev.id == "E3")
    assert e3.arguments == (("Org-Arg", "T6"), ("Org-Arg", "T7"), ("Org-Arg", "T8"), ("Org-Arg", "T9"))


def test_events_as_arguments() -> None:
    a = read_brat(DATA / "brat_tutorial_news/090-event_structures.ann")
    events = {ev.id: ev for ev in a.events}
    assert events["E2"].arguments == (("Reporter-Arg", "T4"), ("Event-Arg", "E1"))
    assert events["E3"].arguments == (("Reporter-Arg", "T6"), ("Event-Arg", "E4"))  # defined further down
    assert events["E5"].arguments == (("Event-Arg", "E6"), ("Reporter-Arg", "T8"))


def test_confidence_low_is_uncertain() -> None:
    a = read_brat(DATA / "brat_tutorial_news/100-attribute_annotation.ann")
    uncertain = {ev.id for ev in a.events if ev.uncertain}
    assert uncertain == {"E2"}
    t1 = a.entity("T1")
    assert t1 is not None and t1.attributes == (("Individual", "true"),)


def test_notes_and_equivalences() -> None:
    a = read_brat(DATA / "brat_tutorial_news/110-note_annotation.ann")
    assert [target for target, _ in a.notes] == ["T1", "E1", "R1"]
    assert a.notes[0][1] == "Should fictional places be annotated?"
    r1 = a.relations[0]
    assert r1.claimant is None and r1.date is None  # a free-text note sets nothing
    b = read_brat(DATA / "brat_tutorial_news/060-relation_annotation.ann")
    assert b.equivalences == (("T3", "T4", "T5"),)


def test_arabic_offsets_are_code_points() -> None:
    a = read_brat(DATA / "arabic_newsfane_sample/newsfane_conflict_sample.ann")
    t1 = a.entity("T1")
    assert t1 is not None
    assert (t1.type, t1.text, t1.mentions[0].spans) == ("Non-Governmental", "حزب الله", (Span(7, 15),))
    assert a.text[7:15] == "حزب الله"


# -- line kinds, built here ---------------------------------------------------------------------------


def test_discontinuous_spans_join_with_one_space() -> None:
    text = "Sarraj and the Presidential Council met."
    a = _parse("T1\tPoliticalBody 11 14;15 27\tthe Presidential\n", text)
    (m,) = a.entities[0].mentions
    assert m.spans == (Span(11, 14), Span(15, 27)) and m.text == "the Presidential"
    b = _parse("T1\tPerson 0 6;11 14\tSarraj the\n", text)
    assert b.entities[0].text == "Sarraj the"
    old_style = _parse("T1\tPerson 0 6;11 14\tSarrajthe\n", text)  # brat before 1.3
    assert old_style.entities[0].text == "Sarraj the"
    with pytest.raises(AnnotationError, match="differs from the text"):
        _parse("T1\tPerson 0 6;11 14\tSarraj and the\n", text)
    with pytest.raises(AnnotationError, match="overlap"):
        _parse("T1\tPerson 0 6;3 8\tSarraj raj a\n", text)


def test_trailing_tabs_blank_lines_and_spaces() -> None:
    text = "Haftar and Sarraj"
    ann = ("T1\tPerson 0 6\tHaftar\t \n\n   \nT2\tPerson 11 17\tSarraj  \r\n"
           "R1\talliedWith Arg1:T1 Arg2:T2\t\t\n")
    a = _parse(ann, text)
    assert [e.text for e in a.entities] == ["Haftar", "Sarraj"]
    assert a.relations[0].line == 5


def test_empty_ann(tmp_path: Path) -> None:
    (tmp_path / "a.ann").write_text("")
    (tmp_path / "a.txt").write_text("Nothing annotated.")
    a = read_brat(tmp_path / "a.ann")
    assert (a.entities, a.relations, a.events, a.text) == ((), (), (), "Nothing annotated.")
    assert _parse("\n\n", "x").entities == ()


def test_bom_dropped_and_crlf_kept(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes("\ufeffقوات حفتر\r\nسرايا الدفاع\r\n".encode())
    ann = "\ufeffT1\tArmedGroup 0 9\tقوات حفتر\r\nT2\tArmedGroup 11 23\tسرايا الدفاع\r\n"
    (tmp_path / "a.ann").write_bytes(ann.encode())
    assert read_text(tmp_path / "a.txt") == "قوات حفتر\r\nسرايا الدفاع\r\n"
    a = read_brat(tmp_path / "a.ann")
    assert [(e.text, e.mentions[0].start) for e in a.entities] == [("قوات حفتر", 0), ("سرايا الدفاع", 11)]


def test_relation_arguments() -> None:
    text = "Haftar commands the LNA"
    ents = "T1\tPerson 0 6\tHaftar\nT2\tArmedGroup 20 23\tLNA\n"
    swapped = _parse(ents + "R1\tcommands Arg2:T2 Arg1:T1\n", text).relations[0]
    assert (swapped.subject, swapped.object) == ("T1", "T2")
    named = _parse(ents + "R1\tcommands Commander:T1 Unit:T2\n", text).relations[0]
    assert (named.subject, named.object) == ("T1", "T2")
    with pytest.raises(AnnotationError, match="two differently named arguments"):
        _parse(ents + "R1\tcommands Arg1:T1 Arg1:T2\n", text)
    with pytest.raises(AnnotationError, match="two differently named arguments"):
        _parse(ents + "R1\tcommands Arg1:T1\n", text)


def test_attributes_set_flags() -> None:
    text = "Haftar commands the LNA"
    ann = ("T1\tPerson 0 6\tHaftar\nT2\tArmedGroup 20 23\tLNA\nR1\tcommands Arg1:T1 Arg2:T2\n"
           "A1\tNegation R1\nA2\tFormer R1\nM1\tSpeculation R1\nA3\tIntended R1\n"
           "A4\tAffiliation T2 StateForces\n")
    a = _parse(ann, text)
    r = a.relations[0]
    assert (r.negated, r.former, r.uncertain, r.intended) == (True, True, True, True)
    assert a.entity("T2").attributes == (("Affiliation", "StateForces"),)  # type: ignore[union-attr]
    ann = ann.replace("A1\tNegation R1", "A1\tHypothetical R1").replace("A3\tIntended R1\n", "")
    extra = parse_brat(ann, text, article_id="t", attribute_flags={"Hypothetical": "intended"})
    assert extra.relations[0].intended and not extra.relations[0].negated


def test_former_on_an_event_is_a_warning() -> None:
    text = "clashes in Sirte"
    a = _parse("T1\tClash 0 7\tclashes\nE1\tClash:T1\nA1\tFormer E1\n", text)
    assert a.events[0].trigger is not None and a.events[0].arguments == ()
    (warning,) = a.problems
    assert warning.severity == "warning" and warning.line == 3 and "former" in warning.message


def test_normalisations() -> None:
    text = "Douglas Adams and Hezbollah"
    ann = ("T1\tPerson 0 13\tDouglas Adams\nT2\tArmedGroup 18 27\tHezbollah\n"
           "N1\tReference T1 Wikidata:Q42\tDouglas Adams\nN2\tReference T2 UCDP:123\tHezbollah\n"
           "N3\tReference T2 Wikidata:NULL\t\nN4\tReference T2 GeoNames:5\tx\n")
    a = _parse(ann, text)
    assert a.entity("T1").external_ids == (("wikidata", "Q42"),)  # type: ignore[union-attr]
    assert a.entity("T2").external_ids == (("ucdp", "123"), ("geonames", "5"))  # type: ignore[union-attr]


def test_notes_set_claimant_and_date() -> None:
    text = "Haftar commands the LNA, sources said"
    ann = ("T1\tPerson 0 6\tHaftar\nT2\tArmedGroup 20 23\tLNA\nT3\tSource 25 32\tsources\n"
           "R1\tcommands Arg1:T1 Arg2:T2\n#1\tAnnotatorNotes R1\tclaimant: T3; date: 2016-07\n")
    r = _parse(ann, text).relations[0]
    assert (r.claimant, r.date) == ("T3", "2016-07")
    with pytest.raises(AnnotationError, match="invalid date"):
        _parse(ann.replace("2016-07", "July 2016"), text)
    # an undefined claimant id is reported on its relation by kg.reading.check
    from kg.ontology import load_ontology
    from kg.reading.check import check_article

    undefined = _parse(ann.replace("claimant: T3", "claimant: T9"), text)
    assert [(p.line, p.message) for p in check_article(undefined, load_ontology())] == [
        (4, "claimant 'T9' of 'R1' is not the id of an annotation")]
    free = _parse(ann.replace("claimant: T3", "claimant: local sources"), text).relations[0]
    assert free.claimant == "local sources"


def _at(text: str, needle: str) -> str:
    """``START END<TAB>TEXT`` of the one occurrence of needle in text."""
    start = text.index(needle)
    return f"{start} {start + len(needle)}\t{needle}"


def test_figures() -> None:
    text = "مقتل أكثر من ٢٥ من قوات حفتر وإصابة ستة في اشتباكات، بحسب مصادر محلية"
    ann = (f"T1\tClash {_at(text, 'اشتباكات')}\nT2\tQuantity {_at(text, 'أكثر من ٢٥')}\n"
           f"T3\tQuantity {_at(text, 'ستة')}\nT4\tArmedGroup {_at(text, 'قوات حفتر')}\n"
           f"T5\tSource {_at(text, 'مصادر محلية')}\n"
           "E1\tClash:T1 Participant:T4 Killed:T2 wounded:T3\n#1\tAnnotatorNotes E1\tclaimant: T5\n")
    a = _parse(ann, text)
    (ev,) = a.events
    assert ev.arguments == (("Participant", "T4"),)
    assert [(f.kind, f.count, f.qualifier, f.claimant) for f in ev.figures] == [
        ("killed", 25, "more-than", "T5"), ("wounded", 6, "exact", "T5")]
    assert ev.figures[0].evidence is not None and ev.figures[0].evidence.text == "أكثر من ٢٥"
    _mention_texts_match(a)
    with pytest.raises(AnnotationError, match="has no number") as exc:
        _parse(ann.replace(f"T3\tQuantity {_at(text, 'ستة')}", f"T3\tQuantity {_at(text, 'بحسب')}"), text)
    assert exc.value.line == 6


@pytest.mark.parametrize(("written", "count"), [
    ("25", (25, "exact")), ("١٢", (12, "exact")), ("۱۵", (15, "exact")), ("1,200", (1200, "exact")),
    ("اثنين", (2, "exact")), ("أربعة", (4, "exact")), ("وستة", (6, "exact")), ("عشرة", (10, "exact")),
    ("at least 7", (7, "at-least")), ("نحو 30", (30, "about")), ("dozens", None), ("", None),
])
def test_parse_count(written: str, count: tuple[int, str] | None) -> None:
    assert parse_count(written) == count


def test_relation_to_a_trigger_names_the_event() -> None:
    text = "Haftar launched an offensive"
    ann = ("T1\tPerson 0 6\tHaftar\nT2\tOffensive 19 28\toffensive\nE1\tOffensive:T2\n"
           "R1\tsupports Arg1:T1 Arg2:T2\n")
    assert _parse(ann, text).relations[0].object == "E1"


def test_unknown_kinds_and_comment_lines() -> None:
    text = "Haftar"
    for ann, fragment in [("X1\tPerson 0 6\tHaftar\n", "unknown annotation id 'X1'"),
                          ("# a comment\n", "not a brat annotation line"),
                          ("T1 Person 0 6 Haftar\n", "a space instead of the tab"),
                          ("#\tAnnotatorNotes T1\tx\n", "unknown annotation id '#'"),
                          ("E1\tClash\n", "is not TYPE:TRIGGER"),
                          ("E1\tClash:T1\n", "E1 refers to T1, which is not defined"),
                          ("T1\tPerson 0 6\tHaftar\nE1\tClash:T1\n", "has type 'Person', not 'Clash'"),
                          ("T1\tPerson 0 6\tHaftar\nA1\tNegation\n", "wrong number of fields"),
                          ("T1\tPerson 0 6\tHaftar\nN1\tReference T1 Q42\n", "wrong number of fields"),
                          ("T1\tPerson 0 6\tHaftar\n*\tEquiv T1\n", "at least two ids"),
                          ("T1\tPerson 0 6\tHaftar\nR1\tx Arg1:T1 Arg2:A1\nA1\tNeg T1\n", "not a text-bound"),
                          ("T1\t 0 6\tHaftar\n", "no type")]:
        with pytest.raises(AnnotationError, match=fragment):
            _parse(ann, text)


def test_missing_text_after_offsets_is_a_warning() -> None:
    a = _parse("T1\tPerson 0 6\n", "Haftar")
    assert a.entities[0].text == "Haftar"
    assert [p.severity for p in a.problems] == ["warning"]
    assert check_brat("T1\tPerson 0 6\n", "Haftar", source="t.ann") == []


def test_check_collects_every_problem_in_line_order() -> None:
    text = "Haftar met Sarraj."
    ann = ("R1\tmet Arg1:T1 Arg2:T7\nT1\tPerson 0 6\tHaftar\nT2\tPerson 11 99\tSarraj\n"
           "T1\tPerson 0 6\tHaftar\nT3\tPerson 6 0\tx\n")
    problems = check_brat(ann, text, source="x.ann")
    assert [(p.line, p.file) for p in problems] == [(1, "x.ann"), (3, "x.ann"), (4, "x.ann"), (5, "x.ann")]
    assert all(isinstance(p, Problem) and p.severity == "error" for p in problems)
    with pytest.raises(AnnotationError) as exc:
        _parse(ann, text)
    assert exc.value.line == 1 and "T7" in exc.value.message


# -- malformed fixture files --------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "line", "fragment"), [
    ("offset_past_end", 2, "offset 99 is past the end of the text (30 code points)"),
    ("span_mismatch", 2, "text of T2 'Siraj' differs from the text at 11-17: 'Sarraj'"),
    ("missing_id", 3, "R1 refers to T9, which is not defined"),
    ("duplicate_id", 3, "duplicate id T1 (first on line 1)"),
    ("malformed_line", 2, "bad offsets '11 x'"),
    ("start_after_end", 2, "start 17 is after end 11 in T2"),
    ("invalid_utf8", 2, "invalid UTF-8 at byte 40"),
])
def test_broken_fixtures(name: str, line: int, fragment: str) -> None:
    path = BROKEN / f"{name}.ann"
    with pytest.raises(AnnotationError) as exc:
        read_brat(path)
    err = exc.value
    assert (err.file, err.line) == (str(path), line)
    assert fragment in err.message
    assert str(err).startswith(f"{path}:{line}: ")
    assert err.hint
    if name != "invalid_utf8":
        problems = check_brat(path.read_text(encoding="utf-8"), read_text(path.with_suffix(".txt")),
                              source=str(path))
        assert [(p.line, p.message) for p in problems] == [(line, err.message)]


def test_span_mismatch_hint() -> None:
    with pytest.raises(AnnotationError) as exc:
        read_brat(BROKEN / "span_mismatch.ann")
    assert exc.value.hint == "fix the offsets or the text after the tab"


def test_invalid_utf8_hint_and_missing_text(tmp_path: Path) -> None:
    with pytest.raises(AnnotationError) as exc:
        read_brat(BROKEN / "invalid_utf8.ann")
    assert exc.value.hint == "save the file as UTF-8"
    (tmp_path / "lonely.ann").write_text("")
    with pytest.raises(AnnotationError, match="no text file for lonely.ann"):
        read_brat(tmp_path / "lonely.ann")


# -- random input: an Article or a KGError, nothing else ------------------------------------------------

_IDS = st.builds(lambda p, n: f"{p}{n}", st.sampled_from(["T", "R", "E", "A", "M", "N", "#", "X", "*", ""]),
                 st.integers(0, 6))
_TYPES = st.sampled_from(["Person", "Clash", "Quantity", "Killed", "Negation", "Confidence", "", "a:b"])
_OFFSETS = st.lists(st.tuples(st.integers(-2, 40), st.integers(-2, 40)), min_size=0, max_size=3).map(
    lambda spans: ";".join(f"{a} {b}" for a, b in spans))
_ARGS = st.lists(st.builds(lambda r, i: f"{r}:{i}", st.sampled_from(["Arg1", "Arg2", "Killed", "Theme2", ""]),
                           _IDS), max_size=4).map(" ".join)
_VALUES = st.sampled_from(["", "Low", "Wikidata:Q1", "x:NULL"])
_DATA = st.one_of(
    st.builds(lambda t, o: f"{t} {o}", _TYPES, _OFFSETS),
    st.builds(lambda t, trig, a: f"{t}:{trig} {a}", _TYPES, _IDS, _ARGS),
    st.builds(lambda t, a: f"{t} {a}", _TYPES, _ARGS),
    st.builds(lambda t, i, v: f"{t} {i} {v}", _TYPES, _IDS, _VALUES),
    st.text(max_size=12),
)
_LINE = st.builds(lambda i, sep, d, tail: f"{i}{sep}{d}{tail}", _IDS, st.sampled_from(["\t", " ", ""]), _DATA,
                  st.one_of(st.just(""), st.text(max_size=12).map(lambda t: "\t" + t)))
_TEXT = st.text(max_size=40)


@st.composite
def _documents(draw: st.DrawFn) -> tuple[str, str]:
    """A text and a .ann that is mostly well formed: valid lines referring to each other, a few corrupted."""
    text = draw(st.text(alphabet=st.characters(blacklist_characters="\n\t"), max_size=40)) + " 12"
    size = len(text)
    lines = [f"T1\tQuantity {size - 2} {size}\t12", f"T2\tClash {size - 3} {size - 2}\t "]
    ids = ["T1"]
    for n in range(3, draw(st.integers(3, 7))):
        start = draw(st.integers(0, size))
        end = draw(st.integers(start, size))
        lines.append(f"T{n}\tPerson {start} {end}\t{text[start:end]}")
        ids.append(f"T{n}")
    events = [f"E{n}" for n in range(1, draw(st.integers(0, 3)) + 1)]
    refs = st.sampled_from([*ids, *ids, *events, "T9"])
    roles = st.sampled_from(["Killed", "participant", "Theme2"])
    for event in events:
        args = " ".join(f"{draw(roles)}:{draw(refs)}" for _ in range(draw(st.integers(0, 3))))
        lines.append(f"{event}\tClash:T2 {args}")
    lines.append(f"R1\tsupports Arg1:{draw(refs)} Arg2:{draw(refs)}\t")
    target = st.sampled_from([*ids, *events, "R1"])
    attribute = draw(st.sampled_from(["Negation", "Former", "Confidence"]))
    note = draw(st.sampled_from(["claimant: T1", "date: 2016-07", "x"]))
    lines += [f"A1\t{attribute} {draw(target)} Low", f"N1\tReference {draw(target)} Wikidata:Q1\tx",
              f"#1\tAnnotatorNotes {draw(target)}\t{note}", f"*\tEquiv {' '.join(ids)}"]
    for _ in range(draw(st.integers(0, 2))):  # corruptions
        i = draw(st.integers(0, len(lines) - 1))
        pos = draw(st.integers(0, len(lines[i])))
        junk = draw(st.sampled_from(["", "\t", " ", ";", ":", "x", "9"]))
        lines[i] = lines[i][:pos] + junk + lines[i][pos + 1:]
    return "\n".join(draw(st.permutations(lines))), text


def _article_or_kgerror(ann: str, text: str) -> None:
    try:
        result = parse_brat(ann, text, article_id="r", source="r.ann")
    except KGError:
        assert check_brat(ann, text, source="r.ann")
        return
    assert isinstance(result, Article)
    assert check_brat(ann, text, source="r.ann") == []
    _mention_texts_match(result)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300), _TEXT)
def test_random_bytes(ann: bytes, text: str) -> None:
    _article_or_kgerror(ann.decode("utf-8", errors="replace"), text)


@settings(max_examples=200, deadline=None)
@given(st.lists(_LINE, max_size=8), _TEXT)
def test_random_brat_like_lines(lines: list[str], text: str) -> None:
    _article_or_kgerror("\n".join(lines), text)


@settings(max_examples=200, deadline=None)
@given(_documents())
def test_random_documents(document: tuple[str, str]) -> None:
    _article_or_kgerror(*document)


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=200), st.binary(max_size=100))
def test_random_files(ann: bytes, text: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "r.ann").write_bytes(ann)
        (Path(tmp) / "r.txt").write_bytes(text)
        with contextlib.suppress(KGError):
            assert isinstance(read_brat(Path(tmp) / "r.ann"), Article)


@settings(max_examples=200, deadline=None)
@given(st.data(), st.text(alphabet=st.characters(blacklist_characters="\n"), min_size=1, max_size=40))
def test_valid_text_bound_lines_read_back(data: st.DataObject, text: str) -> None:
    lines, expected = [], []
    for n in range(1, data.draw(st.integers(1, 5)) + 1):
        start = data.draw(st.integers(0, len(text)))
        end = data.draw(st.integers(start, len(text)))
        lines.append(f"T{n}\tPerson {start} {end}\t{text[start:end]}")
        expected.append(text[start:end])
    try:
        article = _parse("\n".join(lines) + "\n", text)
    except AnnotationError as exc:  # only a span whose text has surrounding whitespace can look empty
        raise AssertionError(str(exc)) from None
    assert [e.text for e in article.entities] == expected
