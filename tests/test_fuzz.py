"""Fuzzing the readers and the registry: no input that passes ``kg check`` can crash ``kg build``.

Hypothesis writes corpora from pieces that are often right and often slightly wrong (offsets past the text,
an event as a relation argument, impossible dates, ``en_US``, ``type: Armed Group``, labels keyed ``1``,
``actors: 5``, notes with fields): ``kg check`` must never raise, a build must never fail with anything but
a one-line :class:`KGError`, and when ``kg check`` finds no error the build must succeed, with or without
``--skip-invalid``.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.building.build import build
from kg.errors import KGError
from kg.mapping.pipeline import check_corpus
from kg.sparql.store import GraphStore

TEXT = st.text(alphabet=st.sampled_from(list("Haftar LNA قوات حفتر بنغازي.,\n\r") + ["😀", "é", "\u200f"]),
               max_size=60)
ENTITY_TYPES = ["Person", "ArmedGroup", "City", "Place", "Source", "Quantity", "Clash", "Armed Group", "X", "Country"]
RELATION_TYPES = ["commands", "alliedWith", "controls", "hostileTo", "alsoKnownAs", "basedAt", "nope"]
IDS = ["T1", "T2", "T3", "T4", "E1", "R1", "X9"]
DATES = ["2016", "2016-07", "2016-07-17", "2016-13", "2016-02-31", "16-07", "soon", "0000"]
LANGUAGES = ["ar", "en", "en-GB", "en_US", "", "1", "arabic language"]
CLAIMANTS = ["T1", "T4", "local_sources", "local sources", "مصادر محلية", "Reuters", "X9"]
SETTINGS = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _pick(draw: st.DrawFn, careful: bool, good: list[Any], bad: list[Any]) -> Any:
    """Mostly right when ``careful``, anything otherwise."""
    return draw(st.sampled_from(good if careful and draw(st.integers(0, 5)) else good + bad))


@st.composite
def brat_files(draw: st.DrawFn) -> tuple[str, str]:
    text = draw(TEXT)
    careful = draw(st.booleans())
    lines = []
    n_entities = draw(st.integers(0, 5))
    for n in range(1, n_entities + 1):
        start = draw(st.integers(0, len(text) if careful else len(text) + 1))
        end = draw(st.integers(start, len(text) if careful else len(text) + 2))
        span = text[start:end] if careful or draw(st.booleans()) else draw(st.sampled_from(["x", "", "حفتر"]))
        etype = _pick(draw, careful, ["Person", "ArmedGroup", "City", "Source"], ENTITY_TYPES)
        lines.append(f"T{n}\t{etype} {start} {end}\t{span}")
    own = [f"T{n}" for n in range(1, n_entities + 1)] or ["T1"]
    for n in range(1, draw(st.integers(0, 3)) + 1):
        a, b = _pick(draw, careful, own, IDS), _pick(draw, careful, own, IDS)
        rtype = _pick(draw, careful, ["alliedWith", "hostileTo", "supports", "alsoKnownAs"], RELATION_TYPES)
        lines.append(f"R{n}\t{rtype} Arg1:{a} Arg2:{b}\t")
    if draw(st.booleans()) and n_entities >= 2:
        lines[0] = lines[0].replace(lines[0].split("\t")[1].split()[0], "Clash", 1)
        lines.append(f"E1\tClash:T1 participant:{_pick(draw, careful, own[1:], IDS)}")
    good_fields = ["date=2016-07", "confidence=0.85", "trigger=clashed with", "just words", f"claimant={own[0]}"]
    bad_fields = [f"date={d}" for d in DATES] + [f"claimant={c}" for c in CLAIMANTS] + ["confidence=high"]
    for n in range(1, draw(st.integers(0, 3)) + 1):
        fields = draw(st.lists(st.sampled_from(good_fields if careful else good_fields + bad_fields), max_size=3))
        lines.append(f"#{n}\tAnnotatorNotes {_pick(draw, careful, own, IDS)}\t{' '.join(fields)}")
    lines += draw(st.lists(st.sampled_from([
        "A1\tNegation R1", "A2\tConfidence E1 High", "M1\tSpeculation R2", "N1\tReference T1 Wikidata:Q42\tX",
        "N2\tReference T2 Wikidata:nope\tX", "*\tEquiv T1 T2", "*\tEquiv T1 E1", "stray words", "T9\tPerson 0 x\ty",
        "R9\tcommands Arg1:T1", "E9\tClash", "#9\tAnnotatorNotes A1\tnote",
    ]), max_size=0 if careful else 3))
    return text, "\n".join(draw(st.permutations(lines)))


def _mention(draw: st.DrawFn, text: str) -> Any:
    if text and draw(st.booleans()):
        start = draw(st.integers(0, len(text) - 1))
        return text[start:draw(st.integers(start + 1, len(text)))]
    return draw(st.sampled_from(["Haftar", "حفتر", "", "nowhere", {"at": [0, 3]}, {"text": "LNA", "all": True}]))


@st.composite
def sidecars(draw: st.DrawFn) -> tuple[str, str]:
    text = draw(TEXT)
    ids = ["a", "b", "c", "E1"]
    data: dict[str, Any] = {"article": {"date": draw(st.sampled_from(DATES)), "language": draw(st.sampled_from(LANGUAGES))}}
    data["entities"] = [{"id": i, "type": draw(st.sampled_from(ENTITY_TYPES)),
                         "mentions": [_mention(draw, text) for _ in range(draw(st.integers(0, 2)))]}
                        for i in draw(st.lists(st.sampled_from(ids[:3]), max_size=3))]
    data["relations"] = [{"type": draw(st.sampled_from(RELATION_TYPES)), "subject": draw(st.sampled_from(ids)),
                          "object": draw(st.sampled_from(ids)), "claimant": draw(st.sampled_from(CLAIMANTS)),
                          "date": draw(st.sampled_from(DATES)), "confidence": draw(st.sampled_from([0.5, "high", 1]))}
                         for _ in range(draw(st.integers(0, 3)))]
    if draw(st.booleans()):
        data["events"] = [{"id": "E1", "type": draw(st.sampled_from(["Clash", "Attack", "Party"])),
                           "arguments": {"participant": draw(st.sampled_from(ids))},
                           "figures": [{"kind": "killed", "count": draw(st.sampled_from([3, -1, "x"]))}]}]
    for section in list(data):
        if draw(st.integers(0, 9)) == 0:
            del data[section]
    return text, yaml.safe_dump(data, allow_unicode=True)


@st.composite
def registries(draw: st.DrawFn) -> str | None:
    if draw(st.booleans()):
        return None
    if draw(st.integers(0, 4)) == 0:
        return draw(st.sampled_from([None, "actors: 5\n", "- a\n- b\n", "actors:\n  - just words\n", ": :\n"]))
    entries = []
    careful = draw(st.booleans())
    for n in range(draw(st.integers(0, 3))):
        labels = {_pick(draw, careful, ["ar", "en", "en-GB"], ["en_GB", "1"]):
                  _pick(draw, careful, [f"LNA {n}", f"حفتر {n}", f"Haftar {n}"], ["", "LNA"])}
        entries.append({"id": _pick(draw, careful, [f"actor-{n}"], ["Bad Id", "lna"]),
                        "type": _pick(draw, careful, ["Person", "ArmedGroup", "City"], ENTITY_TYPES + ["Militia"]),
                        "labels": labels, "wikidata": _pick(draw, careful, [None, f"Q{n + 1}"], ["42"])})
    return yaml.safe_dump({"actors": entries}, allow_unicode=True)


def _build_never_crashes(text: str, name: str, body: str, registry: str | None) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "a.txt").write_text(text, encoding="utf-8", newline="")
        (root / name).write_text(body, encoding="utf-8", newline="")
        if registry is not None:
            (root / "actors.yaml").write_text(registry, encoding="utf-8")
        errors = [p for p in check_corpus([root]) if p.severity == "error"]
        for skip_invalid in (False, True):
            with GraphStore() as store:
                try:
                    report = build([root], store=store, skip_invalid=skip_invalid)
                except KGError:
                    assert errors, "kg build refused what kg check passed"
                    continue
                if not errors:
                    assert report.ok and not report.skipped, report.problems
                elif skip_invalid:
                    assert report.ok and report.skipped


@pytest.mark.slow
@SETTINGS
@given(brat_files(), registries())
def test_brat_input_that_passes_check_builds(files: tuple[str, str], registry: str | None):
    _build_never_crashes(files[0], "a.ann", files[1], registry)


@pytest.mark.slow
@SETTINGS
@given(sidecars(), registries())
def test_sidecar_input_that_passes_check_builds(files: tuple[str, str], registry: str | None):
    _build_never_crashes(files[0], "a.yaml", files[1], registry)
