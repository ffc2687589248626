"""The annotation readers, by file suffix: one table, one line a format.

A reader turns one annotation file into an :class:`~kg.model.Article` with foreign types as written
(:func:`kg.reading.scheme.apply_scheme` maps them onto the ontology afterwards). Its ``read`` is called as
``read(path, text, *, metadata, config)``: ``text`` is the article text read from ``NAME.txt`` (``None`` for a
format that carries its own text, ``has_text``), ``metadata`` what a ``NAME.yaml`` beside the file says of the
article (``Metadata()`` without one), ``config`` the corpus's :class:`~kg.reading.scheme.CorpusConfig`.
A reader does not raise for a bad annotation: it leaves the record out and puts an error in
``Article.problems`` with its file and line, so that checking goes on past it; it raises
:class:`~kg.errors.AnnotationError` only when the file as a whole cannot be read.

To add a format, write its module with a ``read`` function and add one line to :data:`_TABLE`. Modules are
imported only when a file of theirs is read.

>>> READERS[".ann"].name, READERS[".yml"].name
('brat', 'yaml')
>>> reader_for(Path("a/b.ANN")).name
'brat'
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kg.model import Article

#: ``read(path, text, *, metadata, config) -> Article``.
ReadFunction = Callable[..., "Article"]


@dataclass(frozen=True)
class Reader:
    """An annotation format: its name, the file suffixes it reads and its read function."""

    name: str
    suffixes: tuple[str, ...]
    read: ReadFunction
    has_text: bool = False  # the file holds the article text itself (no NAME.txt needed)


def lazy(target: str) -> ReadFunction:
    """A read function that imports ``"module:function"`` the first time it is called."""
    module, _, name = target.partition(":")

    def read(path: Path, text: str | None, **options: Any) -> Article:
        function: ReadFunction = getattr(importlib.import_module(module), name)
        return function(path, text, **options)

    read.__qualname__ = read.__name__ = f"read_{module.rpartition('.')[2]}"
    return read


#: Every format kg reads. The YAML sidecar comes last: beside a file of another format it holds only the
#: article's metadata.
_TABLE: tuple[Reader, ...] = (
    Reader("brat", (".ann",), lazy("kg.reading.brat:read")),
    Reader("cas", (".json", ".xmi"), lazy("kg.reading.cas:read"), has_text=True),
    Reader("webanno", (".tsv",), lazy("kg.reading.webanno:read"), has_text=True),
    Reader("yaml", (".yaml", ".yml"), lazy("kg.reading.sidecar:read")),
)

#: Annotation file suffix (lower case, with the dot) → its reader.
READERS: dict[str, Reader] = {suffix: reader for reader in _TABLE for suffix in reader.suffixes}

#: The reader whose files may also stand beside another format's file, as its metadata.
METADATA_READER = "yaml"


def reader_for(path: Path) -> Reader | None:
    """The reader of a file, by its suffix (case does not matter), or None when no reader knows it."""
    return READERS.get(path.suffix.lower())
