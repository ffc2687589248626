"""A drafting model: a folder with one entity recogniser per language, the relation classifier and the report.

```
MODEL/
  report.json      what it was trained on (corpora, article ids and hashes), sizes, settings, held-out scores,
                   and the per-type held-out precision that drafts carry as their confidence
  ner-ar/          the recogniser of one language of the corpora: a CRF (crf.model, gazetteer.json,
                   meta.json; kg.drafting.crf), or a spaCy pipeline (blank "ar" + ner; kg.drafting.ner)
  relations.json   the relation classifier's weights (plain JSON, no pickle)
  types.json       when the recogniser tags broad groups: the fine type of a name (kg.drafting.types)
```
"""

from __future__ import annotations

import ctypes
import errno
import json
import os
import shutil
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.drafting.relations import RelationModel
from kg.drafting.types import TypeTable
from kg.errors import KGError

REPORT = "report.json"
RELATIONS = "relations.json"
TYPES = "types.json"
FORMAT = "kg-drafting-model/2"  # 2: word features fold as names do


@dataclass
class Model:
    """A loaded model. Recognisers load on first use (crfsuite or spaCy is imported only then)."""

    folder: Path | None
    report: dict[str, Any]
    relations: RelationModel | None = None
    recognisers: dict[str, Any] = field(default_factory=dict)
    types: dict[str, TypeTable] = field(default_factory=dict)  # language → table, for group recognisers

    @property
    def languages(self) -> list[str]:
        return list(self.report.get("languages", {}))

    def recogniser(self, lang: str) -> Any | None:
        """The recogniser of a language (or of the model's only language), or None."""
        if lang not in self.recognisers and self.folder is not None:
            langs = self.languages
            chosen = lang if lang in langs else (langs[0] if len(langs) == 1 else None)
            folder = self.folder / f"ner-{chosen}"
            if chosen is not None and folder.is_dir():
                from kg.drafting.crf import is_crf

                self.recognisers[lang] = recogniser_kind("crf" if is_crf(folder) else "spacy").load(folder)
        return self.recognisers.get(lang)

    def entities(self, text: str, lang: str) -> list[tuple[int, int, str]]:
        nlp = self.recogniser(lang)
        if nlp is None:
            return []
        spans = recogniser_kind(nlp).predict(nlp, text)
        langs = self.languages
        table = self.types.get(lang) or (self.types.get(langs[0]) if len(langs) == 1 else None)
        return [(s, e, table.fine(text[s:e], t)) for s, e, t in spans] if table is not None else spans

    def confidence(self, kind: str, name: str, default: float = 0.5) -> float:
        """The held-out precision of an entity or relation type, as the confidence of its drafts."""
        value = self.report.get("confidence", {}).get(kind, {}).get(name)
        return float(value) if value is not None else default


def save_model(model: Model, folder: Path) -> None:
    """Write the model folder (the recognisers must be in ``model.recognisers``).

    It is written beside ``folder`` and then swapped into place in one step (:func:`exchange`), so that a
    model trained again over an older one keeps none of the older files (a CRF's ``crf.model`` left beside a
    new spaCy pipeline would be loaded instead of it), a reader always finds the old model or the new one, and
    a process killed while writing leaves the previous model whole; what such a process left beside it is
    removed by the next save.
    """
    if folder.exists() and any(folder.iterdir()) and not (folder / REPORT).is_file():
        raise KGError(f"{folder} exists and is not a kg model folder",
                      hint="choose another -o, or remove that folder first")
    folder.parent.mkdir(parents=True, exist_ok=True)
    for left in leftovers(folder):
        shutil.rmtree(left, ignore_errors=True)
    fresh = Path(tempfile.mkdtemp(prefix=f".{folder.name}-new-", dir=folder.parent))
    mask = os.umask(0)
    os.umask(mask)
    fresh.chmod(0o777 & ~mask)  # as a folder made by mkdir (mkdtemp's is private)
    try:
        _write(model, fresh)
        if not folder.exists():
            fresh.rename(folder)
        elif not exchange(fresh, folder):  # where the system cannot swap: two renames, a moment apart
            old = folder.with_name(f".{folder.name}-old-{os.getpid()}")
            folder.rename(old)
            try:
                fresh.rename(folder)
            except BaseException:
                old.rename(folder)  # the previous model back in its place
                raise
            fresh = old
    except BaseException:
        shutil.rmtree(fresh, ignore_errors=True)
        raise
    shutil.rmtree(fresh, ignore_errors=True)  # the older model, now under the temporary name
    model.folder = folder


def leftovers(folder: Path) -> list[Path]:
    """The temporary folders that stopped saves of ``folder`` left beside it."""
    if not folder.parent.is_dir():
        return []
    return sorted(p for p in folder.parent.iterdir()
                  if p.is_dir() and p.name.startswith((f".{folder.name}-new-", f".{folder.name}-old-")))


def exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one atomic step (Linux ``renameat2`` with ``RENAME_EXCHANGE``); False where the
    system or the file system cannot, having changed nothing.

    >>> import tempfile
    >>> root = Path(tempfile.mkdtemp())
    >>> (root / "a").mkdir(); (root / "b").mkdir(); (root / "a" / "x").touch()
    >>> exchange(root / "a", root / "b") in (True, False)
    True
    >>> shutil.rmtree(root)
    """
    if not sys.platform.startswith("linux"):
        return False
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.EPERM, errno.ENOTSUP):
        return False
    raise OSError(err, os.strerror(err), str(b))


@dataclass(frozen=True)
class RecogniserKind:
    """How one kind of recogniser is loaded from its folder, saved and asked for entity spans."""

    load: Callable[[Path], Any]
    save: Callable[[Any, Path], None]
    predict: Callable[[Any, str], list[tuple[int, int, str]]]


#: The entity recognisers kg can train and load (``kg train --recogniser``).
RECOGNISERS = ("crf", "spacy")


def check_recogniser(recogniser: str) -> None:
    """Refuse a recogniser kg does not have.

    >>> check_recogniser("hmm")
    Traceback (most recent call last):
    kg.errors.KGError: unknown recogniser 'hmm' (use crf or spacy)
    """
    if recogniser not in RECOGNISERS:
        raise KGError(f"unknown recogniser {recogniser!r}", hint="use " + " or ".join(RECOGNISERS))


def recogniser_kind(of: Any) -> RecogniserKind:
    """The functions of a recogniser kind, by name (one of :data:`RECOGNISERS`) or of a recogniser; each
    kind's library is imported only here."""
    from kg.drafting.crf import Recogniser

    if isinstance(of, str):
        check_recogniser(of)
    if of == "crf" or isinstance(of, Recogniser):
        from kg.drafting.crf import load_crf, predict_crf, save_crf

        return RecogniserKind(load_crf, save_crf, predict_crf)
    from kg.drafting.ner import load, predict, save

    return RecogniserKind(load, save, predict)


def _write(model: Model, folder: Path) -> None:
    for lang, nlp in model.recognisers.items():
        recogniser_kind(nlp).save(nlp, folder / f"ner-{lang}")
    if model.relations is not None:
        (folder / RELATIONS).write_text(json.dumps(model.relations.to_json()), encoding="utf-8")
    if model.types:
        (folder / TYPES).write_text(json.dumps({lang: t.to_json() for lang, t in model.types.items()},
                                               ensure_ascii=False), encoding="utf-8")
    (folder / REPORT).write_text(json.dumps(model.report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def load_model(folder: Path) -> Model:
    """Open a model folder written by ``kg train``."""
    report_path = folder / REPORT
    if not report_path.is_file():
        raise KGError(f"{folder} is not a kg model (no {REPORT})", hint="train one with: kg train CORPUS -o MODEL")
    try:
        report = json.loads(report_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise KGError(f"cannot read {report_path}: {exc}", hint="train the model again") from None
    if report.get("format") != FORMAT:
        raise KGError(f"{folder} was written by another version of kg ({report.get('format')!r})",
                      hint="train the model again with this kg")
    relations = None
    if (folder / RELATIONS).is_file():
        relations = RelationModel.from_json(json.loads((folder / RELATIONS).read_text(encoding="utf-8")))
    types = {}
    if (folder / TYPES).is_file():
        types = {lang: TypeTable.from_json(t) for lang, t in
                 json.loads((folder / TYPES).read_text(encoding="utf-8")).items()}
    return Model(folder, report, relations, types=types)
