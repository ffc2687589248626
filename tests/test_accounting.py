"""Nothing lost in silence: every annotation line of every fixture is in the graph or named by ``kg check``.

For each brat ``.ann`` line and each YAML sidecar item of the corpora in ``tests/data`` (and the seed), the
test looks for what that line becomes in the article graph that ``kg build --skip-invalid`` writes (a mention,
an assertion, an event, a flag, a note, an id), or for a problem of ``kg check`` on that file and line, or
for the kg.toml setting that leaves it out on purpose (a type mapped to ``""``).
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import pytest

from kg.mapping.pipeline import check_corpus, process_article
from kg.mapping.rdf import article_iri
from kg.model import Problem
from kg.reading.corpus import Corpus, open_corpus
from kg.reading.sidecar import load_yaml

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
CORPORA = [ROOT / "seeds", *sorted(p for p in DATA.iterdir() if p.is_dir() and p.name != "broken_yaml"),
           *sorted(p for p in (DATA / "broken_yaml").iterdir() if p.is_dir())]
KG = "https://w3id.org/kg/ontology#"


def _named(problems: list[Problem]) -> dict[str, set[int | None]]:
    found: dict[str, set[int | None]] = defaultdict(set)
    for p in problems:
        found[str(Path(p.file).resolve())].add(p.line)
    return found


def _graph(corpus: Corpus) -> dict[str, str]:
    """Article graph IRI → its N-Quads, as ``kg build --skip-invalid`` writes it."""
    return {article_iri(f.id, corpus.config.base): process_article(f, corpus, content_hash="", skip_invalid=True).nquads
            for f in corpus.files}


class _Account:
    """What one article's lines became."""

    def __init__(self, corpus: Corpus, iri: str, nquads: str, named: set[int | None]) -> None:
        self.iri, self.nquads, self.named = iri, nquads, named
        self.entities = dict(corpus.config.entities)
        self.relations = corpus.config.relations
        self.events = {k: v.type for k, v in corpus.config.events.items()}
        self.attributes = {k.lower(): v for k, v in corpus.config.attributes.items()}

    def has(self, pattern: str) -> bool:
        return re.search(pattern, self.nquads) is not None

    def node(self, ann_id: str, kind: str) -> str:
        suffix = {"R": "assertion", "E": "event"}[kind]
        return re.escape(f"<{self.iri}#{suffix}-{ann_id}>")

    def on_purpose(self, kind: str, type_: str) -> bool:
        if kind == "T":  # an entity, or the trigger of an event
            return self.entities.get(type_) == "" or self.events.get(type_) == ""
        if kind == "E":
            return self.events.get(type_) == ""
        rule = self.relations.get(type_)
        return rule is not None and not isinstance(rule, tuple) and rule.type == ""


def _ann_lines(path: Path, account: _Account) -> list[str]:
    """The lines of a .ann file that are neither in the graph nor named (nor left out on purpose)."""
    lost = []
    records: dict[str, tuple[str, str, list[str], int]] = {}
    for n, raw in enumerate(path.read_text(encoding="utf-8-sig").split("\n"), 1):
        ann_id, _, rest = raw.partition("\t")
        fields = rest.partition("\t")[0].split()
        if ann_id and fields:
            records[ann_id] = (ann_id[:1], fields[0].partition(":")[0], fields, n)

    def gone(ref: str, depth: int = 0) -> bool:
        """Whether a record is left out on purpose (or named), itself or through an argument."""
        if ref not in records or depth > 5:
            return False
        kind, type_, fields, line = records[ref]
        if line in account.named or account.on_purpose(kind, type_):
            return True
        return kind in "RE" and any(gone(a.partition(":")[2], depth + 1) for a in fields[1:])
    for n, raw in enumerate(path.read_text(encoding="utf-8-sig").split("\n"), 1):
        if not raw.strip() or n in account.named:
            continue
        ann_id, _, rest = raw.partition("\t")
        data, _, tail = rest.partition("\t")
        fields, kind = data.split(), ann_id[:1]
        if kind == "T":
            offsets = data.partition(" ")[2]
            starts = [int(x) for x in re.findall(r"\d+", offsets)]
            ok = account.has(re.escape(f"#char={min(starts)},{max(starts)}>")) or account.on_purpose("T", fields[0])
        elif kind in "RE":
            type_ = fields[0].partition(":")[0]
            args = [a.partition(":")[2] for a in fields[1:]]
            ok = account.has(account.node(ann_id, kind)) or account.on_purpose(kind, type_) or any(
                gone(a) for a in args)
        elif kind in "AM":
            name, target = fields[0], fields[1]
            value = fields[2].lower() if len(fields) > 2 else ""
            tkind = target[:1]
            flag = account.attributes.get(f"{name.lower()}={value}", account.attributes.get(name.lower()))
            ok = flag == "" or value in ("false", "no", "0", "none") or gone(target) or (
                tkind in "RE" and account.has(account.node(target, tkind) + rf" <{KG}(negated|uncertain|former|intended)>"))
        elif kind == "N":
            ok = account.has(rf"<{KG}(wikidata|ucdpId)>") or fields[2].upper().endswith(":NULL")
        elif kind == "#":
            target = fields[1]
            ok = account.has(rf"<{KG}note> \"{re.escape(tail.strip()[:20])}")
            ok = ok or gone(target)
        elif kind == "*":
            ok = True  # equivalences merge their members' nodes (tests/test_resolve.py)
        else:
            ok = False
        if not ok:
            lost.append(f"{path}:{n}: {raw}")
    return lost


def _yaml_items(path: Path, account: _Account) -> list[str]:
    data = load_yaml(path.read_text(encoding="utf-8-sig"), source=str(path)) or {}
    lost = []
    for key, kind in (("relations", "R"), ("events", "E")):
        for n, item in enumerate(data.get(key) or [], 1):
            line = getattr(item, "line", None)
            item_id = str(item.get("id", f"{kind}{n}"))
            if line not in account.named and not account.has(account.node(item_id, kind)):
                lost.append(f"{path}:{line}: {key} item {item_id}")
    for item in data.get("entities") or []:
        line = getattr(item, "line", None)
        if line not in account.named and not account.has(rf"<{KG}denotes>") and not account.on_purpose(
                "T", str(item.get("type"))):
            lost.append(f"{path}:{line}: entity {item.get('id')}")
    return lost


@pytest.mark.parametrize("root", CORPORA, ids=[p.relative_to(ROOT).as_posix() for p in CORPORA])
def test_every_annotation_line_is_in_the_graph_or_named(root: Path):
    named = _named(check_corpus([root]))
    corpus = open_corpus(root, strict=False)
    graphs = _graph(corpus)
    lost: list[str] = []
    for files in corpus.files:
        if files.annotation is None or files.annotation.suffix not in (".ann", ".yaml", ".yml"):
            continue  # INCEpTION exports: tests/test_cas.py and tests/test_webanno.py compare their graphs
        path = files.annotation
        marks = named.get(str(path.resolve()), set())
        iri = article_iri(files.id, corpus.config.base)
        account = _Account(corpus, iri, graphs[iri], marks)
        if not account.nquads:  # the whole article was left out: its file (or text) must be named
            assert marks or named.get(str(files.text.resolve()) if files.text else ""), path
            continue
        lost += _ann_lines(path, account) if path.suffix == ".ann" else _yaml_items(path, account)
    assert lost == []
