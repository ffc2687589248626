"""Where a build's per-article work runs: in this process, in worker processes, or on a Dask cluster.

An executor maps a function over items and yields the results **in order**, keeping only a few items in
flight, so a build streams: results are loaded as they arrive, and memory does not grow with the corpus.
:func:`kg.building.build.build` takes one as its ``executor``; ``workers=N`` picks :class:`Processes`, and
:class:`kg.building.cluster.DaskExecutor` runs on a Dask cluster.

>>> list(Serial().map(abs, [-1, 2, -3]))
[1, 2, 3]
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any, Protocol, TypeVar

T = TypeVar("T")
R = TypeVar("R")


class Executor(Protocol):
    """Maps a function over items, yielding results in the items' order."""

    #: True when the workers may not share this machine's memory or disk view of temporary files
    #: (results should then travel as shard files in a shared folder).
    remote: bool

    def map(self, fn: Callable[[T], R], items: Iterable[T]) -> Iterator[R]: ...


class Serial:
    """Everything in this process (small corpora, tests, debugging)."""

    remote = False

    def map(self, fn: Callable[[T], R], items: Iterable[T]) -> Iterator[R]:
        return map(fn, items)


class Processes:
    """``workers`` local processes, with at most ``window`` items in flight a worker."""

    remote = False

    def __init__(self, workers: int, *, window: int = 3) -> None:
        self.workers = workers
        self.window = window

    def map(self, fn: Callable[[T], R], items: Iterable[T]) -> Iterator[R]:
        with ProcessPoolExecutor(max_workers=self.workers) as pool:
            yield from windowed(pool.submit, fn, items, self.workers * self.window)


def windowed(submit: Callable[..., Any], fn: Callable[[T], R], items: Iterable[T], limit: int) -> Iterator[R]:
    """Submit items as results are taken, so at most ``limit`` are pending; yield results in order."""
    pending: deque[Future[R]] = deque()
    for item in items:
        pending.append(submit(fn, item))
        if len(pending) >= limit:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()
