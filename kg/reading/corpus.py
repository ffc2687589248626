"""Reading a corpus: find its articles, read each one's annotations into plain records.

A corpus is a folder holding ``kg.toml`` (optional), ``actors.yaml`` (optional) and the articles, in
``articles/`` or in the folder itself (see ``docs/annotation-format.md``). Each article is ``NAME.txt``
with ``NAME.yaml`` (the YAML sidecar) or ``NAME.ann`` (brat standoff; a ``NAME.yaml`` beside it then holds
only the article's metadata).

>>> from pathlib import Path
>>> corpus = open_corpus(Path("seeds"))
>>> [f.id for f in corpus.files]
['000_9c143c0af1e05f5b']
"""

from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass
from pathlib import Path

from kg.errors import AnnotationError, KGError
from kg.model import Article, Metadata
from kg.resolve import Registry, read_registry
from kg.scheme import CorpusConfig, read_config

#: Bump when the mapping to RDF changes, so incremental builds redo every article.
MAPPING_VERSION = "1"


@dataclass(frozen=True)
class ArticleFiles:
    """The files of one article."""

    id: str
    text: Path
    ann: Path | None = None
    yaml: Path | None = None

    @property
    def annotation(self) -> Path | None:
        return self.ann or self.yaml

    def digest(self) -> str:
        """Content hash of the text and annotation files."""
        h = hashlib.sha256()
        for path in (self.text, self.ann, self.yaml):
            h.update(b"\0" if path is None else path.read_bytes() + b"\1")
        return h.hexdigest()


@dataclass(frozen=True)
class Corpus:
    """A corpus folder: its configuration, registry and article files."""

    root: Path
    config: CorpusConfig
    registry: Registry
    files: tuple[ArticleFiles, ...]

    def digest(self) -> str:
        """Hash of what every article's mapping depends on besides its own files."""
        h = hashlib.sha256(MAPPING_VERSION.encode())
        for path in (self.root / "kg.toml", self.config.registry):
            if path is not None and path.exists():
                h.update(path.read_bytes())
        return h.hexdigest()


def find_articles(root: Path) -> list[ArticleFiles]:
    """Every article under a corpus folder, sorted by id; an annotation file without its text is an error."""
    folder = root / "articles" if (root / "articles").is_dir() else root
    found: dict[str, dict[str, Path]] = {}
    for path in sorted(folder.rglob("*")):
        if path.suffix not in (".txt", ".ann", ".yaml", ".yml") or not path.is_file():
            continue
        if path.parent == root and path.name in ("actors.yaml", "actors.yml"):
            continue
        rel = path.relative_to(folder).with_suffix("").as_posix()
        found.setdefault(rel, {})[".yaml" if path.suffix == ".yml" else path.suffix] = path
    files = []
    for article_id, parts in sorted(found.items()):
        if ".txt" not in parts:
            orphan = parts.get(".ann") or parts[".yaml"]
            raise AnnotationError(f"no text file for {orphan.name}", file=str(orphan),
                                  hint=f"add {Path(article_id).name}.txt beside it")
        files.append(ArticleFiles(article_id, parts[".txt"], parts.get(".ann"), parts.get(".yaml")))
    return files


def open_corpus(root: Path) -> Corpus:
    """Read a corpus folder's configuration and registry and list its articles."""
    if not root.exists():
        raise KGError(f"corpus folder not found: {root}", hint="give the path of a folder of articles")
    if root.is_file():
        raise KGError(f"{root} is a file, not a corpus folder",
                      hint="give the folder that holds the article (and its kg.toml)")
    config = read_config(root)
    return Corpus(root, config, read_registry(config.registry), tuple(find_articles(root)))


def read_article(files: ArticleFiles, config: CorpusConfig) -> Article:
    """Read one article's text and annotations (types still as written: see :func:`kg.scheme.apply_scheme`)."""
    from kg.brat import read_brat, read_text
    from kg.sidecar import read_sidecar

    text = read_text(files.text)
    if files.ann is not None:
        metadata = Metadata()
        if files.yaml is not None:
            metadata = read_sidecar(files.yaml, text, article_id=files.id, metadata_only=True).metadata
        article = read_brat(files.ann, metadata=metadata, attribute_flags=config.attributes)
        article = dataclasses.replace(article, id=files.id)
    elif files.yaml is not None:
        article = read_sidecar(files.yaml, text, article_id=files.id, text_source=str(files.text))
    else:
        article = Article(id=files.id, text=text, source=str(files.text), text_source=str(files.text))
    meta = article.metadata
    defaults = {"outlet": config.outlet, "language": config.language}
    missing = {k: v for k, v in defaults.items() if v is not None and getattr(meta, k) is None}
    if missing:
        article = dataclasses.replace(article, metadata=dataclasses.replace(meta, **missing))
    return article
