"""What an article's content hash covers besides its own files: its corpus, the ontology and kg itself.

An article is mapped again when any of these change: its text and annotation files, its corpus
configuration (``kg.toml``) and registry, the ontology files, kg's version, or the source of the
modules that read and map articles. The last two mean that upgrading kg, or editing its mapping, redoes
every article at the next build.

>>> len(code_fingerprint())
64
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

#: The modules (and packages) whose source decides an article's quads or the relation summary built from them
#: (a store built before a change to its shape is rebuilt, not left without the new quads), relative to the kg
#: package.
MAPPING_SOURCES = ("reading", "mapping", "model.py", "vocab.py", "ontology.py", "building/article.py",
                   "building/summary.py", "building/collect.py", "building/display_names.py")


def _kg_dir() -> Path:
    import kg

    return Path(kg.__file__).parent


def ontology_files(directory: Path | None = None) -> list[Path]:
    """The ontology's files, sorted (their bytes are part of every content hash)."""
    from kg.ontology import ontology_dir

    folder = directory or ontology_dir()
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix in (".ttl", ".toml", ".yaml"))


@lru_cache(maxsize=4)
def code_fingerprint(ontology: Path | None = None) -> str:
    """Hash of kg's version, the mapping code and the ontology files (computed once a process)."""
    import kg
    from kg.reading.corpus import MAPPING_VERSION

    h = hashlib.sha256(f"kg {kg.__version__} mapping {MAPPING_VERSION}\0".encode())
    root = _kg_dir()
    for name in MAPPING_SOURCES:
        path = root / name
        files = sorted(path.rglob("*.py")) if path.is_dir() else [path] if path.is_file() else []
        for f in files:
            h.update(f.relative_to(root).as_posix().encode() + b"\0" + f.read_bytes() + b"\1")
    for f in ontology_files(ontology):
        h.update(f.name.encode() + b"\0" + f.read_bytes() + b"\1")
    return h.hexdigest()


def content_hash(article_digest: str, corpus_digest: str, code: str) -> str:
    """The hash an article graph records (``kg:contentHash``): unchanged means nothing to redo.

    >>> content_hash("a", "b", "c") == content_hash("a", "b", "c") != content_hash("a", "b", "d")
    True
    """
    return hashlib.sha256(f"{article_digest}\0{corpus_digest}\0{code}".encode()).hexdigest()


#: The file in a store folder that keeps :class:`Stamps`.
STAMPS = "file-stamps.json"


class Stamps:
    """What was found in files that have not changed since: kept in the store folder, keyed by a name (its
    digest) and the files' size, modification time (ns) and inode, so that a build does not read every file
    of a large corpus to learn that one changed. A file modified within two seconds of being read is not kept
    (its time could recur), and nothing is kept for an in-memory store.

    >>> stamps = Stamps(None)
    >>> stamps.get("x", [Path("seeds/kg.toml")], lambda: "computed")
    'computed'
    """

    def __init__(self, folder: Path | None) -> None:
        self.file = folder / STAMPS if folder is not None else None
        self.old: dict[str, Any] = {}
        if self.file is not None and self.file.is_file():
            try:
                self.old = json.loads(self.file.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                self.old = {}
        self.new: dict[str, Any] = {}
        self.since = (time.time() - 2) * 1e9

    def get(self, name: str, paths: Sequence[Path | None], compute: Callable[[], Any]) -> Any:
        """The value computed from ``paths`` (``compute()``, or what it gave when they were as they are)."""
        if self.file is None:
            return compute()
        try:
            stats = [os.stat(p) for p in paths if p is not None]
        except OSError:
            return compute()
        # one short string a name and one a stamp (a 100,000-article corpus keeps 200,000 of them)
        stamp = " ".join(f"{st.st_size}.{st.st_mtime_ns}.{st.st_ino}" for st in stats)
        key = hashlib.blake2b(name.encode("utf-8"), digest_size=12).hexdigest()
        entry = self.old.get(key)
        if entry is None or entry[0] != stamp:
            entry = [stamp, compute()]
        if all(st.st_mtime_ns < self.since for st in stats):
            self.new[key] = entry
        return entry[1]

    def save(self) -> None:
        """Keep what this build found (and only that: files gone are forgotten)."""
        if self.file is None or self.new == self.old:
            return
        tmp = self.file.with_suffix(".tmp")
        try:
            tmp.write_text(json.dumps(self.new, separators=(",", ":")), encoding="utf-8")
            tmp.replace(self.file)
        except OSError:
            tmp.unlink(missing_ok=True)  # a cache: the next build reads the files again
