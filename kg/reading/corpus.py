"""Reading a corpus: find its articles, read each one's annotations into plain records.

A corpus is a folder holding ``kg.toml`` (optional), ``actors.yaml`` (optional) and the articles, in
``articles/`` or in the folder itself (see ``docs/annotation-format.md``). Each article is ``NAME.txt``
with one annotation file in a format that :data:`kg.reading.readers.READERS` knows: ``NAME.yaml`` (the YAML
sidecar), ``NAME.ann`` (brat standoff) or an INCEpTION export that holds its own text (``NAME.json`` /
``NAME.xmi``, UIMA CAS; ``NAME.tsv``, WebAnno TSV 3); beside an annotation file, ``NAME.yaml`` holds only
the article's metadata. A file no reader knows is reported (:func:`unread_files`), never skipped in silence.

>>> from pathlib import Path
>>> corpus = open_corpus(Path("seeds"))
>>> [f.id for f in corpus.files]
['000_9c143c0af1e05f5b']
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from kg.errors import AnnotationError, KGError
from kg.mapping.resolve import Registry, read_registry
from kg.model import Article, Metadata, Problem
from kg.reading.scheme import CorpusConfig, read_config

#: Bump when the mapping to RDF changes, so incremental builds redo every article.
MAPPING_VERSION = "1"


class ArticleFiles:
    """The files of one article: its text, its annotation file (any format of
    :data:`kg.reading.readers.READERS`) and a YAML sidecar beside it holding only the article's metadata.

    The paths are kept as strings (a ``Path`` takes four times the memory, and a corpus of 100,000 articles
    keeps 200,000 of them while it builds) and given as ``Path`` objects.

    >>> files = ArticleFiles("a", Path("c/a.txt"), Path("c/a.ann"))
    >>> files.annotation, files.metadata, files == ArticleFiles("a", Path("c/a.txt"), Path("c/a.ann"))
    (PosixPath('c/a.ann'), None, True)
    """

    __slots__ = ("id", "_paths")

    def __init__(self, id: str, text: Path | str | None, annotation: Path | str | None = None,
                 metadata: Path | str | None = None) -> None:
        self.id = id
        self._paths = tuple(None if p is None else str(p) for p in (text, annotation, metadata))

    @property
    def paths(self) -> tuple[str | None, str | None, str | None]:
        """The text, annotation and metadata files as strings (what planning a large corpus uses)."""
        return self._paths  # type: ignore[return-value]

    @property
    def text(self) -> Path | None:
        return None if self._paths[0] is None else Path(self._paths[0])

    @property
    def annotation(self) -> Path | None:
        return None if self._paths[1] is None else Path(self._paths[1])

    @property
    def metadata(self) -> Path | None:
        return None if self._paths[2] is None else Path(self._paths[2])

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ArticleFiles) and (self.id, self._paths) == (other.id, other._paths)

    def __hash__(self) -> int:
        return hash((self.id, self._paths))

    def __repr__(self) -> str:
        return f"ArticleFiles({self.id!r}, {', '.join(repr(p) for p in (self.text, self.annotation, self.metadata))})"

    def __reduce__(self) -> tuple[object, ...]:
        return ArticleFiles, (self.id, *self._paths)

    def digest(self) -> str:
        """Content hash of the text and annotation files."""
        h = hashlib.sha256()
        sidecar = self.metadata or (self.annotation if self.metadata is None and _is_sidecar(self.annotation)
                                    else None)
        other = self.annotation if self.annotation != sidecar else None
        for path in (self.text, other, sidecar):  # in this order, so that hashes stay as they were
            h.update(b"\0" if path is None else path.read_bytes() + b"\1")
        return h.hexdigest()


def _is_sidecar(path: Path | None) -> bool:
    from kg.reading.readers import METADATA_READER, reader_for

    reader = reader_for(path) if path is not None else None
    return reader is not None and reader.name == METADATA_READER


@dataclass(frozen=True)
class Corpus:
    """A corpus folder: its configuration, registry and article files."""

    root: Path
    config: CorpusConfig
    registry: Registry
    files: tuple[ArticleFiles, ...]
    problems: tuple[Problem, ...] = ()  # files no reader knows

    def digest(self) -> str:
        """Hash of what every article's mapping depends on besides its own files."""
        h = hashlib.sha256(MAPPING_VERSION.encode())
        for path in (self.root / "kg.toml", self.config.registry, *sorted(self.root.rglob("TypeSystem.xml"))):
            if path is not None and path.exists():
                h.update(path.read_bytes())
        return h.hexdigest()


def files_under(folder: Path) -> list[Path]:
    """Every file under a folder (symbolic links to files too; linked folders are not entered), sorted as
    paths sort. One ``scandir`` a folder: listing a corpus of 10,000 articles this way takes a tenth of the
    time ``rglob`` and ``is_file`` take.

    >>> [p.as_posix() for p in files_under(Path("seeds"))][:3]
    ['seeds/README.md', 'seeds/actors.yaml', 'seeds/articles/000_9c143c0af1e05f5b.txt']
    """
    return [Path(path) for path in _listing(folder)]


def _listing(folder: Path) -> list[str]:
    """:func:`files_under` as strings (what a large corpus's build keeps)."""
    found: list[str] = []
    stack = [str(folder)]
    while stack:
        top = stack.pop()
        try:
            entries = list(os.scandir(top))
        except OSError:
            continue
        for entry in entries:
            try:
                if entry.is_dir(follow_symlinks=False):
                    stack.append(entry.path)
                elif entry.is_file():
                    found.append(entry.path)
            except OSError:
                continue
    found.sort(key=lambda path: path.replace(os.sep, "\0"))  # as paths sort: part by part
    return found


def _suffix(path: str) -> str:
    """``Path(path).suffix``, of a string.

    >>> [_suffix(p) for p in ("a/b.tar.gz", "a/.hidden", "a/b.", "a.b/c")]
    ['.gz', '', '', '']
    """
    name = path.rsplit(os.sep, 1)[-1]
    dot = name.rfind(".")
    return name[dot:] if 0 < dot < len(name) - 1 else ""


def _skipped(paths: set[Path]) -> Callable[[str], bool]:
    """Whether a path is one of ``paths`` (resolved), resolving only the paths of the same name."""
    names = {p.name for p in paths}
    return lambda path: path.rsplit(os.sep, 1)[-1] in names and Path(path).resolve() in paths


def find_articles(root: Path, *, skip: Iterable[Path] = (), listing: list[str] | None = None) -> list[ArticleFiles]:
    """Every article under a corpus folder, sorted by id.

    Files are grouped by name without suffix: ``NAME.txt`` and one annotation file of a known format
    (``NAME.yaml`` beside another format's file holds the metadata). An annotation file without its text is
    an error, and so are two annotation files of one article. ``skip`` names files that are not articles
    (the registry); ``actors.yaml`` in the corpus root never is one. ``listing``: the files under the
    article folder, as strings, when known already.
    """
    from kg.reading.readers import METADATA_READER, READERS

    folder = root / "articles" if (root / "articles").is_dir() else root
    skipped = _skipped({p.resolve() for p in skip} | {(root / n).resolve() for n in ("actors.yaml", "actors.yml")})
    found: dict[str, dict[str, str]] = {}
    prefix = len(str(folder)) + 1
    for path in _listing(folder) if listing is None else listing:
        suffix = _suffix(path).lower()
        if (suffix != ".txt" and suffix not in READERS) or skipped(path):
            continue
        rel = path[prefix:len(path) - len(suffix)].replace(os.sep, "/")
        found.setdefault(rel, {})[suffix] = path
    files = []
    for article_id, parts in sorted(found.items()):
        text = parts.pop(".txt", None)
        sidecars = [Path(p) for s, p in parts.items() if READERS[s].name == METADATA_READER]
        others = [Path(p) for s, p in parts.items() if READERS[s].name != METADATA_READER]
        if len(others) > 1 or len(sidecars) > 1:
            clash = others if len(others) > 1 else sidecars
            raise AnnotationError(f"{len(clash)} annotation files for one article: "
                                  f"{', '.join(p.name for p in clash)}", file=str(clash[0]),
                                  hint="keep one of them (or rename the others)")
        annotation = others[0] if others else sidecars[0] if sidecars else None
        metadata = sidecars[0] if others and sidecars else None
        if text is None and annotation is not None and not READERS[annotation.suffix.lower()].has_text:
            raise AnnotationError(f"no text file for {annotation.name}", file=str(annotation),
                                  hint=f"add {Path(article_id).name}.txt beside it")
        files.append(ArticleFiles(article_id, text, annotation, metadata))
    return files


#: Files a corpus may hold that are not articles: configuration (kg's, brat's, INCEpTION's) and documentation.
COMPANIONS = frozenset({"kg.toml", "actors.yaml", "actors.yml", "TypeSystem.xml", "typesystem.xml", "annotation.conf",
                        "visual.conf", "tools.conf", "kb_shortcuts.conf"})


def unread_files(root: Path, *, skip: Iterable[Path] = (), listing: list[str] | None = None) -> list[Problem]:
    """A warning for each file of a corpus that no reader knows (configuration and documentation aside).
    ``listing``: the files under the article folder, as strings, when known already."""
    from kg.reading.readers import READERS

    folder = root / "articles" if (root / "articles").is_dir() else root
    skipped = _skipped({p.resolve() for p in skip})
    known = (".txt", *READERS)
    paths = [*(Path(p) for p in (_listing(folder) if listing is None else listing) if _suffix(p).lower() not in known),
             *(root.iterdir() if folder != root else ())]
    return [Problem(str(p), None, f"not read: no reader knows {p.suffix or 'files without a suffix'}",
                    f"kg reads .txt, {', '.join(sorted(READERS))}; convert or remove it", "warning")
            for p in sorted(paths) if p.suffix.lower() not in known and p.is_file()
            and p.name not in COMPANIONS and p.suffix.lower() != ".md" and not skipped(str(p))
            and not p.name.startswith(("README", "LICENSE"))
            and not any(part.startswith(".") for part in p.relative_to(root).parts)]


def open_corpus(root: Path, *, strict: bool = True) -> Corpus:
    """Read a corpus folder's configuration and registry and list its articles.

    The registry's types are checked against the ontology. ``strict``: the registry's first mistake is raised;
    otherwise its mistakes are in ``corpus.registry.problems`` and those entries are left out.
    """
    from kg.ontology import load_ontology

    if not root.exists():
        raise KGError(f"corpus folder not found: {root}", hint="give the path of a folder of articles")
    if root.is_file():
        raise KGError(f"{root} is a file, not a corpus folder",
                      hint="give the folder that holds the article (and its kg.toml)")
    config = read_config(root)
    registry = read_registry(config.registry, strict=strict, entity_types=load_ontology().entity_types)
    skip = [config.registry] if config.registry is not None else []
    listing = _listing(root / "articles" if (root / "articles").is_dir() else root)
    return Corpus(root, config, registry, tuple(find_articles(root, skip=skip, listing=listing)),
                  tuple(unread_files(root, skip=skip, listing=listing)))


def read_article(files: ArticleFiles, config: CorpusConfig) -> Article:
    """Read one article's text and annotations, each file once, with the reader of its format.

    Types stay as written (see :func:`kg.reading.scheme.apply_scheme`). Problems of single annotations are
    in ``Article.problems`` (those records are left out); a file that cannot be read at all raises
    :class:`~kg.errors.AnnotationError`. The corpus's default outlet and language fill what the article's
    metadata leaves open.
    """
    from kg.reading.brat import read_text
    from kg.reading.readers import reader_for
    from kg.reading.sidecar import read_metadata

    text = read_text(files.text) if files.text is not None else None
    metadata, problems = Metadata(), tuple[Problem, ...]()
    if files.metadata is not None:
        metadata, problems = read_metadata(files.metadata, text)
    reader = reader_for(files.annotation) if files.annotation is not None else None
    if files.annotation is not None and reader is not None:
        article = reader.read(files.annotation, text, metadata=metadata, config=config)
        article = dataclasses.replace(article, id=files.id, text_source=str(files.text or files.annotation),
                                      problems=(*problems, *article.problems))
    else:
        article = Article(id=files.id, text=text or "", metadata=metadata, source=str(files.text),
                          text_source=str(files.text), problems=problems)
    meta = article.metadata
    defaults = {"outlet": config.outlet, "language": config.language}
    missing = {k: v for k, v in defaults.items() if v is not None and getattr(meta, k) is None}
    if missing:
        article = dataclasses.replace(article, metadata=dataclasses.replace(meta, **missing))
    return article
