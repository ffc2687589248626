"""A stream of N-Quads chunks cut into segments that Oxigraph's bulk loader reads as files.

:meth:`kg.sparql.store.Shadow.bulk_load` gives the loader one segment a call (its memory grows with what one
call reads): the loader pulls each segment from the stream as it loads, so no copy of it is joined first.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any


class Segment(io.RawIOBase):
    """The next whole chunks of a stream of N-Quads chunks, up to about ``limit`` bytes, as a file to read.

    What the stream raises is kept in ``error`` (the loader would turn it into an I/O error) and ends the
    segment; ``exhausted`` tells that the stream has ended.

    >>> chunks = iter([b"a\\n", b"bc\\n", b"d\\n"])
    >>> first = Segment(chunks, 3); first.read(), first.exhausted
    (b'a\\nbc\\n', False)
    >>> rest = Segment(chunks, 3); rest.read(), rest.read(), rest.exhausted
    (b'd\\n', b'', True)
    """

    def __init__(self, chunks: Iterator[bytes], limit: int) -> None:
        self.chunks = chunks
        self.limit = limit
        self.taken = 0
        self.buffer = memoryview(b"")
        self.exhausted = False
        self.error: BaseException | None = None

    def readable(self) -> bool:
        return True

    def peek(self) -> bool:
        """Whether the segment holds any byte (it reads its first chunk)."""
        return self._fill()

    def _fill(self) -> bool:
        while not self.buffer:
            if self.taken >= self.limit or self.exhausted or self.error is not None:
                return False
            try:
                chunk = next(self.chunks)
            except StopIteration:
                self.exhausted = True
                return False
            except BaseException as exc:  # noqa: BLE001 - raised again after the loader returns
                self.error = exc
                return False
            self.buffer = memoryview(chunk)
            self.taken += len(chunk)
        return True

    def read(self, size: int | None = -1) -> bytes:
        if not self._fill():
            return b""
        if size is None or size < 0:
            parts = [bytes(self.buffer)]
            self.buffer = memoryview(b"")
            while self._fill():
                parts.append(bytes(self.buffer))
                self.buffer = memoryview(b"")
            return b"".join(parts)
        part, self.buffer = self.buffer[:size], self.buffer[size:]
        return bytes(part)

    def readinto(self, target: Any) -> int:
        data = self.read(len(target))
        target[:len(data)] = data
        return len(data)
