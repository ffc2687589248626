"""From a checked article to RDF quads, with provenance on every relation.

The model (documented with example queries in the README):

* every article is a named graph whose name is the article IRI ``{base}article/{id}``; the article node
  carries its metadata (``dcterms:title``, ``kg:outlet``, ``dcterms:date``, ``dcterms:language``,
  ``schema:url``, ``kg:contentHash``);
* every entity is a node ``{base}{actor|place|source|rank|title}/{registry id or name hash}``, typed with
  its ontology class in the article graph; registry labels and aliases live in the registry graph
  ``{base}graph/registry``; unregistered entities get the article's name as ``rdfs:label`` with the
  article's language tag;
* every mention is ``{article}#char=START,END`` (code points) with ``kg:denotes``, ``kg:anchorOf``,
  ``kg:beginIndex``, ``kg:endIndex``, ``kg:inArticle`` and the annotator's ``kg:note`` on the entity;
  an unregistered entity keeps its Wikidata and UCDP ids (``kg:wikidata``, ``kg:ucdpId``);
* every relation is stored as a direct triple (``<S> kg:commands <O>``; not when negated) and as an
  assertion ``{article}#assertion-{id}`` (``rdf:subject``/``rdf:predicate``/``rdf:object``,
  ``prov:wasDerivedFrom`` the article, ``kg:evidence`` a mention, ``kg:quote``, ``kg:sentence``,
  ``kg:claimant``, ``kg:reportedOn`` the article's date, ``kg:date``, the flags that are true, and the
  annotator's ``kg:confidence`` (``xsd:decimal``) and ``kg:note``);
* the direct triple of a symmetric relation (alliedWith, hostileTo, alsoKnownAs) is stored once, subject
  IRI < object IRI; each annotation of it (both directions included) keeps its own assertion and evidence;
* an ``alsoKnownAs`` annotation whose two names resolve to one node (merged aliases, or one registry entry)
  makes no self-loop: it is a ``kg:AliasAssertion`` ``{article}#assertion-{id}`` with ``kg:identifies`` the
  node, ``kg:nameMention`` the mentions of both names, and the provenance of an assertion; the mentions of a
  merged brat ``*`` set denote one node, and a set that is not merged becomes ``alsoKnownAs`` assertions
  ``#assertion-equivalence-{n}-{k}`` between its first member and each other;
* events are ``{article}#event-{id}`` with role properties, ``kg:place``, ``kg:date``, ``kg:evidence``
  (the trigger) and figures ``{article}#figure-{id}-{n}`` (``kg:figureKind``, ``kg:count``,
  ``kg:qualifier``, ``kg:casualtiesOf``, ``kg:claimant``, ``kg:evidence``, ``kg:quote``).

A relation without an annotated evidence span takes the sentence holding mentions of both its ends.
A relation or figure without a claimant is claimed by the outlet.

:func:`article_to_quads` is a pure function of the article, its resolution and the registry.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from pyoxigraph import Literal, NamedNode, Quad

from kg.mapping.resolve import ALIAS, Registry, Resolved, claimant_iri, iri_segment
from kg.mapping.terms import date_text, iri, text, typed
from kg.model import Article, Mention, Relation, Span
from kg.vocab import ACLED, DCT, EVENT_FLAGS, FLAGS, KG, PROV, RDF, RDFS, SCHEMA, SKOS, WD, XSD

if TYPE_CHECKING:
    from kg.ontology import Ontology


_TYPE = NamedNode(RDF + "type")
_LABEL = NamedNode(RDFS + "label")
_ALT = NamedNode(SKOS + "altLabel")
_SENTENCE_END = re.compile(r"[.!?؟]+(?=[\s\"'»)]|$)|\n+")
_YEAR = re.compile(r"^\d{4}$")
_YEAR_MONTH = re.compile(r"^\d{4}-\d{2}$")
_QID = re.compile(r"^Q[1-9][0-9]*$")

#: What the relation summary needs of one assertion: subject, predicate and object IRIs, the assertion's IRI,
#: its article (graph) IRI, its claimant's IRI, the article's date and the relation's date as written (or
#: None), and whether it is negated and former (:mod:`kg.building.collect`).
Fact = tuple[str, str, str, str, str, str, str | None, str | None, bool, bool]


@dataclass
class ArticleCounts:
    """What the statistics of a full build count in one article graph (:mod:`kg.building.collect`): the
    (node, class IRI) pairs it types, mentions left out, and the (claimant, claim) pairs of its claims."""

    graph: str = ""
    typed: list[tuple[str, str]] = field(default_factory=list)
    claims: list[tuple[str, str]] = field(default_factory=list)


def kg(name: str) -> NamedNode:
    """A term of the ontology by local name."""
    return NamedNode(KG + name)


def date_literal(value: str) -> Literal:
    """An ISO date, year-month or year as a typed literal.

    >>> date_literal("2016-07").datatype.value
    'http://www.w3.org/2001/XMLSchema#gYearMonth'
    """
    if _YEAR.match(value):
        return Literal(value, datatype=NamedNode(XSD + "gYear"))
    if _YEAR_MONTH.match(value):
        return Literal(value, datatype=NamedNode(XSD + "gYearMonth"))
    return Literal(value, datatype=NamedNode(XSD + "date"))


_T = f"<{RDF}type>"
_L = f"<{RDFS}label>"
_TRUE = str(Literal(True))
_INTEGER = XSD + "integer"


def _kg(name: str) -> str:
    return f"<{KG}{name}>"


_P = {name: _kg(name) for name in (
    "Mention", "anchorOf", "beginIndex", "endIndex", "inArticle", "denotes", "evidence", "quote", "sentence",
    "Source", "MediaOutlet", "Article", "outlet", "contentHash", "wikidata", "ucdpId", "note", "AliasAssertion",
    "identifies", "nameMention", "Assertion", "claimant", "reportedOn", "date", "confidence", "place",
    "hasFigure", "CasualtyFigure", "figureKind", "count", "qualifier", "casualtiesOf", *FLAGS, *EVENT_FLAGS)}
_MENTION, _CLAIMANT = _P["Mention"], _P["claimant"]
_DERIVED = f"<{PROV}wasDerivedFrom>"
_SUBJECT, _PREDICATE, _OBJECT = f"<{RDF}subject>", f"<{RDF}predicate>", f"<{RDF}object>"


def article_iri(article_id: str, base: str) -> str:
    """The IRI (and graph name) of an article."""
    return f"{base}article/{iri_segment(article_id)}"


def registry_graph(base: str) -> str:
    return f"{base}graph/registry"


def sentence_ends(text: str) -> list[int]:
    """Where each sentence end of the text ends, in order (for :func:`sentence_span`'s ``ends``)."""
    return [m.end() for m in _SENTENCE_END.finditer(text)]


def sentence_span(text: str, start: int, end: int, ends: Sequence[int] | None = None) -> Span:
    """The sentence (between ``. ! ? ؟`` or line breaks) around ``[start, end)``. ``ends``, the text's
    :func:`sentence_ends`, saves rescanning the text from its start for each span of a long article.

    >>> text = "أولا. قتل 25 في بنغازي. ثالثا"
    >>> s = sentence_span(text, 10, 12); text[s.start:s.end]
    'قتل 25 في بنغازي.'
    >>> sentence_span(text, 10, 12, sentence_ends(text)) == s
    True
    """
    begin = 0
    if ends:  # the last sentence end at or before start; the text up to start is then scanned from there only
        i = bisect.bisect_right(ends, start)
        begin = ends[i - 1] if i else 0
    for m in _SENTENCE_END.finditer(text, begin, start):
        begin = m.end()
    after = _SENTENCE_END.search(text, end)
    stop = after.end() if after else len(text)
    while begin < stop and text[begin].isspace():
        begin += 1
    while stop > begin and text[stop - 1] in " \t\r\n":
        stop -= 1
    return Span(begin, max(stop, end))


class _Builder:
    """Collects the quads of one article graph, as N-Quads lines (terms as N-Triples text)."""

    def __init__(self, article: Article, resolved: dict[str, Resolved], registry: Registry, base: str,
                 is_a: Callable[[str, str], bool]) -> None:
        self.article = article
        self.resolved = resolved
        self.registry = registry
        self.base = base
        self.is_a = is_a
        self.iri = article_iri(article.id, base)
        self.graph = iri(self.iri)
        self.tail = f" {self.graph} .\n"
        self.lang = article.metadata.language or ""
        self.lines: list[str] = []
        self.outlet: str | None = None
        self.sentences: dict[tuple[int, int], str] = {}
        self._ends: list[int] | None = None
        #: one :data:`Fact` an assertion, for the relation summary of a full build
        self.facts: list[Fact] = []
        #: (node, class) of every typed node but mentions, (claimant, claim): for the build's statistics
        self.typed: dict[tuple[str, str], None] = {}
        self.claims: dict[tuple[str, str], None] = {}

    def add(self, s: str, p: str, o: str) -> None:
        self.lines.append(f"{s} {p} {o}{self.tail}")
        if p is _T:
            if o is not _MENTION:
                self.typed[(s[1:-1], o[1:-1])] = None
        elif p is _CLAIMANT:
            self.claims[(o[1:-1], s[1:-1])] = None

    def text(self, value: str) -> str:
        return text(value, self.lang)

    def sentence(self, start: int, end: int) -> Span:
        if self._ends is None:
            self._ends = sentence_ends(self.article.text)
        return sentence_span(self.article.text, start, end, self._ends)

    def mention(self, mention: Mention, denotes: str | None = None) -> str:
        node = f"<{self.iri}#char={mention.start},{mention.end}>"
        add, p = self.add, _P
        add(node, _T, p["Mention"])
        add(node, p["anchorOf"], self.text(mention.text))
        add(node, p["beginIndex"], f'"{mention.start}"^^<{_INTEGER}>')
        add(node, p["endIndex"], f'"{mention.end}"^^<{_INTEGER}>')
        add(node, p["inArticle"], self.graph)
        if denotes is not None:
            add(node, p["denotes"], denotes)
        return node

    def evidence(self, node: str, mention: Mention) -> None:
        """Link a claim to its evidence span, with the quote and the whole sentence."""
        self.add(node, _P["evidence"], self.mention(mention))
        self.add(node, _P["quote"], self.text(mention.text))
        sentence = self.sentences.get((mention.start, mention.end))
        if sentence is None:
            s = self.sentence(mention.start, mention.end)
            sentence = self.sentences[(mention.start, mention.end)] = self.text(self.article.text[s.start:s.end])
        self.add(node, _P["sentence"], sentence)

    def claimant(self, value: str | None) -> str:
        """The claimant's node (N-Triples text)."""
        if value is not None and value in self.resolved:
            return iri(self.resolved[value].iri)
        if value is None:
            return self.outlet_node()
        found, entry = claimant_iri(value, self.registry, base=self.base, is_a=self.is_a)
        node = iri(found)
        if entry is None:
            self.add(node, _T, _P["Source"])
            self.add(node, _L, self.text(value))
        return node

    def outlet_node(self) -> str:
        if self.outlet is None:
            name = self.article.metadata.outlet or "unknown outlet"
            found, entry = claimant_iri(name, self.registry, base=self.base, is_a=self.is_a)
            self.outlet = iri(found)
            if entry is None:
                self.add(self.outlet, _T, _P["MediaOutlet"])
                self.add(self.outlet, _L, text(name))
        return self.outlet

    # -- the parts of an article ----------------------------------------------------------------

    def metadata(self, content_hash: str | None) -> None:
        meta = self.article.metadata
        g = self.graph
        self.add(g, _T, _P["Article"])
        if meta.title:
            self.add(g, f"<{DCT}title>", self.text(meta.title))
        if meta.outlet:
            self.add(g, _P["outlet"], text(meta.outlet))
        if meta.date:
            self.add(g, f"<{DCT}date>", date_text(meta.date))
        if meta.language:
            self.add(g, f"<{DCT}language>", text(meta.language))
        if meta.url:
            self.add(g, f"<{SCHEMA}url>", typed(meta.url, XSD + "anyURI"))
        if content_hash:
            self.add(g, _P["contentHash"], text(content_hash))

    def entities(self) -> None:
        for entity in self.article.entities:
            res = self.resolved[entity.id]
            if res.category == "quantity":
                continue
            node = iri(res.iri)
            if res.typed:
                self.add(node, _T, _kg(entity.type))
            if res.label:
                self.add(node, _L, self.text(res.label))
            if res.entry is None:
                for kind, value in entity.external_ids:
                    if kind == "wikidata" and _QID.match(value):
                        self.add(node, _P["wikidata"], f"<{WD}{value}>")
                    elif kind == "ucdp":
                        self.add(node, _P["ucdpId"], text(value))
            note = text(entity.note) if entity.note else None
            for mention in entity.mentions:
                mnode = self.mention(mention, node)
                if note is not None:
                    self.add(mnode, _P["note"], note)

    def first_mention(self, entity_id: str) -> Mention | None:
        entity = self.article.entity(entity_id)
        return entity.mentions[0] if entity and entity.mentions else None

    def default_evidence(self, subject: str, obj: str) -> Mention | None:
        """The first sentence that mentions both ends of a relation (else the subject's first sentence)."""
        text = self.article.text
        s_ent, o_ent = self.article.entity(subject), self.article.entity(obj)
        if s_ent is None or o_ent is None or not s_ent.mentions:
            return None
        for m in s_ent.mentions:
            span = self.sentence(m.start, m.end)
            if any(span.start <= o.start and o.end <= span.end for o in o_ent.mentions):
                return Mention((span,), text[span.start:span.end])
        m = s_ent.mentions[0]
        span = self.sentence(m.start, m.end)
        return Mention((span,), text[span.start:span.end])

    def relations(self, symmetric: frozenset[str]) -> None:
        for rel in self.article.relations:
            s, o = self.resolved[rel.subject].iri, self.resolved[rel.object].iri
            if rel.type in symmetric and o < s:
                s, o = o, s
            node = iri(f"{self.iri}#assertion-{iri_segment(rel.id)}")
            if rel.type == ALIAS and s == o:
                self.alias(node, iri(s), (rel.subject, rel.object))
                self.provenance(node, rel, (rel.subject, rel.object))
            else:
                self.assertion(node, iri(s), _kg(rel.type), iri(o), negated=rel.negated)
                claimant = self.provenance(node, rel, (rel.subject, rel.object))
                self.fact(s, KG + rel.type, o, node, claimant, rel)

    def equivalences(self, allowed: Callable[[str, str], bool]) -> None:
        """brat ``*`` sets whose members stay apart (merging off): alsoKnownAs assertions. A merged set needs no
        record: its members' mentions denote one node (as an INCEpTION coreference chain's do)."""
        for n, group in enumerate(self.article.equivalences, 1):
            members = [x for x in group if x in self.resolved]
            first = members[0] if members else None
            if first is None:
                continue
            for k, other in enumerate(members[1:], 1):
                s, o = sorted((self.resolved[first].iri, self.resolved[other].iri))
                if s == o or not allowed(self.resolved[first].type, self.resolved[other].type):
                    continue  # one node already, or an actor and a place (resolution reports it)
                node = iri(f"{self.iri}#assertion-equivalence-{n}-{k}")
                self.assertion(node, iri(s), _kg(ALIAS), iri(o), negated=False)
                rel = Relation(f"equivalence-{n}-{k}", ALIAS, first, other)
                self.fact(s, KG + ALIAS, o, node, self.provenance(node, rel, (first, other)), rel)

    def fact(self, s: str, p: str, o: str, node: str, claimant: str, rel: Relation) -> None:
        self.facts.append((s, p, o, node[1:-1], self.iri, claimant[1:-1], self.article.metadata.date or None,
                           rel.date or None, rel.negated, rel.former))

    def alias(self, node: str, target: str, names: Iterable[str]) -> None:
        """The record of an alias annotation whose names are one node: no self-loop, nothing lost."""
        self.add(node, _T, _P["AliasAssertion"])
        self.add(node, _P["identifies"], target)
        for x in names:
            mention = self.first_mention(x)
            if mention is not None:
                self.add(node, _P["nameMention"], f"<{self.iri}#char={mention.start},{mention.end}>")

    def assertion(self, node: str, subject: str, predicate: str, obj: str, *, negated: bool) -> None:
        if not negated:
            self.add(subject, predicate, obj)
        self.add(node, _T, _P["Assertion"])
        self.add(node, _SUBJECT, subject)
        self.add(node, _PREDICATE, predicate)
        self.add(node, _OBJECT, obj)

    def provenance(self, node: str, rel: Relation, ends: tuple[str, str]) -> str:
        """Article, evidence, quote, sentence, claimant, dates and flags of an assertion; returns the claimant."""
        self.add(node, _DERIVED, self.graph)
        evidence = rel.evidence or self.default_evidence(*ends)
        if evidence is not None:
            self.evidence(node, evidence)
        claimant = self.claimant(rel.claimant)
        self.add(node, _P["claimant"], claimant)
        if self.article.metadata.date:
            self.add(node, _P["reportedOn"], date_text(self.article.metadata.date))
        if rel.date:
            self.add(node, _P["date"], date_text(rel.date))
        for flag in FLAGS:
            if getattr(rel, flag):
                self.add(node, _P[flag], _TRUE)
        self.annotator(node, rel.confidence, rel.note)
        return claimant

    def annotator(self, node: str, confidence: str | None, note: str | None) -> None:
        """What the annotator said of a claim: a confidence (``xsd:decimal``) and the note, verbatim."""
        if confidence is not None:
            self.add(node, _P["confidence"], typed(confidence, XSD + "decimal"))
        if note:
            self.add(node, _P["note"], text(note))

    def events(self) -> None:
        for ev in self.article.events:
            node = iri(f"{self.iri}#event-{iri_segment(ev.id)}")
            self.add(node, _T, _kg(ev.type))
            self.add(node, _DERIVED, self.graph)
            for role, target in ev.arguments:
                self.add(node, _kg(role), self.node_of(target))
            if ev.place is not None:
                self.add(node, _P["place"], self.node_of(ev.place))
            if ev.date:
                self.add(node, _P["date"], date_text(ev.date))
            if self.article.metadata.date:
                self.add(node, _P["reportedOn"], date_text(self.article.metadata.date))
            if ev.trigger is not None:
                self.evidence(node, ev.trigger)
            self.add(node, _P["claimant"], self.claimant(ev.claimant))
            for flag in EVENT_FLAGS:
                if getattr(ev, flag):
                    self.add(node, _P[flag], _TRUE)
            self.annotator(node, ev.confidence, ev.note)
            for n, fig in enumerate(ev.figures, 1):
                fnode = iri(f"{self.iri}#figure-{iri_segment(ev.id)}-{n}")
                self.add(node, _P["hasFigure"], fnode)
                self.add(fnode, _T, _P["CasualtyFigure"])
                self.add(fnode, _P["figureKind"], _kg(fig.kind))
                self.add(fnode, _P["count"], typed(str(fig.count), _INTEGER))
                self.add(fnode, _P["qualifier"], text(fig.qualifier))
                if fig.of is not None:
                    self.add(fnode, _P["casualtiesOf"], self.node_of(fig.of))
                self.add(fnode, _P["claimant"], self.claimant(fig.claimant))
                if fig.evidence is not None:
                    self.evidence(fnode, fig.evidence)

    def node_of(self, ref: str) -> str:
        if ref in self.resolved:
            return iri(self.resolved[ref].iri)
        return iri(f"{self.iri}#event-{iri_segment(ref)}")


def article_nquads(
    article: Article,
    resolved: dict[str, Resolved],
    ontology: Ontology,
    *,
    registry: Registry,
    base: str,
    content_hash: str | None = None,
    facts: list[Fact] | None = None,
    counted: ArticleCounts | None = None,
) -> str:
    """One article's named graph as N-Quads lines, each quad once (see the module docstring for the model);
    ``facts`` is given a :data:`Fact` for each assertion, ``counted`` what the statistics count."""
    builder = _Builder(article, resolved, registry, base, ontology.is_a)
    builder.metadata(content_hash)
    builder.entities()
    symmetric = frozenset(n for n in ontology.relation_types if ontology.term(n).symmetric)
    builder.relations(symmetric)
    builder.equivalences(lambda a, b: ontology.allowed(ALIAS, a, b))
    builder.events()
    if facts is not None:
        facts.extend(builder.facts)
    if counted is not None:
        counted.graph = builder.iri
        counted.typed.extend(builder.typed)
        counted.claims.extend(builder.claims)
    return "".join(dict.fromkeys(builder.lines))


def article_to_quads(
    article: Article,
    resolved: dict[str, Resolved],
    ontology: Ontology,
    *,
    registry: Registry,
    base: str,
    content_hash: str | None = None,
) -> list[Quad]:
    """:func:`article_nquads` as pyoxigraph quads."""
    from pyoxigraph import RdfFormat, parse

    data = article_nquads(article, resolved, ontology, registry=registry, base=base, content_hash=content_hash)
    return list(parse(data.encode("utf-8"), format=RdfFormat.N_QUADS))  # type: ignore[arg-type]


def registry_to_quads(registry: Registry, ontology: Ontology, *, base: str) -> Iterator[Quad]:
    """The registry graph: type, labels (``@ar``, ``@en``), aliases and external ids of every entry."""
    from kg.mapping.resolve import category_of

    graph = NamedNode(registry_graph(base))
    for entry in registry.entries.values():
        node = NamedNode(f"{base}{category_of(entry.type, ontology.is_a)}/{entry.id}")
        yield Quad(node, _TYPE, kg(entry.type), graph)
        for lang, label in entry.labels:
            yield Quad(node, _LABEL, Literal(label, language=lang), graph)
        for lang, label in entry.aliases:
            yield Quad(node, _ALT, Literal(label, language=lang), graph)
        if entry.wikidata:
            yield Quad(node, kg("wikidata"), NamedNode(WD + entry.wikidata), graph)
        if entry.ucdp:
            yield Quad(node, kg("ucdpId"), Literal(entry.ucdp), graph)
        if entry.acled:
            yield Quad(node, kg("acledCategory"), NamedNode(ACLED + entry.acled), graph)
        for name, degrees in (("latitude", entry.lat), ("longitude", entry.lon)):
            if degrees is not None:
                yield Quad(node, NamedNode(SCHEMA + name), Literal(str(degrees), datatype=NamedNode(XSD + "decimal")),
                           graph)
