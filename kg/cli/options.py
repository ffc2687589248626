"""Options that several commands share, and the small helpers that open what they name."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

StoreOption = Annotated[
    Path | None,
    typer.Option("--store", "-s", help="Store folder (default: $KG_STORE, else .kg-store in the working directory)."),
]
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




def names_list(value: str | None) -> list[str] | None:
    """``a,b`` → ``["a", "b"]``; nothing → None."""
    return [v.strip() for v in value.split(",") if v.strip()] if value else None


def open_store(path: Path | None, *, read_only: bool = False):  # type: ignore[no-untyped-def]
    """The store at ``path`` (default: :func:`kg.store.default_store_path`)."""
    from kg.store import GraphStore

    return GraphStore.open(path, read_only=read_only)


def network_source(store: Path | None, endpoint: str | None):  # type: ignore[no-untyped-def]
    """The endpoint URL if given, else the store opened read-only."""
    return endpoint if endpoint else open_store(store, read_only=True)
