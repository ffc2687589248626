"""Commands over the actor network: view, analyze, export.

All three take the same selection options (:func:`kg.cli.options.selection_options`), read from a store or
an endpoint, and hand the library one :class:`kg.network.selection.Selection`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kg.cli import app, echo_json, fail
from kg.cli.options import EndpointOption, StoreOption, open_source, selection_options
from kg.network.selection import Selection


@app.command()
@selection_options
def view(
    out: Annotated[Path, typer.Option("--out", "-o", help="The HTML file to write.")] = Path("kg-view.html"),
    store: StoreOption = None,
    endpoint: EndpointOption = None,
    lang: Annotated[str, typer.Option(help="Labels: ar, en or both.")] = "both",
    title: Annotated[str | None, typer.Option(help="Title of the page.")] = None,
    top: Annotated[int | None, typer.Option(help="Draw only the N most connected actors (large networks).",
                                            min=1)] = None,
    renderer: Annotated[str | None, typer.Option(help="vis (pyvis page) or webgl (sigma.js page); default: "
                                                 "webgl past a few thousand actors.")] = None,
    corpus: Annotated[list[Path] | None, typer.Option(help="Corpus folders whose article texts the view "
                                                      "embeds, so a click on a quote opens its article "
                                                      "(default: the sentence around the quote).")] = None,
    *,
    selection: Selection,
) -> None:
    """Write an interactive HTML view of the actor network (one self-contained file, works offline).

    Example: kg view --center "Khalifa Haftar" --depth 2 --lang ar -o haftar.html

    Example: kg view --top 2000 --min-sources 2 --corpus seeds -o large.html
    """
    from kg.mapping.pipeline import article_texts
    from kg.views import write_view

    if renderer not in (None, "vis", "webgl"):
        fail(f"unknown renderer {renderer!r} (use vis or webgl)")
    texts = article_texts(corpus) if corpus else None
    with open_source(store, endpoint) as source:
        summary = write_view(source, out, selection=selection, lang=lang, title=title, top=top, renderer=renderer,
                             texts=texts)
    typer.echo(f"wrote {out}: {summary.nodes} actors, {summary.edges} relations "
               f"({summary.bytes / 1e6:.1f} MB)")


@app.command()
@selection_options
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
    top: Annotated[int, typer.Option(help="How many items every list shows: actors per centrality measure, "
                                     "blocs, hostile pairs inside a bloc, unbalanced triangles, chains, "
                                     "cycles, ego relations.", min=1)] = 10,
    radius: Annotated[int, typer.Option(help="Ego network: steps from the actor.", min=0)] = 1,
    alliances_only: Annotated[bool, typer.Option("--alliances-only", help="Blocs from alliances alone "
                                                 "(default: the signed network, where command, membership, "
                                                 "alliance and support tie and hostility divides).")] = False,
    weak: Annotated[bool, typer.Option("--weak", help="Balance: count three mutual enemies as balanced.")] = False,
    seed: Annotated[int, typer.Option(help="Seed of community detection (results repeat for a seed).")] = 0,
    *,
    selection: Selection,
) -> None:
    """Analyse the actor network: centrality, alliance blocs, structural balance, command chains, paths.

    Example: kg analyze path "Khalifa Haftar" "سرايا الدفاع عن بنغازي" --format json
    """
    from kg.analysis import analyze as run_analysis
    from kg.analysis import render

    if fmt not in ("table", "json"):
        fail(f"unknown format {fmt!r} (use table or json)")
    with open_source(store, endpoint) as source:
        report = run_analysis(source, analysis, actors or (), selection=selection, measure=measure, top=top,
                              radius=radius, seed=seed, signed=not alliances_only, strict=not weak)
    if fmt == "json":
        echo_json(report)
    else:
        typer.echo(render(report))


@app.command()
@selection_options
def export(
    out: Annotated[Path, typer.Option("--out", "-o", help="The file to write (CSV: the dyads; the node list "
                                      "goes beside it as NAME.nodes.csv).")],
    fmt: Annotated[str | None, typer.Option("--format", help="graphml, gexf, csv (the actor network), events "
                                            "(the event table, .csv or .json) or trig, nq, ttl, jsonld (the RDF "
                                            "dataset); default: from the suffix.")] = None,
    store: StoreOption = None,
    endpoint: EndpointOption = None,
    projection: Annotated[str | None, typer.Option(help="Write a projection instead of the whole network: "
                                                   "alliance, support, command or signed.")] = None,
    *,
    selection: Selection,
) -> None:
    """Export the actor network for Gephi, Cytoscape and spreadsheets, the event table, or the RDF dataset.

    Example: kg export --format gexf -o actors.gexf --min-sources 2
    """
    from kg.exports import export as run_export

    with open_source(store, endpoint) as source:
        written = run_export(source, out, fmt, selection=selection, projection=projection)
    typer.echo("wrote " + ", ".join(str(p) for p in written))
