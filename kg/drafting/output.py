"""Writing drafts as a YAML sidecar or as brat standoff, keeping what a person has already annotated.

On a second run over the same article, the existing annotation file is read first: every item without a
draft marker (:mod:`kg.drafting.markers`) is the person's and is kept as written; old drafts are dropped
(unless a kept item refers to them) and drafted again around what the person kept.

>>> from kg.mapping.resolve import parse_registry
>>> reg = parse_registry({"actors": [{"id": "lna", "type": "ArmedGroup", "labels": {"en": "LNA"}}]})
>>> text = "The LNA advanced."
>>> print(to_brat(draft_text(text, None, registry=reg, fmt="brat")[0]), end="")  # doctest: +NORMALIZE_WHITESPACE
T1	ArmedGroup 4 7	LNA
#1	AnnotatorNotes T1	draft: 0.9; by: registry
"""

from __future__ import annotations

import contextlib
import json
from pathlib import Path
from typing import Any

import yaml

from kg.drafting.annotate import Draft, draft_article, draft_keys
from kg.drafting.markers import KEY, SECTIONS, Mark, brat_drafts, note_text, parse_item
from kg.mapping.resolve import Registry
from kg.model import Article, Metadata

RECORD_SUFFIX = ".kg-drafts"
HEAD = ("# Draft annotations made by kg annotate. Every item with a `draft:` key is a draft: check it, correct\n"
        "# it, and delete its `draft:` line to accept it (kg check lists the drafts left). Items without\n"
        "# `draft:` are kept as they are when kg annotate runs again.\n")


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _refs(item: dict[str, Any]) -> set[str]:
    """Ids a YAML relation or event item refers to."""
    refs = {str(item.get(k)) for k in ("subject", "object", "claimant", "place") if item.get(k)}
    for targets in (item.get("arguments") or {}).values():
        refs |= {str(t) for t in (targets if isinstance(targets, list) else [targets])}
    for fig in item.get("figures") or []:
        if isinstance(fig, dict):
            refs |= {str(fig.get(k)) for k in ("of", "claimant") if fig.get(k)}
    return refs


def human_yaml(yaml_text: str, text: str, source: str) -> tuple[dict[str, Any], Article]:
    """The person's part of an existing sidecar: the raw data without drafts, and the article it reads as."""
    from kg.reading.sidecar import load_yaml, parse_sidecar

    data = _plain(load_yaml(yaml_text, source=source) or {})
    kept = {k: v for k, v in data.items() if k not in SECTIONS}
    for section in ("relations", "events"):
        kept[section] = [i for i in data.get(section) or [] if parse_item(i) is None]
    wanted = set().union(*(_refs(i) for s in ("relations", "events") for i in kept[s] if isinstance(i, dict)))
    kept["entities"] = [i for i in data.get("entities") or []
                        if parse_item(i) is None or (isinstance(i, dict) and str(i.get("id")) in wanted)]
    article = parse_sidecar(yaml.safe_dump(kept, allow_unicode=True), text, article_id="draft", source=source)
    return kept, article


def human_brat(ann_text: str, text: str, source: str) -> tuple[list[str], Article]:
    """The person's lines of an existing .ann file, and the article they read as."""
    from kg.reading.brat import parse_brat

    drafts = set(brat_drafts(ann_text))
    lines = [ln for ln in ann_text.splitlines() if ln.strip()]
    for ln in lines:  # a drafted event's trigger and figure spans are part of the draft
        if ln[:1] == "E" and ln.split("\t", 1)[0] in drafts and "\t" in ln:
            drafts |= {ref.split(":")[-1] for ref in ln.split("\t")[1].split()
                       if ref.split(":")[-1] not in _noted(lines)}

    def drafted(ln: str) -> bool:
        return ln.split("\t", 1)[0] in drafts or (ln.startswith("#") and _note_target(ln) in drafts)

    human = {i for i, ln in enumerate(lines) if not drafted(ln)}
    used = {ref.split(":")[-1] for i in human if lines[i][:1] in "RE*" and "\t" in lines[i]
            for ref in lines[i].split("\t")[1].split()}
    kept = [ln for i, ln in enumerate(lines) if i in human or ln.split("\t", 1)[0] in used
            or (ln.startswith("#") and _note_target(ln) in used)]
    return kept, parse_brat("\n".join(kept) + "\n", text, article_id="draft", source=source)


def _noted(lines: list[str]) -> set[str]:
    return {_note_target(ln) for ln in lines if ln.startswith("#")}


def _note_target(line: str) -> str:
    fields = line.split("\t")
    head = fields[1].split() if len(fields) > 1 else []
    return head[1] if len(head) > 1 else ""


def draft_text(text: str, existing: str | None, *, registry: Registry, model: Any = None, fmt: str = "yaml",
               language: str | None = None, source: str = "", title: str | None = None,
               rejected: frozenset[str] = frozenset()) -> tuple[Draft, Any]:
    """Draft one text around the person's part of ``existing`` (the old annotation file's content, if any).

    Returns the draft and the person's raw part (YAML data or brat lines) for the writer.
    """
    kept: Any = None
    human = None
    if existing is not None:
        kept, human = (human_yaml if fmt == "yaml" else human_brat)(existing, text, source)
    if human is None:
        human = Article(id="draft", text=text, metadata=Metadata(title=title, language=language))
    draft = draft_article(text, registry=registry, model=model, language=language, human=human,
                          rejected=rejected)
    return draft, kept


def _present(existing: str, text: str, fmt: str, source: str) -> set[str]:
    """The keys of every item (drafted or not) of an existing annotation file."""
    from kg.reading.brat import parse_brat
    from kg.reading.sidecar import parse_sidecar

    if fmt == "yaml":
        return draft_keys(parse_sidecar(existing, text, article_id="draft", source=source))
    return draft_keys(parse_brat(existing, text, article_id="draft", source=source))


def record_path(out: Path) -> Path:
    """Where the drafts proposed for an annotation file, and those a person deleted, are remembered."""
    return out.with_name("." + out.stem + RECORD_SUFFIX)  # hidden: the corpus readers pass it by


def _at(m: Any) -> dict[str, Any]:
    return {"text": m.text, "at": [m.start, m.end]}


def to_yaml(draft: Draft, kept: dict[str, Any] | None = None) -> str:
    """The sidecar: the person's items as they were, then the drafts, each with its marker."""
    art, marks = draft.article, draft.marks
    data: dict[str, Any] = dict(kept or {})
    if not data.get("article"):
        meta = art.metadata
        data["article"] = {k: v for k, v in (("title", meta.title), ("language", meta.language)) if v}
    for section in SECTIONS:
        data[section] = list(data.get(section) or [])
    for e in art.entities:
        if e.id in marks:
            item: dict[str, Any] = {"id": e.id, "type": e.type}
            if e.actor:
                item["actor"] = e.actor
            item["mentions"] = [_at(m) for m in e.mentions]
            item[KEY] = marks[e.id].to_yaml()
            data["entities"].append(item)
    for r in art.relations:
        if r.id in marks:
            item = {"id": r.id, "type": r.type, "subject": r.subject, "object": r.object}
            if r.evidence is not None:
                item["evidence"] = _at(r.evidence)
            if r.claimant:
                item["claimant"] = r.claimant
            item[KEY] = marks[r.id].to_yaml()
            data["relations"].append(item)
    for ev in art.events:
        if ev.id in marks:
            item = {"id": ev.id, "type": ev.type}
            if ev.trigger is not None:
                item["trigger"] = _at(ev.trigger)
            args: dict[str, list[str]] = {}
            for role, target in ev.arguments:
                args.setdefault(role, []).append(target)
            if args:
                item["arguments"] = args
            if ev.place:
                item["place"] = ev.place
            figs = []
            for f in ev.figures:
                fig: dict[str, Any] = {"kind": f.kind, "count": f.count, "qualifier": f.qualifier}
                fig.update({k: v for k, v in (("of", f.of), ("claimant", f.claimant)) if v})
                if f.evidence is not None:
                    fig["evidence"] = _at(f.evidence)
                figs.append(fig)
            if figs:
                item["figures"] = figs
            if ev.claimant:
                item["claimant"] = ev.claimant
            item[KEY] = marks[ev.id].to_yaml()
            data["events"].append(item)
    ordered = {k: data[k] for k in ("article", *SECTIONS) if k in data}
    return HEAD + yaml.safe_dump(ordered, allow_unicode=True, sort_keys=False, width=120, default_flow_style=None)


class _Ids:
    def __init__(self, lines: list[str]) -> None:
        self.next: dict[str, int] = {}
        for ln in lines:
            head = ln.split("\t", 1)[0]
            prefix, digits = head[:1], head[1:]
            if digits.isdigit():
                self.next[prefix] = max(self.next.get(prefix, 0), int(digits))

    def __call__(self, prefix: str) -> str:
        self.next[prefix] = self.next.get(prefix, 0) + 1
        return f"{prefix}{self.next[prefix]}"


def to_brat(draft: Draft, kept: list[str] | None = None) -> str:
    """The .ann file: the person's lines as they were, then one T per drafted mention, R, E and notes.

    A drafted relation links the mentions its evidence spans; the draft marker, the claimant and a
    relation's evidence (``evidence: START-END``, which kg's brat reader reads back, so that an accepted
    draft keeps it) ride in one ``AnnotatorNotes`` note per annotation.
    """
    art, marks = draft.article, draft.marks
    lines = list(kept or [])
    new_id = _Ids(lines)
    notes: list[tuple[str, str]] = []
    tids: dict[str, list[tuple[int, int, str]]] = {}
    for e in art.entities:
        if e.id not in marks:
            tids[e.id] = [(m.start, m.end, e.id) for m in e.mentions]  # the person's T is the entity
            continue
        for m in e.mentions:
            tid = new_id("T")
            lines.append(f"{tid}\t{e.type} {m.start} {m.end}\t{m.text}")
            tids.setdefault(e.id, []).append((m.start, m.end, tid))
            notes.append((tid, note_text(marks[e.id])))

    def mention_of(eid: str, near: int) -> str | None:
        options = tids.get(eid)
        if not options:
            return None
        return min(options, key=lambda o: abs(o[0] - near))[2]

    for r in art.relations:
        if r.id not in marks:
            continue
        near = r.evidence.start if r.evidence else 0
        a1, a2 = mention_of(r.subject, near), mention_of(r.object, near)
        if a1 is None or a2 is None:
            continue
        rid = new_id("R")
        lines.append(f"{rid}\t{r.type} Arg1:{a1} Arg2:{a2}\t")
        evidence = ", ".join(f"{sp.start}-{sp.end}" for sp in r.evidence.spans) if r.evidence else None
        notes.append((rid, note_text(marks[r.id], claimant=mention_of(r.claimant, near) if r.claimant else None,
                                     evidence=evidence)))
    for ev in art.events:
        if ev.id not in marks:
            continue
        near = ev.trigger.start if ev.trigger else (ev.figures[0].evidence.start if ev.figures and
                                                    ev.figures[0].evidence else 0)
        trigger: str
        if ev.trigger is not None:
            trigger = new_id("T")
            lines.append(f"{trigger}\t{ev.type} {ev.trigger.start} {ev.trigger.end}\t{ev.trigger.text}")
        else:
            continue  # brat needs a trigger
        args = []
        seen: dict[str, int] = {}
        roles: list[tuple[str, str]] = [*ev.arguments, *((("place", ev.place),) if ev.place else ())]
        for role, target in roles:
            arg_id = mention_of(target, near)
            if arg_id is None:
                continue
            seen[role] = seen.get(role, 0) + 1
            args.append(f"{role}{seen[role] if seen[role] > 1 else ''}:{arg_id}")
        for f in ev.figures:
            if f.evidence is None:
                continue
            q = new_id("T")
            lines.append(f"{q}\tQuantity {f.evidence.start} {f.evidence.end}\t{f.evidence.text}")
            seen[f.kind] = seen.get(f.kind, 0) + 1
            args.append(f"{f.kind}{seen[f.kind] if seen[f.kind] > 1 else ''}:{q}")
        eid = new_id("E")
        lines.append(f"{eid}\t{ev.type}:{trigger}" + "".join(f" {a}" for a in args))
        notes.append((eid, note_text(marks[ev.id], claimant=mention_of(ev.claimant, near) if ev.claimant else None)))
    for target, note in notes:
        lines.append(f"{new_id('#')}\tAnnotatorNotes {target}\t{note}")
    return "\n".join(lines) + ("\n" if lines else "")


def write_draft(text_path: Path, out: Path | None, *, registry: Registry, model: Any = None, fmt: str = "yaml",
                language: str | None = None) -> tuple[str, Draft, Path | None]:
    """Draft one article file; write it to ``out`` (a file), merging with what is there; the content.

    Beside ``out``, ``.NAME.kg-drafts`` (JSON) remembers the drafts proposed; a draft that a person has
    deleted since is rejected and never proposed again for that file.
    """
    from kg.reading.brat import read_text

    text = read_text(text_path)
    existing = out.read_text(encoding="utf-8-sig") if out is not None and out.is_file() else None
    first = text.strip().splitlines()[0] if text.strip() else None
    record: dict[str, list[str]] = {"proposed": [], "rejected": []}
    if out is not None and record_path(out).is_file():
        with contextlib.suppress(ValueError):  # a damaged record is started afresh
            record = json.loads(record_path(out).read_text(encoding="utf-8"))
    rejected = set(record.get("rejected", []))
    if existing is not None and record.get("proposed"):
        rejected |= set(record["proposed"]) - _present(existing, text, fmt, str(out))
    draft, kept = draft_text(text, existing, registry=registry, model=model, fmt=fmt, language=language,
                             source=str(out or text_path), title=first, rejected=frozenset(rejected))
    content = to_yaml(draft, kept) if fmt == "yaml" else to_brat(draft, kept)
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(content, encoding="utf-8")
        proposed = sorted(draft_keys(draft.article, draft.marks))
        record_path(out).write_text(json.dumps({"proposed": proposed, "rejected": sorted(rejected)}) + "\n",
                                    encoding="utf-8")
    return content, draft, out


def mark_counts(draft: Draft) -> dict[str, int]:
    """How many entities, relations and events were drafted."""
    marks: dict[str, Mark] = draft.marks
    art = draft.article
    return {"entities": sum(e.id in marks for e in art.entities),
            "relations": sum(r.id in marks for r in art.relations),
            "events": sum(ev.id in marks for ev in art.events)}
