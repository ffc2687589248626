"""Tests of the ontology files (kg.ttl, acled.ttl, shapes.ttl) and of kg.ontology."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pyoxigraph
import pyshacl
import pytest
import rdflib
import rdflib.collection
from rdflib.namespace import OWL, RDF, RDFS, SKOS

import kg
from kg.errors import OntologyError
from kg.ontology import (
    ACLED,
    KG,
    Ontology,
    annotation_conf,
    load_ontology,
    ontology_dir,
    ontology_files,
    shapes_file,
    visual_conf,
)

KGNS = rdflib.Namespace(KG)
SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")
ORG = rdflib.Namespace("http://www.w3.org/ns/org#")
SEM = rdflib.Namespace("http://semanticweb.cs.vu.nl/2009/11/sem/")
PROV = rdflib.Namespace("http://www.w3.org/ns/prov#")
SCHEMA = rdflib.Namespace("https://schema.org/")
ARABIC = re.compile(r"[\u0600-\u06ff]")

ACTORS = {"Actor", "Person", "Organization", "ArmedGroup", "MilitaryUnit", "Coalition", "GovernmentBody",
          "PoliticalBody", "ReligiousAuthority", "MediaOutlet", "Country"}
PLACES = {"Place", "Country", "Region", "City", "Town", "MilitaryBase", "Facility"}
RELATIONS = {"commands", "headOf", "alliedWith", "supports", "loyalTo", "memberOf", "subUnitOf", "hostileTo",
             "renamedFrom", "alsoKnownAs", "controls", "basedAt", "operatesIn", "locatedIn", "hasRank", "hasTitle",
             "affiliatedWith"}
EVENTS = {"Event", "Clash", "Attack", "Capture", "Downing", "Offensive"}
ROLES = {"participant", "attacker", "target", "place", "seized"}
FIGURES = {"killed", "wounded", "captured", "missing"}
ACLED_CATEGORIES = {"StateForces", "RebelGroup", "PoliticalMilitia", "IdentityMilitia", "Rioters", "Protesters",
                    "Civilians", "ExternalOtherForces"}
ACLED_EVENT_TYPES = {"Battles", "ViolenceAgainstCivilians", "ArmedClash", "GovernmentRegainsTerritory",
                     "NonStateActorOvertakesTerritory", "AttackOnCivilians"}
PROPERTIES = {"acledCategory", "acledEventType", "acledSubEventType", "allFormer", "anchorOf", "arrow", "articleCount", "asserted", "assertion", "beginIndex", "cameo", "casualtiesOf", "claimant", "claimantCount", "colour", "confidence", "contentHash", "count", "dash", "date", "denied", "denotes", "endIndex", "evidence", "figureKind", "firstDated", "firstReported", "former", "hasFigure", "inArticle", "intended", "lastDated", "lastReported", "negated", "note", "outlet", "qualifier", "quote", "relation", "reportedOn", "role", "sentence", "shape", "sign", "ucdpId", "uncertain", "wikidata", "wikidataProperty"}
PROPERTIES |= {"cuePhrase", "inverseCuePhrase", "identifies", "nameMention"}  # cue phrases for drafting (kg/drafting/rules.py)
PROPERTIES |= {"assertedIn", "key", "name", "arabicName"}  # the relation summary's lookups and display names
OTHER_CLASSES = {"Rank", "Title", "Source", "Quantity", "Article", "Mention", "Assertion", "AliasAssertion",
                 "CasualtyFigure", "FigureKind", "RelationSummary"}


@pytest.fixture(scope="module")
def ont() -> Ontology:
    return load_ontology()


@pytest.fixture(scope="module")
def ontology_graph() -> rdflib.Graph:
    graph = rdflib.Graph()
    for path in ontology_files():
        graph.parse(path, format="turtle")
    return graph


@pytest.fixture(scope="module")
def shapes_graph() -> rdflib.Graph:
    return rdflib.Graph().parse(shapes_file(), format="turtle")


# -- the files ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["kg.ttl", "acled.ttl"])
def test_ontology_files_parse_in_rdflib_and_pyoxigraph(name: str) -> None:
    path = ontology_dir() / name
    assert len(rdflib.Graph().parse(path, format="turtle")) > 50
    assert len(list(pyoxigraph.parse(path=path, format=pyoxigraph.RdfFormat.TURTLE))) > 50


def test_shapes_parse_in_rdflib(shapes_graph: rdflib.Graph) -> None:
    assert (None, RDF.type, SH.NodeShape) in shapes_graph


def test_every_term_has_english_and_arabic_labels_and_a_definition(ontology_graph: rdflib.Graph) -> None:
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, OWL.NamedIndividual,
             OWL.SymmetricProperty, SKOS.Concept, SKOS.ConceptScheme)
    terms = sorted({s for k in kinds for s in ontology_graph.subjects(RDF.type, k)
                    if isinstance(s, rdflib.URIRef) and str(s).startswith((KG, ACLED))})
    assert len(terms) > 90
    problems = []
    for term in terms:
        labels = list(ontology_graph.objects(term, RDFS.label))
        en = [x for x in labels if isinstance(x, rdflib.Literal) and x.language == "en"]
        ar = [x for x in labels if isinstance(x, rdflib.Literal) and x.language == "ar" and ARABIC.search(x)]
        definitions = [x for x in ontology_graph.objects(term, SKOS.definition)
                       if isinstance(x, rdflib.Literal) and x.language == "en" and len(x) > 10]
        for ok, what in ((en, "rdfs:label @en"), (ar, "rdfs:label @ar in Arabic script"),
                         (definitions, "skos:definition @en")):
            if not ok:
                problems.append(f"{term.n3(ontology_graph.namespace_manager)} lacks {what}")
    assert not problems, "\n".join(problems)


def test_alignments_are_declared(ontology_graph: rdflib.Graph) -> None:
    g = ontology_graph
    expected = [
        (KGNS.headOf, RDFS.subPropertyOf, ORG.headOf),
        (KGNS.commands, SKOS.closeMatch, ORG.headOf),
        (KGNS.memberOf, RDFS.subPropertyOf, ORG.memberOf),
        (KGNS.subUnitOf, RDFS.subPropertyOf, ORG.subOrganizationOf),
        (KGNS.basedAt, RDFS.subPropertyOf, ORG.basedAt),
        (KGNS.participant, RDFS.subPropertyOf, SEM.hasActor),
        (KGNS.place, RDFS.subPropertyOf, SEM.hasPlace),
        (KGNS.claimant, RDFS.subPropertyOf, SEM.accordingTo),
        (KGNS.Actor, RDFS.subClassOf, SEM.Actor),
        (KGNS.Actor, RDFS.subClassOf, PROV.Agent),
        (KGNS.Event, RDFS.subClassOf, SEM.Event),
        (KGNS.Event, RDFS.subClassOf, SCHEMA.Event),
        (KGNS.Person, RDFS.subClassOf, SCHEMA.Person),
        (KGNS.Organization, RDFS.subClassOf, ORG.Organization),
        (KGNS.Article, RDFS.subClassOf, SCHEMA.NewsArticle),
        (KGNS.Assertion, RDFS.subClassOf, RDF.Statement),
        (KGNS.Assertion, RDFS.subClassOf, PROV.Entity),
    ]
    missing = [t for t in expected if t not in g]
    assert not missing, missing
    assert (KGNS.commands, KGNS.wikidataProperty, rdflib.Literal("P598")) in g
    assert (KGNS.loyalTo, KGNS.wikidataProperty, rdflib.Literal("P945")) in g
    assert (KGNS.alliedWith, KGNS.cameo, rdflib.Literal("062")) in g
    assert (KGNS.Capture, KGNS.cameo, rdflib.Literal("192")) in g
    assert (KGNS.Clash, KGNS.acledSubEventType, rdflib.URIRef(ACLED + "ArmedClash")) in g
    assert all((KGNS[e], KGNS.acledEventType, None) in g for e in EVENTS - {"Event"})
    header = rdflib.URIRef("https://w3id.org/kg/ontology")
    assert (header, RDF.type, OWL.Ontology) in g
    assert (header, rdflib.DCTERMS.license, rdflib.URIRef("https://creativecommons.org/licenses/by/4.0/")) in g


def test_acled_concepts_have_inter_codes(ontology_graph: rdflib.Graph) -> None:
    codes = {str(s)[len(ACLED):]: str(o) for s, o in ontology_graph.subject_objects(SKOS.notation)
             if str(s).startswith(ACLED)}
    assert codes == {"StateForces": "1", "RebelGroup": "2", "PoliticalMilitia": "3", "IdentityMilitia": "4",
                     "Rioters": "5", "Protesters": "6", "Civilians": "7", "ExternalOtherForces": "8"}
    for name in codes:
        assert (rdflib.URIRef(ACLED + name), SKOS.inScheme, rdflib.URIRef(ACLED + "ActorCategories")) in ontology_graph


def test_individuals_are_copied_cheaply_by_pyshacl(ontology_graph: rdflib.Graph) -> None:
    # pyshacl copies owl:NamedIndividual nodes (deeply) into the data graph: the figure kinds and ACLED
    # categories must be NamedIndividuals for sh:class / sh:hasValue to see them, and no cycle may join a
    # scheme to its concepts (skos:hasTopConcept) or the copy takes minutes.
    concepts = {s for s in ontology_graph.subjects(RDF.type, SKOS.Concept) if str(s).startswith((KG, ACLED))}
    assert len(concepts) == 12 + len(ACLED_EVENT_TYPES)
    assert not [c for c in concepts if (c, RDF.type, OWL.NamedIndividual) not in ontology_graph]
    assert not list(ontology_graph.triples((None, SKOS.hasTopConcept, None)))


# -- the loader ---------------------------------------------------------------------------------------------

def test_term_sets(ont: Ontology) -> None:
    assert ont.actor_types == ACTORS
    assert ont.place_types == PLACES
    assert ont.entity_types == ACTORS | PLACES | {"Rank", "Title", "Source", "Quantity"}
    assert ont.relation_types == RELATIONS
    assert ont.event_types == EVENTS
    assert ont.roles == ROLES
    assert ont.figure_kinds == FIGURES
    assert ont.acled_categories == ACLED_CATEGORIES
    kinds = {"class": ACTORS | PLACES | EVENTS | OTHER_CLASSES, "relation": RELATIONS, "role": ROLES,
             "figure": FIGURES, "concept": ACLED_CATEGORIES | ACLED_EVENT_TYPES, "property": PROPERTIES}
    for kind, names in kinds.items():
        assert {n for n, t in ont.terms.items() if t.kind == kind} == names, kind
    assert {n for n in ont.relation_types if ont.term(n).symmetric} == {"alliedWith", "hostileTo", "alsoKnownAs"}


def test_terms_carry_what_code_needs(ont: Ontology) -> None:
    commands = ont.term("commands")
    assert commands.iri == KG + "commands"
    assert (commands.domain, commands.range, commands.wikidata) == (("Actor",), ("Organization",), "P598")
    assert commands.label("en") == "commands" and commands.label("ar") == "يقود"
    assert commands.parents == ("relation",) and commands.arrow and not commands.dash
    assert ont.term("loyalTo").parents == ("supports",)
    assert ont.term("subUnitOf").parents == ("memberOf",)
    assert ont.term("attacker").parents == ("participant",)
    assert ont.term("alliedWith").sign == 1 and ont.term("hostileTo").sign == -1
    assert ont.term("alliedWith").cameo == ("062",)
    assert not ont.term("hostileTo").arrow
    assert all(ont.term(n).dash for n in ("renamedFrom", "alsoKnownAs", "operatesIn", "affiliatedWith"))
    assert ont.term("claimant").range == ("Actor", "Source")
    assert ont.term("evidence").domain == ("Assertion", "AliasAssertion", "Event", "CasualtyFigure")
    assert ont.term("StateForces").iri == ACLED + "StateForces"
    assert ont.term("killed").iri == KG + "killed"
    assert ont.term("MilitaryUnit").parents == ("ArmedGroup",)
    assert "sem" not in " ".join(ont.term("Actor").parents)


def test_is_a_and_allowed(ont: Ontology) -> None:
    assert ont.is_a("MilitaryUnit", "Actor") and ont.is_a("MilitaryUnit", "MilitaryUnit")
    assert ont.is_a("Downing", "Event") and not ont.is_a("City", "Actor")
    assert not ont.is_a("NoSuchType", "Actor") and not ont.is_a("NoSuchType", "NoSuchType")
    assert ont.allowed("commands", "Person", "ArmedGroup")
    assert not ont.allowed("commands", "City", "Person")
    assert not ont.allowed("commands", "ArmedGroup", "Person")  # not symmetric: no swap
    assert ont.allowed("alliedWith", "Person", "Coalition") and ont.allowed("alliedWith", "Coalition", "Person")
    assert ont.allowed("controls", "ArmedGroup", "Facility") and not ont.allowed("controls", "Facility", "ArmedGroup")
    assert ont.allowed("affiliatedWith", "Source", "ArmedGroup")
    assert not ont.allowed("noSuchRelation", "Person", "Person")


def test_unknown_term_names_close_matches(ont: Ontology) -> None:
    assert ont.get("Armedgroup") is None
    with pytest.raises(OntologyError, match="did you mean ArmedGroup"):
        ont.term("Armedgroup")


def test_colours_and_shapes(ont: Ontology) -> None:
    hexcolour = re.compile(r"^#[0-9a-f]{6}$")
    for names in (ont.entity_types, ont.relation_types, ont.event_types):
        colours = {n: ont.term(n).colour for n in names}
        assert all(c and hexcolour.match(c) for c in colours.values()), colours
        assert len(set(colours.values())) == len(colours), colours
    assert all(ont.term(n).shape for n in ont.entity_types | ont.event_types)


def test_load_is_cached_and_reads_another_folder(ont: Ontology, tmp_path: Path) -> None:
    assert load_ontology() is ont and load_ontology(ontology_dir()) is ont
    for path in [*ontology_files(), shapes_file()]:
        shutil.copy(path, tmp_path / path.name)
    other = load_ontology(tmp_path)
    assert other is not ont and other.relation_types == ont.relation_types
    assert shapes_file(tmp_path) == tmp_path / "shapes.ttl"


def test_installed_layout_is_preferred(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "kg" / "_ontology").mkdir(parents=True)
    monkeypatch.setattr(kg, "__file__", str(tmp_path / "kg" / "__init__.py"))
    assert ontology_dir() == tmp_path / "kg" / "_ontology"


def test_broken_ontology_is_reported_with_file_and_line(tmp_path: Path) -> None:
    shutil.copy(ontology_dir() / "acled.ttl", tmp_path / "acled.ttl")
    (tmp_path / "kg.ttl").write_text("@prefix kg: <https://w3id.org/kg/ontology#> .\nkg:Actor kg:x .\n")
    with pytest.raises(OntologyError) as info:
        load_ontology(tmp_path)
    assert info.value.file == str(tmp_path / "kg.ttl") and info.value.line == 2
    (tmp_path / "kg.ttl").write_text("@prefix kg: <https://w3id.org/kg/ontology#> .\n")
    with pytest.raises(OntologyError, match="lacks Actor"):
        load_ontology(tmp_path)
    with pytest.raises(OntologyError, match="shapes.ttl not found"):
        shapes_file(tmp_path)


# -- brat configuration -------------------------------------------------------------------------------------

def sections(conf: str) -> dict[str, list[str]]:
    """A brat configuration file as its sections' lines (comments and blank lines left out)."""
    out: dict[str, list[str]] = {}
    current = None
    for line in conf.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        if m := re.fullmatch(r"\[(\w+)\]", line):
            current = m.group(1)
            out[current] = []
        else:
            assert current is not None, f"line outside any section: {line!r}"
            out[current].append(line)
    return out


def test_annotation_conf(ont: Ontology) -> None:
    conf = sections(annotation_conf(ont))
    assert list(conf) == ["entities", "relations", "events", "attributes"]
    assert {line.strip() for line in conf["entities"]} == ont.entity_types
    assert "\t\t\tMilitaryUnit" in conf["entities"] and "Actor" in conf["entities"]
    relations = {line.split("\t")[0]: line.split("\t")[1] for line in conf["relations"]}
    assert set(relations) == ont.relation_types | {"<OVERLAP>"}
    arg1, arg2 = (a.split(":")[1].split("|") for a in relations["commands"].split(", ")[:2])
    assert "Person" in arg1 and "ArmedGroup" in arg2 and "MilitaryUnit" in arg2 and "City" not in arg1 + arg2
    assert {n for n, args in relations.items() if args.endswith("<REL-TYPE>:symmetric")} == {
        "alliedWith", "hostileTo", "alsoKnownAs"}
    events = {line.strip().split("\t")[0]: line.strip().split("\t")[1] for line in conf["events"]}
    assert set(events) == ont.event_types
    roles = {arg.split(":")[0].rstrip("*?+") for arg in events["Capture"].split(", ")}
    assert roles == ont.roles | ont.figure_kinds
    assert "seized*:Place|" in events["Capture"] and "killed*:Quantity" in events["Clash"]
    attributes = dict(line.split("\t") for line in conf["attributes"])
    assert attributes == {"Negation": "Arg:<RELATION>|<EVENT>", "Uncertain": "Arg:<RELATION>|<EVENT>",
                          "Former": "Arg:<RELATION>", "Intended": "Arg:<RELATION>"}


def test_visual_conf(ont: Ontology) -> None:
    conf = sections(visual_conf(ont))
    assert list(conf) == ["labels", "drawing"]
    labels = {line.split(" | ")[0]: line.split(" | ")[1:] for line in conf["labels"]}
    for name in ont.entity_types | ont.relation_types | ont.event_types | ont.roles:
        en, ar = labels[name]
        assert en == ont.term(name).label_en and ARABIC.search(ar), name
    drawing = dict(line.split("\t") for line in conf["drawing"])
    for name in ont.entity_types | ont.event_types:
        assert f"bgColor:{ont.term(name).colour}" in drawing[name]
    for name in ont.relation_types:
        assert f"color:{ont.term(name).colour}" in drawing[name]
    assert "arrowHead:none" in drawing["alliedWith"] and "dashArray:3-3" in drawing["renamedFrom"]


# -- SHACL shapes -------------------------------------------------------------------------------------------

def _shape_classes(g: rdflib.Graph, node: rdflib.term.Node) -> set[str]:
    """The classes a shape requires: its sh:class, or the sh:class of each member of its sh:or."""
    classes = set(g.objects(node, SH["class"]))
    for head in g.objects(node, SH["or"]):
        for member in rdflib.collection.Collection(g, head):
            classes |= set(g.objects(member, SH["class"]))
    return {str(c)[len(KG):] for c in classes}


def test_shapes_follow_the_domains_and_ranges(ont: Ontology, shapes_graph: rdflib.Graph) -> None:
    g = shapes_graph
    for name in sorted(ont.relation_types):
        term = ont.term(name)
        shapes = list(g.subjects(SH.targetSubjectsOf, KGNS[name]))
        assert len(shapes) == 1, name
        assert _shape_classes(g, shapes[0]) == set(term.domain), name
        ranges = {c for p in g.objects(shapes[0], SH.property) if (p, SH.path, KGNS[name]) in g
                  for c in _shape_classes(g, p)}
        assert ranges == set(term.range), name


PREFIXES = """
@prefix kg: <https://w3id.org/kg/ontology#> .
@prefix acled: <https://w3id.org/kg/acled#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix schema: <https://schema.org/> .
@prefix a1: <https://example.org/kg/article/a1#> .
@prefix actor: <https://example.org/kg/actor/> .
@prefix place: <https://example.org/kg/place/> .
@prefix source: <https://example.org/kg/source/> .
"""

# One article graph and the registry graph, as kg's mapping writes them.
VALID = PREFIXES + """
<https://example.org/kg/graph/registry> {
    actor:haftar a kg:Person ; rdfs:label "خليفة حفتر"@ar , "Khalifa Haftar"@en .
    actor:lna a kg:ArmedGroup ; rdfs:label "الجيش الوطني الليبي"@ar , "Libyan National Army"@en ;
        skos:altLabel "قوات حفتر"@ar ; kg:ucdpId "7072" ; kg:acledCategory acled:PoliticalMilitia .
    actor:bdb a kg:ArmedGroup ; rdfs:label "سرايا الدفاع عن بنغازي"@ar ; kg:wikidata <http://www.wikidata.org/entity/Q28873311> .
    actor:aljazeera a kg:MediaOutlet ; rdfs:label "Al Jazeera"@en .
    place:maqrun a kg:Town ; rdfs:label "المقرون"@ar .
    place:libya a kg:Country ; rdfs:label "ليبيا"@ar .
}
<https://example.org/kg/article/a1> {
    <https://example.org/kg/article/a1> a kg:Article ; dcterms:title "قتلى باشتباكات"@ar ; kg:outlet "Al Jazeera" ;
        dcterms:date "2016-07"^^xsd:gYearMonth ; dcterms:language "ar" ; kg:contentHash "9c143c0a" ;
        schema:url "https://www.aljazeera.net/x"^^xsd:anyURI .
    actor:haftar a kg:Person .
    actor:lna a kg:ArmedGroup .
    actor:bdb a kg:ArmedGroup .
    place:maqrun a kg:Town .
    source:local a kg:Source ; rdfs:label "مصادر محلية"@ar .

    a1:char\\=0\\,9 a kg:Mention ; kg:anchorOf "قوات حفتر"@ar ; kg:beginIndex 0 ; kg:endIndex 9 ;
        kg:inArticle <https://example.org/kg/article/a1> ; kg:denotes actor:lna .

    actor:haftar kg:commands actor:lna .
    a1:assertion-R1 a kg:Assertion ; rdf:subject actor:haftar ; rdf:predicate kg:commands ; rdf:object actor:lna ;
        prov:wasDerivedFrom <https://example.org/kg/article/a1> ; kg:evidence a1:char\\=0\\,9 ;
        kg:quote "قوات حفتر"@ar ; kg:sentence "قوات حفتر تتقدم."@ar ; kg:claimant actor:aljazeera ;
        kg:reportedOn "2016-07"^^xsd:gYearMonth ; kg:date "2016"^^xsd:gYear .

    actor:bdb kg:hostileTo actor:lna .
    a1:assertion-R2 a kg:Assertion ; rdf:subject actor:bdb ; rdf:predicate kg:hostileTo ; rdf:object actor:lna ;
        prov:wasDerivedFrom <https://example.org/kg/article/a1> ; kg:evidence a1:char\\=0\\,9 ;
        kg:quote "قوات حفتر"@ar ; kg:claimant source:local ; kg:uncertain true .

    a1:assertion-R3 a kg:Assertion ; rdf:subject actor:bdb ; rdf:predicate kg:loyalTo ; rdf:object actor:lna ;
        prov:wasDerivedFrom <https://example.org/kg/article/a1> ; kg:evidence a1:char\\=0\\,9 ;
        kg:quote "قوات حفتر"@ar ; kg:claimant source:local ; kg:negated true .

    actor:bdb kg:controls place:maqrun .
    place:maqrun kg:locatedIn place:libya .

    a1:char\\=20\\,32 a kg:Mention ; kg:anchorOf "مواجهات مسلحة"@ar ; kg:beginIndex 20 ; kg:endIndex 32 ;
        kg:inArticle <https://example.org/kg/article/a1> .
    a1:event-E1 a kg:Clash ; prov:wasDerivedFrom <https://example.org/kg/article/a1> ;
        kg:participant actor:lna , actor:bdb ; kg:place place:maqrun ; kg:date "2016-07"^^xsd:gYearMonth ;
        kg:evidence a1:char\\=20\\,32 ; kg:quote "مواجهات مسلحة"@ar ; kg:claimant actor:aljazeera ;
        kg:hasFigure a1:figure-E1-1 .
    a1:figure-E1-1 a kg:CasualtyFigure ; kg:figureKind kg:killed ; kg:count 25 ; kg:qualifier "more-than" ;
        kg:casualtiesOf actor:lna ; kg:claimant source:local ; kg:evidence a1:char\\=20\\,32 .

    a1:event-E2 a kg:Capture ; prov:wasDerivedFrom <https://example.org/kg/article/a1> ;
        kg:attacker actor:bdb ; kg:seized place:maqrun ; kg:claimant source:local .
}
"""

# Countries act and places have aliases: Turkey is a member of NATO, the UK is allied with the Government of
# Iraq, Syria is also known as the Syrian Arab Republic (merged: an alias assertion; not merged: the triple).
STATES = PREFIXES + """
<https://example.org/kg/article/a3> {
    <https://example.org/kg/article/a3> a kg:Article ; kg:contentHash "y" .
    place:turkey a kg:Country ; rdfs:label "Turkey"@en .
    actor:nato a kg:Coalition ; rdfs:label "NATO"@en .
    place:uk a kg:Country ; rdfs:label "the UK"@en .
    actor:goi a kg:GovernmentBody ; rdfs:label "the Government of Iraq"@en .
    place:syria a kg:Country ; rdfs:label "Syria"@en , "the Syrian Arab Republic"@en .
    place:damascus a kg:City ; rdfs:label "Damascus"@en , "Dimashq"@en .
    place:sham a kg:City ; rdfs:label "al-Sham"@en .
    actor:assad a kg:Person ; rdfs:label "Bashar al-Assad"@en .
    place:turkey kg:memberOf actor:nato .
    place:uk kg:alliedWith actor:goi .
    place:turkey kg:hostileTo place:syria .
    actor:assad kg:headOf place:syria .
    place:damascus kg:alsoKnownAs place:sham .
    <https://example.org/kg/article/a3#char=0,5> a kg:Mention ; kg:anchorOf "Syria"@en ; kg:beginIndex 0 ;
        kg:endIndex 5 ; kg:inArticle <https://example.org/kg/article/a3> ; kg:denotes place:syria .
    <https://example.org/kg/article/a3#char=10,34> a kg:Mention ; kg:anchorOf "the Syrian Arab Republic"@en ;
        kg:beginIndex 10 ; kg:endIndex 34 ; kg:inArticle <https://example.org/kg/article/a3> ;
        kg:denotes place:syria .
    <https://example.org/kg/article/a3#assertion-R9> a kg:AliasAssertion ; kg:identifies place:syria ;
        kg:nameMention <https://example.org/kg/article/a3#char=0,5> , <https://example.org/kg/article/a3#char=10,34> ;
        prov:wasDerivedFrom <https://example.org/kg/article/a3> ; kg:claimant actor:goi ;
        kg:evidence <https://example.org/kg/article/a3#char=10,34> ; kg:quote "the Syrian Arab Republic"@en .
}
"""

# An assertion without evidence or quote, kg:commands from a city, a figure with a bad qualifier and count.
INVALID = PREFIXES + """
<https://example.org/kg/article/a2> {
    <https://example.org/kg/article/a2> a kg:Article ; kg:contentHash "x" .
    actor:lna a kg:ArmedGroup ; rdfs:label "LNA"@en .
    place:benghazi a kg:City ; rdfs:label "بنغازي"@ar .
    place:benghazi kg:commands actor:lna .
    <https://example.org/kg/article/a2#assertion-R1> a kg:Assertion ;
        rdf:subject place:benghazi ; rdf:predicate kg:commands ; rdf:object actor:lna ;
        prov:wasDerivedFrom <https://example.org/kg/article/a2> ; kg:claimant actor:lna .
    <https://example.org/kg/article/a2#event-E1> a kg:Clash ;
        prov:wasDerivedFrom <https://example.org/kg/article/a2> ; kg:claimant actor:lna ;
        kg:hasFigure <https://example.org/kg/article/a2#figure-E1-1> .
    <https://example.org/kg/article/a2#figure-E1-1> a kg:CasualtyFigure ; kg:figureKind kg:killed ;
        kg:count -3 ; kg:qualifier "roughly" ; kg:claimant actor:lna .
}
"""


def validate(trig: str, inference: str) -> tuple[bool, rdflib.Graph]:
    """Validate the union of a dataset's graphs, with the ontology, as kg.shapes does."""
    dataset = rdflib.Dataset()
    dataset.parse(data=trig, format="trig")
    data = rdflib.Graph()
    for s, p, o, _g in dataset.quads((None, None, None, None)):
        data.add((s, p, o))
    ontology = rdflib.Graph()
    for path in ontology_files():
        ontology.parse(path, format="turtle")
    shapes = rdflib.Graph().parse(shapes_file(), format="turtle")
    conforms, report, _text = pyshacl.validate(data, shacl_graph=shapes, ont_graph=ontology,
                                               inference=inference, advanced=True)
    return bool(conforms), report


def violations(report: rdflib.Graph) -> set[tuple[str, str, str]]:
    """(focus node, shape or path, constraint) of every result, with kg names shortened."""
    def short(node: object) -> str:
        text = str(node) if node is not None else ""
        return text.replace(KG, "kg:").replace("https://w3id.org/kg/shapes#", "kgsh:").replace(
            "https://example.org/kg/", "").replace(str(SH), "sh:").replace(str(RDF), "rdf:")

    out = set()
    for result in report.subjects(RDF.type, SH.ValidationResult):
        path = report.value(result, SH.resultPath)
        shape = report.value(result, SH.sourceShape)
        where = short(path) if path is not None and not isinstance(path, rdflib.BNode) else short(shape)
        out.add((short(report.value(result, SH.focusNode)), where,
                 short(report.value(result, SH.sourceConstraintComponent))))
    return out


@pytest.mark.parametrize("inference", ["none", "rdfs"])
def test_valid_instance_data_conforms(inference: str) -> None:
    conforms, report = validate(VALID, inference)
    assert conforms, violations(report)


def test_invalid_instance_data_is_reported() -> None:
    conforms, report = validate(INVALID, "none")
    assert not conforms
    found = violations(report)
    expected = {
        ("article/a2#assertion-R1", "kg:evidence", "sh:MinCountConstraintComponent"),
        ("article/a2#assertion-R1", "kg:quote", "sh:MinCountConstraintComponent"),
        ("place/benghazi", "kgsh:commandsShape", "sh:ClassConstraintComponent"),
        ("article/a2#figure-E1-1", "kg:count", "sh:MinInclusiveConstraintComponent"),
        ("article/a2#figure-E1-1", "kg:qualifier", "sh:InConstraintComponent"),
    }
    assert expected <= found, found
    assert {f for f in found if f[0] == "place/benghazi"} == {
        ("place/benghazi", "kgsh:commandsShape", "sh:ClassConstraintComponent")}


def test_wrong_domain_is_caught_under_rdfs_inference() -> None:
    # RDFS inference types the city as an Actor (domain of kg:commands): the disjointness shape catches it.
    conforms, report = validate(INVALID, "rdfs")
    assert not conforms
    assert ("place/benghazi", "kgsh:ActorPlaceDisjointShape", "sh:OrConstraintComponent") in violations(report)


def test_assertion_needs_its_direct_triple_and_a_relation_predicate() -> None:
    broken = VALID.replace("actor:haftar kg:commands actor:lna .", "").replace(
        "rdf:predicate kg:hostileTo", "rdf:predicate kg:participant")
    conforms, report = validate(broken, "none")
    assert not conforms
    found = violations(report)
    assert ("article/a1#assertion-R1", "kgsh:AssertionShape", "sh:SPARQLConstraintComponent") in found
    assert ("article/a1#assertion-R2", "rdf:predicate", "sh:NodeConstraintComponent") in found


@pytest.mark.parametrize("inference", ["none", "rdfs"])
def test_countries_act_and_places_have_aliases(inference: str) -> None:
    conforms, report = validate(STATES, inference)
    assert conforms, violations(report)


def test_alias_mistakes_are_reported() -> None:
    broken = STATES.replace("place:damascus kg:alsoKnownAs place:sham .",
                            "place:damascus kg:alsoKnownAs actor:assad . place:sham kg:alsoKnownAs place:sham .").replace(
        "kg:denotes place:syria .\n    <https://example.org/kg/article/a3#assertion-R9>",
        "kg:denotes place:turkey .\n    <https://example.org/kg/article/a3#assertion-R9>")
    conforms, report = validate(broken, "none")
    assert not conforms
    found = violations(report)
    assert {("place/damascus", "kgsh:alsoKnownAsShape", "sh:SPARQLConstraintComponent"),
            ("place/sham", "kgsh:alsoKnownAsShape", "sh:SPARQLConstraintComponent"),
            ("article/a3#assertion-R9", "kgsh:AliasAssertionShape", "sh:SPARQLConstraintComponent")} <= found, found


def test_countries_are_actors_and_places(ont: Ontology) -> None:
    assert ont.is_a("Country", "Actor") and ont.is_a("Country", "Place")
    assert ont.allowed("memberOf", "Country", "Coalition") and ont.allowed("alliedWith", "Country", "GovernmentBody")
    assert ont.allowed("headOf", "Person", "Country") and ont.allowed("commands", "Country", "ArmedGroup")
    assert ont.allowed("supports", "Country", "ArmedGroup") and ont.allowed("hostileTo", "ArmedGroup", "Country")
    assert ont.allowed("controls", "Country", "City") and ont.allowed("locatedIn", "City", "Country")
    assert ont.allowed("alsoKnownAs", "Country", "Country") and ont.allowed("alsoKnownAs", "City", "Town")
    assert ont.allowed("alsoKnownAs", "Country", "GovernmentBody")
    assert not ont.allowed("alsoKnownAs", "ArmedGroup", "City")  # both actors, or both places
    assert not ont.allowed("memberOf", "City", "Coalition")
    conf = annotation_conf(ont)
    member = next(line for line in conf.splitlines() if line.startswith("memberOf\t"))
    assert "Country" in member.split("Arg2")[0]
    aka = next(line for line in conf.splitlines() if line.startswith("alsoKnownAs\t"))
    assert "City" in aka and "ArmedGroup" in aka and "symmetric" in aka
    assert "\tCountry" in conf.split("[relations]")[0]  # drawn under Place in the entity tree


def test_disjoint_types(ont: Ontology) -> None:
    assert ont.disjoint("Person", "ArmedGroup") and ont.disjoint("ArmedGroup", "Person")
    assert ont.disjoint("City", "ArmedGroup") and ont.disjoint("Country", "GovernmentBody")
    assert not ont.disjoint("ArmedGroup", "Organization") and not ont.disjoint("ArmedGroup", "Coalition")
    assert not ont.disjoint("Country", "Place") and not ont.disjoint("Country", "Actor")
    assert not ont.disjoint("NoSuchType", "Person")
