"""The sentence around a span, found from the text's sentence ends, is the one a scan from the start finds
(``sentence_span`` without ``ends``, which scans the text from its start as it always did)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from kg.mapping.rdf import sentence_ends, sentence_span

texts = st.text(alphabet=st.sampled_from(list("ab .!?؟\n\"'»)قتل")), max_size=60)


@settings(max_examples=500, deadline=None)
@given(texts, st.data())
def test_the_sentence_ends_give_the_scanned_sentence(text: str, data: st.DataObject):
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    assert sentence_span(text, start, end, sentence_ends(text)) == sentence_span(text, start, end)


def test_spans_next_to_sentence_ends():
    text = 'U.S. forces left. "Then," he said! قتل 25؟\n\nNext... line'
    ends = sentence_ends(text)
    for start in range(len(text) + 1):
        for end in (start, min(start + 3, len(text))):
            assert sentence_span(text, start, end, ends) == sentence_span(text, start, end), (start, end)
