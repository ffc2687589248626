"""Options that several commands share, and the small helpers that open what they name."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from kg.sparql.http import Credentials
    from kg.sparql.source import Source

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
UserOption = Annotated[str | None, typer.Option("--user", help="User name for a server that asks for one "
                                                "(basic or digest); the password is read from $KG_PASSWORD, "
                                                "else asked for.")]
FederationOption = Annotated[bool, typer.Option("--allow-federation", help="Let queries on the store use "
                                                "SERVICE (send requests to other servers); refused by default.")]
CurrentOption = Annotated[bool, typer.Option("--current", help="Leave out claims flagged former or intended.")]




def names_list(value: str | None) -> list[str] | None:
    """``a,b`` → ``["a", "b"]``; nothing → None."""
    return [v.strip() for v in value.split(",") if v.strip()] if value else None


def open_store(path: Path | None, *, read_only: bool = False):  # type: ignore[no-untyped-def]
    """The store at ``path`` (default: :func:`kg.sparql.store.default_store_path`)."""
    from kg.sparql.store import GraphStore

    return GraphStore.open(path, read_only=read_only)


def open_source(store: Path | None, endpoint: str | None, *, user: str | None = None,
                allow_federation: bool = False) -> Source:
    """What ``--store DIR`` / ``--endpoint URL`` (with ``--user``) name: the endpoint if given, else the store
    opened read-only. The password for ``--user`` comes from ``$KG_PASSWORD`` or a prompt."""
    from kg.sparql.source import open_source as open_any

    return open_any(store, endpoint, credentials=credentials(user), allow_federation=allow_federation)


def credentials(user: str | None) -> Credentials | None:
    """``--user`` with its password from ``$KG_PASSWORD``, else asked at the terminal (never an option)."""
    import os
    import sys

    from kg.sparql.http import PASSWORD_ENV, Credentials

    if not user:
        return None
    password = os.environ.get(PASSWORD_ENV)
    if password is None:
        if not sys.stdin.isatty():
            from kg.errors import KGError

            raise KGError(f"--user {user} needs a password: set ${PASSWORD_ENV}, or run at a terminal to be asked")
        password = typer.prompt(f"Password for {user}", hide_input=True)
    return Credentials(user, password)
