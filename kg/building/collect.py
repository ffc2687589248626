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

from array import array
from collections import Counter
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from kg.building.summary import Key, node_nquads, summary_graph, summary_node
from kg.mapping.rdf import ArticleCounts, Fact
from kg.vocab import KG, RDF

if TYPE_CHECKING:
    from kg.sparql.store import GraphStore

#: Distinct relations whose nodes are written in one chunk by :meth:`Collector.nquads`.
_CHUNK = 2000


class _Relation:
    """What the summary node of one relation needs, folded over its assertions: the asserting articles as
    numbers in an array (4 bytes each; a set of them takes ten times as much, and a 100,000-article corpus
    has two million assertions), the claimants as the bits of one number."""

    __slots__ = ("node", "articles", "claimants", "first", "last", "first_dated", "last_dated", "undated",
                 "unreported", "all_former", "asserted", "denied")

    def __init__(self, node: str) -> None:
        self.node = node
        self.articles = array("I")  # an article's facts come together: its number is kept once, mostly
        self.claimants = 0
        self.first = self.last = self.first_dated = self.last_dated = ""
        self.unreported = self.undated = False  # some asserting report lacks the date: no first/last
        self.all_former = True
        self.asserted = self.denied = False

    def fold(self, article: int, claimant: int, reported: str | None, dated: str | None, former: bool) -> None:
        if not self.asserted:
            self.asserted = True
            self.first = self.last = reported or ""
            self.first_dated = self.last_dated = dated or ""
        if not self.articles or self.articles[-1] != article:
            self.articles.append(article)
        self.claimants |= 1 << claimant
        if reported is None:
            self.unreported = True
        elif not self.unreported:
            self.first, self.last = min(self.first, reported), max(self.last, reported)
        if dated is None:
            self.undated = True
        elif not self.undated:
            self.first_dated, self.last_dated = min(self.first_dated, dated), max(self.last_dated, dated)
        self.all_former = self.all_former and former


@lru_cache(maxsize=1)
def _categories() -> dict[str, tuple[str, ...]]:
    """Class IRI → what the statistics count it as (as :func:`kg.building.stats.store_stats` does: a class
    may be counted twice, a country among actors and places)."""
    from kg.ontology import load_ontology

    ontology = load_ontology()
    out: dict[str, tuple[str, ...]] = {f"{KG}Article": ("articles",), f"{KG}Assertion": ("assertions",),
                                       f"{KG}CasualtyFigure": ("figures",)}
    for key, names in (("actors", ontology.actor_types), ("places", ontology.place_types),
                       ("events", ontology.event_types)):
        for n in names:
            out[f"{KG}{n}"] = (*out.get(f"{KG}{n}", ()), key)
    return out


class Collector:
    """Folds the assertions of the mapped articles into the relation summary of ``base``, and counts what
    the statistics of the build count (:meth:`counts`, the same as :func:`kg.building.counting.full_counts`
    over the built store)."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.graph = summary_graph(base)
        self.relations: dict[Key, _Relation] = {}
        self._ids: dict[str, int] = {}  # article IRIs → small numbers (the relations hold those)
        self._iris: list[str] = []  # and back
        self._claimants: dict[str, int] = {}  # claimant IRIs → bits
        self._terms: dict[str, str] = {}  # the relations' IRIs and dates, one copy each
        self._link = f"<{KG}assertion>"
        #: quads loaded so far (articles, links, registry, summary nodes: no two graphs share a quad)
        self.quads = 0
        self._local: Counter[str] = Counter()  # things of one article graph (its IRI or IRI#…): counted
        self._shared: dict[str, set[str]] = {}  # things several graphs may type (actors, places): kept
        self._claims: Counter[str] = Counter()
        self._shared_claims: dict[str, set[str]] = {}

    def count(self, counted: Iterable[ArticleCounts]) -> None:
        """Count what some article graphs type and claim."""
        categories = _categories()
        for article in counted:
            scope = article.graph + "#"
            local: set[tuple[str, str]] = set()
            for node, cls in article.typed:
                for category in categories.get(cls, ()):
                    if node == article.graph or node.startswith(scope):
                        local.add((node, category))
                    else:
                        self._shared.setdefault(category, set()).add(node)
            self._local.update(category for _, category in local)
            for claimant, claim in article.claims:
                if claim.startswith(scope):
                    self._claims[claimant] += 1
                else:
                    self._shared_claims.setdefault(claimant, set()).add(claim)

    def count_registry(self, nquads: str) -> None:
        """Count what a registry graph's N-Quads lines type (and its quads)."""
        categories = _categories()
        kind = f"<{RDF}type>"
        for line in nquads.splitlines():
            s, p, o, _ = line.split(" ", 3)
            if p == kind:
                for category in categories.get(o[1:-1], ()):
                    self._shared.setdefault(category, set()).add(s[1:-1])
        self.quads += nquads.count("\n")

    def counts(self, store: GraphStore) -> dict[str, Any]:
        """The statistics of the built store (``store``: for the claimants' labels), as ``full_counts``."""
        from kg.building.counting import claimant_labels

        def n(category: str) -> int:
            return self._local[category] + len(self._shared.get(category, ()))

        relations: Counter[str] = Counter()
        negated: Counter[str] = Counter()
        for (_, p, _), r in self.relations.items():
            (relations if r.asserted else negated)[p.removeprefix(KG)] += 1
        claims = Counter(self._claims)
        for claimant, found in self._shared_claims.items():
            claims[claimant] += len(found)
        return {"articles": n("articles"), "actors": n("actors"), "places": n("places"),
                "relations": sum(relations.values()), "negated": sum(negated.values()),
                "assertions": n("assertions"), "events": n("events"), "figures": n("figures"),
                "quads": self.quads, "relations_by_type": dict(sorted(relations.items())),
                "claims_by_claimant": claimant_labels(store, claims), "_claims": dict(sorted(claims.items())),
                "negated_by_type": dict(sorted(negated.items()))}

    def __len__(self) -> int:
        return len(self.relations)

    def _id(self, iri: str) -> int:
        n = self._ids.setdefault(iri, len(self._ids))
        if n == len(self._iris):
            self._iris.append(iri)
        return n

    def add(self, facts: Iterable[Fact]) -> bytes:
        """Fold some assertions in; returns their ``kg:assertion`` links as N-Quads (to load with them)."""
        lines = []
        tail = f" <{self.graph}> .\n"
        for s, p, o, assertion, article, claimant, reported, dated, negated, former in facts:
            key = (s, p, o)
            relation = self.relations.get(key)
            if relation is None:  # its key's IRIs kept once for all relations (each fact brings new copies)
                terms = self._terms
                key = (terms.setdefault(s, s), terms.setdefault(p, p), terms.setdefault(o, o))
                relation = self.relations[key] = _Relation(f"<{summary_node(s, p, o, self.base)}>")
            if negated:
                relation.denied = True
            else:  # the dates kept once, too
                terms = self._terms
                relation.fold(self._id(article), self._claimants.setdefault(claimant, len(self._claimants)),
                              reported if reported is None else terms.setdefault(reported, reported),
                              dated if dated is None else terms.setdefault(dated, dated), former)
            lines.append(f"{relation.node} {self._link} <{assertion}>{tail}")
        return "".join(lines).encode("utf-8")

    def nquads(self) -> Iterator[bytes]:
        """Every summary node's own quads (type, subject, predicate, object, flags, counts, dates, the articles that
        assert it and its lookup keys), in chunks."""
        lines: list[str] = []
        for n, (key, r) in enumerate(self.relations.items(), 1):
            node = r.node[1:-1]
            if r.asserted:
                lines += node_nquads(
                    key, node, self.graph, denied=r.denied, articles=[self._iris[i] for i in r.articles],
                    claimants=r.claimants.bit_count(), all_former=r.all_former,
                    dates=(None if r.unreported else r.first, None if r.unreported else r.last,
                           None if r.undated else r.first_dated, None if r.undated else r.last_dated))
            else:
                lines += node_nquads(key, node, self.graph, denied=r.denied)
            if n % _CHUNK == 0:
                self.quads += len(lines)
                yield "".join(lines).encode("utf-8")
                lines = []
        if lines:
            self.quads += len(lines)
            yield "".join(lines).encode("utf-8")
