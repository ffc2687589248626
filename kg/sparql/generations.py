"""The layout of a store folder on disk: generations of the database and the ``live`` link.

A store folder holds one or more generations ``gen-…`` (each an Oxigraph database) and ``live``, a
symbolic link naming the generation readers open. A build writes a new generation beside the live one (a
fresh database for a full build, a hard-linked checkpoint of the live one for an incremental build), and
when everything is in, writes a new link and renames it over ``live`` (``os.replace``: one atomic rename).
Whatever stops a build, and whenever, ``live`` names the previous generation or the new one, never a
half-written one; readers that open the store later see the new one (a reader already open keeps reading
the old files until it closes). What a stopped build leaves (a generation ``live`` does not name, a link
never renamed, a temporary shard folder) is removed by the next build, which holds ``kg-build.lock``
meanwhile, with the answers kept for generations no longer live (``answers/GENERATION``, see
:mod:`kg.sparql.kept`). A store folder written by an older kg (an Oxigraph database itself) is still read, and becomes
a generation at its next build. Other tools (``oxigraph serve --location``) open ``STORE/live``.

This module only names and moves folders; :mod:`kg.sparql.store` opens the databases.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import uuid
from pathlib import Path

#: In a store folder: the link to the live generation, the generations' prefix, the builders' lock file.
LIVE = "live"
GENERATION = "gen-"
LOCK = "kg-build.lock"
#: In a store folder: the saved questions' answers kept for each generation (:mod:`kg.sparql.kept`).
ANSWERS = "answers"
#: What stopped builds can leave in a store folder (removed by the next build).
GRAPHS_LEFT_BY_BUILDS = (GENERATION, f".{LIVE}-", ".shards-")


def new_generation() -> str:
    """A fresh generation folder name."""
    return f"{GENERATION}{uuid.uuid4().hex[:12]}"


def store_location(path: Path) -> Path:
    """The Oxigraph database a store folder's readers open: its live generation (or the folder itself,
    for a store written by an older kg).

    >>> store_location(Path("no-such-store"))
    PosixPath('no-such-store')
    """
    link = path / LIVE
    if link.is_symlink():
        return path / os.readlink(link)
    return link if link.is_dir() else path  # a copied store folder: the link became a folder


def is_legacy(path: Path) -> bool:
    """A store folder that is itself an Oxigraph database (written before generations)."""
    return (path / "CURRENT").is_file() and not (path / LIVE).is_symlink()


def point_live(path: Path, generation: str) -> None:
    """Make ``live`` name ``generation`` with one atomic rename (a new link written, then renamed over)."""
    tmp = path / f".{LIVE}-{uuid.uuid4().hex}"
    os.symlink(generation, tmp)
    os.replace(tmp, path / LIVE)
    with contextlib.suppress(OSError):  # make the rename durable where the platform allows it
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def remove_leftovers(path: Path) -> list[Path]:
    """Remove what stopped builds left in a store folder: generations ``live`` does not name, link files
    never renamed, temporary shard folders, and the answers kept for generations other than the live one.
    Call it holding the build lock. Returns what was removed."""
    if not (path / LIVE).is_symlink():
        return []
    live = os.readlink(path / LIVE)
    removed = []
    for entry in path.iterdir():
        stale_gen = entry.name.startswith(GENERATION) and entry.name != live
        if stale_gen or entry.name.startswith(GRAPHS_LEFT_BY_BUILDS[1:]):
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry, ignore_errors=True)
            else:
                entry.unlink(missing_ok=True)
            removed.append(entry)
    answers = path / ANSWERS
    if answers.is_dir():
        for entry in answers.iterdir():
            if entry.name != live:
                shutil.rmtree(entry, ignore_errors=True)
                removed.append(entry)
    return removed
