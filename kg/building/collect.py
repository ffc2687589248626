"""The relation summary of a full build, gathered from the mapped articles as they stream in.

:func:`kg.building.summary.summarise` groups every assertion of the store with SPARQL after loading: for a
full build that is a second pass over all the data, as long as a tenth of the build. The articles' mapping
already knows each assertion (a :data:`kg.mapping.rdf.Fact`), so a full build folds them into a
:class:`Collector` while the quads load: the ``kg:assertion`` links of each summary node go into the same
stream as the article graphs, and the nodes' counts and dates, kept a distinct relation each, are written
at the end. The nodes are the same, quad for quad, as :func:`~kg.building.summary.summarise` writes (same
IRIs, same aggregates: the tests compare both); an incremental build still rewrites the nodes it touches
with SPARQL.

>>> c = Collector("https://w3id.org/kg/id/")
>>> links = c.add([("https://e.org/a", "https://w3id.org/kg/ontology#commands", "https://e.org/b",
...                 "https://e.org/g#assertion-r1", "https://e.org/g", "https://e.org/c", "2016-01-02", None,
...                 False, False)])
>>> links.count(b"\\n"), len(c), b"articleCount> \\"1\\"" in b"".join(c.nquads())
(1, 1, True)
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import pyoxigraph as ox

from kg.building.summary import Key, summary_graph, summary_node
from kg.mapping.rdf import Fact
from kg.vocab import KG, RDF

_XSD_INT = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
_TRUE = ox.Literal(True)
#: Distinct relations whose nodes are written in one chunk by :meth:`Collector.nquads`.
_CHUNK = 2000


class _Relation:
    """What the summary node of one relation needs, folded over its assertions."""

    __slots__ = ("node", "articles", "claimants", "first", "last", "first_dated", "last_dated", "undated",
                 "unreported", "all_former", "asserted", "denied")

    def __init__(self, node: str) -> None:
        self.node = node
        self.articles: set[int] = set()
        self.claimants: set[int] = set()
        self.first = self.last = self.first_dated = self.last_dated = ""
        self.unreported = self.undated = False  # some asserting report lacks the date: no first/last
        self.all_former = True
        self.asserted = self.denied = False

    def fold(self, article: int, claimant: int, reported: str | None, dated: str | None, former: bool) -> None:
        if not self.asserted:
            self.asserted = True
            self.first = self.last = reported or ""
            self.first_dated = self.last_dated = dated or ""
        self.articles.add(article)
        self.claimants.add(claimant)
        if reported is None:
            self.unreported = True
        elif not self.unreported:
            self.first, self.last = min(self.first, reported), max(self.last, reported)
        if dated is None:
            self.undated = True
        elif not self.undated:
            self.first_dated, self.last_dated = min(self.first_dated, dated), max(self.last_dated, dated)
        self.all_former = self.all_former and former


class Collector:
    """Folds the assertions of the mapped articles into the relation summary of ``base``."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.graph = summary_graph(base)
        self.relations: dict[Key, _Relation] = {}
        self._ids: dict[str, int] = {}  # article and claimant IRIs → small numbers (the sets hold those)
        self._link = f"<{KG}assertion>"

    def __len__(self) -> int:
        return len(self.relations)

    def _id(self, iri: str) -> int:
        return self._ids.setdefault(iri, len(self._ids))

    def add(self, facts: Iterable[Fact]) -> bytes:
        """Fold some assertions in; returns their ``kg:assertion`` links as N-Quads (to load with them)."""
        lines = []
        tail = f" <{self.graph}> .\n"
        for s, p, o, assertion, article, claimant, reported, dated, negated, former in facts:
            key = (s, p, o)
            relation = self.relations.get(key)
            if relation is None:
                relation = self.relations[key] = _Relation(f"<{summary_node(s, p, o, self.base)}>")
            if negated:
                relation.denied = True
            else:
                relation.fold(self._id(article), self._id(claimant), reported, dated, former)
            lines.append(f"{relation.node} {self._link} <{assertion}>{tail}")
        return "".join(lines).encode("utf-8")

    def nquads(self) -> Iterator[bytes]:
        """Every summary node's own quads (type, subject, predicate, object, flags, counts, dates), in chunks."""
        g = f"<{self.graph}> .\n"
        lines: list[str] = []
        for n, ((s, p, o), r) in enumerate(self.relations.items(), 1):
            node = r.node
            lines += [f"{node} <{RDF}type> <{KG}RelationSummary> {g}", f"{node} <{RDF}subject> <{s}> {g}",
                      f"{node} <{RDF}predicate> <{p}> {g}", f"{node} <{RDF}object> <{o}> {g}"]
            if r.denied:
                lines.append(f"{node} <{KG}denied> {_TRUE} {g}")
            if r.asserted:
                lines.append(f"{node} <{KG}asserted> {_TRUE} {g}")
                lines.append(f"{node} <{KG}articleCount> {ox.Literal(str(len(r.articles)), datatype=_XSD_INT)} {g}")
                lines.append(f"{node} <{KG}claimantCount> {ox.Literal(str(len(r.claimants)), datatype=_XSD_INT)} {g}")
                if r.all_former:
                    lines.append(f"{node} <{KG}allFormer> {_TRUE} {g}")
                for name, value, missing in (("firstReported", r.first, r.unreported),
                                             ("lastReported", r.last, r.unreported),
                                             ("firstDated", r.first_dated, r.undated),
                                             ("lastDated", r.last_dated, r.undated)):
                    if not missing:
                        lines.append(f"{node} <{KG}{name}> {ox.Literal(value)} {g}")
            if n % _CHUNK == 0:
                yield "".join(lines).encode("utf-8")
                lines = []
        if lines:
            yield "".join(lines).encode("utf-8")
