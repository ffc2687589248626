"""The event table: one row per reported event, shaped like ACLED's and UCDP's data (``kg export --format
events``), as CSV or JSON.

Each row gives the event's id, date (with its precision and its first and last day), kg's type and the
ACLED event type and sub-event type it aligns to (read from the ontology), its place with the registry's
coordinates and the country it lies in, side A and side B (labels in English and Arabic, registry ids,
ACLED inter codes and interaction code), the fatalities (ACLED's conservative figure, and UCDP's low, best
and high), every claimed figure with its claimant, the claimants, articles, outlets and quotes. The rules are in
``docs/events.md``; in short:

* **sides**: attackers are side A and targets side B; the participants of a clash are ordered by ACLED inter
  code (state forces first, as UCDP puts the government in side A), then by label, the first being side A;
* **ACLED type**: the ontology's alignment of kg's class; a capture by state forces (inter code 1) is
  "Government regains territory", and an attack whose every target is civilians (inter code 7) is
  "Violence against civilians / Attack";
* **fatalities** count ``killed`` figures. A figure counts the number it states, whatever its qualifier
  ("more than 25" counts 25, as ACLED codes it); per victim (``casualtiesOf``), low is the smallest claimed
  figure, best the median (the lower middle one), high the largest, and ACLED's ``fatalities`` the
  smallest (its rule for conflicting reports); the event's values are the sums over victims.
  ``fatalities_open`` is true when a counted figure is open-ended (``more-than``, ``at-least``).

>>> fatalities([{"kind": "killed", "count": 25, "qualifier": "more-than", "of": "lna", "claimant": "aj"},
...             {"kind": "killed", "count": 40, "qualifier": "exact", "of": "lna", "claimant": "bdb"},
...             {"kind": "killed", "count": 2, "qualifier": "exact", "of": "bdb", "claimant": "bdb"}])
{'fatalities': 27, 'fatalities_low': 27, 'fatalities_best': 27, 'fatalities_high': 42, 'fatalities_open': True}
"""

from __future__ import annotations

import json
import statistics
from collections import defaultdict
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.errors import ExportError
from kg.exports.dyads import write_rows
from kg.exports.gexf import period_end, period_start
from kg.network.build import Labels, choose_types, external_ids
from kg.network.names import local_name
from kg.network.queries import IDS_QUERY, LABELS_QUERY, iris, rows, types_query
from kg.network.selection import Selection, date_filters
from kg.vocab import KG, PREFIXES, sparql_prologue

if TYPE_CHECKING:
    from kg.ontology import Ontology
    from kg.sparql.source import Source

_PREFIXES = sparql_prologue(PREFIXES)
OPEN_QUALIFIERS = frozenset({"more-than", "at-least"})
#: How the ``figures`` column writes each qualifier.
QUALIFIER_WORDS = {"exact": "", "more-than": "more than ", "at-least": "at least ", "about": "about ",
                   "at-most": "at most "}
#: ACLED's time precision codes: 1 a day, 2 a week or a few days, 3 a month or more.
PRECISION = {10: 1, 7: 3, 4: 3}
_SIDE = ("", "_ar", "_id", "_iri", "_type")
EVENT_COLUMNS = ("event_id", "event_iri", "event_date", "time_precision", "date_start", "date_end", "date_from",
                 "kg_type", "kg_type_ar", "event_type", "sub_event_type",
                 *(f"actor1{c}" for c in _SIDE), "inter1", *(f"actor2{c}" for c in _SIDE), "inter2", "interaction",
                 "location", "location_ar", "location_id", "latitude", "longitude", "country",
                 "fatalities", "fatalities_low", "fatalities_best", "fatalities_high", "fatalities_open", "figures",
                 "uncertain", "claimants", "articles", "source", "quotes")
SEPARATOR = " | "


def _events_query(ontology: Ontology, selection: Selection) -> str:
    lines = [f"VALUES ?t {{ {iris(ontology.event_types)} }}",
             "?e rdf:type ?t ; prov:wasDerivedFrom ?art .",
             "OPTIONAL { ?e kg:date ?d0 } OPTIONAL { ?e kg:reportedOn ?r0 } OPTIONAL { ?e kg:place ?place }",
             "OPTIONAL { ?e kg:claimant ?c } OPTIONAL { ?e kg:quote ?quote } OPTIONAL { ?e kg:uncertain ?unc }",
             "OPTIONAL { ?art kg:outlet ?outlet }",
             "FILTER NOT EXISTS { ?e kg:negated true }",
             "BIND(STR(?r0) AS ?rep) BIND(COALESCE(STR(?d0), STR(?r0)) AS ?when)", *date_filters(selection)]
    body = "\n".join(lines)
    return (f"{_PREFIXES}SELECT ?e ?t ?art ?when (STR(?d0) AS ?date) ?rep ?place ?c ?quote (BOUND(?unc) AS ?uncertain) "
            f"?outlet WHERE {{ GRAPH ?art {{\n{body}\n}} }}")


def _roles_query(ontology: Ontology) -> str:
    roles = {r for r in ontology.roles if r != "place"}
    return (f"{_PREFIXES}SELECT ?e ?role ?x WHERE {{ VALUES ?role {{ {iris(roles)} }} "
            f"GRAPH ?art {{ ?e ?role ?x }} }}")


FIGURES_QUERY = (f"{_PREFIXES}SELECT ?e ?f ?kind ?count ?qualifier ?of ?c ?quote WHERE {{ GRAPH ?art {{ "
                 f"?e kg:hasFigure ?f . ?f kg:figureKind ?k ; kg:count ?n . OPTIONAL {{ ?f kg:qualifier ?qualifier }} "
                 f"OPTIONAL {{ ?f kg:casualtiesOf ?of }} OPTIONAL {{ ?f kg:claimant ?c }} "
                 f"OPTIONAL {{ ?f kg:quote ?quote }} "
                 f"BIND(STRAFTER(STR(?k), \"#\") AS ?kind) BIND(STR(?n) AS ?count) }} }}")
LOCATED_QUERY = f"{_PREFIXES}SELECT DISTINCT ?p ?c WHERE {{ GRAPH ?g {{ ?p kg:locatedIn ?c }} }}"


def fatalities(figures: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """Fatality columns over an event's claimed figures (see the module docstring for the rules)."""
    by_victim: dict[Any, list[int]] = defaultdict(list)
    open_ended = False
    for fig in figures:
        if fig["kind"] != "killed":
            continue
        by_victim[fig.get("of")].append(int(fig["count"]))
        open_ended = open_ended or fig.get("qualifier") in OPEN_QUALIFIERS
    if not by_victim:
        return {"fatalities": "", "fatalities_low": "", "fatalities_best": "", "fatalities_high": "",
                "fatalities_open": ""}
    counts = list(by_victim.values())
    return {"fatalities": sum(min(c) for c in counts), "fatalities_low": sum(min(c) for c in counts),
            "fatalities_best": sum(statistics.median_low(c) for c in counts),
            "fatalities_high": sum(max(c) for c in counts), "fatalities_open": open_ended}


def interaction(inter1: str, inter2: str) -> str:
    """ACLED's interaction code: the two sides' inter codes, smaller first; ``N0`` when only side A is
    known (ACLED's "sole" actions); "" when side A's is unknown or a side mixes several actors.

    >>> interaction("3", "1"), interaction("1", ""), interaction("", "7"), interaction("1 | 2", "3")
    ('13', '10', '', '')
    """
    if not inter1 or "|" in inter1 + inter2:
        return ""
    return inter1 + "0" if not inter2 else "".join(sorted((inter1, inter2)))


def _country(place: str | None, located: Mapping[str, set[str]], types: Mapping[str, str]) -> str | None:
    """The country a place lies in, following ``locatedIn`` (the place itself when it is a country)."""
    seen: set[str] = set()
    todo = [place] if place else []
    while todo:
        node = todo.pop(0)
        if node in seen:
            continue
        seen.add(node)
        if types.get(node) == "Country":
            return node
        todo += sorted(located.get(node, ()))
    return None


def event_rows(source: Source, selection: Selection | None = None, *, ontology: Ontology | None = None,
               ) -> list[dict[str, Any]]:
    """The event table of a query source, sorted by date and event id (columns: :data:`EVENT_COLUMNS`).

    The selection's dates apply (``since``/``until`` on the event's date, else its report date; ``as_of``);
    negated events are left out.
    """
    if ontology is None:
        from kg.ontology import load_ontology

        ontology = load_ontology()
    selection = selection or Selection()
    events = rows(source, _events_query(ontology, selection))
    if not events:
        return []
    labels = Labels(rows(source, LABELS_QUERY))
    type_rows = rows(source, types_query(ontology.entity_types))
    types = choose_types(type_rows, ontology)
    registered = {str(r["x"]) for r in type_rows if r["reg"] not in (None, "0")}
    ids = external_ids(rows(source, IDS_QUERY))
    located: dict[str, set[str]] = defaultdict(set)
    for r in rows(source, LOCATED_QUERY):
        if r["p"] and r["c"]:
            located[r["p"]].add(r["c"])
    roles: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for r in rows(source, _roles_query(ontology)):
        if r["e"] and r["role"] and r["x"]:
            roles[r["e"]][r["role"].removeprefix(KG)].append(r["x"])
    figures: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
    for r in rows(source, FIGURES_QUERY):
        if r["e"] and r["f"]:
            figures[r["e"]][r["f"]] = {"kind": r["kind"], "count": int(r["count"] or 0),
                                       "qualifier": r["qualifier"] or "exact", "of": r["of"], "claimant": r["c"],
                                       "quote": r["quote"]}
    grouped: dict[str, list[Mapping[str, str | None]]] = defaultdict(list)
    for r in events:
        if r["e"]:
            grouped[r["e"]].append(r)

    def inter(node: str) -> str:
        category = ids.get(node, {}).get("acled")
        term = ontology.get(category) if category else None
        return term.notation or "" if term is not None else ""

    def side(prefix: str, nodes: list[str]) -> dict[str, Any]:
        return {prefix: SEPARATOR.join(labels.attributes(n)["label_en"] or labels.label(n) for n in nodes),
                f"{prefix}_ar": SEPARATOR.join(labels.attributes(n)["label_ar"] or "" for n in nodes),
                f"{prefix}_id": SEPARATOR.join(local_name(n) if n in registered else "" for n in nodes),
                f"{prefix}_iri": SEPARATOR.join(nodes),
                f"{prefix}_type": SEPARATOR.join(types.get(n, "") for n in nodes),
                f"inter{prefix[-1]}": SEPARATOR.join(inter(n) for n in nodes)}

    out = []
    for event, found in grouped.items():
        first = found[0]
        kind = str(first["t"]).removeprefix(KG)
        term = ontology.term(kind)
        acled_type, acled_sub = (list(term.acled) + ["", ""])[:2]
        of = roles[event]
        side_a = sorted(set(of.get("attacker", [])), key=labels.label)
        side_b = sorted(set(of.get("target", [])), key=labels.label)
        others = sorted(set(of.get("participant", [])) - set(side_a) - set(side_b),
                        key=lambda n: (inter(n) or "9", labels.label(n)))
        if not side_a and others:
            side_a, others = others[:1], others[1:]
        side_b = side_b + others
        if acled_sub == "NonStateActorOvertakesTerritory" and side_a and all(inter(n) == "1" for n in side_a):
            acled_sub = "GovernmentRegainsTerritory"
        if kind in ontology.subtypes("Attack") and side_b and all(inter(n) == "7" for n in side_b):
            acled_type, acled_sub = "ViolenceAgainstCivilians", "AttackOnCivilians"
        when = first["when"] or ""
        place = first["place"]
        country = _country(place, located, types)
        figs = sorted(figures[event].values(), key=lambda f: (f["kind"], labels.label(f["of"]) if f["of"] else "",
                                                              labels.label(f["claimant"]) if f["claimant"] else ""))
        inters = [side("actor1", side_a)["inter1"], side("actor2", side_b)["inter2"]]
        claimants = {labels.label(c) for c in [*(r["c"] for r in found), *(f["claimant"] for f in figs)] if c}
        quotes = dict.fromkeys(q for q in [*(r["quote"] for r in found), *(f["quote"] for f in figs)] if q)
        row: dict[str, Any] = {
            "event_id": f"{local_name(str(first['art']))}:{event.rsplit('#event-', 1)[-1]}", "event_iri": event,
            "event_date": when, "time_precision": PRECISION.get(len(when), ""),
            "date_start": period_start(when) if when else "", "date_end": period_end(when) if when else "",
            "date_from": "event" if first["date"] else "reported" if when else "",
            "kg_type": kind, "kg_type_ar": term.label_ar,
            "event_type": ontology.term(acled_type).label_en if acled_type else "",
            "sub_event_type": ontology.term(acled_sub).label_en if acled_sub else "",
            **side("actor1", side_a), **side("actor2", side_b),
            "interaction": interaction(*inters),
            "location": labels.attributes(place)["label_en"] or labels.label(place) if place else "",
            "location_ar": labels.attributes(place)["label_ar"] or "" if place else "",
            "location_id": local_name(place) if place in registered else "",
            "latitude": ids.get(place or "", {}).get("lat", ""), "longitude": ids.get(place or "", {}).get("lon", ""),
            "country": labels.label(country) if country else "",
            **fatalities(figs),
            "figures": SEPARATOR.join(
                f"{f['kind']} {QUALIFIER_WORDS.get(f['qualifier'], '')}"
                f"{f['count']}{' of ' + labels.label(f['of']) if f['of'] else ''}"
                f"{' (' + labels.label(f['claimant']) + ')' if f['claimant'] else ''}" for f in figs),
            "uncertain": any(r["uncertain"] == "true" for r in found),
            "claimants": SEPARATOR.join(sorted(claimants)),
            "articles": SEPARATOR.join(sorted({str(r["art"]) for r in found})),
            "source": SEPARATOR.join(sorted({str(r["outlet"]) for r in found if r["outlet"]})),
            "quotes": SEPARATOR.join(quotes),
        }
        out.append(row)
    return sorted(out, key=lambda r: (r["event_date"], r["event_id"]))


def write_events(source: Source, path: Path, selection: Selection | None = None, *,
                 ontology: Ontology | None = None) -> list[Path]:
    """Write the event table: JSON (a list of objects, numbers as numbers) for ``.json``, else CSV."""
    found = event_rows(source, selection, ontology=ontology)
    if path.suffix.lower() == ".json":
        try:
            path.write_text(json.dumps([{k: (None if v == "" else v) for k, v in r.items()} for r in found],
                                       ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        except OSError as exc:
            raise ExportError(f"cannot write {path}: {exc}") from None
        return [path]
    return [write_rows(path, EVENT_COLUMNS, found)]
