"""The ``kg`` command line: each command parses its options, calls one library function, prints.

Errors a user can cause are :class:`kg.errors.KGError`: printed as one line on stderr, exit status 1,
never a traceback. Usage errors exit with status 2.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from kg.errors import KGError

if TYPE_CHECKING:
    from kg.store import GraphStore

app = typer.Typer(
    name="kg",
    help="Annotated news articles → an RDF knowledge graph of who commands, allies with, supports and "
    "fights whom.\n\nStart with `kg demo`.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    add_completion=False,
    rich_markup_mode=None,
)

StoreOption = Annotated[
    Path | None,
    typer.Option("--store", "-s", help="Store folder (default: $KG_STORE, else .kg-store in the working directory)."),
]


def fail(exc: KGError | str) -> NoReturn:
    """Print one line on stderr and exit 1."""
    typer.echo(f"Error: {exc}", err=True)
    raise typer.Exit(1)


def echo_json(value: object) -> None:
    typer.echo(json.dumps(value, ensure_ascii=False, indent=2))


def open_store(path: Path | None, *, read_only: bool = False):  # type: ignore[no-untyped-def]
    from kg.store import GraphStore

    try:
        return GraphStore.open(path, read_only=read_only)
    except KGError as exc:
        fail(exc)


def print_stats(stats: dict[str, object], fmt: str = "table") -> None:
    if fmt == "json":
        echo_json(stats)
        return
    for key in ("articles", "actors", "places", "relations", "assertions", "events", "figures", "quads"):
        typer.echo(f"{key:<12}{stats.get(key, 0):>8}")
    by_type = stats.get("relations_by_type") or {}
    if by_type:
        typer.echo("relations by type:")
        for name, n in by_type.items():  # type: ignore[attr-defined]
            typer.echo(f"  {name:<16}{n:>6}")
    claimants = stats.get("claims_by_claimant") or {}
    if claimants:
        typer.echo("claims by claimant:")
        for name, n in claimants.items():  # type: ignore[attr-defined]
            typer.echo(f"  {name:<48}{n:>6}")


@app.command()
def build(
    corpus: Annotated[list[Path], typer.Argument(help="Corpus folders (kg.toml, actors.yaml, articles/).")],
    store: StoreOption = None,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Also write the graph to a file: "
                                             ".trig, .nq, .ttl, .nt or .jsonld.")] = None,
    workers: Annotated[int, typer.Option(help="Processes that read and map articles.", min=1)] = 1,
    force: Annotated[bool, typer.Option(help="Redo every article, changed or not.")] = False,
    memory: Annotated[bool, typer.Option("--memory", help="Build in memory only (with --out).")] = False,
    fmt: Annotated[str, typer.Option("--format", help="Summary format: table or json.")] = "table",
) -> None:
    """Build corpora into the store (and/or a file): all or nothing.

    Example: kg build seeds --out seeds.trig
    """
    from kg.store import GraphStore

    target = GraphStore() if memory else open_store(store)
    with target:
        _build_into(target, corpus, out=out, workers=workers, force=force, fmt=fmt)


def _build_into(target: GraphStore, corpus: list[Path], *, out: Path | None, workers: int, force: bool,
                fmt: str) -> None:
    from kg.build import build as run_build

    bar = None

    def progress(done: int, total: int) -> None:
        nonlocal bar
        if total < 50 or not sys.stderr.isatty():
            return
        if bar is None:
            bar = typer.progressbar(length=total, label="mapping articles", file=sys.stderr)
            bar.__enter__()
        bar.update(1 if done else 0)
        if done == total:
            bar.__exit__(None, None, None)

    try:
        report = run_build(corpus, store=target, out=out, workers=workers, force=force, progress=progress)
    except KGError as exc:
        fail(exc)
    for problem in report.problems:
        typer.echo(str(problem), err=True)
    if not report.ok:
        fail(f"{len(report.errors)} problem(s) in the annotations; the store was not changed")
    if fmt == "json":
        echo_json({"articles": report.articles, "mapped": report.mapped, "unchanged": report.unchanged,
                   "removed": report.removed, "warnings": len(report.problems), **report.stats})
        return
    typer.echo(f"built {report.articles} article(s): {report.mapped} mapped, {report.unchanged} unchanged, "
               f"{report.removed} removed" + (f" → {out}" if out else ""))
    print_stats(report.stats)


@app.command()
def check(
    corpus: Annotated[list[Path], typer.Argument(help="Corpus folders to check.")],
    shacl: Annotated[bool, typer.Option("--shacl", help="Also build in memory and validate the graph "
                                        "against the SHACL shapes.")] = False,
) -> None:
    """Check annotations: offsets, span text, types, ids, domain and range. Exit 1 on problems.

    Example: kg check seeds
    """
    from kg.check import check_corpus

    problems = check_corpus(corpus)
    for problem in problems:
        typer.echo(str(problem))
    errors = [p for p in problems if p.severity == "error"]
    if not errors and shacl:
        from kg.build import build as run_build
        from kg.shapes import validate
        from kg.store import GraphStore

        try:
            mem = GraphStore()
            run_build(corpus, store=mem)
            conforms, report = validate(mem)
        except KGError as exc:
            fail(exc)
        if not conforms:
            typer.echo(report)
            fail("the graph does not conform to the SHACL shapes")
    if errors:
        typer.echo(f"{len(errors)} problem(s)", err=True)
        raise typer.Exit(1)
    typer.echo(f"ok: {', '.join(str(c) for c in corpus)}" + (" (SHACL conforms)" if shacl else ""))


@app.command()
def stats(
    store: StoreOption = None,
    fmt: Annotated[str, typer.Option("--format", help="table or json.")] = "table",
) -> None:
    """Counts of articles, actors, relations by type and claimants in the store.

    Example: kg stats --format json
    """
    from kg.build import store_stats

    with open_store(store, read_only=True) as st:
        print_stats(store_stats(st), fmt)


@app.command()
def types(
    brat: Annotated[bool, typer.Option("--brat", help="Print a brat annotation.conf instead.")] = False,
    visual: Annotated[bool, typer.Option("--visual", help="Print a brat visual.conf instead.")] = False,
) -> None:
    """List the ontology's entity, relation and event types (or write brat configuration).

    Example: kg types --brat > annotation.conf
    """
    from kg.ontology import annotation_conf, load_ontology, visual_conf

    ont = load_ontology()
    if brat:
        typer.echo(annotation_conf(ont))
        return
    if visual:
        typer.echo(visual_conf(ont))
        return
    for title, names in (("entity types", ont.entity_types), ("relation types", ont.relation_types),
                         ("event types", ont.event_types), ("event roles", ont.roles),
                         ("figure kinds", ont.figure_kinds)):
        typer.echo(f"{title}:")
        for name in sorted(names):
            term = ont.term(name)
            typer.echo(f"  {name:<20}{term.label_en} | {term.label_ar}")


@app.command()
def demo(
    store: StoreOption = None,
    out: Annotated[Path, typer.Option("--out", "-o", help="Where to write the HTML view.")] = Path("kg-demo.html"),
    corpus: Annotated[Path | None, typer.Option(help="Corpus to build (default: the seed corpus).")] = None,
) -> None:
    """Build the seed corpus, print stats and who commands, supports and allies with whom, write a view.

    Example: kg demo --out demo.html
    """
    from kg.demo import run_demo

    try:
        run_demo(corpus=corpus, store_path=store, out=out, echo=typer.echo)
    except KGError as exc:
        fail(exc)


@app.command()
def annotate(
    article: Annotated[Path, typer.Argument(help="The article's text file (NAME.txt).")],
    registry: Annotated[Path | None, typer.Option(help="actors.yaml to search for (default: the corpus's, "
                                                  "found beside or above the article).")] = None,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Write the draft here (default: stdout). "
                                             "An existing file is never overwritten.")] = None,
    language: Annotated[str | None, typer.Option(help="Article language (ar, en).")] = None,
) -> None:
    """Draft a YAML sidecar for an article: every registry name found in its text, with offsets.

    Example: kg annotate corpus/articles/new.txt -o corpus/articles/new.yaml
    """
    from kg.annotate import annotate_file
    from kg.resolve import read_registry

    if not article.is_file():
        fail(f"{article}: no such file (give the article's .txt file)")
    if registry is None:
        registry = next((d / "actors.yaml" for d in article.resolve().parents if (d / "actors.yaml").is_file()),
                        None)
    try:
        draft = annotate_file(article, read_registry(registry), language=language)
    except KGError as exc:
        fail(exc)
    if out is None:
        typer.echo(draft, nl=False)
        return
    if out.exists():
        fail(f"{out} exists; choose another --out or remove it first")
    out.write_text(draft, encoding="utf-8")
    typer.echo(f"draft written to {out}: check every mention, then add relations and events")


@app.command()
def view(
    out: Annotated[Path, typer.Option("--out", "-o", help="The HTML file to write.")] = Path("kg-view.html"),
    store: StoreOption = None,
    center: Annotated[str | None, typer.Option(help="Centre actor: a label (Arabic or English) or an IRI.")] = None,
    depth: Annotated[int, typer.Option(help="With --center: how many steps from the centre.", min=0)] = 1,
    relations: Annotated[str | None, typer.Option(help="Relation types to draw, comma-separated "
                                                  "(sub-relations included), e.g. commands,supports.")] = None,
    actor_types: Annotated[str | None, typer.Option("--actor-types", help="Actor types to draw, "
                                                    "comma-separated, e.g. Person,ArmedGroup.")] = None,
    since: Annotated[str | None, typer.Option(help="Only claims dated on or after: YYYY[-MM[-DD]].")] = None,
    until: Annotated[str | None, typer.Option(help="Only claims dated on or before: YYYY[-MM[-DD]].")] = None,
    min_sources: Annotated[int, typer.Option("--min-sources", help="Fewest independent articles a relation "
                                             "needs.", min=1)] = 1,
    places: Annotated[bool, typer.Option("--places", help="Also draw places (controls, based at, …).")] = False,
    lang: Annotated[str, typer.Option(help="Labels: ar, en or both.")] = "both",
    title: Annotated[str | None, typer.Option(help="Title of the page.")] = None,
) -> None:
    """Write an interactive HTML view of the actor network (one self-contained file, works offline).

    Example: kg view --center "Khalifa Haftar" --depth 2 --lang ar -o haftar.html
    """
    from kg.views import write_view

    with open_store(store, read_only=True) as st:
        try:
            summary = write_view(st, out, center=center, depth=depth, relations=_names_list(relations),
                                 actor_types=_names_list(actor_types), since=since, until=until,
                                 min_sources=min_sources, include_places=places, lang=lang, title=title)
        except KGError as exc:
            fail(exc)
    typer.echo(f"wrote {out}: {summary.nodes} actors, {summary.edges} relations "
               f"({summary.bytes / 1e6:.1f} MB)")


def _names_list(value: str | None) -> list[str] | None:
    """``a,b`` → ``["a", "b"]``; nothing → None."""
    return [v.strip() for v in value.split(",") if v.strip()] if value else None


EndpointOption = Annotated[
    str | None,
    typer.Option("--endpoint", help="Read from this SPARQL 1.1 endpoint (one that keeps the article graphs, "
                 "e.g. `kg serve`) instead of the store."),
]
RelationsOption = Annotated[str | None, typer.Option(help="Relation types, comma-separated (sub-relations "
                                                     "included), e.g. alliedWith,supports.")]
ActorTypesOption = Annotated[str | None, typer.Option("--actor-types", help="Actor types, comma-separated "
                                                      "(sub-types included), e.g. Person,ArmedGroup.")]
SinceOption = Annotated[str | None, typer.Option(help="Only claims dated on or after: YYYY[-MM[-DD]].")]
UntilOption = Annotated[str | None, typer.Option(help="Only claims dated on or before: YYYY[-MM[-DD]].")]
AsOfOption = Annotated[str | None, typer.Option("--as-of", help="The network as reported on or before this "
                                                "date: YYYY[-MM[-DD]].")]
MinSourcesOption = Annotated[int, typer.Option("--min-sources", help="Fewest independent articles a relation "
                                               "needs.", min=1)]
CurrentOption = Annotated[bool, typer.Option("--current", help="Leave out claims flagged former or intended.")]


def _network_source(store: Path | None, endpoint: str | None):  # type: ignore[no-untyped-def]
    """The endpoint URL if given, else the store opened read-only."""
    return endpoint if endpoint else open_store(store, read_only=True)


@app.command()
def analyze(
    analysis: Annotated[str, typer.Argument(help="summary, centrality, blocs, balance, chains, "
                                            "path ACTOR ACTOR, or ego ACTOR.")] = "summary",
    actors: Annotated[list[str] | None, typer.Argument(help="Actor names for path and ego (Arabic or "
                                                       "English label, alias, or IRI).", show_default=False)] = None,
    store: StoreOption = None,
    endpoint: EndpointOption = None,
    fmt: Annotated[str, typer.Option("--format", help="table or json.")] = "table",
    measure: Annotated[str | None, typer.Option(help="Centrality: degree, betweenness, eigenvector or pagerank "
                                                "(default: all four; the summary shows degree and "
                                                "betweenness).")] = None,
    top: Annotated[int, typer.Option(help="How many actors per centrality measure, and how many unbalanced "
                                     "triangles to list.", min=1)] = 10,
    radius: Annotated[int, typer.Option(help="Ego network: steps from the actor.", min=0)] = 1,
    alliances_only: Annotated[bool, typer.Option("--alliances-only", help="Blocs from alliances alone "
                                                 "(default: the signed network, where command, membership, "
                                                 "alliance and support tie and hostility divides).")] = False,
    weak: Annotated[bool, typer.Option("--weak", help="Balance: count three mutual enemies as balanced.")] = False,
    seed: Annotated[int, typer.Option(help="Seed of community detection (results repeat for a seed).")] = 0,
    relations: RelationsOption = None,
    actor_types: ActorTypesOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    as_of: AsOfOption = None,
    min_sources: MinSourcesOption = 1,
    current: CurrentOption = False,
) -> None:
    """Analyse the actor network: centrality, alliance blocs, structural balance, command chains, paths.

    Example: kg analyze path "Khalifa Haftar" "سرايا الدفاع عن بنغازي" --format json
    """
    from kg.analyze import render, run

    if fmt not in ("table", "json"):
        fail(f"unknown format {fmt!r} (use table or json)")
    source = _network_source(store, endpoint)
    try:
        report = run(source, analysis, actors or (), measure=measure, top=top, radius=radius, seed=seed,
                     signed=not alliances_only, strict=not weak, relations=_names_list(relations),
                     actor_types=_names_list(actor_types), since=since, until=until, as_of=as_of,
                     min_sources=min_sources, exclude_flags=("former", "intended") if current else ())
    except KGError as exc:
        fail(exc)
    finally:
        if not isinstance(source, str):
            source.close()
    if fmt == "json":
        echo_json(report)
    else:
        typer.echo(render(report))


@app.command()
def export(
    out: Annotated[Path, typer.Option("--out", "-o", help="The file to write (CSV: the dyads; the node list "
                                      "goes beside it as NAME.nodes.csv).")],
    fmt: Annotated[str | None, typer.Option("--format", help="graphml, gexf, csv (the actor network) or trig, "
                                            "nq, ttl, jsonld (the RDF dataset); default: from the suffix.")] = None,
    store: StoreOption = None,
    endpoint: EndpointOption = None,
    projection: Annotated[str | None, typer.Option(help="Write a projection instead of the whole network: "
                                                   "alliance, support, command or signed.")] = None,
    relations: RelationsOption = None,
    actor_types: ActorTypesOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    as_of: AsOfOption = None,
    min_sources: MinSourcesOption = 1,
    current: CurrentOption = False,
    places: Annotated[bool, typer.Option("--places", help="Include places (controls, based at, …).")] = False,
    events: Annotated[bool, typer.Option("--events", help="Include events and their participants.")] = False,
) -> None:
    """Export the RDF dataset, or the actor network for Gephi, Cytoscape and spreadsheets.

    Example: kg export --format gexf -o actors.gexf --min-sources 2
    """
    from kg.export import RDF_FORMATS, export_format
    from kg.export import export as run_export

    try:
        chosen = export_format(out, fmt)
    except KGError as exc:
        fail(exc)
    filters: dict[str, object] = {}
    if chosen not in RDF_FORMATS:
        filters = {"relations": _names_list(relations), "actor_types": _names_list(actor_types), "since": since,
                   "until": until, "as_of": as_of, "min_sources": min_sources, "include_places": places,
                   "include_events": events, "exclude_flags": ("former", "intended") if current else ()}
    elif any((relations, actor_types, since, until, as_of, min_sources != 1, current, places, events, projection)):
        fail(f"{chosen} export writes the whole RDF dataset; filters apply to graphml, gexf and csv")
    source = _network_source(store, endpoint)
    try:
        written = run_export(source, out, chosen, projection=projection, **filters)
    except KGError as exc:
        fail(exc)
    finally:
        if not isinstance(source, str):
            source.close()
    typer.echo("wrote " + ", ".join(str(p) for p in written))


@app.command()
def query(
    text: Annotated[str | None, typer.Argument(
        metavar="QUERY", help="SPARQL text, @file.rq, or the name of a saved query (see --list).")] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table, csv, tsv, json (SPARQL results JSON); "
                                     "CONSTRUCT/DESCRIBE print Turtle (also: turtle, ntriples).")] = "table",
    param: Annotated[list[str] | None, typer.Option(
        "--param", "-p", help="NAME=VALUE, bound as one RDF term (repeatable). <IRI> or http(s)/urn IRIs, "
        "numbers, ISO dates, text@ar, else a string; actor parameters of saved queries also take names.")] = None,
    graph: Annotated[list[str] | None, typer.Option(
        "--graph", "-g", help="Query only these graphs (repeatable; default: the union of all graphs).")] = None,
    timeout: Annotated[float | None, typer.Option(help="Stop the query after this many seconds.", min=0.001)] = None,
    endpoint: Annotated[str | None, typer.Option(help="Ask this SPARQL endpoint instead of the store.")] = None,
    list_saved: Annotated[bool, typer.Option("--list", help="List the saved queries and their parameters.")] = False,
    store: StoreOption = None,
) -> None:
    """Ask the graph a SPARQL question: ad hoc, from a file, or a saved one by name.

    Example: kg query commanders --param group="سرايا الدفاع عن بنغازي"
    """
    from kg.query import parse_params, run_query, saved_queries

    try:
        if list_saved:
            for saved in saved_queries().values():
                typer.echo(f"{saved.name:<20}{saved.title}")
                for p in saved.params:
                    how = ", ".join([p.kind] + ([f"default {p.default}"] if p.default else [])
                                    + ([] if p.required or p.default else ["optional"]))
                    typer.echo(f"{'':<22}--param {p.name}=…  ({how}) {p.help}")
            return
        if text is None:
            fail("give a QUERY (SPARQL text, @file.rq or a saved query name), or --list")
        params = parse_params(param or [])
        if endpoint:
            result = run_query(endpoint, text, params=params, graph=graph, timeout=timeout)
        else:
            with open_store(store, read_only=True) as st:
                result = run_query(st, text, params=params, graph=graph, timeout=timeout)
        out = result.format(fmt)
        typer.echo(out, nl=not out.endswith("\n"))
    except KGError as exc:
        fail(exc)


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on (127.0.0.1: this machine only).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.", min=1, max=65535)] = 7878,
    allow_update: Annotated[bool, typer.Option("--allow-update", help="Accept SPARQL updates "
                                               "(default: read-only, updates get 403).")] = False,
    timeout: Annotated[float, typer.Option(help="Stop a query after this many seconds (whole seconds).",
                                           min=1)] = 30,
    max_results: Annotated[int, typer.Option(help="Refuse answers of more rows or triples than this "
                                             "(413); 0: no limit.", min=0)] = 100_000,
    store: StoreOption = None,
) -> None:
    """Serve the store as a SPARQL 1.1 endpoint (GET/POST /query; JSON, XML, CSV, TSV by Accept).

    Example: kg serve --port 7878   (then: kg query --endpoint http://127.0.0.1:7878/query commanders -p group=LNA)
    """
    from kg.serve import serve as run_serve
    from kg.store import default_store_path

    try:
        run_serve(store or default_store_path(), host=host, port=port, allow_update=allow_update,
                  timeout=timeout, max_results=max_results, echo=lambda line: typer.echo(line, err=True))
    except KGError as exc:
        fail(exc)


@app.command()
def push(
    endpoint: Annotated[str, typer.Option(help="The server's SPARQL query endpoint (or http://HOST:PORT "
                                          "for Oxigraph and kg serve).")],
    update_endpoint: Annotated[str | None, typer.Option(help="Its update endpoint, if not ENDPOINT with "
                                                        "/query or /sparql replaced by /update.")] = None,
    replace: Annotated[bool, typer.Option("--replace", help="Replace graphs the server already holds.")] = False,
    batch_size: Annotated[int, typer.Option(help="Triples per request (graphs are never split).",
                                            min=1)] = 20_000,
    store: StoreOption = None,
) -> None:
    """Load every article graph (and the registry) into a SPARQL 1.1 server, in batches.

    Example: kg push --endpoint http://127.0.0.1:7878 --replace
    """
    from kg.remote import push as run_push

    with open_store(store, read_only=True) as st:
        try:
            report = run_push(st, endpoint, update_endpoint=update_endpoint, replace=replace,
                              batch_size=batch_size)
        except KGError as exc:
            fail(exc)
    typer.echo(f"pushed {report.graphs} graph(s), {report.triples} triples in {report.requests} request(s)"
               + (f" ({report.retries} retried)" if report.retries else ""))
    if report.union_default is False:
        typer.echo("Warning: the server's default graph does not show the pushed graphs, so queries without "
                   "GRAPH find nothing there; start it with the union of graphs as default graph "
                   "(oxigraph serve --union-default-graph)", err=True)


def main() -> None:
    """Entry point of the ``kg`` console script."""
    app()
