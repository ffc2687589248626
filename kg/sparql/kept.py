"""Answers kept on disk beside the store generation they were computed on: ``STORE/answers/GENERATION/``.

A saved question whose answer took :data:`KEEP_AFTER` seconds or more is kept there, formatted and
gzip-compressed, by ``kg query`` and by ``kg serve`` (which also keeps there the answers it prepares at
start), and read from there the next time either is asked it on that generation: a large table that took
half a minute comes back in well under a second, and a restarted server has its prepared answers at once.

Each file is named from the question's text, its parameters as given, the format and kg's version, so a
changed question or another kg computes its answer again. They sit in a folder named by a stamp of the
generation's database files (:func:`database_stamp`): a generation written in place (``kg serve
--allow-update``, a program writing to the store) has another stamp, and the answers of its earlier state
are removed. At most :data:`DISK_BUDGET` bytes are kept for a generation, the oldest answers going first.
A build writes a new generation, whose answers start empty, and removes those of the generation it
replaces (and :func:`kg.sparql.generations.remove_leftovers` those of any other no longer live). Nothing
depends on this folder: a store folder that cannot be written keeps no answers, and deleting it only costs
the time to compute them again.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import json
import logging
import os
import shutil
import time
import uuid
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from kg.sparql.generations import ANSWERS, GENERATION

log = logging.getLogger("kg.serve")

#: Seconds an answer must have taken to be kept on disk (quicker ones are as quick to compute again).
KEEP_AFTER = 1.0
#: Bytes of answers kept on disk for one generation (a user asking many slow questions cannot fill the disk).
DISK_BUDGET = 1 << 30
#: Seconds after which a temporary file of the folder is one a killed process left (removed).
STALE_TMP = 3600


def database_stamp(location: Path) -> str:
    """What changes whenever the Oxigraph database at ``location`` is written: its table files by name and
    size (RocksDB numbers each new one higher), and the size of its write-ahead logs (writes not yet in a
    table). Opening it for writing without writing (as a build with nothing to do does) starts a new
    manifest and an empty log, and leaves this as it was."""
    tables, logged = [], 0
    for entry in os.scandir(location):
        if entry.name.endswith(".sst"):
            tables.append((entry.name, entry.stat().st_size))
        elif entry.name.endswith(".log"):
            logged += entry.stat().st_size
    return hashlib.sha256(json.dumps([sorted(tables), logged]).encode("utf-8")).hexdigest()[:16]


class KeptAnswers:
    """The kept answers of one store generation in one state (see the module docstring): the folder
    ``answers/GENERATION/STAMP``, at most :data:`DISK_BUDGET` bytes (the oldest answers go first)."""

    def __init__(self, folder: Path, stamp: str) -> None:
        #: ``answers/GENERATION``: one folder for each state of the generation answers were kept for.
        self.generation = folder
        self.stamp = stamp
        self.folder = folder / stamp
        self._checked = False

    @classmethod
    def of(cls, source: Any) -> KeptAnswers | None:
        """The kept answers of ``source``'s generation: a store opened read-only from a folder of generations
        (not an endpoint, an in-memory store, a writable one or a store folder written by an older kg)."""
        from kg.sparql.store import GraphStore

        if not isinstance(source, GraphStore) or not source.read_only or source.path is None:
            return None
        return cls.at(source.path, source.location)

    @classmethod
    def at(cls, store: Path, location: Path | None) -> KeptAnswers | None:
        """The kept answers of the generation at ``location`` in the store folder ``store`` (opened read-only)."""
        if location is None or location.parent != store or not location.name.startswith(GENERATION):
            return None
        try:
            return cls(store / ANSWERS / location.name, database_stamp(location))
        except OSError:
            return None

    def _check(self) -> None:
        """Remove the answers kept for other states of the generation (it was written to since)."""
        if self._checked:
            return
        self._checked = True
        with contextlib.suppress(OSError):  # nothing kept yet
            for entry in self.generation.iterdir():
                if entry.name != self.stamp:
                    shutil.rmtree(entry, ignore_errors=True)
            stale = time.time() - STALE_TMP
            for tmp in os.scandir(self.folder):  # what a process killed while writing left
                if tmp.name.endswith(".tmp") and tmp.stat().st_mtime < stale:
                    os.unlink(tmp.path)

    def file(self, name: str, params: Mapping[str, object], fmt: str) -> Path:
        from kg import __version__
        from kg.sparql.query import saved_queries

        saved = saved_queries().get(name)
        text = saved.text if saved is not None else name
        key = json.dumps([__version__, name, hashlib.sha256(text.encode("utf-8")).hexdigest(),
                          sorted((k, str(v)) for k, v in params.items()), fmt])
        return self.folder / f"{name}-{hashlib.sha256(key.encode('utf-8')).hexdigest()[:24]}.gz"

    def get(self, name: str, params: Mapping[str, object], fmt: str) -> bytes | None:
        """The kept answer, gzip-compressed, or ``None``."""
        self._check()
        try:
            return self.file(name, params, fmt).read_bytes()
        except OSError:
            return None

    def put(self, name: str, params: Mapping[str, object], fmt: str, packed: bytes) -> None:
        """Keep an answer (gzip-compressed); written whole or not at all, the oldest answers removed to stay
        within :data:`DISK_BUDGET`, none kept larger than it."""
        self._check()
        if len(packed) > DISK_BUDGET:
            return
        target = self.file(name, params, fmt)
        tmp = self.folder / f".{uuid.uuid4().hex}.tmp"
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            self._make_room(len(packed))
            tmp.write_bytes(packed)
            os.replace(tmp, target)
        except OSError as exc:
            log.debug("answer not kept in %s: %s", self.folder, exc)
            with contextlib.suppress(OSError):
                tmp.unlink()

    def _make_room(self, size: int) -> None:
        kept = sorted((e.stat().st_mtime_ns, e.stat().st_size, e.path) for e in os.scandir(self.folder)
                      if e.name.endswith(".gz"))
        used = sum(s for _, s, _ in kept)
        for _, s, path in kept:
            if used + size <= DISK_BUDGET:
                break
            with contextlib.suppress(OSError):
                os.unlink(path)
            used -= s


def compress(text: str) -> bytes:
    """An answer's text as it is kept: UTF-8, gzip-compressed, the same bytes for the same text."""
    return gzip.compress(text.encode("utf-8"), compresslevel=6, mtime=0)


def answer_text(source: Any, query: str, *, params: Mapping[str, str], fmt: str, graph: list[str] | None = None,
                timeout: float | None = None) -> str:
    """``run_query(source, query, …).format(fmt)``; for a saved question asked of the whole store, read from
    its kept answers when there, and kept there when it took :data:`KEEP_AFTER` seconds or more."""
    from kg.sparql.query import run_query, saved_queries

    kept = KeptAnswers.of(source) if query in saved_queries() and not graph else None
    if kept is not None and (packed := kept.get(query, params, fmt)) is not None:
        return gzip.decompress(packed).decode("utf-8")
    begin = time.perf_counter()
    out = run_query(source, query, params=params, graph=graph, timeout=timeout).format(fmt)
    if kept is not None and time.perf_counter() - begin >= KEEP_AFTER:
        kept.put(query, params, fmt, compress(out))
    return out
