"""The event table (kg.exports.events): the seed's seven events, row by row, as CSV and JSON."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import kg
from kg.building.build import build
from kg.cli import app
from kg.exports import EVENT_COLUMNS, ExportError, export, write_events
from kg.exports.events import fatalities
from kg.network import Selection

ROOT = Path(__file__).parent.parent
ACTOR = "https://w3id.org/kg/id/actor/"
BDB, LNA, B101 = ("Benghazi Defense Brigades", "bdb"), ("Libyan National Army", "lna"), ("Battalion 101", "battalion-101")
NONE = ("", "")
AJDABIYA = ("Ajdabiya", "30.7556", "20.2253")
MAQRUN = ("al-Maqrun", "", "")
COLUMNS = ("event_id", "event_date", "time_precision", "date_from", "kg_type", "event_type", "sub_event_type",
           "actor1", "actor1_id", "actor2", "actor2_id", "location", "latitude", "longitude", "country",
           "fatalities", "fatalities_low", "fatalities_best", "fatalities_high", "fatalities_open", "figures",
           "claimants")
#: The seed's events as the table must give them (seeds/articles/*.yaml, registry coordinates in actors.yaml).
EXPECTED = [
    ("battalion_101_clash", "2016-06", "3", "event", "Clash", "Battles", "Armed clash", *B101, *BDB, *AJDABIYA,
     "Libya", "", "", "", "", "", "", "Al Jazeera"),
    ("ajdabiya_capture", "2016-06-18", "1", "event", "Capture", "Battles", "Non-state actor overtakes territory",
     *BDB, *NONE, *AJDABIYA, "Libya", "", "", "", "", "", "", "Al Jazeera"),
    ("field_109_capture", "2016-07", "3", "reported", "Capture", "Battles", "Non-state actor overtakes territory",
     *BDB, *NONE, "Oil Field 109", "", "", "Libya", "", "", "", "", "", "", "Al Jazeera"),
    ("helicopter_downing", "2016-07", "3", "event", "Downing", "Battles", "Armed clash", *BDB, *LNA, "", "", "", "",
     "4", "4", "4", "4", "False", "killed 4 of Libyan National Army (Al Jazeera)", "Al Jazeera"),
    ("maqrun_capture", "2016-07", "3", "reported", "Capture", "Battles", "Non-state actor overtakes territory",
     *BDB, *NONE, *MAQRUN, "Libya", "", "", "", "", "", "", "Al Jazeera"),
    ("maqrun_clash", "2016-07", "3", "event", "Clash", "Battles", "Armed clash", *BDB, *LNA, *MAQRUN, "Libya",
     "27", "27", "27", "27", "True",
     "killed 2 of Benghazi Defense Brigades (Sources from the Benghazi Defense Brigades) | "
     "killed more than 25 of Libyan National Army (Al Jazeera) | "
     "wounded 6 of Benghazi Defense Brigades (Sources from the Benghazi Defense Brigades) | "
     "wounded 15 of Libyan National Army (Al Jazeera)",
     "Al Jazeera | Sources from the Benghazi Defense Brigades"),
    ("maqrun_offensive", "2016-07", "3", "event", "Offensive", "Battles", "Armed clash", *LNA, *BDB, *MAQRUN,
     "Libya", "", "", "", "", "", "", "Local sources"),
]


@pytest.fixture(scope="module")
def store() -> kg.GraphStore:
    store = kg.GraphStore()
    assert build([ROOT / "seeds"], store=store).ok
    return store


def test_seed_events_row_by_row(store: kg.GraphStore, tmp_path: Path) -> None:
    [path] = write_events(store, tmp_path / "events.csv")
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        assert tuple(reader.fieldnames or ()) == EVENT_COLUMNS
        rows = list(reader)
    got = [tuple(r[c] for c in COLUMNS) for r in rows]
    expected = [(f"000_9c143c0af1e05f5b:{e[0]}", *e[1:]) for e in EXPECTED]
    assert got == expected
    clash = rows[5]
    assert (clash["actor1_ar"], clash["actor2_ar"], clash["kg_type_ar"]) == (
        "سرايا الدفاع عن بنغازي", "الجيش الوطني الليبي", "اشتباك")
    assert (clash["actor1_iri"], clash["actor1_type"], clash["date_start"], clash["date_end"]) == (
        ACTOR + "bdb", "ArmedGroup", "2016-07-01", "2016-07-31")
    assert clash["quotes"].split(" | ")[:3] == ["مواجهات مسلحة", "اثنين من مقاتليها قتلوا", "قتل أكثر من 25"]
    assert clash["source"] == "Al Jazeera" and clash["uncertain"] == "False"
    assert clash["articles"] == "https://w3id.org/kg/id/article/000_9c143c0af1e05f5b"
    assert all(r["inter1"] == r["inter2"] == r["interaction"] == "" for r in rows)  # the seed has no ACLED categories


def test_json_rows_equal_csv_rows_with_numbers(store: kg.GraphStore, tmp_path: Path) -> None:
    [path] = export(store, tmp_path / "events.json", "events")
    rows = json.loads(path.read_text(encoding="utf-8"))
    assert [r["event_id"].split(":")[1] for r in rows] == [e[0] for e in EXPECTED]
    clash = rows[5]
    assert clash["fatalities_high"] == 27 and clash["fatalities_open"] is True and clash["latitude"] is None
    assert rows[0]["latitude"] == 30.7556 and rows[0]["time_precision"] == 3


def test_dates_select_events(store: kg.GraphStore) -> None:
    from kg.exports import event_rows

    assert [r["event_id"].split(":")[1] for r in event_rows(store, Selection(until="2016-06"))] == [
        "battalion_101_clash", "ajdabiya_capture"]
    assert event_rows(store, Selection(as_of="2016-06")) == []


def test_fatality_rules() -> None:
    # conflicting claimants about one side: low the smallest, best the median (lower), high the largest
    figures = [{"kind": "killed", "count": n, "qualifier": "exact", "of": "x", "claimant": c}
               for n, c in ((10, "a"), (30, "b"), (20, "c"))]
    assert fatalities(figures) == {"fatalities": 10, "fatalities_low": 10, "fatalities_best": 20,
                                   "fatalities_high": 30, "fatalities_open": False}
    # wounded are not fatalities; "at least" counts its number and marks the figure open-ended
    assert fatalities([{"kind": "wounded", "count": 5, "of": None}])["fatalities"] == ""
    assert fatalities([{"kind": "killed", "count": 3, "qualifier": "at-least", "of": None}])["fatalities_open"]


def test_acled_refinements_by_inter_code(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    (corpus / "articles").mkdir(parents=True)
    (corpus / "actors.yaml").write_text(
        "actors:\n"
        "  - {id: army, type: ArmedGroup, labels: {en: State Army}, acled: StateForces}\n"
        "  - {id: militia, type: ArmedGroup, labels: {en: The Militia}, acled: PoliticalMilitia}\n"
        "  - {id: villagers, type: Actor, labels: {en: Villagers}, acled: Civilians}\n"
        "places:\n  - {id: town, type: Town, labels: {en: Town}, lat: 1.5, lon: -2.25}\n", encoding="utf-8")
    (corpus / "articles" / "a.txt").write_text("State Army took Town. The Militia attacked Villagers.\n",
                                                encoding="utf-8")
    (corpus / "articles" / "a.yaml").write_text(
        'article: {title: t, outlet: O, date: "2020-01-02", language: en}\n'
        "entities:\n"
        "  - {id: army, type: ArmedGroup, actor: army, mentions: [{text: State Army}]}\n"
        "  - {id: militia, type: ArmedGroup, actor: militia, mentions: [{text: The Militia}]}\n"
        "  - {id: villagers, type: Actor, actor: villagers, mentions: [{text: Villagers}]}\n"
        "  - {id: town, type: Town, actor: town, mentions: [{text: Town}]}\n"
        "events:\n"
        "  - {id: take, type: Capture, trigger: took, arguments: {attacker: army, seized: town}, place: town}\n"
        "  - {id: hit, type: Attack, trigger: attacked, arguments: {attacker: militia, target: villagers}}\n",
        encoding="utf-8")
    store = kg.GraphStore()
    report = build([corpus], store=store)
    assert report.ok, [str(p) for p in report.problems]
    from kg.exports import event_rows

    rows = {r["event_id"].split(":")[1]: r for r in event_rows(store)}
    assert (rows["take"]["sub_event_type"], rows["take"]["inter1"], rows["take"]["interaction"],
            rows["take"]["latitude"]) == ("Government regains territory", "1", "10", 1.5)
    assert (rows["hit"]["event_type"], rows["hit"]["sub_event_type"], rows["hit"]["interaction"]) == (
        "Violence against civilians", "Attack", "37")


def test_cli_events_and_format_errors(tmp_path: Path) -> None:
    store = tmp_path / "store"
    disk = kg.GraphStore(store)
    assert build([ROOT / "seeds"], store=disk).ok
    disk.close()
    runner = CliRunner()
    out = tmp_path / "events.csv"
    result = runner.invoke(app, ["export", "--format", "events", "-o", str(out), "--store", str(store)])
    assert result.exit_code == 0, result.output
    assert len(out.read_text(encoding="utf-8").splitlines()) == 1 + len(EXPECTED)
    with pytest.raises(ExportError, match="events output needs a file ending in .csv or .json"):
        export(kg.GraphStore(), tmp_path / "events.txt", "events")
    with pytest.raises(ExportError, match="no projection"):
        export(kg.GraphStore(), tmp_path / "e.csv", "events", projection="signed")
