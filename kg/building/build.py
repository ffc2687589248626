"""Building: corpora → checked articles → RDF → a new generation of the store, swapped in whole.

Reading and mapping one article is a pure function of its files and its corpus, so :func:`build` spreads
the articles over an executor (worker processes, a Dask cluster) and redoes only what changed: each article
graph records a content hash (:mod:`kg.building.fingerprint`: its files, corpus configuration, registry,
the ontology, kg's version and mapping code), and an article whose hash is unchanged is not read again.

The mapped N-Quads stream into Oxigraph's bulk loader as they arrive, into a shadow of the store: a fresh
store for a full build, a hard-linked checkpoint for an incremental one, which drops the changed and removed
articles' graphs first. The relation summary (:mod:`kg.building.summary`) and the store's statistics
(:mod:`kg.building.counting`: kept in the store, corrected by what changed) are brought up to date in the
shadow, which is then compacted (after a large change) and swapped in by one atomic rename
(:class:`kg.sparql.store.Shadow`). So the
store is the previous one or the new one, whatever stops the build; it is unchanged when any article has
an error; and a build that would remove every article needs ``allow_empty``.

>>> from pathlib import Path
>>> report = build([Path("seeds")], store=GraphStore())
>>> report.ok, report.articles
(True, 1)
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from kg.building import display_names
from kg.building.article import Batch, BatchResult, Item, map_batch
from kg.building.collect import Collector
from kg.building.counting import Tally, full_counts, public, read_counts, write_counts
from kg.building.executors import Executor, Processes, Serial
from kg.building.fingerprint import Stamps, code_fingerprint, content_hash
from kg.building.stats import store_stats
from kg.building.summary import (
    RECOMPUTE_ABOVE,
    Key,
    assertions_in_graphs,
    drop_nodes,
    keys_in_graphs,
    linked_assertions,
    summarise,
    summary_graph,
)
from kg.errors import KGError
from kg.mapping.identity import aliases_digest, holds_words
from kg.model import Problem
from kg.reading.corpus import ArticleFiles, Corpus, open_corpus
from kg.sparql.store import GraphStore, Shadow

Progress = Callable[[int, int], None]
#: Told the name of each stage after mapping (writing and summarising, counting, compacting), for long builds.
Stage = Callable[[str], None]

#: Articles mapped together in one task (and one shard).
BATCH = 64


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


@dataclass
class _Plan:
    corpora: list[Corpus]
    items: list[tuple[Corpus, Item]]
    todo: list[tuple[Corpus, Item]]
    removed: list[str]
    existing: dict[str, str]


def _plan(paths: Sequence[Path], store: GraphStore, force: bool, skip_invalid: bool) -> _Plan:
    from kg.mapping.rdf import article_iri

    corpora = [open_corpus(p, strict=not skip_invalid) for p in paths]
    code = code_fingerprint()
    items: list[tuple[Corpus, Item]] = []
    owners: dict[str, Path | None] = {}
    stamps = Stamps(store.path)  # what unchanged files held: not read again

    def may_hold(files: ArticleFiles, words: tuple[str, ...]) -> bool:
        name = f"words {' '.join(words)} {files.annotation}"
        return bool(stamps.get(name, [files.annotation], lambda: holds_words(files, words)))

    for corpus in corpora:
        # another article's aliases can change this one
        corpus_hash = corpus.digest() + aliases_digest(corpus, may_hold=may_hold)
        for files in corpus.files:
            iri = article_iri(files.id, corpus.config.base)
            if iri in owners:
                raise KGError(f"two articles named {files.id!r}: in {owners[iri]} and {files.text}",
                              hint="rename one of them, or give the corpora different `base` IRIs in kg.toml")
            owners[iri] = files.text
            parts = [files.text, files.annotation, files.metadata]
            digest = content_hash(stamps.get(f"digest {files.text} {files.annotation} {files.metadata}", parts,
                                             files.digest), corpus_hash, code)
            items.append((corpus, Item(files, iri, digest, skip_invalid)))
    stamps.save()
    existing = store.article_hashes()
    todo = items if force else [(c, i) for c, i in items if existing.get(i.graph) != i.content_hash]
    removed = sorted(g for g in existing if g not in owners)
    return _Plan(corpora, items, todo, removed, existing)


def _batches(todo: list[tuple[Corpus, Item]], shards: Path | None) -> Iterator[Batch]:
    """The articles to map in batches of one corpus each; with ``shards``, each names its shard file."""
    n = 0
    start = 0
    while start < len(todo):
        corpus = todo[start][0]
        stop = start
        while stop < len(todo) and stop - start < BATCH and todo[stop][0] is corpus:
            stop += 1
        shard = shards / f"shard-{n:05d}.nq" if shards is not None else None
        yield Batch(corpus.root, tuple(item for _, item in todo[start:stop]), shard)
        n += 1
        start = stop


def build(
    paths: Sequence[Path],
    *,
    store: GraphStore,
    out: Path | None = None,
    workers: int = 1,
    executor: Executor | None = None,
    force: bool = False,
    allow_empty: bool = False,
    progress: Progress | None = None,
    skip_invalid: bool = False,
    stage: Stage | None = None,
) -> BuildReport:
    """Build the corpora into ``store`` (and write ``out`` when given); all or nothing.

    ``executor`` runs the per-article work (default: ``workers`` local processes). ``out`` is an RDF file
    (``.trig``, ``.nq``, …), or a folder (a path without a suffix, or an existing folder) that receives the
    whole graph as N-Quads shards (articles, registry and relation summary) for any server's bulk loader;
    every article is then mapped, as with ``force``.
    ``progress`` is told how many articles are mapped; ``stage`` the name of each later stage.
    Returns a report; when it has errors, the store is unchanged. With ``skip_invalid``, every record that
    fails a check is left out and listed in ``BuildReport.skipped``, and the rest is built.
    """
    from kg.building.shards import is_shard_folder, prepare_shard_folder

    shard_dir = out if out is not None and is_shard_folder(out) else None
    force = force or shard_dir is not None  # shards hold the whole graph: every article is mapped
    plan = _plan(paths, store, force, skip_invalid)
    if not plan.items and plan.existing and not allow_empty:
        raise KGError(f"the corpora hold no article, and the build would remove all {len(plan.existing)} "
                      f"article(s) of the store: {', '.join(str(p) for p in paths)}",
                      hint="check the corpus folder's name; give --allow-empty to empty the store")
    if executor is None:  # a change that fits in one batch is mapped here: starting workers costs more
        executor = executor_for(workers if len(plan.todo) > BATCH else 1)
    with store.build_lock():
        keep_shards = shard_dir is not None
        if shard_dir is None and executor.remote:  # results travel as files in the store folder
            import tempfile

            shard_dir = Path(tempfile.mkdtemp(prefix=".shards-", dir=store.path))
        if shard_dir is not None:
            prepare_shard_folder(shard_dir)
        try:
            report = _build_locked(plan, store, executor, force=force, shards=shard_dir, progress=progress,
                                       stage=stage or (lambda _: None))
        finally:
            if shard_dir is not None and not keep_shards:
                import shutil

                shutil.rmtree(shard_dir, ignore_errors=True)
    if report.ok and out is not None and shard_dir is None:
        store.dump(out)
    return report


def _build_locked(plan: _Plan, store: GraphStore, executor: Executor, *, force: bool, shards: Path | None,
                  progress: Progress | None, stage: Stage) -> BuildReport:
    from kg.building.shards import write_registry_and_summary

    registries = _registry_graphs(plan.corpora)
    base = plan.corpora[0].config.base if plan.corpora else None
    stale_registries = [g for g in store.graphs() if g.endswith("graph/registry") and g not in registries]
    nothing_to_do = not plan.todo and not plan.removed and not stale_registries and shards is None
    if nothing_to_do:
        kept = read_counts(store, base) if base is not None else None
        kept = kept if kept is not None and kept.get("articles") == len(plan.existing) else None
        return BuildReport(articles=len(plan.items), unchanged=len(plan.items),
                           stats=public(kept) if kept is not None else store_stats(store),
                           problems=tuple(p for c in plan.corpora for p in c.problems))
    full = force or not plan.existing or len(plan.todo) == len(plan.items)
    shadow = store.shadow(fresh=full)
    try:
        changed: set[Key] = set()
        kept = read_counts(shadow.view, base) if base is not None and not full else None
        if kept is not None and kept.get("articles") != len(plan.existing):
            kept = None  # written to by other means since: counted again
        tally: Tally | None = None
        digests = {g: hashlib.sha256(body.encode("utf-8")).hexdigest() for g, body in registries.items()}
        # a registry graph the last build wrote the same (as its kept counts say) stays as it is
        same = dict(kept.get("_registries") or {}) if kept is not None else {}
        load = {g: body for g, body in registries.items() if same.get(g) != digests[g]}
        if not full:
            dropped = [i.graph for _, i in plan.todo if i.graph in plan.existing] + plan.removed
            changed = keys_in_graphs(shadow.view, dropped)
            old = [*dropped, *load, *stale_registries]
            if kept is not None:
                tally = Tally(shadow.view, old)  # what the graphs about to be dropped hold
            for start in range(0, len(old), 200):
                shadow.update(";\n".join(f"DROP SILENT GRAPH <{g}>" for g in old[start:start + 200]))
        collector = Collector(base) if full and base is not None else None  # the summary, as articles load
        problems, skipped = _load_articles(shadow, plan, executor, shards, progress, collector)
        if any(p.severity == "error" for p in problems):
            shadow.discard()
            return BuildReport(articles=len(plan.items), problems=tuple(problems), skipped=tuple(skipped))
        stage("writing the registry and the relation summary")
        shadow.bulk_load(_registry_nquads(load))
        if collector is not None:
            for body in load.values():
                collector.count_registry(body)
        stats: dict[str, object] | None = None
        if base is not None:
            mapped = [i.graph for _, i in plan.todo]
            rewritten = _update_summary(shadow, base, full, changed, mapped, tally, collector)
            named = display_names.rewrite(shadow, summary_graph(base))
            stage("counting")
            counts = (tally.apply(kept, [*mapped, *load], rewritten, base)
                      if tally is not None and kept is not None and rewritten is not None else None)
            if counts is not None:
                counts["quads"] = int(counts["quads"]) + named
            else:
                if collector is not None:
                    collector.quads += named
                counts = collector.counts(shadow.view) if collector is not None else full_counts(shadow.view)
                counts["quads"] = int(counts["quads"]) + 1  # the quad that keeps them
            counts["_registries"] = dict(sorted(digests.items()))
            write_counts(shadow, counts, base)
            stats = public(counts)
        if shards is not None:
            write_registry_and_summary(shards, shadow.view, registries, base)
        stage("compacting and swapping in the new store")
        # compacted after a full build too: its segments stay in RocksDB's first levels otherwise, and the next
        # incremental builds wait on the background compactions (one edit at 10,000 articles: 20, 25, 87 s)
        shadow.commit(optimize=full or len(plan.todo) > len(plan.items) // 10)
    except BaseException:
        shadow.discard()
        raise
    if stats is None:  # no corpus base: nothing to keep the counts on
        stats = store_stats(store)
    return BuildReport(
        articles=len(plan.items), mapped=len(plan.todo), unchanged=len(plan.items) - len(plan.todo),
        removed=len(plan.removed), problems=tuple(problems), stats=stats, skipped=tuple(skipped),
    )


def _load_articles(shadow: Shadow, plan: _Plan, executor: Executor, shards: Path | None, progress: Progress | None,
                   collector: Collector | None = None) -> tuple[list[Problem], list[Problem]]:
    """Map the articles on the executor and stream their quads into the shadow's bulk loader; returns the
    problems (files no reader knows among them) and what ``skip_invalid`` left out. A ``collector`` is
    given every assertion (and its links to the summary nodes load with the articles)."""
    problems: list[Problem] = [p for corpus in plan.corpora for p in corpus.problems]
    skipped: list[Problem] = [p for corpus in plan.corpora for p in corpus.registry.problems]
    total = len(plan.todo)
    if progress:
        progress(0, total)
    if isinstance(executor, Serial):  # the corpus objects are at hand: no need to reopen them
        corpora = {c.root: c for c in plan.corpora}
        results: Iterator[BatchResult] = (map_batch(b, corpora[b.root]) for b in _batches(plan.todo, shards))
    else:
        results = executor.map(map_batch, _batches(plan.todo, shards))

    def chunks() -> Iterator[bytes]:
        done = 0
        failed = False
        for result in results:
            problems.extend(result.problems)
            skipped.extend(result.skipped)
            failed = failed or result.failed
            done += result.articles
            if progress:
                progress(done, total)
            if failed:
                continue  # keep mapping, to report every problem; nothing more is loaded
            data = result.shard.read_bytes() if result.shard is not None else result.nquads
            if data:  # one batch: a few MB, and whole lines (a segment must end at one)
                yield data
            if collector is not None:
                links = collector.add(result.assertions)
                collector.count(result.counted)
                collector.quads += data.count(b"\n") + links.count(b"\n")
                yield links

    shadow.bulk_load(chunks())
    return problems, skipped


def _registry_graphs(corpora: list[Corpus]) -> dict[str, str]:
    """Registry graph IRI → its triples as N-Quads lines, for every corpus's registry."""
    from kg.mapping.rdf import registry_graph, registry_to_quads
    from kg.ontology import load_ontology

    ontology = load_ontology()
    graphs: dict[str, dict[str, None]] = {}
    for corpus in corpora:
        lines = graphs.setdefault(registry_graph(corpus.config.base), {})
        for q in registry_to_quads(corpus.registry, ontology, base=corpus.config.base):
            lines[f"{q.subject} {q.predicate} {q.object} <{q.graph_name.value}> .\n"] = None  # type: ignore[union-attr]
    return {g: "".join(lines) for g, lines in graphs.items()}


def _registry_nquads(registries: dict[str, str]) -> Iterator[bytes]:
    for body in registries.values():
        yield body.encode("utf-8")


def _update_summary(shadow: Shadow, base: str, full: bool, changed: set[Key], mapped: list[str],
                    tally: Tally | None, collector: Collector | None = None) -> set[Key] | None:
    """Write the relation summary into the shadow: all of it, or the relations a change touched (returned;
    None when it was all rewritten). ``tally`` is told the nodes before they are rewritten. A full build
    that gathered its summary while loading (``collector``) writes that, without a pass over the store."""
    graph = summary_graph(base)
    fresh: dict[Key, set[str]] = {}
    if not full:
        fresh = assertions_in_graphs(shadow.view, mapped)
        changed |= fresh.keys()
        if len(changed) > RECOMPUTE_ABOVE:
            full = True
    if collector is not None:
        shadow.bulk_load(collector.nquads())
        return None
    if full:
        shadow.update(f"DROP SILENT GRAPH <{graph}>")
        shadow.bulk_load(summarise(shadow.view, base))
        return None
    if tally is not None:
        tally.summary_changing(changed, base)
    # each changed relation's assertions: those its node linked (still in the store unless their article
    # was dropped) and those of the articles just mapped
    members = linked_assertions(shadow.view, changed, base)
    for key, found in fresh.items():
        members[key] |= found
    for update in drop_nodes(changed, base):
        shadow.update(update)
    shadow.bulk_load(summarise(shadow.view, base, members))
    return changed


def executor_for(workers: int = 1, dask: str | None = None) -> Executor:
    """The executor the CLI's ``--workers N`` / ``--dask SCHEDULER`` ask for.

    >>> type(executor_for(1)).__name__, type(executor_for(2)).__name__
    ('Serial', 'Processes')
    """
    if dask is not None:
        from kg.building.cluster import DaskExecutor

        return DaskExecutor(dask, workers=workers if workers > 1 else None)
    return Processes(workers) if workers > 1 else Serial()
