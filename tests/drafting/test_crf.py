"""The CRF entity recogniser (kg.drafting.crf): words, labels, gazetteer, training, saving and loading."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg.drafting.crf import (
    Gazetteer,
    bioes,
    decode,
    is_crf,
    load_crf,
    predict_crf,
    save_crf,
    sentence_features,
    train_crf,
    words,
)


def test_labels_and_spans_round_trip():
    text = "زار محمد علي بيروت، امس"
    ws = words(text)
    spans = [(4, 12, "Person"), (13, 18, "Place")]
    labels = bioes(ws, spans)
    assert labels == ["O", "B-Person", "E-Person", "S-Place", "O", "O"]
    assert decode(ws, labels) == spans
    # a run broken off is taken as it is: a stray I starts a span, a change of type ends one
    assert decode(ws, ["I-Person", "E-Person", "I-Place", "O", "O", "O"]) == [(0, 8, "Person"), (9, 12, "Place")]


def test_the_gazetteer_marks_the_longest_name_whatever_the_clitics_and_counts_words():
    gaz = Gazetteer.learn([("الصين الشعبية و الصين", [(0, 13, "Place"), (16, 21, "Place")])])
    keys = ["صين", "شعبيه", "و", "صين"]
    assert gaz.marks(keys) == ["B-Place", "E-Place", "", "S-Place"]
    assert gaz.counts["صين"] == [2, 2] and gaz.counts["و"] == [1, 0]
    assert gaz.rarity("صين") == ["f=2", "r=1"] and gaz.rarity("بكين") == ["f=0"]


def test_a_word_carries_the_type_of_the_names_it_was_met_in_for_itself_and_its_neighbours():
    # محمد is met twice in persons and once in an organisation's name: it is a person's word; "زار" is in none
    gaz = Gazetteer.learn([("زار محمد العراق", [(4, 8, "Person"), (9, 15, "Place")]), ("قال محمد", [(4, 8, "Person")]),
                           ("مؤسسة محمد السادس", [(0, 17, "Organization")])])
    assert gaz.types == {"محمد": "Person", "عراق": "Place", "موسسه": "Organization", "سادس": "Organization"}
    # and where it stood in them: محمد alone twice, once in the middle of a name
    assert gaz.places == {"محمد": "S-Person", "عراق": "S-Place", "موسسه": "B-Organization", "سادس": "E-Organization"}
    # a word never met in a name, or not at all, is "-"; the article and the clitics before it do not count
    features = sentence_features(["التقى", "محمد", "والعراق", "امس"], gaz)
    assert "wt=-" in features[0] and "1wt=Person" in features[0]
    assert "wt=Person" in features[1] and "-1wt=-" in features[1] and "1wt=Place" in features[1]
    assert "wp=S-Person" in features[1] and "wp=-" in features[0]
    assert "wt=Place" in features[2] and "-1wt=Person" in features[2]
    assert "wt=-" in features[3] and "-1wt=Place" in features[3]


def test_a_trained_crf_finds_names_and_survives_saving(tmp_path: Path):
    samples = [("زار محمد بيروت امس.", [(4, 8, "Person"), (9, 14, "Place")]),
               ("قال علي ان دمشق بعيدة.", [(4, 7, "Person"), (11, 15, "Place")]),
               ("وصل احمد الى حلب.", [(4, 8, "Person"), (13, 16, "Place")])] * 8
    recogniser = train_crf(samples, iterations=60)
    assert recogniser.meta["labels"] == ["Person", "Place"] and recogniser.meta["gazetteer_names"] == 6
    text = "زار محمد بيروت امس. وصل احمد الى حلب"
    found = predict_crf(recogniser, text)
    assert [(text[s:e], t) for s, e, t in found] == [("محمد", "Person"), ("بيروت", "Place"), ("احمد", "Person"),
                                                     ("حلب", "Place")]
    save_crf(recogniser, tmp_path / "ner-ar")
    assert is_crf(tmp_path / "ner-ar")
    loaded = load_crf(tmp_path / "ner-ar")
    assert loaded.gazetteer.types == recogniser.gazetteer.types and loaded.gazetteer.types["حلب"] == "Place"
    assert loaded.gazetteer.places == recogniser.gazetteer.places and loaded.gazetteer.places["حلب"] == "S-Place"
    assert predict_crf(loaded, text) == found


def test_a_model_trained_before_words_had_types_and_places_loads_and_tags_as_it_did(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    import kg.drafting.crf as crf

    features = crf.sentence_features

    def older_features(tokens: list[str], gazetteer: Gazetteer) -> list[list[str]]:
        return [[f for f in fs if f.split("=")[0].lstrip("-1") not in ("wt", "wp")] for fs in features(tokens, gazetteer)]

    samples = [("زار محمد بيروت امس.", [(4, 8, "Person"), (9, 14, "Place")]),
               ("قال علي ان دمشق بعيدة.", [(4, 7, "Person"), (11, 15, "Place")])] * 8
    text = "زار علي دمشق امس. قال محمد ان بيروت بعيدة"
    monkeypatch.setattr(crf, "sentence_features", older_features)
    older = train_crf(samples, iterations=60)
    tagged = predict_crf(older, text)
    save_crf(older, tmp_path / "ner-ar")
    gazetteer = tmp_path / "ner-ar" / "gazetteer.json"
    kept = {k: v for k, v in json.loads(gazetteer.read_text(encoding="utf-8")).items() if k in ("names", "counts")}
    gazetteer.write_text(json.dumps(kept, ensure_ascii=False), encoding="utf-8")
    monkeypatch.undo()
    loaded = load_crf(tmp_path / "ner-ar")
    assert loaded.gazetteer.types == {} and loaded.gazetteer.places == {}
    assert len(tagged) == 4 and predict_crf(loaded, text) == tagged
