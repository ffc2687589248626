"""Executors yield results in order with a bounded window; the bulk load goes in bounded segments."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from kg.building.build import executor_for
from kg.building.executors import Processes, Serial, windowed
from kg.sparql.store import GraphStore


def test_windowed_keeps_order_and_at_most_limit_pending():
    from concurrent.futures import Future

    pending: list[Future[int]] = []
    most = 0

    def submit(fn, item):  # type: ignore[no-untyped-def]
        nonlocal most
        f: Future[int] = Future()
        f.set_result(fn(item))
        pending.append(f)
        most = max(most, sum(1 for p in pending if p not in taken))
        return f

    taken: list[Future[int]] = []
    out = []
    for r in windowed(submit, lambda x: x * 2, range(10), 3):
        out.append(r)
        taken.append(pending[len(out) - 1])
    assert out == [x * 2 for x in range(10)] and most <= 3


def test_processes_map_in_order():
    assert list(Processes(2).map(abs, [-3, 1, -2, 5])) == [3, 1, 2, 5]


def test_executor_for_the_cli_options():
    assert isinstance(executor_for(1), Serial)
    assert isinstance(executor_for(3), Processes)
    assert executor_for(2, "local").remote


def test_the_bulk_load_goes_in_segments(monkeypatch: pytest.MonkeyPatch):
    import kg.sparql.store as store_module

    class Recorder:
        def __init__(self) -> None:
            self.calls: list[int] = []

        def bulk_load(self, *, input: Any, format: object, lenient: bool) -> None:  # noqa: A002 - pyoxigraph's name
            data = b""
            while part := input.read(100):  # the loader reads the segment in blocks
                data += part
            self.calls.append(len(data))

    monkeypatch.setattr(store_module, "BULK_SEGMENT", 1000)
    shadow = GraphStore().shadow(fresh=True)
    recorder = Recorder()
    shadow.store = recorder  # type: ignore[assignment]
    line = b"<https://e.org/s> <https://e.org/p> <https://e.org/o> <https://e.org/g> .\n"
    shadow.bulk_load(line * 10 for _ in range(30))
    assert sum(recorder.calls) == 30 * 10 * len(line)
    assert len(recorder.calls) > 5 and max(recorder.calls) < 1000 + 10 * len(line)


def test_a_failure_while_streaming_is_raised_as_itself():
    shadow = GraphStore().shadow(fresh=True)
    line = b"<https://e.org/s> <https://e.org/p> <https://e.org/o> <https://e.org/g> .\n"

    def chunks() -> Iterator[bytes]:
        yield line
        raise KeyError("a worker failed")

    with pytest.raises(KeyError, match="a worker failed"):
        shadow.bulk_load(chunks())
