"""Building: corpora → checked articles → RDF → the store (and/or a file), all or nothing.

Reading and mapping one article is a pure function of its files and its corpus (configuration and
registry), so :func:`build` can spread the articles over ``workers`` processes and redo only what changed:
each article graph records the hash of its files, its corpus configuration, its registry and the mapping
version, and an article whose hash is unchanged is not read again. Graphs of articles that are no longer in
the corpora are removed. Nothing is written unless every article is clean.

>>> from pathlib import Path
>>> report = build([Path("seeds")], store=GraphStore())
>>> report.ok, report.articles
(True, 1)
"""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.errors import KGError
from kg.mapping.identity import aliases_digest
from kg.mapping.rdf import article_iri, registry_graph, registry_to_quads
from kg.model import Problem
from kg.reading.corpus import ArticleFiles, Corpus, open_corpus
from kg.sparql.store import GraphStore, triples_text
from kg.vocab import KG

if TYPE_CHECKING:
    from kg.sparql.source import Source

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class BuildReport:
    """What a build did."""

    articles: int = 0
    mapped: int = 0
    unchanged: int = 0
    removed: int = 0
    problems: tuple[Problem, ...] = ()
    stats: dict[str, object] = field(default_factory=dict)
    skipped: tuple[Problem, ...] = ()  # what --skip-invalid left out

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def ok(self) -> bool:
        return not self.errors


def map_article(files: ArticleFiles, corpus: Corpus, content_hash: str,
                skip_invalid: bool = False) -> tuple[tuple[Problem, ...], str, tuple[Problem, ...]]:
    """One article through :func:`kg.mapping.pipeline.process_article`: its problems, its triples as
    N-Triples text, and what was left out (with ``skip_invalid``)."""
    from kg.mapping.pipeline import process_article

    result = process_article(files, corpus, content_hash=content_hash, skip_invalid=skip_invalid)
    graph = f" <{article_iri(files.id, corpus.config.base)}> .\n"
    return result.problems, result.nquads.replace(graph, " .\n"), result.skipped


_CORPORA: dict[Path, Corpus] = {}


def _map_in_worker(args: tuple[ArticleFiles, Path, str, bool]) -> tuple[tuple[Problem, ...], str,
                                                                        tuple[Problem, ...]]:
    """Map one article in a worker process, opening each corpus once per process."""
    files, root, content_hash, skip_invalid = args
    if root not in _CORPORA:
        _CORPORA[root] = open_corpus(root)
    return map_article(files, _CORPORA[root], content_hash, skip_invalid)


def build(
    paths: Sequence[Path],
    *,
    store: GraphStore,
    out: Path | None = None,
    workers: int = 1,
    force: bool = False,
    progress: Progress | None = None,
    skip_invalid: bool = False,
) -> BuildReport:
    """Build the corpora into ``store`` (and write ``out`` when given); all or nothing.

    Returns a report; when it has errors, the store is unchanged. With ``skip_invalid``, every record that
    fails a check is left out and listed in ``BuildReport.skipped``, and the rest is built.
    """
    corpora = [open_corpus(p) for p in paths]
    tasks: list[tuple[ArticleFiles, Corpus, str]] = []
    owners: dict[str, Path | None] = {}
    for corpus in corpora:
        corpus_hash = corpus.digest() + aliases_digest(corpus)  # another article's aliases can change this one
        for files in corpus.files:
            iri = article_iri(files.id, corpus.config.base)
            if iri in owners:
                raise KGError(f"two articles named {files.id!r}: in {owners[iri]} and {files.text}",
                              hint="rename one of them, or give the corpora different `base` IRIs in kg.toml")
            owners[iri] = files.text
            digest = hashlib.sha256((files.digest() + corpus_hash).encode()).hexdigest()
            tasks.append((files, corpus, digest))
    existing = {} if force else store.article_hashes()
    todo = [t for t in tasks if existing.get(article_iri(t[0].id, t[1].config.base)) != t[2]]
    problems: list[Problem] = [p for corpus in corpora for p in corpus.problems]  # files no reader knows
    skipped: list[Problem] = []
    with tempfile.TemporaryDirectory(prefix="kg-build-") as spill_dir:
        graphs = _Pending(Path(spill_dir))
        if progress:
            progress(0, len(todo))
        results = _run(todo, workers, skip_invalid)
        for done, ((files, corpus, _), (found, body, left_out)) in enumerate(zip(todo, results, strict=True), 1):
            problems.extend(found)
            skipped.extend(left_out)
            if not any(p.severity == "error" for p in problems):
                graphs.add(article_iri(files.id, corpus.config.base), body)
            if progress:
                progress(done, len(todo))
        if any(p.severity == "error" for p in problems):
            return BuildReport(articles=len(tasks), problems=tuple(problems), skipped=tuple(skipped))
        removed = [g for g in existing if g not in owners]
        _write(store, graphs, corpora, removed)
    if out is not None:
        store.dump(out)
    return BuildReport(
        articles=len(tasks), mapped=len(todo), unchanged=len(tasks) - len(todo), removed=len(removed),
        problems=tuple(problems), stats=store_stats(store), skipped=tuple(skipped),
    )


#: Up to this much N-Triples text, a build is written in one transaction; above it, in chunks of whole graphs.
ATOMIC_LIMIT = 64 * 1024 * 1024


class _Pending:
    """The graphs a build will write: kept in memory up to :data:`ATOMIC_LIMIT`, then spilled to chunk files."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.graphs: dict[str, str] = {}
        self.size = 0
        self.chunks: list[Path] = []
        self.names: list[str] = []

    def add(self, graph: str, body: str) -> None:
        self.names.append(graph)
        self.graphs[graph] = body
        self.size += len(body)
        if self.chunks or self.size > ATOMIC_LIMIT:
            self.spill(force=not self.chunks)

    def spill(self, *, force: bool = False) -> None:
        """Write the graphs held in memory as one N-Quads chunk, once there are enough of them (or ``force``)."""
        if not self.graphs or (not force and self.size < ATOMIC_LIMIT // 2):
            return
        chunk = self.folder / f"chunk-{len(self.chunks):05d}.nq"
        with chunk.open("w", encoding="utf-8") as f:
            for graph, body in self.graphs.items():
                f.write(body.replace(" .\n", f" <{graph}> .\n"))  # N-Triples escapes newlines in literals
        self.chunks.append(chunk)
        self.graphs.clear()
        self.size = 0


def _write(store: GraphStore, pending: _Pending, corpora: list[Corpus], removed: list[str]) -> None:
    """Write the mapped graphs, the registry graphs, and drop removed and stale graphs."""
    from kg.ontology import load_ontology

    ontology = load_ontology()
    registries: dict[str, list[Any]] = {}
    for corpus in corpora:
        registries.setdefault(registry_graph(corpus.config.base), []).extend(
            registry_to_quads(corpus.registry, ontology, base=corpus.config.base))
    for g, quads in registries.items():
        pending.add(g, triples_text(dict.fromkeys(quads)))
    old_registries = [g for g in store.graphs() if g.endswith("graph/registry") and g not in registries]
    drop = [*removed, *old_registries]
    if pending.chunks:
        pending.spill(force=True)
        store.replace_in_chunks(pending.chunks, drop=[*pending.names, *drop])
    else:
        store.replace(pending.graphs, drop=drop)


def _run(todo: list[tuple[ArticleFiles, Corpus, str]], workers: int,
         skip_invalid: bool = False) -> Iterator[tuple[tuple[Problem, ...], str, tuple[Problem, ...]]]:
    """Map the articles in order, one by one (so progress can be shown), over ``workers`` processes."""
    if workers <= 1 or len(todo) < 2 * workers:
        yield from (map_article(*t, skip_invalid) for t in todo)
        return
    jobs = [(files, corpus.root, content_hash, skip_invalid) for files, corpus, content_hash in todo]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        yield from pool.map(_map_in_worker, jobs, chunksize=max(1, min(64, len(jobs) // (workers * 8))))


def store_stats(store: Source) -> dict[str, object]:
    """Counts of articles, actors, places, relations by type, assertions, events, figures and claimants.

    Actor, place and event classes come from the ontology.
    """
    from kg.ontology import load_ontology

    ontology = load_ontology()

    def rows(query: str) -> list[Any]:
        result = store.select(query)  # kg's prefixes declared, on the store and on an endpoint
        return [dict(zip(result.variables, row, strict=True)) for row in result.rows]

    def typed(names: frozenset[str]) -> int:
        values = " ".join(f"kg:{n}" for n in sorted(names))
        query = f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ VALUES ?t {{ {values} }} ?x a ?t }}"
        return int(rows(query)[0]["n"].value)

    relations = {
        r["p"].value.removeprefix(KG): int(r["n"].value)
        for r in rows("SELECT ?p (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { "
                      "?a a kg:Assertion ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o } } GROUP BY ?p")
    }
    claimants = {
        (r["label"].value if r["label"] is not None else r["c"].value): int(r["n"].value)
        for r in rows("SELECT ?c (SAMPLE(?l) AS ?label) (COUNT(DISTINCT ?a) AS ?n) WHERE { ?a kg:claimant ?c . "
                      "OPTIONAL { ?c rdfs:label ?l FILTER(LANG(?l) = 'en' || LANG(?l) = '') } } "
                      "GROUP BY ?c ORDER BY DESC(?n) ?label")
    }
    return {
        "articles": typed(frozenset({"Article"})),
        "actors": typed(ontology.actor_types),
        "places": typed(ontology.place_types),
        "relations": sum(relations.values()),
        "assertions": typed(frozenset({"Assertion"})),
        "events": typed(ontology.event_types),
        "figures": typed(frozenset({"CasualtyFigure"})),
        "quads": int(rows("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")[0]["n"].value),
        "relations_by_type": dict(sorted(relations.items())),
        "claims_by_claimant": claimants,
    }


def render_stats(stats: dict[str, object]) -> str:
    """The statistics of :func:`store_stats` as aligned text lines (what ``kg stats`` prints).

    >>> print(render_stats({"articles": 1, "relations_by_type": {"commands": 2}}))  # doctest: +NORMALIZE_WHITESPACE
    articles           1
    actors             0
    places             0
    relations          0
    assertions         0
    events             0
    figures            0
    quads              0
    relations by type:
      commands             2
    """
    lines = [f"{key:<12}{stats.get(key, 0):>8}"
             for key in ("articles", "actors", "places", "relations", "assertions", "events", "figures", "quads")]
    for title, key, width in (("relations by type", "relations_by_type", 16),
                              ("claims by claimant", "claims_by_claimant", 48)):
        counts = stats.get(key) or {}
        if counts:
            lines.append(f"{title}:")
            lines.extend(f"  {name:<{width}}{n:>6}" for name, n in counts.items())  # type: ignore[attr-defined]
    return "\n".join(lines)
