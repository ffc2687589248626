"""Tests of kg.reading.scheme: kg.toml and the mapping of foreign annotation schemes onto the ontology."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.errors import ConfigError
from kg.model import Article, Entity, Event, Figure, Mention, Relation, Span
from kg.reading.brat import read_brat
from kg.reading.scheme import DEFAULT_BASE, CorpusConfig, EventMap, RelationMap, apply_scheme, read_config

DATA = Path(__file__).parent / "data"
TUTORIAL = DATA / "brat_tutorial_news"
ARABIC = DATA / "arabic_newsfane_sample"

# The vocabulary of docs/annotation-format.md.
ENTITY_TYPES = frozenset({
    "Person", "Organization", "ArmedGroup", "MilitaryUnit", "Coalition", "GovernmentBody", "PoliticalBody",
    "ReligiousAuthority", "MediaOutlet", "Place", "Country", "Region", "City", "Town", "MilitaryBase",
    "Facility", "Rank", "Title", "Source", "Quantity",
})
RELATION_TYPES = frozenset({
    "commands", "headOf", "alliedWith", "supports", "loyalTo", "memberOf", "subUnitOf", "hostileTo",
    "renamedFrom", "alsoKnownAs", "controls", "basedAt", "operatesIn", "locatedIn", "hasRank", "hasTitle",
    "affiliatedWith",
})
FIXTURES = sorted([*TUTORIAL.glob("*.ann"), *ARABIC.glob("*.ann")])
EVENT_TYPES = frozenset({"Clash", "Attack", "Capture", "Downing", "Offensive"})
ROLES = frozenset({"participant", "attacker", "target", "place", "captured"})
SYMMETRIC = frozenset({"alliedWith", "hostileTo", "alsoKnownAs"})


def _map(article: Article, config: CorpusConfig) -> Article:
    return apply_scheme(article, config, entity_types=ENTITY_TYPES, relation_types=RELATION_TYPES,
                        event_types=EVENT_TYPES, roles=ROLES, symmetric=SYMMETRIC)


def _entity(eid: str, etype: str, line: int | None = None) -> Entity:
    return Entity(eid, etype, (Mention((Span(0, 1),), eid.lower()),), line=line)


# -- kg.toml ----------------------------------------------------------------------------------------


def test_tutorial_config() -> None:
    c = read_config(TUTORIAL)
    assert (c.root, c.base, c.registry, c.language, c.outlet) == (TUTORIAL, DEFAULT_BASE, None, "en", None)
    assert c.entities["Organization"] == "Organization" and c.entities["Money"] == ""
    assert c.relations["Geographical_part"] == RelationMap("locatedIn")
    assert c.relations["Family"] == RelationMap("")
    die = c.events["Die"]
    assert die.type == "Attack"
    assert dict(die.roles) == {"Person-Arg": "target", "Agent-Arg": "attacker", "Place-Arg": "place"}
    assert c.events["Merge-org"] == EventMap("")


def test_arabic_config() -> None:
    c = read_config(ARABIC)
    assert c.language == "ar"
    assert c.entities["Non-Governmental"] == "Organization"
    assert c.entities["Government"] == "GovernmentBody"
    assert c.entities["Nation"] == "Country"
    assert c.entities["Group"] == ""


def test_no_config_means_defaults(tmp_path: Path) -> None:
    c = read_config(tmp_path)
    assert c == CorpusConfig(tmp_path)
    (tmp_path / "actors.yaml").write_text("actors: []\n")
    assert read_config(tmp_path).registry == tmp_path / "actors.yaml"


def test_full_config(tmp_path: Path) -> None:
    (tmp_path / "registry.yaml").write_text("actors: []\n")
    (tmp_path / "kg.toml").write_text(
        'base = "urn:kg:test#"\nregistry = "registry.yaml"\noutlet = "Al Jazeera"\n'
        '[relations]\nEmployer = { type = "memberOf", reverse = true }\n'
        '[roles]\nAgent = "attacker"\n'
        '[attributes]\n"Confidence=Low" = "uncertain"\nHypothetical = "intended"\n',
        encoding="utf-8")
    c = read_config(tmp_path)
    assert (c.base, c.registry, c.outlet) == ("urn:kg:test#", tmp_path / "registry.yaml", "Al Jazeera")
    assert c.relations["Employer"] == RelationMap("memberOf", reverse=True)
    assert dict(c.roles) == {"Agent": "attacker"}
    assert dict(c.attributes) == {"Confidence=Low": "uncertain", "Hypothetical": "intended"}


@pytest.mark.parametrize(("toml", "line", "fragment"), [
    ('language = "ar"\n[entities\nGPE = "Place"\n', 2, "TOML syntax error"),
    ('language = "ar"\noutlet = "x"\nbase_iri = "https://x.org/"\n', 3, "unknown key 'base_iri'"),
    ('[entities]\nGPE = "Place"\n\n[relation]\nLocated = "basedAt"\n', 4, "unknown key 'relation'"),
    ('[events]\nDie = { type = "Attack", roles = {} }\nBe-born = { type = "Attack", role = {} }\n', 3,
     "unknown key 'role' in events.Be-born"),
    ('[relations]\nLocated = { type = "basedAt", reversed = true }\n', 2, "unknown key 'reversed'"),
    ('[relations]\nLocated = { reverse = true }\n', 2, "relations.Located has no type"),
    ('[events.Die]\ntype = "Attack"\n\n[events.Die.roles]\nPerson-Arg = 1\n', 5, "Die.roles.Person-Arg must"),
    ('base = "kg/"\n', 1, "is not an absolute http(s) or urn IRI"),
    ('\n\nbase = "https://example.org/kg"\n', 3, "ending in / or #"),
    ('[entities]\nGPE = 3\n', 2, "entities.GPE must be a string"),
    ('[attributes]\nNegation = "negative"\n', 2, "is not a flag"),
    ('registry = "missing.yaml"\n', 1, "registry file"),
    ('language = "Arabic language"\n', 1, "is not a language tag"),
    ('entities = "Person"\n', 1, "entities must be a table"),
])
def test_config_errors(tmp_path: Path, toml: str, line: int, fragment: str) -> None:
    (tmp_path / "kg.toml").write_text(toml, encoding="utf-8")
    with pytest.raises(ConfigError) as exc:
        read_config(tmp_path)
    err = exc.value
    assert (err.file, err.line) == (str(tmp_path / "kg.toml"), line)
    assert fragment in err.message
    assert str(err).startswith(f"{tmp_path / 'kg.toml'}:{line}: ")


def test_unknown_key_lists_the_valid_ones(tmp_path: Path) -> None:
    (tmp_path / "kg.toml").write_text('bse = "https://x.org/"\n')
    with pytest.raises(ConfigError) as exc:
        read_config(tmp_path)
    assert exc.value.hint == ("valid keys: base, registry, language, outlet, entities, relations, events, roles, "
                              "attributes, identity")


def test_invalid_utf8_config(tmp_path: Path) -> None:
    (tmp_path / "kg.toml").write_bytes(b'language = "ar"\noutlet = "\xff"\n')
    with pytest.raises(ConfigError, match="invalid UTF-8") as exc:
        read_config(tmp_path)
    assert exc.value.line == 2


# -- the fixtures map with no error ---------------------------------------------------------------------


@pytest.mark.parametrize("ann", FIXTURES, ids=lambda p: p.name)
def test_fixtures_map_without_errors(ann: Path) -> None:
    article = _map(read_brat(ann), read_config(ann.parent))
    assert [str(p) for p in article.problems if p.severity == "error"] == []
    for e in article.entities:
        assert e.type in ENTITY_TYPES
    for r in article.relations:
        assert r.type in RELATION_TYPES
    for ev in article.events:
        assert ev.type in EVENT_TYPES and all(role in ROLES for role, _ in ev.arguments)


def test_fixtures_with_the_ontology() -> None:
    ontology = pytest.importorskip("kg.ontology").load_ontology()
    for ann in FIXTURES:
        article = apply_scheme(
            read_brat(ann), read_config(ann.parent), entity_types=ontology.entity_types,
            relation_types=ontology.relation_types, event_types=ontology.event_types, roles=ontology.roles)
        assert [str(p) for p in article.problems if p.severity == "error"] == []


def test_tutorial_mapping() -> None:
    config = read_config(TUTORIAL)
    article = _map(read_brat(TUTORIAL / "000-introduction.ann", attribute_flags=config.attributes), config)
    assert [(e.id, e.type) for e in article.entities] == [
        ("T1", "Organization"), ("T4", "Person"), ("T5", "Person"), ("T6", "Organization"), ("T7", "Place")]
    assert [(r.id, r.type, r.subject, r.object) for r in article.relations] == [("R2", "basedAt", "T6", "T7")]
    assert article.events == ()  # Transfer-money is left out on purpose
    # the one line kg cannot keep is named: a Wikipedia normalisation
    assert [(p.line, p.severity, p.message) for p in article.problems] == [
        (17, "warning", "N1: only Wikidata and UCDP ids are kept, not Wikipedia:64488")]


def test_arabic_mapping() -> None:
    article = _map(read_brat(ARABIC / "newsfane_conflict_sample.ann"), read_config(ARABIC))
    hezbollah, lebanon = article.entity("T1"), article.entity("T3")
    assert hezbollah is not None and hezbollah.type == "Organization"
    assert lebanon is not None and lebanon.type == "Country"
    assert article.entity("T14") is None  # Group (الاسرائيليين) is left out on purpose
    assert article.problems == ()


# -- apply_scheme -------------------------------------------------------------------------------------


def test_unknown_types_are_problems_never_relabelled() -> None:
    article = Article(
        "a", "", source="a.ann",
        entities=(_entity("T1", "Person", 1), _entity("T2", "Money", 2), _entity("T3", "Country", 3)),
        relations=(Relation("R1", "Knows", "T1", "T3", line=4),
                   Relation("R2", "basedAt", "T2", "T3", line=5)),
        events=(Event("E1", "Wedding", line=6),),
    )
    mapped = _map(article, CorpusConfig(Path(".")))
    assert [e.id for e in mapped.entities] == ["T1", "T3"]
    assert mapped.relations == () and mapped.events == ()
    errors = [(p.file, p.line, p.message) for p in mapped.problems if p.severity == "error"]
    assert errors == [("a.ann", 2, "unknown entity type 'Money'"),
                      ("a.ann", 6, "unknown event type 'Wedding'"),
                      ("a.ann", 4, "unknown relation type 'Knows'")]
    money = next(p for p in mapped.problems if "Money" in p.message)
    assert money.hint is not None
    assert money.hint.startswith("add it to [entities] in kg.toml or use one of: ArmedGroup, City")
    (warning,) = [p for p in mapped.problems if p.severity == "warning"]
    assert warning.line == 5 and "R2" in warning.message and "T2 (Money)" in warning.message
    assert article.entities[1].type == "Money"  # the input is not changed


def test_renames_reverses_and_drops() -> None:
    article = Article(
        "a", "", source="a.ann",
        entities=(_entity("T1", "PER"), _entity("T2", "ORG"), _entity("T3", "Money"), _entity("T4", "GPE")),
        relations=(Relation("R1", "Employer", "T2", "T1"), Relation("R2", "Family", "T1", "T1"),
                   Relation("R3", "Located", "T2", "T4"), Relation("R4", "Paid", "T3", "T1")),
    )
    config = CorpusConfig(
        Path("."), entities={"PER": "Person", "ORG": "ArmedGroup", "Money": "", "GPE": "Place"},
        relations={"Employer": RelationMap("memberOf", reverse=True), "Family": RelationMap(""),
                   "Located": RelationMap("basedAt"), "Paid": RelationMap("supports")})
    mapped = _map(article, config)
    assert [(e.id, e.type) for e in mapped.entities] == [
        ("T1", "Person"), ("T2", "ArmedGroup"), ("T4", "Place")]
    assert [(r.id, r.type, r.subject, r.object) for r in mapped.relations] == [
        ("R1", "memberOf", "T1", "T2"), ("R3", "basedAt", "T2", "T4")]
    assert [p.severity for p in mapped.problems] == ["warning"]  # R4 lost its subject T3 (Money)


def test_mapping_wins_over_an_ontology_name() -> None:
    article = Article("a", "", entities=(_entity("T1", "Person"), _entity("T2", "Place")))
    mapped = _map(article, CorpusConfig(Path("."), entities={"Place": "City"}))
    assert [e.type for e in mapped.entities] == ["Person", "City"]


def test_mapping_to_a_name_outside_the_ontology() -> None:
    article = Article("a", "", source="a.ann", entities=(_entity("T1", "Org", 7),))
    mapped = _map(article, CorpusConfig(Path("."), entities={"Org": "Company"}))
    assert mapped.entities == ()
    (p,) = mapped.problems
    assert (p.line, p.message) == (7, "kg.toml maps entity type 'Org' to 'Company', not an ontology name")


def test_event_roles() -> None:
    article = Article(
        "a", "", source="a.ann",
        entities=(_entity("T1", "Person"), _entity("T2", "ArmedGroup"), _entity("T3", "City"),
                  _entity("T4", "Money")),
        events=(Event("E1", "Die", arguments=(("Person-Arg", "T1"), ("Agent-Arg", "T2"), ("Place-Arg", "T3"),
                                              ("Instrument-Arg", "T2"), ("Time-Arg", "T1")), line=3),
                Event("E2", "Clash", arguments=(("participant", "T1"), ("Side", "T2"), ("Money-Arg", "T4"),
                                                ("Witness", "E1")), line=4)),
    )
    config = CorpusConfig(
        Path("."), entities={"Money": ""}, roles={"Side": "participant", "Time-Arg": ""},
        events={"Die": EventMap("Attack", {"Person-Arg": "target", "Agent-Arg": "attacker",
                                           "Place-Arg": "place"})})
    e1, e2 = _map(article, config).events
    assert (e1.type, e1.arguments, e1.place) == ("Attack", (("target", "T1"), ("attacker", "T2")), "T3")
    assert e2.arguments == (("participant", "T1"), ("participant", "T2"))
    problems = [(p.line, p.severity, p.message) for p in _map(article, config).problems]
    assert problems == [
        (3, "error", "unknown role 'Instrument-Arg' in event E1 (Die)"),
        (4, "error", "unknown role 'Money-Arg' in event E2 (Clash)"),
        (4, "error", "unknown role 'Witness' in event E2 (Clash)"),
    ]


def test_event_arguments_left_out_with_their_targets() -> None:
    article = Article(
        "a", "", source="a.ann",
        entities=(_entity("T1", "Person"), _entity("T2", "Vehicle")),
        events=(Event("E1", "Clash", line=2,
                      arguments=(("participant", "T1"), ("participant", "T2"), ("place", "E2"))),
                Event("E2", "Report", line=3)),
    )
    mapped = _map(article, CorpusConfig(Path("."), events={"Report": EventMap("")}))
    (ev,) = mapped.events
    assert ev.arguments == (("participant", "T1"),) and ev.place is None
    assert [p.severity for p in mapped.problems] == ["error", "warning", "warning"]


def test_symmetric_relations() -> None:
    article = Article(
        "a", "", entities=(_entity("T1", "ArmedGroup"), _entity("T2", "ArmedGroup")),
        relations=(Relation("R1", "Allies", "T1", "T2"), Relation("R2", "Allies", "T2", "T1"),
                   Relation("R3", "Allies", "T2", "T1", negated=True)),
    )
    config = CorpusConfig(Path("."), relations={"Allies": RelationMap("alliedWith", reverse=True)})
    mapped = _map(article, config)
    # both directions are kept, each with its own annotation (the mapping stores the direct triple once)
    assert [(r.id, r.subject, r.object) for r in mapped.relations] == [
        ("R1", "T1", "T2"), ("R2", "T2", "T1"), ("R3", "T2", "T1")]


# -- rules by argument types ------------------------------------------------------------------------

IS_A = {("Person", "Actor"), ("ArmedGroup", "Actor"), ("ArmedGroup", "Organization"), ("City", "Place"),
        ("Country", "Place"), ("Organization", "Actor")}


def _is_a(a: str, b: str) -> bool:
    return a == b or (a, b) in IS_A


RULES_TOML = """
[entities]
PER = "Person"
ORG = "ArmedGroup"
LOC = "City"
NAT = ""

[relations]
In_charge_of = [
  { subject = ["PER", "ORG"], object = "ORG", type = "commands" },
  { object = "Place", type = "controls" },
]
Co_located = [
  { subject = "Actor", object = "Place", type = "operatesIn" },
  { subject = "Place", object = "Actor", type = "operatesIn", reverse = true },
  { subject = "Place", object = "Place", type = "locatedIn" },
  { type = "" },
]
Located_in = { subject = "ORG", type = "basedAt" }
"""


def _rules_config(tmp_path: Path) -> CorpusConfig:
    (tmp_path / "kg.toml").write_text(RULES_TOML, encoding="utf-8")
    return read_config(tmp_path)


def test_relation_rules_are_read_in_order(tmp_path: Path) -> None:
    c = _rules_config(tmp_path)
    assert c.relations["In_charge_of"] == (RelationMap("commands", subject=("PER", "ORG"), object=("ORG",)),
                                           RelationMap("controls", object=("Place",)))
    assert c.relations["Co_located"][-1] == RelationMap("")  # type: ignore[index]
    assert c.relations["Located_in"] == RelationMap("basedAt", subject=("ORG",))


def test_a_relation_maps_by_the_types_of_its_arguments(tmp_path: Path) -> None:
    ents = (_entity("P", "PER"), _entity("G", "ORG"), _entity("C", "LOC"), _entity("D", "LOC"),
            _entity("N", "NAT"))
    rels = (Relation("R1", "In_charge_of", "P", "G"), Relation("R2", "In_charge_of", "G", "C"),
            Relation("R3", "Co_located", "G", "C"), Relation("R4", "Co_located", "C", "G"),
            Relation("R5", "Co_located", "C", "D"), Relation("R6", "Co_located", "P", "P2"),
            Relation("R7", "Located_in", "G", "C"), Relation("R8", "Located_in", "C", "D", line=9))
    mapped = apply_scheme(Article("a", "", entities=(*ents, _entity("P2", "PER")), relations=rels, source="a.ann"),
                          _rules_config(tmp_path), entity_types=ENTITY_TYPES, relation_types=RELATION_TYPES,
                          event_types=EVENT_TYPES, roles=ROLES, symmetric=SYMMETRIC, is_a=_is_a)
    assert [(r.id, r.type, r.subject, r.object) for r in mapped.relations] == [
        ("R1", "commands", "P", "G"), ("R2", "controls", "G", "C"), ("R3", "operatesIn", "G", "C"),
        ("R4", "operatesIn", "G", "C"), ("R5", "locatedIn", "C", "D"), ("R7", "basedAt", "G", "C")]
    # R6 fits only the default rule, which leaves it out on purpose: no word; R8 fits no rule: an error
    [problem] = mapped.problems
    assert (problem.line, problem.severity) == (9, "error")
    assert problem.message == "no rule for 'Located_in' in kg.toml fits R8: LOC C → LOC D"


def test_a_rule_after_the_default_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "kg.toml").write_text('[relations]\nX = [{ type = "commands" }, { object = "A", type = "controls" }]\n',
                                      encoding="utf-8")
    with pytest.raises(ConfigError, match="never used") as info:
        read_config(tmp_path)
    assert info.value.line == 2


def test_claimants_left_out_become_text() -> None:
    article = Article(
        "a", "", entities=(_entity("T1", "ArmedGroup"), _entity("T2", "ArmedGroup"), _entity("T3", "Outlet")),
        relations=(Relation("R1", "hostileTo", "T1", "T2", claimant="T3"),),
        events=(Event("E1", "Clash", figures=(Figure("killed", 3, claimant="T3", of="T3"),)),),
    )
    mapped = _map(article, CorpusConfig(Path("."), entities={"Outlet": ""}))
    assert mapped.relations[0].claimant == "t3"
    fig = mapped.events[0].figures[0]
    assert (fig.claimant, fig.of) == ("t3", None)
    assert {p.severity for p in mapped.problems} == {"warning"}


def test_equivalences_lose_left_out_members() -> None:
    entities = (_entity("T1", "Person"), _entity("T2", "Person"), _entity("T3", "X"))
    article = Article("a", "", entities=entities, equivalences=(("T1", "T2", "T3"), ("T1", "T3")))
    assert _map(article, CorpusConfig(Path("."), entities={"X": ""})).equivalences == (("T1", "T2"),)
