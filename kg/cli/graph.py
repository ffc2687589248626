"""Commands over the graph: stats, query, serve, push."""

from __future__ import annotations

from typing import Annotated

import typer

from kg.cli import app, echo_json, fail
from kg.cli.options import (
    EndpointOption,
    FederationOption,
    StoreOption,
    UserOption,
    credentials,
    open_source,
    open_store,
)
from kg.errors import KGError


@app.command()
def stats(
    store: StoreOption = None,
    endpoint: EndpointOption = None,
    user: UserOption = None,
    fmt: Annotated[str, typer.Option("--format", help="table or json.")] = "table",
    recount: Annotated[bool, typer.Option("--recount", help="Count over the store even when the last build's "
                                          "counts still describe it.")] = False,
) -> None:
    """Counts of articles, actors, relations by type and claimants in the store (or at an endpoint).

    A store's counts are those its last build kept, when the store still holds what that build wrote (the
    same number of quads); otherwise, at an endpoint, or with --recount, they are counted.

    Examples: kg stats --format json; kg stats --recount
    """
    from kg.building.counting import kept_stats
    from kg.building.stats import render_stats, store_stats
    from kg.sparql.store import GraphStore

    with open_source(store, endpoint, user=user) as source:
        kept = kept_stats(source) if isinstance(source, GraphStore) and not recount else None
        stats = kept if kept is not None else store_stats(source)
    if fmt == "json":
        echo_json(stats)
    else:
        typer.echo(render_stats(stats))


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
    endpoint: EndpointOption = None,
    user: UserOption = None,
    allow_federation: FederationOption = False,
    list_saved: Annotated[bool, typer.Option("--list", help="List the saved queries and their parameters.")] = False,
    store: StoreOption = None,
) -> None:
    """Ask the graph a SPARQL question: ad hoc, from a file, or a saved one by name.

    A saved question's answer that took a second or more is kept beside the store (STORE/answers/) and read
    from there when asked again, until the next build.

    Example: kg query commanders --param group="سرايا الدفاع عن بنغازي"
    """
    from kg.sparql.kept import answer_text
    from kg.sparql.query import parse_params, saved_queries

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
        with open_source(store, endpoint, user=user, allow_federation=allow_federation) as source:
            out = answer_text(source, text, params=params, fmt=fmt, graph=graph, timeout=timeout)
        typer.echo(out, nl=not out.endswith("\n"))
    except KGError as exc:
        fail(exc)


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on (127.0.0.1: this machine only; 0.0.0.0: "
                                      "every interface).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.", min=1, max=65535)] = 7878,
    allow_update: Annotated[bool, typer.Option("--allow-update", help="Accept SPARQL updates "
                                               "(default: read-only, updates get 403). kg push refreshes the "
                                               "relation summary after loading; any other update leaves the "
                                               "summary, and so the saved questions' counts, as they were.")] = False,
    allow_federation: Annotated[bool, typer.Option("--allow-federation", help="Let queries use SERVICE and "
                                                   "updates LOAD (the server then sends requests to other "
                                                   "servers); refused with 403 by default.")] = False,
    timeout: Annotated[float, typer.Option(help="Stop a query after this many seconds (whole seconds).",
                                           min=1)] = 30,
    max_results: Annotated[int, typer.Option(help="Refuse answers of more rows or triples than this "
                                             "(413); 0: no limit.", min=0)] = 100_000,
    allowed_host: Annotated[list[str] | None, typer.Option(
        "--allowed-host", help="Also answer requests addressed to this host name (repeatable); by default only "
        "the bind address (and localhost on loopback, any IP address on 0.0.0.0) is answered.")] = None,
    cors: Annotated[list[str] | None, typer.Option(
        help="Allow cross-origin requests from this origin, e.g. https://yasgui.example (repeatable; "
        "default: none).")] = None,
    concurrency: Annotated[int, typer.Option(help="Queries the engine runs at once; more wait their turn.",
                                             min=1)] = 4,
    queue: Annotated[int, typer.Option(help="Requests that may wait for a turn; past that: 503.", min=0)] = 64,
    max_body: Annotated[int, typer.Option(help="Largest request body accepted, in bytes (413 past it).",
                                          min=1)] = 1_000_000,
    keep_answers: Annotated[int, typer.Option(help="Memory for the saved questions' answers, in MB: each is "
                                              "computed once and then sent as kept (0: keep none; a server "
                                              "with --allow-update keeps none).", min=0)] = 256,
    prepare: Annotated[bool, typer.Option("--prepare/--no-prepare", help="At start, compute in the background "
                                          "the answers of the saved questions asked without parameters (on a "
                                          "large store, tables that take longer than --timeout).")] = True,
    prepare_timeout: Annotated[float, typer.Option(help="Seconds each prepared answer may take.",
                                                   min=1)] = 600,
    prepare_actors: Annotated[bool, typer.Option("--prepare-actors/--no-prepare-actors", help="Then compute the "
                                                 "answers of the questions about one actor (commanders, "
                                                 "supporters, timeline…) for every actor and claimant, busiest "
                                                 "first, in up to half of --keep-answers.")] = True,
    store: StoreOption = None,
) -> None:
    """Serve the store as a SPARQL 1.1 endpoint: /query (JSON, XML, CSV, TSV by Accept), /questions, a query page at /.

    Example: kg serve --port 7878   (then: kg query --endpoint http://127.0.0.1:7878/query commanders -p group=LNA)

    Example: kg serve --host 0.0.0.0 --allowed-host kg.lab.example --timeout 10 --keep-answers 1024
    """
    from kg.sparql.serve import serve as run_serve
    from kg.sparql.store import default_store_path

    run_serve(store or default_store_path(), host=host, port=port, allow_update=allow_update,
              allow_federation=allow_federation, timeout=timeout, max_results=max_results,
              allowed_hosts=allowed_host or (), cors=cors or (), concurrency=concurrency, queue=queue,
              max_body=max_body, keep_answers=keep_answers, prepare=prepare, prepare_timeout=prepare_timeout,
              prepare_actors=prepare_actors, echo=lambda line: typer.echo(line, err=True))


@app.command()
def push(
    endpoint: Annotated[str, typer.Option(help="The server's SPARQL query endpoint (or http://HOST:PORT "
                                          "for Oxigraph and kg serve).")],
    update_endpoint: Annotated[str | None, typer.Option(help="Its update endpoint, if not ENDPOINT with "
                                                        "/query or /sparql replaced by /update "
                                                        "(Virtuoso: …/sparql-auth).")] = None,
    replace: Annotated[bool, typer.Option("--replace", help="Replace article graphs the server already holds "
                                          "(the registry graph is always merged).")] = False,
    batch_size: Annotated[int, typer.Option(help="Triples per request (graphs are never split).",
                                            min=1)] = 20_000,
    user: UserOption = None,
    store: StoreOption = None,
) -> None:
    """Load every article graph (and the registry, merged) into a SPARQL 1.1 server, in batches.

    Example: kg push --endpoint http://127.0.0.1:7878 --replace
    (Virtuoso: KG_PASSWORD=… kg push --endpoint http://HOST:8890/sparql --update-endpoint
    http://HOST:8890/sparql-auth --user dba)
    """
    from kg.sparql.remote import push as run_push

    login = credentials(user)
    with open_store(store, read_only=True) as st:
        report = run_push(st, endpoint, update_endpoint=update_endpoint, replace=replace, batch_size=batch_size,
                          credentials=login)
    typer.echo(f"pushed {report.graphs} graph(s), {report.triples} triples in {report.requests} request(s)"
               + (f" ({report.retries} retried)" if report.retries else ""))
    if report.union_default is False:
        typer.echo("Warning: the server's default graph does not show the pushed graphs, so queries without "
                   "GRAPH find nothing there; start it with the union of graphs as default graph "
                   "(oxigraph serve --union-default-graph)", err=True)
