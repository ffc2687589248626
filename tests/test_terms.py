"""Terms written as text are the same bytes as pyoxigraph's own terms print."""

from __future__ import annotations

import pytest
from pyoxigraph import Literal, NamedNode

from kg.mapping.terms import date_text, iri, text, typed
from kg.vocab import XSD

ODD = "".join(chr(i) for i in range(0, 160)) + "\u2028\ufeff\U0001f600 قال \"x\" \\ y"


@pytest.mark.parametrize("language", ["", "ar", "en-GB", "EN"])
def test_text_is_pyoxigraph_s_literal(language: str):
    for value in (ODD, "plain", "", "سطر\nآخر", 'quote "'):
        expected = Literal(value, language=language) if language else Literal(value)
        assert text(value, language) == str(expected)


def test_typed_and_dates():
    assert typed("3", XSD + "integer") == str(Literal("3", datatype=NamedNode(XSD + "integer")))
    assert typed(ODD, XSD + "anyURI") == str(Literal(ODD, datatype=NamedNode(XSD + "anyURI")))
    for value, kind in (("2016", "gYear"), ("2016-07", "gYearMonth"), ("2016-07-17", "date")):
        assert date_text(value) == str(Literal(value, datatype=NamedNode(XSD + kind)))


def test_iris_are_checked():
    assert iri("https://e.org/a#char=1,2") == str(NamedNode("https://e.org/a#char=1,2"))
    assert iri("https://e.org/é") == str(NamedNode("https://e.org/é"))
    for bad in ("https://e.org/a b", "https://e.org/<x>", "no-scheme", 'https://e.org/"'):
        with pytest.raises(ValueError):
            iri(bad)
