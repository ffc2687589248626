"""Commands over the actor network: view, analyze, export."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kg.cli import app, echo_json, fail
from kg.cli.options import (
    ActorTypesOption,
    AsOfOption,
    CurrentOption,
    EndpointOption,
    MinSourcesOption,
    RelationsOption,
    SinceOption,
    StoreOption,
    UntilOption,
    names_list,
    open_source,
    open_store,
)
from kg.errors import KGError


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
            summary = write_view(st, out, center=center, depth=depth, relations=names_list(relations),
                                 actor_types=names_list(actor_types), since=since, until=until,
                                 min_sources=min_sources, include_places=places, lang=lang, title=title)
        except KGError as exc:
            fail(exc)
    typer.echo(f"wrote {out}: {summary.nodes} actors, {summary.edges} relations "
               f"({summary.bytes / 1e6:.1f} MB)")


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
    source = open_source(store, endpoint)
    try:
        report = run(source, analysis, actors or (), measure=measure, top=top, radius=radius, seed=seed,
                     signed=not alliances_only, strict=not weak, relations=names_list(relations),
                     actor_types=names_list(actor_types), since=since, until=until, as_of=as_of,
                     min_sources=min_sources, exclude_flags=("former", "intended") if current else ())
    except KGError as exc:
        fail(exc)
    finally:
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
        filters = {"relations": names_list(relations), "actor_types": names_list(actor_types), "since": since,
                   "until": until, "as_of": as_of, "min_sources": min_sources, "include_places": places,
                   "include_events": events, "exclude_flags": ("former", "intended") if current else ()}
    elif any((relations, actor_types, since, until, as_of, min_sources != 1, current, places, events, projection)):
        fail(f"{chosen} export writes the whole RDF dataset; filters apply to graphml, gexf and csv")
    source = open_source(store, endpoint)
    try:
        written = run_export(source, out, chosen, projection=projection, **filters)
    except KGError as exc:
        fail(exc)
    finally:
        source.close()
    typer.echo("wrote " + ", ".join(str(p) for p in written))
