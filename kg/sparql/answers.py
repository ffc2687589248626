"""Answers kept by ``kg serve``: each saved question's answer computed once for the store it serves.

A store generation does not change once a build has made it live (the next build writes another one, see
:mod:`kg.sparql.generations`), and a read-only server keeps serving the generation it opened. So an answer
computed once is the answer for as long as the server runs. :class:`Answers` keeps the formatted answers
gzip-compressed (:func:`pack`: the four answers prepared at 10,000 articles, 231 MB of JSON, take 6.1 MB),
sent so to the clients that accept gzip (:func:`accepts_gzip`), keyed by question, parameters and format,
up to a byte budget; the answers asked least recently are dropped first. While one request computes an
answer, the others asking for it wait for that computation instead of starting their own.

At start the server also *prepares* the answers of the saved questions asked without parameters (every
conflicting claim, every corroborated relation, every support shared, the whole timeline): on a large store
these are the tables of tens of thousands of rows that take longer than the time limit. They are computed
one at a time on the store itself, in a child process (:meth:`kg.sparql.store.GraphStore.query` with a
deadline), so the engine's places stay free for the users' queries. Then it prepares the answers about
each actor (:mod:`kg.sparql.warm`). A server that accepts updates keeps no answers.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Iterable
from pathlib import Path

from kg.sparql import kept as on_disk
from kg.sparql.kept import KeptAnswers, compress

log = logging.getLogger("kg.serve")

#: Media types of the saved questions' answers over HTTP (``GET /questions/NAME``), by ``format=`` name.
ANSWER_TYPES = {"json": "application/sparql-results+json", "csv": "text/csv; charset=utf-8",
                "tsv": "text/tab-separated-values; charset=utf-8", "table": "text/plain; charset=utf-8"}
#: The formats the answers prepared at start are kept in: every one of ``GET /questions/NAME``.
PREPARED_FORMATS = tuple(ANSWER_TYPES)
#: A kept answer's key: the question's name, its parameters as given (sorted), the format.
Key = tuple[str, tuple[tuple[str, str], ...], str]


def answer_key(name: str, params: dict[str, str], fmt: str) -> Key:
    """The key of an answer.

    >>> answer_key("commanders", {"group": "LNA"}, "json")
    ('commanders', (('group', 'LNA'),), 'json')
    """
    return name, tuple(sorted(params.items())), fmt


class Answers:
    """Formatted answers kept in memory up to ``budget`` bytes, with one computation per answer at a time.

    >>> kept = Answers(budget=10)
    >>> kept.claim(("q", (), "json")) is None        # nobody computes it: the caller does, then keeps it
    True
    >>> kept.keep(("q", (), "json"), b"12345678")
    >>> kept.claim(("q", (), "json"))
    b'12345678'
    >>> kept.keep(("r", (), "json"), b"abcdef")     # over the budget: the older answer goes
    >>> kept.claim(("q", (), "json")) is None, kept.size
    (True, 6)
    """

    def __init__(self, budget: int, disk: KeptAnswers | None = None) -> None:
        self.budget = budget
        #: Where answers that took a while are also kept, for the next server or ``kg query`` on this generation.
        self.disk = disk
        self.size = 0
        self._kept: OrderedDict[Key, bytes] = OrderedDict()
        self._pending: dict[Key, threading.Event] = {}
        self._lock = threading.Lock()
        #: Set when the answers to prepare at start have all been computed (or given up).
        self.prepared = threading.Event()
        #: What preparing found: question name → rows kept, or why it was not.
        self.preparation: dict[str, str] = {}
        #: Set when the answers about each actor (:mod:`kg.sparql.warm`) have been prepared, or given up.
        self.actors_prepared = threading.Event()

    def claim(self, key: Key) -> bytes | threading.Event | None:
        """The kept answer; or, while another caller computes it, the event set when that one is done; or
        ``None``: nobody has it, and the caller computes it and then calls :meth:`keep` (also on failure,
        with ``None``)."""
        with self._lock:
            if key in self._kept:
                self._kept.move_to_end(key)
                return self._kept[key]
            if key in self._pending:
                return self._pending[key]
            if self.disk is not None and (packed := self.disk.get(key[0], dict(key[1]), key[2])) is not None:
                self._remember(key, packed)
                return packed
            self._pending[key] = threading.Event()
            return None

    def keep(self, key: Key, data: bytes | None, took: float = 0.0) -> None:
        """Keep ``data`` as the answer to ``key`` (``None``: the computation failed, keep nothing) and wake
        those waiting for it. An answer larger than the whole budget is passed on but not kept in memory;
        one that ``took`` :data:`~kg.sparql.kept.KEEP_AFTER` seconds or more is also kept on disk."""
        if data is not None and self.disk is not None and took >= on_disk.KEEP_AFTER:
            self.disk.put(key[0], dict(key[1]), key[2], data)
        with self._lock:
            self._remember(key, data)
            event = self._pending.pop(key, None)
        if event is not None:
            event.set()

    def offer(self, key: Key, data: bytes, share: float = 1.0) -> bool:
        """Keep a prepared answer if nobody has it or computes it, and it fits in ``share`` of the budget with
        the answers kept: it never pushes one out. Whether it was kept."""
        with self._lock:
            if key in self._kept or key in self._pending or self.size + len(data) > share * self.budget:
                return False
            self._kept[key] = data
            self.size += len(data)
            return True

    def _remember(self, key: Key, data: bytes | None) -> None:
        if data is not None and len(data) <= self.budget and key not in self._kept:
            self._kept[key] = data
            self.size += len(data)
            while self.size > self.budget:
                _, dropped = self._kept.popitem(last=False)
                self.size -= len(dropped)

    def kept(self, key: Key) -> bytes | None:
        with self._lock:
            return self._kept.get(key)

    def __len__(self) -> int:
        return len(self._kept)


def pack(result: object, fmt: str) -> bytes:
    """A query result formatted as ``fmt`` and gzip-compressed, as :class:`Answers` keeps it.

    >>> import gzip
    >>> from kg.sparql.results import QueryResult
    >>> gzip.decompress(pack(QueryResult("ask", boolean=True), "csv"))
    b'true\\n'
    """
    return compress(result.format(fmt))  # type: ignore[attr-defined]


def accepts_gzip(accept_encoding: str) -> bool:
    """Whether an ``Accept-Encoding`` header takes gzip (by name or ``*``, with a weight above 0).

    >>> accepts_gzip("gzip, deflate, br"), accepts_gzip("br;q=1.0, gzip;q=0"), accepts_gzip("*"), accepts_gzip("")
    (True, False, True, False)
    """
    for part in accept_encoding.lower().split(","):
        coding, _, rest = part.partition(";")
        if coding.strip() in ("gzip", "x-gzip", "*"):
            weight = rest.strip().removeprefix("q=").strip() if rest.strip().startswith("q=") else "1"
            with contextlib.suppress(ValueError):
                return float(weight) > 0
    return False


def without_parameters() -> list[str]:
    """The saved questions that can be asked with no parameter (each parameter optional)."""
    from kg.sparql.query import saved_queries

    return [name for name, saved in saved_queries().items() if not any(p.required for p in saved.params)]


def prepare(answers: Answers, location: Path, *, names: Iterable[str] | None = None, timeout: float = 600,
            max_rows: int = 0, formats: Iterable[str] = PREPARED_FORMATS, stop: threading.Event | None = None) -> None:
    """Compute the answers of ``names`` (default: :func:`without_parameters`) on the store database at
    ``location``, one at a time, each within ``timeout`` seconds, and keep them in ``answers`` in each of
    ``formats`` under the key of the question asked with no parameter; not one of more than ``max_rows``
    rows (if given: the server refuses those). Sets ``answers.prepared`` when done; ``stop`` ends it between
    two questions."""
    from kg.errors import KGError
    from kg.sparql.store import GraphStore

    try:
        with GraphStore(location, read_only=True) as store:
            for name in names if names is not None else without_parameters():
                if stop is not None and stop.is_set():
                    break
                answers.preparation[name] = _prepare_one(answers, store, name, timeout, max_rows, tuple(formats))
    except KGError as exc:
        log.warning("no answers prepared: %s", exc)
    finally:
        answers.prepared.set()


def _prepare_one(answers: Answers, store: object, name: str, timeout: float, max_rows: int,
                 formats: tuple[str, ...]) -> str:
    """Compute and keep one question's answer in each format nobody has (kept already, on disk by an earlier
    server, or computed by a request now); returns what it found."""
    from kg.errors import KGError
    from kg.sparql.query import run_query

    keys = {fmt: answer_key(name, {}, fmt) for fmt in formats}
    todo = [fmt for fmt, key in keys.items() if answers.claim(key) is None]  # None: this one computes it
    if not todo:
        return "kept"
    begin = time.perf_counter()
    data: dict[str, bytes] = {}
    try:
        result = run_query(store, name, timeout=timeout)  # type: ignore[arg-type]
        took = f"{len(result)} row{'' if len(result) == 1 else 's'} in {time.perf_counter() - begin:.1f} s"
        if max_rows and len(result) > max_rows:
            return f"not kept: {took}, over the limit of {max_rows} results"
        data = {fmt: pack(result, fmt) for fmt in todo}
        return took
    except KGError as exc:
        log.warning("the answer to %s was not prepared: %s", name, exc)
        return f"not prepared: {exc}"
    finally:
        for fmt in todo:
            answers.keep(keys[fmt], data.get(fmt), time.perf_counter() - begin)
