"""Options that several commands share, and the small helpers that open what they name.

``view``, ``analyze`` and ``export`` share one set of selection options (:data:`SELECTION_OPTIONS`): the
decorator :func:`selection_options` adds them to a command and hands it one
:class:`kg.network.selection.Selection` built from them by :func:`selection_from_options`.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

if TYPE_CHECKING:
    from kg.network.selection import Selection
    from kg.sparql.http import Credentials
    from kg.sparql.source import Source

F = TypeVar("F", bound=Callable[..., Any])

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
PlacesOption = Annotated[bool, typer.Option("--places", help="Include places (controls, based at, …).")]
EventsOption = Annotated[bool, typer.Option("--events", help="Include events and their participants.")]
CenterOption = Annotated[str | None, typer.Option(help="Only the actors near this one: a label (Arabic or "
                                                  "English), an alias, a registry id or an IRI.")]
DepthOption = Annotated[int, typer.Option(help="With --center: how many steps from it.", min=0)]

#: The selection options of view, analyze and export: parameter name → (annotation, default).
SELECTION_OPTIONS: dict[str, tuple[Any, Any]] = {
    "relations": (RelationsOption, None), "actor_types": (ActorTypesOption, None), "places": (PlacesOption, False),
    "events": (EventsOption, False), "since": (SinceOption, None), "until": (UntilOption, None),
    "as_of": (AsOfOption, None), "min_sources": (MinSourcesOption, 1), "current": (CurrentOption, False),
    "center": (CenterOption, None), "depth": (DepthOption, 1),
}


def selection_from_options(*, relations: str | None = None, actor_types: str | None = None, places: bool = False,
                           events: bool = False, since: str | None = None, until: str | None = None,
                           as_of: str | None = None, min_sources: int = 1, current: bool = False,
                           center: str | None = None, depth: int = 1) -> Selection:
    """The one :class:`~kg.network.selection.Selection` the shared options describe.

    >>> selection_from_options(relations="commands, supports", current=True).relations
    ('commands', 'supports')
    """
    from kg.network.selection import Selection

    return Selection(relations=_names(relations), actor_types=_names(actor_types), include_places=places,
                     include_events=events, since=since, until=until, as_of=as_of, min_sources=min_sources,
                     current=current, center=center, depth=depth)


def selection_options(command: F) -> F:
    """Add :data:`SELECTION_OPTIONS` to a command, which receives them as one ``selection`` argument."""
    signature = inspect.signature(command, eval_str=True)
    kept = [p for p in signature.parameters.values() if p.name != "selection"]
    added = [inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=annotation)
             for name, (annotation, default) in SELECTION_OPTIONS.items()]

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        options = {name: kwargs.pop(name) for name in SELECTION_OPTIONS if name in kwargs}
        return command(*args, selection=selection_from_options(**options), **kwargs)

    params = [*(p.replace(kind=inspect.Parameter.KEYWORD_ONLY) if p.kind is p.POSITIONAL_OR_KEYWORD else p
                for p in kept), *added]
    wrapper.__signature__ = signature.replace(parameters=params)  # type: ignore[attr-defined]
    wrapper.__annotations__ = {p.name: p.annotation for p in params} | {"return": signature.return_annotation}
    return wrapper  # type: ignore[return-value]


def _names(value: str | None) -> tuple[str, ...] | None:
    listed = names_list(value)
    return None if listed is None else tuple(listed)


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
