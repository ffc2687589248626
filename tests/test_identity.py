"""Identity in a corpus: countries act, alias annotations merge names, pronouns are not actors, conflicting
types are reported (fixtures: tests/data/identity_en and tests/data/identity_ar, brat standoff)."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg import build
from kg.errors import ConfigError
from kg.mapping.identity import PRONOUNS, leave_out_pronouns, pronoun_words
from kg.mapping.pipeline import check_corpus
from kg.mapping.rdf import article_to_quads
from kg.mapping.resolve import parse_registry, resolve_article, slug
from kg.model import Article, Entity, Mention, Metadata, Relation, Span
from kg.network import actor_network
from kg.ontology import load_ontology
from kg.reading.scheme import parse_config
from kg.sparql.store import GraphStore

DATA = Path(__file__).parent / "data"
EN, AR = DATA / "identity_en", DATA / "identity_ar"
BASE = "https://w3id.org/kg/id/"
PREFIXES = """PREFIX kg: <https://w3id.org/kg/ontology#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""


class Built:
    """A corpus built into a store, with its N-Quads loaded for SPARQL over the union of the graphs."""

    def __init__(self, corpora: list[Path], tmp: Path) -> None:
        self.store = GraphStore()
        out = tmp / "graph.nq"
        self.report = build(corpora, store=self.store, out=out)
        assert self.report.ok, self.report.problems
        self.ox = ox.Store()
        self.ox.load(path=str(out), format=ox.RdfFormat.N_QUADS)

    def rows(self, query: str) -> list[dict[str, str]]:
        result = self.ox.query(PREFIXES + query, use_default_graph_as_union=True)
        return [{str(v)[1:]: s[v].value for v in result.variables if s[v] is not None} for s in result]

    def ask(self, query: str) -> bool:
        return bool(self.ox.query(PREFIXES + query, use_default_graph_as_union=True))

    def labels(self, iri: str) -> set[str]:
        return {r["l"] for r in self.rows(f"SELECT ?l WHERE {{ <{iri}> rdfs:label ?l }}")}

    def node(self, label: str) -> str:
        found = {r["x"] for r in self.rows(f'SELECT ?x WHERE {{ ?x rdfs:label ?l FILTER(STR(?l) = "{label}") }}')}
        assert len(found) == 1, (label, found)
        return found.pop()


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return Built([EN, AR], tmp_path_factory.mktemp("identity"))


# -- countries act, places have aliases ------------------------------------------------------------------

def test_countries_act_check_and_build(built: Built) -> None:
    turkey, nato = built.node("Turkey"), built.node("NATO")
    uk, goi = built.node("The UK"), built.node("the Government of Iraq")
    assert built.ask(f"ASK {{ <{turkey}> kg:memberOf <{nato}> ; a kg:Country }}")
    assert built.ask(f"ASK {{ {{ <{uk}> kg:alliedWith <{goi}> }} UNION {{ <{goi}> kg:alliedWith <{uk}> }} }}")
    syria = BASE + "place/syria"
    assert built.ask(f"ASK {{ <{built.node('Bashar al-Assad')}> kg:headOf <{syria}> }}")
    assert built.ask(f"ASK {{ {{ <{turkey}> kg:hostileTo <{syria}> }} UNION {{ <{syria}> kg:hostileTo <{turkey}> }} }}")
    assert {"Syria", "سوريا", "the Syrian Arab Republic"} <= built.labels(syria)
    damascus = built.node("Damascus")
    assert built.labels(damascus) == {"Damascus", "al-Sham"}  # a city's alias: one place node
    ar_turkey, ar_nato = built.node("تركيا"), built.node("حلف شمال الأطلسي")
    assert built.ask(f"ASK {{ <{ar_turkey}> kg:memberOf <{ar_nato}> }}")


def test_the_network_includes_acting_countries(built: Built) -> None:
    net = actor_network(built.store)
    edges = {(net.nodes[s]["label"], r, net.nodes[o]["label"]) for s, o, r in net.edges(keys=True)}
    assert ("Turkey", "memberOf", "NATO") in edges
    assert {("the Government of Iraq", "alliedWith", "The UK"), ("The UK", "alliedWith", "the Government of Iraq")} & edges
    assert ("Bashar al-Assad", "headOf", "Syria") in edges
    assert net.nodes[BASE + "place/syria"]["type"] == "Country"


# -- alias annotations merge ------------------------------------------------------------------------------

def test_alias_annotations_make_one_node_with_every_name(built: Built) -> None:
    isil = built.node("ISIL")
    assert built.labels(isil) == {"ISIL", "the Islamic State of Iraq and the Levant",
                                  "Islamic State of Iraq and the Levant", "Daesh"}
    dawla = built.node("داعش")
    assert built.labels(dawla) == {"تنظيم الدولة الإسلامية في العراق والشام", "الدولة الإسلامية في العراق والشام", "داعش"}
    # another article names only Daesh: the alias annotated in isil.ann makes it the same node
    assert built.ask(f"ASK {{ <{BASE}article/later#char=0,5> kg:denotes <{isil}> }}")
    hts = built.node("Hayat Tahrir al-Sham")  # the YAML sidecar: a former name, merged too
    assert built.labels(hts) == {"Hayat Tahrir al-Sham", "the Nusra Front"}
    assert built.ask(f"ASK {{ <{BASE}article/hts#assertion-R1> a kg:AliasAssertion ; kg:identifies <{hts}> ; "
                     "kg:former true }")
    # the claims of every name land on the one node
    assert built.ask(f"ASK {{ <{isil}> kg:controls ?p . ?p rdfs:label \"Palmyra\"@en }}")
    assert built.ask(f"ASK {{ <{isil}> kg:hostileTo|^kg:hostileTo <{built.node('the Syrian army')}> }}")


def test_no_self_loops_and_every_alias_annotation_is_traceable(built: Built) -> None:
    assert not built.ask("ASK { ?x kg:alsoKnownAs ?x }")
    assert not built.ask("ASK { ?a rdf:predicate kg:alsoKnownAs ; rdf:subject ?x ; rdf:object ?x }")
    records = built.rows("SELECT ?a ?x (COUNT(DISTINCT ?m) AS ?n) WHERE { ?a a kg:AliasAssertion ; kg:identifies ?x ; "
                         "kg:nameMention ?m } GROUP BY ?a ?x")
    by_iri = {r["a"].split("/article/")[1]: (r["x"], int(r["n"])) for r in records}
    assert by_iri["states#assertion-R3"] == (BASE + "place/syria", 2)
    assert by_iri["isil#assertion-R1"][1] == 2 and by_iri["isil#assertion-R2"][0] == by_iri["isil#assertion-R1"][0]
    assert not [a for a in by_iri if "equivalence" in a]  # a merged brat * set: its mentions denote one node
    denoted = {r["x"] for r in built.rows(f"SELECT ?x WHERE {{ VALUES ?m {{ <{BASE}article/states#char=74,79> "
                                          f"<{BASE}article/states#char=179,184> <{BASE}article/states#char=208,213> }} ?m kg:denotes ?x }}")}
    assert denoted == {BASE + "place/syria"}
    # the record keeps the provenance of an assertion
    assert built.ask(f"ASK {{ <{BASE}article/states#assertion-R3> kg:claimant ?c ; kg:quote ?q ; kg:evidence ?e }}")


def test_every_relation_line_is_in_the_graph_or_reported(built: Built) -> None:
    problems = check_corpus([EN, AR])
    reported = {(Path(p.file).name, p.line) for p in problems}
    for corpus in (EN, AR):
        for ann in sorted((corpus / "articles").glob("*.ann")):
            for n, line in enumerate(ann.read_text(encoding="utf-8").splitlines(), 1):
                if not line.startswith("R"):
                    continue
                iri = f"{BASE}article/{ann.stem}#assertion-{line.split()[0]}"
                in_graph = built.ask(f"ASK {{ <{iri}> a ?t }}")
                assert in_graph or (ann.name, n) in reported, (ann.name, n, line)


# -- pronouns -----------------------------------------------------------------------------------------------

def test_pronouns_are_not_actors_and_check_says_so(built: Built) -> None:
    for word in ("We", "his", "I", "them", "They", "هو", "نحن", "وهم"):
        assert not built.rows(f'SELECT ?x WHERE {{ ?x rdfs:label ?l FILTER(STR(?l) = "{word}") }}'), word
    warnings = [str(p) for p in check_corpus([EN, AR]) if p.severity == "warning"]
    errors = [p for p in check_corpus([EN, AR]) if p.severity == "error"]
    assert not errors
    for where, word in (("isil.ann:7:", "'We'"), ("isil.ann:8:", "'his'"), ("isil.ann:9:", "'I'"),
                        ("dawla.ann:4:", "'هو'"), ("dawla.ann:7:", "'نحن'"), ("dawla.ann:8:", "'وهم'"),
                        ("hts.yaml:8:", "'They'")):
        assert any(where in w and word in w and "is a pronoun" in w for w in warnings), where
    assert any("isil.ann:18:" in w and "R6 (headOf) left out" in w for w in warnings)


def test_pronoun_lists_are_per_language_and_configurable() -> None:
    assert "we" in pronoun_words("en") and "هم" in pronoun_words("ar") and "هم" not in pronoun_words("en")
    assert pronoun_words("fr", {"fr": ["nous", "il"]}) == {"nous", "il"}
    assert set(PRONOUNS) == {"en", "ar"}
    text = "We fight. The Brigades, we are told, advance."
    we = Entity("T1", "ArmedGroup", (Mention((Span(0, 2),), "We"),), line=1)
    brigades = Entity("T2", "ArmedGroup", (Mention((Span(27, 29),), "we"), Mention((Span(10, 23),), "The Brigades")),
                      line=2)
    art = Article("a", text, source="a.ann", entities=(we, brigades),
                  relations=(Relation("R1", "alsoKnownAs", "T1", "T2", line=3),))
    kept = leave_out_pronouns(art)  # joined to a name by an alias: kept (it resolves to the name's node)
    assert [e.id for e in kept.entities] == ["T1", "T2"] and not kept.problems
    assert kept.entities[1].text == "The Brigades"  # a name comes first
    assert [e.id for e in leave_out_pronouns(art, merge_aliases=False).entities] == ["T2"]
    assert leave_out_pronouns(art, pronouns={"en": []}) == art
    resolved = resolve_article(kept, parse_registry(None), base=BASE, ontology=load_ontology(),
                               pronouns=pronoun_words("en"))
    assert resolved["T1"].iri == resolved["T2"].iri and resolved["T1"].label is None


def test_identity_settings_in_kg_toml() -> None:
    config = parse_config('[identity]\nmerge_aliases = false\npronouns = { en = ["we"], fr = ["nous"] }\n',
                          root=Path("."))
    assert config.merge_aliases is False and dict(config.pronouns) == {"en": ("we",), "fr": ("nous",)}
    assert parse_config("", root=Path(".")).merge_aliases is True
    for bad, words in (('merge_aliases = "no"', "true or false"), ('pronouns = { en = "we" }', "list of words"),
                       ('pronouns = { "e n" = ["x"] }', "language tag"), ("merge = true", "unknown key")):
        with pytest.raises(ConfigError, match=words):
            parse_config(f"[identity]\n{bad}\n", root=Path("."))


# -- conflicting types -----------------------------------------------------------------------------------

def test_conflicting_types_are_reported_with_both_lines_and_not_given(built: Built) -> None:
    warnings = [str(p) for p in check_corpus([EN]) if p.severity == "warning"]
    person = next(w for w in warnings if "conflicts.ann:2:" in w)
    assert "Person" in person and "actors.yaml:11" in person and "ArmedGroup" in person
    city = next(w for w in warnings if "conflicts.ann:3:" in w)
    assert "City" in city and "actors.yaml:11" in city
    apart = next(w for w in warnings if "conflicts.ann:6:" in w)
    assert "stay apart" in apart and "line 4" in apart
    types = {r["t"] for r in built.rows(f"SELECT ?t WHERE {{ <{BASE}actor/hezbollah> a ?t }}")}
    assert types <= {"https://w3id.org/kg/ontology#ArmedGroup", "https://w3id.org/kg/ontology#Organization"}
    # the person and the village named Hezbollah are nodes of their own
    assert built.ask(f"ASK {{ <{BASE}actor/{slug('Hezbollah')}> a kg:Person . <{BASE}place/{slug('Hezbollah')}> a kg:City }}")


def test_same_node_with_disjoint_types_in_one_article_keeps_the_first() -> None:
    art = Article("a", "", source="a.yaml", entities=(
        Entity("x", "Person", (Mention((Span(0, 6),), "Haftar"),), line=3),
        Entity("y", "ArmedGroup", (Mention((Span(9, 15),), "haftar"),), line=9)))
    res = resolve_article(art, parse_registry(None), base=BASE, ontology=load_ontology())
    assert res["x"].iri == res["y"].iri and res["x"].typed and not res["y"].typed
    (problem,) = res.problems
    assert (problem.line, problem.severity) == (9, "warning") and "line 3" in problem.message


# -- choices that must not depend on order; the switch ----------------------------------------------------

def test_merged_node_does_not_depend_on_annotation_order() -> None:
    names = ["ISIL", "the Islamic State of Iraq and the Levant", "Daesh", "IS"]
    entities = [Entity(f"T{i}", "ArmedGroup", (Mention((Span(0, len(n)),), n),)) for i, n in enumerate(names)]
    relations = [Relation(f"R{i}", "alsoKnownAs", "T0", f"T{i}") for i in range(1, len(names))]
    iris = set()
    for seed in range(5):
        random.Random(seed).shuffle(entities)
        random.Random(seed).shuffle(relations)
        art = Article("a", "", entities=tuple(entities), relations=tuple(relations))
        res = resolve_article(art, parse_registry(None), base=BASE, ontology=load_ontology())
        assert len({r.iri for r in res.values()}) == 1
        iris.add(res["T0"].iri)
    assert len(iris) == 1


def test_merging_can_be_turned_off(tmp_path: Path) -> None:
    corpus = tmp_path / "en"
    shutil.copytree(EN, corpus)
    toml = corpus / "kg.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace("merge_aliases = true", "merge_aliases = false"),
                    encoding="utf-8")
    built = Built([corpus], tmp_path)
    sar = built.node("the Syrian Arab Republic")
    assert sar != BASE + "place/syria"
    assert built.ask(f"ASK {{ <{BASE}place/syria> kg:alsoKnownAs <{sar}> }} ") or built.ask(
        f"ASK {{ <{sar}> kg:alsoKnownAs <{BASE}place/syria> }}")
    assert built.ask(f"ASK {{ <{BASE}article/states#assertion-R3> a kg:Assertion ; rdf:predicate kg:alsoKnownAs }}")
    assert len({built.node(n) for n in ("ISIL", "Daesh")}) == 2
    assert not built.ask("ASK { ?x kg:alsoKnownAs ?x }")
    net = actor_network(built.store)  # the two names of Syria: two country nodes and an alias edge
    assert {r for s, o, r in net.edges(keys=True) if {s, o} == {BASE + "place/syria", sar}} == {"alsoKnownAs"}
    warnings = [str(p) for p in check_corpus([corpus])]
    assert any("isil.ann:7:" in w and "pronoun" in w for w in warnings)


def test_built_graphs_conform_to_the_shapes(tmp_path: Path) -> None:
    from kg.sparql.shapes import validate

    for merge in ("true", "false"):
        corpus = tmp_path / f"en-{merge}"
        shutil.copytree(EN, corpus)
        toml = corpus / "kg.toml"
        toml.write_text(toml.read_text(encoding="utf-8").replace("merge_aliases = true", f"merge_aliases = {merge}"),
                        encoding="utf-8")
        store = GraphStore()
        assert build([corpus, AR], store=store).ok
        conforms, text = validate(store)
        assert conforms, text


def test_alias_between_an_actor_and_a_city_is_an_error_and_self_loops_warn(tmp_path: Path) -> None:
    corpus = tmp_path / "c"
    (corpus / "articles").mkdir(parents=True)
    shutil.copy(EN / "kg.toml", corpus / "kg.toml")
    text = "ISIL took Raqqa. Daesh, that is ISIL, supports Daesh.\n"
    (corpus / "articles" / "a.txt").write_text(text, encoding="utf-8")
    (corpus / "articles" / "a.ann").write_text(
        "T1\tOrganization 0 4\tISIL\nT2\tCity 10 15\tRaqqa\nT3\tOrganization 17 22\tDaesh\n"
        "T4\tOrganization 32 36\tISIL\nT5\tOrganization 47 52\tDaesh\n"
        "R1\tSynonym Arg1:T1 Arg2:T2\nR2\tSynonym Arg1:T3 Arg2:T4\nR3\tSupports Arg1:T4 Arg2:T5\n", encoding="utf-8")
    problems = check_corpus([corpus])
    error = next(p for p in problems if p.severity == "error")
    assert error.line == 6 and "'alsoKnownAs' cannot go from Organization" in error.message
    (corpus / "articles" / "a.ann").write_text(
        (corpus / "articles" / "a.ann").read_text(encoding="utf-8").replace("R1\tSynonym Arg1:T1 Arg2:T2\n", ""),
        encoding="utf-8")
    (loop,) = [p for p in check_corpus([corpus]) if p.severity == "warning"]
    assert loop.line == 7 and "R3 (supports)" in loop.message and "itself" in loop.message


def test_two_pronouns_joined_to_two_names_stay_two_nodes() -> None:
    def ent(eid: str, text: str) -> Entity:
        return Entity(eid, "ArmedGroup", (Mention((Span(0, len(text)),), text),))

    art = Article("a", "", metadata=Metadata(language="en"),
                  entities=(ent("T1", "the BDB"), ent("T2", "we"), ent("T3", "the LNA"), ent("T4", "We")),
                  equivalences=(("T1", "T2"), ("T3", "T4")))
    kept = leave_out_pronouns(art)
    res = resolve_article(kept, parse_registry(None), base=BASE, ontology=load_ontology(),
                          pronouns=pronoun_words("en"))
    assert res["T1"].iri == res["T2"].iri != res["T3"].iri == res["T4"].iri


def test_an_equivalence_of_an_actor_and_a_place_is_reported_when_not_merged() -> None:
    art = Article("a", "", source="a.ann", entities=(
        Entity("T1", "ArmedGroup", (Mention((Span(0, 4),), "Sham"),), line=1),
        Entity("T2", "City", (Mention((Span(5, 9),), "Sham"),), line=2)), equivalences=(("T1", "T2"),))
    ont = load_ontology()
    for merge in (True, False):
        res = resolve_article(art, parse_registry(None), base=BASE, ontology=ont, merge_aliases=merge)
        assert res["T1"].iri != res["T2"].iri
        assert [p.line for p in res.problems] == [1], [str(p) for p in res.problems]
        quads = article_to_quads(art, res, ont, registry=parse_registry(None), base=BASE)
        assert not [q for q in quads if q.predicate.value.endswith("#alsoKnownAs")]


def test_an_alias_added_in_one_article_remaps_the_others(tmp_path: Path) -> None:
    corpus = tmp_path / "en"
    shutil.copytree(EN, corpus)
    ann = corpus / "articles" / "isil.ann"
    with_alias = ann.read_text(encoding="utf-8")
    ann.write_text(with_alias.replace("R2\tSynonym Arg1:T4 Arg2:T5\n", ""), encoding="utf-8")
    store = GraphStore()

    def daesh_is_isil() -> bool:
        out = tmp_path / "g.nq"
        assert build([corpus], store=store, out=out).ok
        graph = ox.Store()
        graph.load(path=str(out), format=ox.RdfFormat.N_QUADS)
        query = (f"ASK {{ <{BASE}article/later#char=0,5> <https://w3id.org/kg/ontology#denotes> ?x . "
                 f"<{BASE}article/isil#char=0,4> <https://w3id.org/kg/ontology#denotes> ?x }}")
        return bool(graph.query(query, use_default_graph_as_union=True))

    assert not daesh_is_isil()
    ann.write_text(with_alias, encoding="utf-8")
    assert daesh_is_isil()  # later.ann did not change, but the corpus's aliases did
