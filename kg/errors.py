"""One error hierarchy for kg.

Every error a user can cause is a :class:`KGError`. Its ``str()`` is one line,
``FILE:LINE: message (how to fix)``, which is what the CLI prints before exiting
with status 1.

>>> str(AnnotationError("offset 90 is past the end of the text (80)", file="a.ann", line=3,
...                     hint="fix the offsets of T2"))
'a.ann:3: offset 90 is past the end of the text (80) (fix the offsets of T2)'
"""

from __future__ import annotations

from typing import Any


class KGError(Exception):
    """Base class: a problem the user can fix, described in one line."""

    def __init__(
        self, message: str, *, file: str | None = None, line: int | None = None, hint: str | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.file = file
        self.line = line
        self.hint = hint

    def location(self) -> str:
        """``FILE:LINE`` (or just ``FILE``, or empty)."""
        if self.file is None:
            return ""
        return f"{self.file}:{self.line}" if self.line is not None else self.file

    def __str__(self) -> str:
        where = self.location()
        text = f"{where}: {self.message}" if where else self.message
        if self.hint:
            text += f" ({self.hint})"
        return " ".join(text.split("\n"))


class AnnotationError(KGError):
    """An annotation file (brat standoff or YAML sidecar) is malformed or inconsistent."""


class ConfigError(KGError):
    """A corpus configuration file (``kg.toml``, ``actors.yaml``) is malformed."""


class OntologyError(KGError):
    """The ontology cannot be read or lacks a term that kg needs."""


class ResolveError(KGError):
    """A mention cannot be resolved to an actor in the registry."""


class StoreError(KGError):
    """The RDF store cannot be opened, read or written."""


class QueryError(KGError):
    """A SPARQL query is malformed, times out, or names an unknown saved query."""


class ViewError(KGError):
    """A view cannot be drawn (unknown centre actor, empty selection, …)."""


class NetworkError(KGError):
    """An actor network cannot be built as asked (bad filter, unreachable endpoint)."""


class UnknownActorError(NetworkError):
    """A name matches no actor of the network (or more than one)."""


class ExportError(KGError):
    """The graph cannot be written in the format or to the place asked for."""


def require(module: str, *, message: str, hint: str) -> Any:
    """Import a library a feature needs, or fail with one line (``message``) saying how to install it.

    >>> require("json", message="x", hint="y").__name__
    'json'
    >>> require("no_such_library", message="drafting needs no_such_library", hint="pip install it")
    Traceback (most recent call last):
    kg.errors.KGError: drafting needs no_such_library (pip install it)
    """
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError:
        raise KGError(message, hint=hint) from None
