"""Reading WebAnno TSV 3 (INCEpTION's "WebAnno TSV v3.3" export) into plain records.

The TSV is read into a UIMA CAS (its layers and features become a type system, built from the header),
which :func:`kg.reading.cas.parse_cas` then reads as it reads a CAS JSON or XMI export: the same layers
mean the same things in the three formats. What the format says (``#FORMAT``, ``#T_SP``/``#T_CH``/``#T_RL``
column declarations, ``#Text=`` sentences, rows ``SENT-TOKEN[.SUB]<TAB>BEGIN-END<TAB>TOKEN<TAB>columns``,
stacked values split at ``|``, disambiguation ids ``[N]``, relation references ``UNIT[SRC_TGT]`` at the
dependent's row, slot roles and targets split at ``;``, chains ``type[CHAIN]`` and ``rel->CHAIN-LINK``,
backslash escapes) follows the WebAnno TSV 3.3 specification in INCEpTION's documentation.

Offsets in the TSV count UTF-16 code units; they are turned into code points. The text is the article's
``.txt`` when there is one (each token is checked against it), else it is rebuilt from the ``#Text`` lines
(what lies between two sentences, which the format does not keep, becomes line breaks).

>>> tsv = ("#FORMAT=WebAnno TSV 3.3\\n#T_SP=de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity|value\\n\\n\\n"
...        "#Text=😊 Haftar\\n1-1\\t0-2\\t😊\\t_\\t\\n1-2\\t3-9\\tHaftar\\tPerson\\t\\n")
>>> article = parse_webanno(tsv, article_id="a")
>>> [(e.type, e.text, e.mentions[0].start) for e in article.entities]
[('Person', 'Haftar', 2)]
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.errors import AnnotationError
from kg.model import Article, Metadata, Problem
from kg.reading.cas import CHAIN, CHAIN_LINK, parse_cas

if TYPE_CHECKING:
    from kg.reading.scheme import CorpusConfig

_UNIT = r"\d+-\d+(?:\.\d+)?"
_ROW_ID = re.compile(rf"{_UNIT}")
_OFFSETS = re.compile(r"(\d+)-(\d+)")
_DISAMBIGUATION = re.compile(r"(?<!\\)\[(\d+)\]$")
_RELATION_REF = re.compile(rf"({_UNIT})(?:\[(\d+)_(\d+)\])?")
_SLOT_TARGET = re.compile(rf"({_UNIT})(?:\[(\d+)\])?")
_VALUE_ESCAPES = {"\\": "\\", "[": "[", "]": "]", "|": "|", "_": "_", "->": "->", ";": ";", "t": "\t", "n": "\n",
                  "*": "*"}
_VALUE_ESCAPE = re.compile(r"\\(->|[\\\[\]|_;tn*])")
_TEXT_ESCAPE = re.compile(r"\\([tnfrb\\]|[\x00-\x07\x0e-\x1f])")
_TEXT_ESCAPES = {"t": "\t", "n": "\n", "f": "\f", "r": "\r", "b": "\b", "\\": "\\"}


def unescape_value(value: str) -> str:
    r"""A feature value as written before escaping (``\|`` → ``|``, ``\_`` → ``_``…).

    >>> unescape_value(r"a\|b\_c\->d")
    'a|b_c->d'
    """
    return _VALUE_ESCAPE.sub(lambda m: _VALUE_ESCAPES[m.group(1)], value)


def unescape_text(text: str) -> str:
    return _TEXT_ESCAPE.sub(lambda m: _TEXT_ESCAPES.get(m.group(1), m.group(1)), text)


def split_unescaped(cell: str, sep: str) -> list[str]:
    r"""Split at ``sep`` where it is not escaped with a backslash.

    >>> split_unescaped(r"PER[1]|a\|b", "|")
    ['PER[1]', 'a\\|b']
    """
    parts, current, i = [], [], 0
    while i < len(cell):
        if cell[i] == "\\" and i + 1 < len(cell):
            current.append(cell[i:i + 2])
            i += 2
            continue
        if cell[i] == sep:
            parts.append("".join(current))
            current = []
        else:
            current.append(cell[i])
        i += 1
    parts.append("".join(current))
    return parts


def _value(raw: str) -> tuple[str | None, int | None]:
    """A stacked value: its text (``*`` = none) and its disambiguation id."""
    m = _DISAMBIGUATION.search(raw)
    if m:
        raw = raw[:m.start()]
    return (None if raw == "*" else unescape_value(raw)), int(m.group(1)) if m else None


@dataclass(frozen=True)
class Column:
    layer: str
    kind: str  # span | chain | relation
    role: str  # feature | placeholder | slot-role | slot-target | base | chain-type | chain-link
    feature: str = ""
    target: str = ""  # slot link type (slot-role) or base type (base)


def parse_header(lines: list[str], source: str) -> tuple[list[Column], int]:
    """The columns a TSV declares and the index of the first line after the header."""
    if not lines or not lines[0].startswith("#FORMAT=WebAnno TSV 3"):
        raise AnnotationError("not a WebAnno TSV 3 file (no #FORMAT=WebAnno TSV 3.x line)", file=source, line=1,
                              hint="export the document from INCEpTION as WebAnno TSV v3.3")
    columns: list[Column] = []
    n = 1
    for n in range(1, len(lines)):
        line = lines[n]
        prefix, _, rest = line.partition("=")
        kind = {"#T_SP": "span", "#T_CH": "chain", "#T_RL": "relation"}.get(prefix)
        if kind is None:
            break
        layer, *features = rest.split("|")
        if kind == "chain":
            columns += [Column(layer, kind, "chain-type"), Column(layer, kind, "chain-link")]
            continue
        i = 0
        while i < len(features):
            f = features[i]
            if f.startswith("ROLE_"):
                _, _, slot = f[5:].partition(":")
                feature, _, link = slot.partition("_") if "." in slot.partition("_")[2] else slot.rpartition("_")
                target = features[i + 1] if i + 1 < len(features) else "uima.tcas.Annotation"
                columns += [Column(layer, kind, "slot-role", feature, link),
                            Column(layer, kind, "slot-target", target=target)]
                i += 2
                continue
            if kind == "relation" and f.startswith("BT_"):
                columns.append(Column(layer, kind, "base", target=f[3:]))
            else:
                columns.append(Column(layer, kind, "feature" if f else "placeholder", f))
            i += 1
    else:
        n = len(lines)
    return columns, n


@dataclass
class _Annotation:
    layer: str
    units: list[str]
    line: int
    values: dict[str, str | None] = field(default_factory=dict)
    slots: list[tuple[str | None, str]] = field(default_factory=list)  # (role, target reference)
    chain: tuple[int, int] | None = None  # (chain, link)
    disambiguation: int | None = None
    target: str = ""  # the type slot targets have (uima.tcas.Annotation: any)


@dataclass
class _Row:
    unit: str
    begin: int
    end: int
    token: str
    cells: list[str]
    line: int


class _Tsv:
    """A TSV being read: rows, annotations by unit, problems."""

    def __init__(self, columns: list[Column], source: str) -> None:
        self.columns = columns
        self.source = source
        self.problems: list[Problem] = []
        self.rows: list[_Row] = []
        self.units: dict[str, _Row] = {}
        self.annotations: list[_Annotation] = []
        self.by_key: dict[tuple[Any, ...], _Annotation] = {}
        self.by_id: dict[int, _Annotation] = {}
        self.relations: list[tuple[_Row, Column, dict[str, str | None], str]] = []
        self.starting: dict[str, list[_Annotation]] = {}  # unit → the annotations that start there

    def problem(self, line: int | None, message: str, hint: str | None = None) -> None:
        self.problems.append(Problem(self.source, line, message, hint))

    def row(self, n: int, line: str) -> None:
        cells = line.split("\t")
        if cells and cells[-1] == "":
            cells.pop()  # every row ends with a tab
        if len(cells) != 3 + len(self.columns) or not _ROW_ID.fullmatch(cells[0]) \
                or not _OFFSETS.fullmatch(cells[1]):
            self.problem(n, f"malformed row {line[:60]!r}: expected 3 + {len(self.columns)} tab-separated columns",
                         "rows are SENT-TOKEN<TAB>BEGIN-END<TAB>TOKEN<TAB>one column per declared feature")
            return
        m = _OFFSETS.fullmatch(cells[1])
        assert m is not None  # noqa: S101 - checked above
        row = _Row(cells[0], int(m.group(1)), int(m.group(2)), cells[2], cells[3:], n)
        self.rows.append(row)
        self.units[row.unit] = row
        by_layer: dict[str, list[tuple[Column, str]]] = {}
        for col, cell in zip(self.columns, row.cells, strict=True):
            by_layer.setdefault(col.layer, []).append((col, cell))
        for layer, cols in by_layer.items():
            if cols[0][0].kind == "relation":
                self.relation_cells(row, cols)
            else:
                self.span_cells(row, layer, cols)

    def span_cells(self, row: _Row, layer: str, cols: list[tuple[Column, str]]) -> None:
        stacks = [(col, split_unescaped(cell, "|")) for col, cell in cols if cell != "_"]
        if not stacks:
            return
        for k in range(max(len(s) for _, s in stacks)):
            values: dict[str, str | None] = {}
            ident: int | None = None
            chain: tuple[int, int] | None = None
            slots: list[tuple[str | None, str]] = []
            roles: list[str | None] = []
            target = ""
            for col, stack in stacks:
                raw = stack[k] if k < len(stack) else "*"
                if col.role in ("feature", "placeholder"):
                    value, n = _value(raw)
                    ident = ident or n
                    if col.role == "feature":
                        values[col.feature] = value
                elif col.role == "chain-type":
                    values["referenceType"] = _value(raw)[0]  # its [N] is the chain, named in the link column
                elif col.role == "chain-link":
                    rel, _, ref = raw.rpartition("->")
                    link = re.fullmatch(r"(\d+)-(\d+)", ref)
                    if link is None:
                        self.problem(row.line, f"malformed chain link {raw!r}", "write it as RELATION->CHAIN-LINK")
                        return
                    chain = (int(link.group(1)), int(link.group(2)))
                    values["referenceRelation"] = None if rel == "*" else unescape_value(rel)
                elif col.role == "slot-role":
                    m = _DISAMBIGUATION.search(raw)
                    if m:
                        ident = ident or int(m.group(1))
                        raw = raw[:m.start()]
                    roles = [] if raw == "_" else [None if r == "*" else unescape_value(r)
                                                   for r in split_unescaped(raw, ";")]
                elif col.role == "slot-target":
                    slots = [] if raw == "_" else list(zip(roles, split_unescaped(raw, ";"), strict=False))
                    target = col.target
            key: tuple[Any, ...] = ((layer, "chain", chain) if chain else (layer, ident) if ident
                                    else (layer, row.unit, k))
            found = self.by_key.get(key)
            if found is None:
                found = _Annotation(layer, [], row.line, values, slots, chain, ident, target)
                self.by_key[key] = found
                self.annotations.append(found)
                if ident is not None:
                    self.by_id[ident] = found
            found.units.append(row.unit)

    def relation_cells(self, row: _Row, cols: list[tuple[Column, str]]) -> None:
        stacks = [(col, split_unescaped(cell, "|")) for col, cell in cols]
        if all(cell == "_" for _, cell in cols):
            return
        for k in range(max(len(s) for _, s in stacks)):
            values: dict[str, str | None] = {}
            ref, base = "", cols[-1][0]
            for col, stack in stacks:
                raw = stack[k] if k < len(stack) else "*"
                if col.role == "base":
                    ref, base = raw, col
                elif col.role == "feature":
                    values[col.feature] = _value(raw)[0]
            self.relations.append((row, base, values, ref))

    def at(self, unit: str, ident: int | None, layer: str | None, line: int, what: str) -> _Annotation | None:
        """The annotation an ``UNIT[ID]`` reference names (ID 0 or none: the one that starts at UNIT)."""
        if ident:
            found = self.by_id.get(ident)
        else:
            if not self.starting:
                for a in self.annotations:
                    if a.chain is None:
                        self.starting.setdefault(a.units[0], []).append(a)
            starting = [a for a in self.starting.get(unit, ()) if layer is None or a.layer == layer]
            found = starting[0] if len(starting) == 1 else None
            if len(starting) > 1:
                self.problem(line, f"{what} {unit} is ambiguous: {len(starting)} annotations start there",
                             "add disambiguation ids, as INCEpTION writes them")
                return None
        if found is None:
            self.problem(line, f"{what} {unit}{f'[{ident}]' if ident else ''} names no annotation",
                         "fix the reference")
        return found


def _code_points(text: str) -> dict[int, int]:
    """UTF-16 offset → code point offset, for every code point boundary of ``text``."""
    table, units = {0: 0}, 0
    for i, ch in enumerate(text, 1):
        units += 2 if ord(ch) > 0xFFFF else 1
        table[units] = i
    return table


def _rebuild_text(sentences: list[tuple[int, str]]) -> str:
    """The text from the ``#Text`` lines placed at their UTF-16 offsets (gaps become line breaks)."""
    pieces, units = [], 0
    for begin, sentence in sentences:
        if begin > units:
            pieces.append("\n" * (begin - units))
            units = begin
        pieces.append(sentence)
        units += len(sentence.encode("utf-16-le")) // 2
    return "".join(pieces)


def parse_webanno(
    tsv: str,
    *,
    article_id: str,
    text: str | None = None,
    source: str = "",
    text_source: str = "",
    metadata: Metadata | None = None,
    attribute_flags: Mapping[str, str] | None = None,
) -> Article:
    """Parse a WebAnno TSV 3 document into an :class:`Article` (problems, errors too, in ``Article.problems``)."""
    from cassis import Cas, TypeSystem

    source = source or f"{article_id}.tsv"
    lines = [line.removesuffix("\r") for line in tsv.removeprefix("\ufeff").split("\n")]
    columns, start = parse_header(lines, source)
    tsv_reader = _Tsv(columns, source)
    sentences: list[tuple[int, str]] = []
    pending: list[str] = []
    for n in range(start, len(lines)):
        line = lines[n]
        if line.startswith("#Text="):
            pending.append(unescape_text(line[6:]))
        elif line.startswith("#") or not line.strip():
            continue
        else:
            before = len(tsv_reader.rows)
            tsv_reader.row(n + 1, line)
            if pending and len(tsv_reader.rows) > before:
                sentences.append((tsv_reader.rows[-1].begin, "\n".join(pending)))
                pending = []
    t = tsv_reader
    if text is None:
        text = _rebuild_text(sentences)
    cp = _code_points(text)
    for row in t.rows:
        b, e = cp.get(row.begin), cp.get(row.end)
        if b is None or e is None or text[b:e] != row.token:
            shown = repr(text[b:e]) if b is not None and e is not None else "outside the text"
            raise AnnotationError(f"token {row.token!r} at {row.begin}-{row.end} (UTF-16) is {shown} in the text",
                                  file=source, line=row.line,
                                  hint="check that the .txt is the text of this export, or remove it")
    # the type system, from the header
    ts = TypeSystem()
    types: dict[str, Any] = {}
    link_types: dict[str, Any] = {}

    def type_of(name: str) -> Any:
        if name not in types:
            types[name] = ts.create_type(name) if not ts.contains_type(name) else ts.get_type(name)
        return types[name]

    if any(c.kind == "chain" for c in columns):
        link_t = type_of(CHAIN_LINK)
        for f in ("referenceType", "referenceRelation"):
            ts.create_feature(link_t, f, "uima.cas.String")
        ts.create_feature(link_t, "next", link_t)
        types[CHAIN] = ts.create_type(CHAIN, supertypeName="uima.cas.AnnotationBase")
        ts.create_feature(types[CHAIN], "first", link_t)
    for col in columns:
        if col.kind == "chain":
            continue
        owner = type_of(col.layer)
        if col.role == "feature" and col.feature not in {f.name for f in owner.all_features}:
            ts.create_feature(owner, col.feature, "uima.cas.String")
        elif col.role == "slot-role":
            link = link_types.get(col.target) or ts.create_type(col.target, supertypeName="uima.cas.TOP")
            if col.target not in link_types:
                ts.create_feature(link, "role", "uima.cas.String")
                ts.create_feature(link, "target", "uima.tcas.Annotation")
                link_types[col.target] = link
            ts.create_feature(owner, col.feature, "uima.cas.FSArray", elementType=link, multipleReferencesAllowed=True)
        elif col.role == "base":
            base = type_of(col.target)
            ts.create_feature(owner, "Governor", base)
            ts.create_feature(owner, "Dependent", base)
    cas = Cas(typesystem=ts)
    cas.sofa_string = text
    made: dict[int, Any] = {}
    lines_of: dict[int, int] = {}

    def span(units: list[str]) -> tuple[int, int]:
        rows = [t.units[u] for u in units]
        return cp.get(min(r.begin for r in rows), 0), cp.get(max(r.end for r in rows), len(text))

    chains: dict[int, list[tuple[int, Any]]] = {}
    for a in t.annotations:
        begin, end = span(a.units)
        fs = types[CHAIN_LINK if a.chain else a.layer](begin=begin, end=end,
                                                       **{k: v for k, v in a.values.items() if v is not None})
        cas.add(fs)
        made[id(a)] = fs
        lines_of[id(fs)] = a.line
        if a.chain:
            chains.setdefault(a.chain[0], []).append((a.chain[1], fs))
    for _, links in sorted(chains.items()):
        links.sort(key=lambda x: x[0])
        for (_, fs), (_, nxt) in zip(links, links[1:], strict=False):
            fs.next = nxt
        cas.add(types[CHAIN](first=links[0][1]))
    for a in t.annotations:  # slots, now that every target exists
        slot = next((c for c in columns if c.layer == a.layer and c.role == "slot-role"), None)
        if slot is None or not a.slots:
            continue
        elements = []
        for role, ref in a.slots:
            m = _SLOT_TARGET.fullmatch(ref)
            layer = None if a.target in ("", "uima.tcas.Annotation") else a.target
            target = t.at(m.group(1), int(m.group(2)) if m.group(2) else None, layer, a.line, "slot target") \
                if m else None
            if m is None:
                t.problem(a.line, f"malformed slot target {ref!r}", "write it as SENT-TOKEN[ID]")
            if target is not None:
                elements.append(link_types[slot.target](role=role, target=made[id(target)]))
        setattr(made[id(a)], slot.feature, ts.get_type("uima.cas.FSArray")(elements=elements))
    for row, base, values, ref in t.relations:
        m = _RELATION_REF.fullmatch(ref)
        if m is None:
            t.problem(row.line, f"malformed relation reference {ref!r}", "write it as SENT-TOKEN[SRC_TGT]")
            continue
        src, tgt = (int(m.group(2)), int(m.group(3))) if m.group(2) else (None, None)
        gov = t.at(m.group(1), src, base.target, row.line, "governor")
        dep = t.at(row.unit, tgt, base.target, row.line, "dependent")
        if gov is None or dep is None:
            continue
        dep_fs = made[id(dep)]
        fs = types[base.layer](begin=dep_fs.begin, end=dep_fs.end, Governor=made[id(gov)], Dependent=dep_fs,
                               **{k: v for k, v in values.items() if v is not None})
        cas.add(fs)
        lines_of[id(fs)] = row.line
    article = parse_cas(cas, article_id=article_id, source=source, text_source=text_source, metadata=metadata,
                        attribute_flags=attribute_flags, lines=lines_of)
    if t.problems:
        problems = sorted((*t.problems, *article.problems), key=lambda p: p.line or 0)
        article = dataclasses.replace(article, problems=tuple(problems))
    return article


def read(path: Path, text: str | None, *, metadata: Metadata | None = None,
         config: CorpusConfig | None = None) -> Article:
    """Read a WebAnno TSV 3 export (``text``: the article's ``.txt``, if it has one)."""
    from kg.reading.brat import read_text

    return parse_webanno(read_text(path), article_id=path.stem, text=text, source=str(path),
                         text_source=str(path.with_suffix(".txt")), metadata=metadata,
                         attribute_flags=config.attributes if config is not None else None)
