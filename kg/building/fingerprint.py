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
from functools import lru_cache
from pathlib import Path

#: The modules (and packages) whose source decides an article's quads, relative to the kg package.
MAPPING_SOURCES = ("reading", "mapping", "model.py", "vocab.py", "ontology.py", "building/article.py")


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
