"""A Dask cluster as a build executor: the per-article work on its workers, results as N-Quads shards.

``DaskExecutor("local")`` starts a ``LocalCluster`` on this machine (one single-threaded worker process a
core, or ``workers``); any other value is the address of a running ``dask.distributed`` scheduler
(``tcp://host:8786``). The workers must see the corpus folders and the shard folder at the same paths
(a shared file system), and have kg installed. ``dask[distributed]`` is an optional dependency
(``pip install kg[dask]``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

from kg.building.executors import windowed
from kg.errors import KGError

T = TypeVar("T")
R = TypeVar("R")


class DaskExecutor:
    """Runs the work on a Dask cluster, at most ``window`` tasks a worker in flight."""

    remote = True

    def __init__(self, scheduler: str, *, workers: int | None = None, window: int = 3) -> None:
        self.scheduler = scheduler
        self.workers = workers
        self.window = window
        self._client: Any = None
        self._cluster: Any = None

    def __enter__(self) -> DaskExecutor:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def start(self) -> None:
        if self._client is not None:
            return
        try:
            from distributed import Client, LocalCluster
        except ImportError:
            raise KGError("--dask needs dask.distributed", hint="pip install 'kg[dask]'") from None
        try:
            if self.scheduler == "local":
                self._cluster = LocalCluster(n_workers=self.workers, threads_per_worker=1, processes=True,
                                             dashboard_address=None, host="127.0.0.1")
                self._client = Client(self._cluster)
            else:
                self._client = Client(self.scheduler, timeout=30)
        except OSError as exc:
            self.close()
            raise KGError(f"cannot reach the Dask scheduler {self.scheduler}: {exc}",
                          hint="give `local`, or the tcp:// address of a running scheduler") from None

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
        if self._cluster is not None:
            self._cluster.close()
        self._client = self._cluster = None

    def map(self, fn: Callable[[T], R], items: Iterable[T]) -> Iterator[R]:
        self.start()
        client = self._client
        n = max(1, len(client.scheduler_info().get("workers", {})))

        def submit(f: Callable[[T], R], item: T) -> Any:
            return client.submit(f, item, pure=False)

        yield from windowed(submit, fn, items, n * self.window)
