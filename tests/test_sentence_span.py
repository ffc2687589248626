"""The sentence around a span, found from the text's sentence ends, is the one a scan from the start finds."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from kg.mapping.rdf import _SENTENCE_END, sentence_ends, sentence_span
from kg.model import Span


def scanned(text: str, start: int, end: int) -> Span:
    """The sentence as found by scanning the whole text up to the span (the definition)."""
    begin = 0
    for m in _SENTENCE_END.finditer(text, 0, start):
        begin = m.end()
    after = _SENTENCE_END.search(text, end)
    stop = after.end() if after else len(text)
    while begin < stop and text[begin].isspace():
        begin += 1
    while stop > begin and text[stop - 1] in " \t\r\n":
        stop -= 1
    return Span(begin, max(stop, end))


texts = st.text(alphabet=st.sampled_from(list("ab .!?؟\n\"'»)قتل")), max_size=60)


@settings(max_examples=500, deadline=None)
@given(texts, st.data())
def test_the_sentence_ends_give_the_scanned_sentence(text: str, data: st.DataObject):
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    assert sentence_span(text, start, end, sentence_ends(text)) == scanned(text, start, end)
    assert sentence_span(text, start, end) == scanned(text, start, end)


def test_spans_next_to_sentence_ends():
    text = 'U.S. forces left. "Then," he said! قتل 25؟\n\nNext... line'
    ends = sentence_ends(text)
    for start in range(len(text) + 1):
        for end in (start, min(start + 3, len(text))):
            assert sentence_span(text, start, end, ends) == scanned(text, start, end), (start, end)
