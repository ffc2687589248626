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

import json
import os
import shutil
import tempfile
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
                from kg.drafting.crf import is_crf, load_crf

                if is_crf(folder):
                    self.recognisers[lang] = load_crf(folder)
                else:
                    from kg.drafting.ner import load

                    self.recognisers[lang] = load(folder)
        return self.recognisers.get(lang)

    def entities(self, text: str, lang: str) -> list[tuple[int, int, str]]:
        from kg.drafting.crf import Recogniser, predict_crf

        nlp = self.recogniser(lang)
        if nlp is None:
            return []
        if isinstance(nlp, Recogniser):
            spans = predict_crf(nlp, text)
        else:
            from kg.drafting.ner import predict

            spans = predict(nlp, text)
        langs = self.languages
        table = self.types.get(lang) or (self.types.get(langs[0]) if len(langs) == 1 else None)
        return [(s, e, table.fine(text[s:e], t)) for s, e, t in spans] if table is not None else spans

    def confidence(self, kind: str, name: str, default: float = 0.5) -> float:
        """The held-out precision of an entity or relation type, as the confidence of its drafts."""
        value = self.report.get("confidence", {}).get(kind, {}).get(name)
        return float(value) if value is not None else default


def save_model(model: Model, folder: Path) -> None:
    """Write the model folder (the recognisers must be in ``model.recognisers``).

    It is written beside ``folder`` and then renamed into place, so that a model trained again over an older
    one keeps none of the older files (a CRF's ``crf.model`` left beside a new spaCy pipeline would be loaded
    instead of it) and a process killed while writing leaves the previous model whole.
    """
    if folder.exists() and any(folder.iterdir()) and not (folder / REPORT).is_file():
        raise KGError(f"{folder} exists and is not a kg model folder",
                      hint="choose another -o, or remove that folder first")
    folder.parent.mkdir(parents=True, exist_ok=True)
    fresh = Path(tempfile.mkdtemp(prefix=f".{folder.name}-new-", dir=folder.parent))
    mask = os.umask(0)
    os.umask(mask)
    fresh.chmod(0o777 & ~mask)  # as a folder made by mkdir (mkdtemp's is private)
    try:
        _write(model, fresh)
        old = folder.with_name(f".{folder.name}-old-{os.getpid()}")
        if folder.exists():
            folder.rename(old)
        fresh.rename(folder)
    except BaseException:
        shutil.rmtree(fresh, ignore_errors=True)
        raise
    shutil.rmtree(old, ignore_errors=True)
    model.folder = folder


def _write(model: Model, folder: Path) -> None:
    from kg.drafting.crf import Recogniser, save_crf

    for lang, nlp in model.recognisers.items():
        if isinstance(nlp, Recogniser):
            save_crf(nlp, folder / f"ner-{lang}")
        else:
            from kg.drafting.ner import save

            save(nlp, folder / f"ner-{lang}")
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
