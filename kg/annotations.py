"""Reading a corpus: find its articles, read each one's annotations into plain records.

A corpus is a folder holding ``kg.toml`` (optional), ``actors.yaml`` (optional) and the articles, in
``articles/`` or in the folder itself (see ``docs/annotation-format.md``). Each article is ``NAME.txt``
with ``NAME.yaml`` (the YAML sidecar) or ``NAME.ann`` (brat standoff), or an INCEpTION export that holds its
own text: ``NAME.json`` / ``NAME.xmi`` (UIMA CAS) or ``NAME.tsv`` (WebAnno TSV 3); beside an annotation
file, ``NAME.yaml`` holds only the article's metadata. A file no reader knows is reported, never skipped.

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
from kg.model import Article, Metadata, Problem
from kg.resolve import Registry, read_registry
from kg.scheme import CorpusConfig, read_config

#: Bump when the mapping to RDF changes, so incremental builds redo every article.
MAPPING_VERSION = "1"
#: Annotation files besides the YAML sidecar; the INCEpTION exports hold their own text.
ANNOTATION_SUFFIXES = (".ann", ".json", ".xmi", ".tsv")
#: Files a corpus may hold that are not articles (configuration, brat's and INCEpTION's, documentation).
COMPANIONS = frozenset({"kg.toml", "actors.yaml", "actors.yml", "TypeSystem.xml", "typesystem.xml", "annotation.conf",
                        "visual.conf", "tools.conf", "kb_shortcuts.conf"})


@dataclass(frozen=True)
class ArticleFiles:
    """The files of one article (``text`` is the export itself when an INCEpTION export has no ``.txt``)."""

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
    problems: tuple[Problem, ...] = ()  # files no reader knows

    def digest(self) -> str:
        """Hash of what every article's mapping depends on besides its own files."""
        h = hashlib.sha256(MAPPING_VERSION.encode())
        for path in (self.root / "kg.toml", self.config.registry, *sorted(self.root.rglob("TypeSystem.xml"))):
            if path is not None and path.exists():
                h.update(path.read_bytes())
        return h.hexdigest()


def find_articles(root: Path) -> list[ArticleFiles]:
    """Every article under a corpus folder, sorted by id; an annotation file without its text is an error."""
    folder = root / "articles" if (root / "articles").is_dir() else root
    found: dict[str, dict[str, Path]] = {}
    for path in sorted(folder.rglob("*")):
        if path.suffix not in (".txt", ".yaml", ".yml", *ANNOTATION_SUFFIXES) or not path.is_file():
            continue
        if path.parent == root and path.name in ("actors.yaml", "actors.yml"):
            continue
        rel = path.relative_to(folder).with_suffix("").as_posix()
        found.setdefault(rel, {})[".yaml" if path.suffix == ".yml" else path.suffix] = path
    files = []
    for article_id, parts in sorted(found.items()):
        annotations = [parts[s] for s in ANNOTATION_SUFFIXES if s in parts]
        if len(annotations) > 1:
            raise AnnotationError(f"{' and '.join(p.name for p in annotations)} annotate the same article",
                                  file=str(annotations[1]), hint="keep one annotation file per article")
        ann = annotations[0] if annotations else None
        text = parts.get(".txt") or (ann if ann is not None and ann.suffix != ".ann" else None)
        if text is None:
            orphan = ann or parts[".yaml"]
            raise AnnotationError(f"no text file for {orphan.name}", file=str(orphan),
                                  hint=f"add {Path(article_id).name}.txt beside it")
        files.append(ArticleFiles(article_id, text, ann, parts.get(".yaml")))
    return files


def unread_files(root: Path) -> list[Problem]:
    """A warning for each file of a corpus that no reader knows (documentation and configuration aside)."""
    folder = root / "articles" if (root / "articles").is_dir() else root
    known = (".txt", ".yaml", ".yml", *ANNOTATION_SUFFIXES)
    paths = [*folder.rglob("*"), *(root.iterdir() if folder != root else ())]
    return [Problem(str(p), None, f"not read: no reader knows {p.suffix or 'files without a suffix'}",
                    f"kg reads {', '.join(known)}; convert or remove it", "warning")
            for p in sorted(paths) if p.is_file() and p.suffix not in known and p.name not in COMPANIONS
            and p.suffix != ".md" and not p.name.startswith((".", "README", "LICENSE"))
            and not any(part.startswith(".") for part in p.relative_to(root).parts)]


def open_corpus(root: Path) -> Corpus:
    """Read a corpus folder's configuration and registry and list its articles."""
    if not root.exists():
        raise KGError(f"corpus folder not found: {root}", hint="give the path of a folder of articles")
    if root.is_file():
        raise KGError(f"{root} is a file, not a corpus folder",
                      hint="give the folder that holds the article (and its kg.toml)")
    config = read_config(root)
    return Corpus(root, config, read_registry(config.registry), tuple(find_articles(root)),
                  tuple(unread_files(root)))


def read_article(files: ArticleFiles, config: CorpusConfig) -> Article:
    """Read one article's text and annotations (types still as written: see :func:`kg.scheme.apply_scheme`)."""
    from kg.brat import read_brat, read_text
    from kg.sidecar import read_sidecar

    exported = files.text == files.ann  # an INCEpTION export without a .txt: the text is in it
    text = "" if exported else read_text(files.text)
    if files.ann is not None:
        metadata = Metadata()
        if files.yaml is not None:
            metadata = read_sidecar(files.yaml, text, article_id=files.id, metadata_only=True).metadata
        if files.ann.suffix == ".ann":
            article = read_brat(files.ann, metadata=metadata, attribute_flags=config.attributes)
        else:
            from kg.reading import cas, webanno

            reader = webanno.read if files.ann.suffix == ".tsv" else cas.read
            article = reader(files.ann, None if exported else text, metadata=metadata, config=config)
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
