"""A stream of chunks read as segments of whole chunks."""

from __future__ import annotations

from kg.sparql.segment import Segment


def test_segments_hold_whole_chunks_up_to_the_limit():
    chunks = iter([b"a\n" * 3, b"b\n" * 3, b"c\n" * 3])
    first = Segment(chunks, 7)
    assert first.peek() and first.read(4) + first.read() == b"a\n" * 3 + b"b\n" * 3 and not first.exhausted
    rest = Segment(chunks, 7)
    buf = bytearray(100)
    n = rest.readinto(buf)
    assert bytes(buf[:n]) == b"c\n" * 3 and rest.read() == b"" and rest.exhausted


def test_what_the_stream_raises_is_kept():
    def chunks():  # type: ignore[no-untyped-def]
        yield b"x\n"
        raise RuntimeError("stop")

    segment = Segment(chunks(), 100)
    assert segment.read() == b"x\n" and isinstance(segment.error, RuntimeError)
