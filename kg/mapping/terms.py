"""RDF terms as N-Triples text, the way pyoxigraph prints them.

An article graph is written straight as N-Quads lines (:mod:`kg.mapping.rdf`): building pyoxigraph terms and
quads only to print them took a third of the mapping. A term that needs no escaping is written as is; any other
goes through pyoxigraph, which validates and escapes it, so the text is the same as the terms' own.
"""

from __future__ import annotations

import re

from pyoxigraph import Literal, NamedNode

from kg.vocab import XSD

_YEAR = re.compile(r"^\d{4}$")
_YEAR_MONTH = re.compile(r"^\d{4}-\d{2}$")
_PLAIN_IRI = re.compile(r"[^\x00-\x20<>\"{}|^`\\]+\Z")
_PLAIN_TEXT = re.compile(r"[^\x00-\x1f\x7f\"\\]*\Z")
_LANGS: dict[str, str] = {}


def iri(value: str) -> str:
    """An IRI as N-Triples text (``ValueError`` when it is not one).

    >>> iri("https://e.org/a")
    '<https://e.org/a>'
    >>> iri("https://e.org/a b")
    Traceback (most recent call last):
    ValueError: Invalid IRI code point ' '
    """
    if _PLAIN_IRI.match(value) and ":" in value:
        return f"<{value}>"
    return str(NamedNode(value))


def text(value: str, language: str = "") -> str:
    """A string literal (with a language tag when given) as N-Triples text.

    >>> text('a "b"', "AR"), text("x")
    ('"a \\\\"b\\\\""@ar', '"x"')
    """
    if not _PLAIN_TEXT.match(value):
        return str(Literal(value, language=language) if language else Literal(value))
    if not language:
        return f'"{value}"'
    tag = _LANGS.get(language)
    if tag is None:
        tag = _LANGS[language] = str(Literal("", language=language))[2:]
    return f'"{value}"{tag}'


def typed(value: str, datatype: str) -> str:
    """A typed literal as N-Triples text (``datatype`` a full IRI)."""
    if _PLAIN_TEXT.match(value):
        return f'"{value}"^^<{datatype}>'
    return str(Literal(value, datatype=NamedNode(datatype)))


def date_text(value: str) -> str:
    """An ISO date, year-month or year as a typed literal's N-Triples text.

    >>> date_text("2016")
    '"2016"^^<http://www.w3.org/2001/XMLSchema#gYear>'
    """
    kind = "gYear" if _YEAR.match(value) else "gYearMonth" if _YEAR_MONTH.match(value) else "date"
    return typed(value, XSD + kind)
