"""Reading UIMA CAS exports (INCEpTION's "UIMA CAS JSON" and "UIMA CAS XMI") into plain records.

A CAS holds the article's text and its annotations as feature structures of a type system (embedded in
the JSON; for XMI, ``TypeSystem.xml`` beside the file or in a folder above it, up to the corpus). It is
read with ``dkpro-cassis``, which turns the CAS's UTF-16 offsets into code points, as kg counts them.

Layers are recognised by their shape, so that real INCEpTION projects read without configuration
(see ``docs/annotation-format.md``):

* a custom layer (``webanno.custom.*``) with ``Governor`` and ``Dependent`` features is a **relation** layer
  (Governor = subject);
* a custom span layer with a slot (link) feature is an **event** layer: the trigger is the span, each slot's
  role and target an argument;
* a custom span layer with a ``count`` feature is a **figure** layer (the target of an event slot whose role
  is a figure kind, such as ``killed``);
* ``NamedEntity`` and every other custom span layer is an **entity** layer;
* a coreference chain joins its mentions into one entity; DKPro's other layers (dependencies, part of
  speech…) are named once as not read.

The type as written (mapped by ``kg.toml`` afterwards, like brat types) is an annotation's label: its
``value`` feature, else its ``label``, else the layer's one other string feature, else the layer's short
name. The features ``actor`` (registry id), ``identifier`` (a Wikidata IRI or ``DB:ID``), ``claimant``, ``date``,
``evidence`` (the quote of a relation), ``of``, ``count``, ``qualifier`` and the flags (``negated``,
``uncertain``, ``former``, ``intended``, or any name that ``kg.toml``'s ``[attributes]`` maps to a flag)
have their kg meaning. Records get ids in text order (``T1``, ``R1``, ``E1``).
"""

from __future__ import annotations

import dataclasses
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.errors import AnnotationError
from kg.model import Article, Entity, Event, Figure, Mention, Metadata, Problem, Relation, Span, valid_date
from kg.vocab import FLAGS

if TYPE_CHECKING:
    from cassis import Cas, TypeSystem

    from kg.reading.scheme import CorpusConfig

NAMED_ENTITY = "de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity"
CHAIN = "de.tudarmstadt.ukp.dkpro.core.api.coref.type.CoreferenceChain"
CHAIN_LINK = "de.tudarmstadt.ukp.dkpro.core.api.coref.type.CoreferenceLink"
CUSTOM = "webanno.custom."
TYPESYSTEM_NAMES = ("TypeSystem.xml", "typesystem.xml")
#: Features with a kg meaning of their own: never a label, never an attribute.
SPECIAL = frozenset({"actor", "identifier", "claimant", "date", "evidence", "of", "count", "qualifier",
                     "Governor", "Dependent", "referenceType", "referenceRelation", "next", "first"})
#: Layers of text structure and metadata, never read and never reported.
_STRUCTURE = ("uima.", "de.tudarmstadt.ukp.dkpro.core.api.segmentation.", "de.tudarmstadt.ukp.dkpro.core.api.metadata.",
              "de.tudarmstadt.ukp.clarin.webanno.api.type.", "de.tudarmstadt.ukp.inception.", "org.dkpro.core.api.xml.")
_BASE = frozenset({"sofa", "begin", "end"})
_QID = re.compile(r"https?://www\.wikidata\.org/(?:entity|wiki)/(Q\d+)")
_FALSE = frozenset({"", "false", "no", "0", "none"})


@dataclass(frozen=True)
class Layer:
    """How kg reads one annotation type."""

    name: str
    kind: str  # entity | relation | event | figure | link | skip | other
    label: str | None  # the feature holding the label
    slots: tuple[str, ...] = ()  # link features of an event layer
    others: tuple[str, ...] = ()  # the remaining features: flags and attributes

    @property
    def short(self) -> str:
        return self.name.rsplit(".", 1)[-1]


def classify(t: Any) -> Layer:
    """How the type ``t`` of a cassis type system is read (see the module docstring)."""
    feats = {f.name: f for f in t.all_features if f.name not in _BASE}
    def element_features(f: Any) -> set[str]:
        element = f.elementType  # a type system read from XML may hold a stale copy: look it up by name
        if element is not None and getattr(t, "typesystem", None) is not None and t.typesystem.contains_type(
                element.name):
            element = t.typesystem.get_type(element.name)
        return {g.name for g in element.all_features} if element is not None else set()

    slots = tuple(n for n, f in feats.items() if {"role", "target"} <= element_features(f))
    strings = [n for n, f in feats.items() if f.rangeType.name == "uima.cas.String" and n not in SPECIAL]
    label = next((n for n in ("value", "label") if n in feats), strings[0] if len(strings) == 1 else None)
    others = tuple(n for n in feats if n not in SPECIAL and n != label and n not in slots)
    name = t.name
    if name == NAMED_ENTITY:
        kind = "entity"
    elif name == CHAIN_LINK:
        kind = "link"
    elif any(name.startswith(p) for p in _STRUCTURE):
        kind = "skip"
    elif not name.startswith(CUSTOM):  # DKPro's other layers: dependencies, semantic roles, POS…
        kind = "other"
    elif "Governor" in feats and "Dependent" in feats:
        kind = "relation"
    elif slots:
        kind = "event"
    elif "count" in feats:
        kind = "figure"
    else:
        kind = "entity"
    return Layer(name, kind, label, slots, others)


def _get(fs: Any, name: str) -> Any:
    try:
        return fs.get(name)
    except (AttributeError, KeyError):
        return None


def _str(value: Any) -> str | None:
    return None if value is None or str(value) == "" else str(value)


def external_id(identifier: str) -> tuple[str, str]:
    """``("wikidata", "Q123")`` for a Wikidata IRI, ``(db, id)`` for ``DB:ID``, else ``("identifier", …)``.

    >>> external_id("http://www.wikidata.org/entity/Q1234"), external_id("Wikipedia:64488")
    (('wikidata', 'Q1234'), ('wikipedia', '64488'))
    """
    m = _QID.fullmatch(identifier)
    if m:
        return "wikidata", m.group(1)
    db, colon, ext = identifier.partition(":")
    if colon and db.isalnum() and ext and not ext.startswith("//"):
        return db.lower(), ext
    return "identifier", identifier


class _Reader:
    """One pass over a CAS: layers, then entities, chains, events and relations, collecting problems."""

    def __init__(self, cas: Cas, source: str, lines: Mapping[int, int], flags: Mapping[str, str]) -> None:
        self.cas = cas
        self.text: str = cas.sofa_string or ""
        self.source = source
        self.lines = lines
        self.flags = flags
        self.problems: list[Problem] = []
        self.layers: dict[str, Layer] = {}
        self.ids: dict[int, str] = {}  # id(fs) → record id
        self.figures: dict[int, Any] = {}  # id(fs) → figure annotation
        self.by_actor: dict[str, str] = {}  # actor feature → first entity id with it
        self.by_text: dict[str, str] = {}  # mention text → first entity id with it
        self.merged: dict[str, str] = {}  # entity id → the id of the chain's entity it joined
        self.unread: dict[tuple[str, str], int] = {}  # (layer, feature) of relations/events → values not read

    def layer(self, fs: Any) -> Layer:
        name = fs.type.name
        if name not in self.layers:
            self.layers[name] = classify(fs.type)
        return self.layers[name]

    def line(self, fs: Any) -> int | None:
        return self.lines.get(id(fs))

    def where(self, fs: Any) -> str:
        return f"{self.layer(fs).short} at {fs.begin}-{fs.end} {self.text[fs.begin:fs.end]!r}"

    def problem(self, fs: Any, message: str, hint: str | None = None, severity: str = "error") -> None:
        self.problems.append(Problem(self.source, self.line(fs) if fs is not None else None, message, hint,
                                     severity))

    def label(self, fs: Any) -> str:
        layer = self.layer(fs)
        value = _str(_get(fs, layer.label)) if layer.label else None
        return value or layer.short

    def mention(self, fs: Any) -> Mention:
        return Mention((Span(fs.begin, fs.end),), self.text[fs.begin:fs.end], self.line(fs))

    def set_flags(self, fs: Any, allowed: tuple[str, ...]) -> tuple[set[str], list[tuple[str, str]]]:
        """The flags an annotation's features set, and its other features as attributes."""
        found: set[str] = set(f for f in allowed if str(_get(fs, f)).lower() == "true")
        attributes: list[tuple[str, str]] = []
        for name in self.layer(fs).others:
            value = _get(fs, name)
            if name in FLAGS or value is None or isinstance(value, (list, tuple)) or hasattr(value, "type"):
                continue
            text = str(value).lower()
            flag = self.flags.get(f"{name.lower()}={text}")
            if flag is None and text not in _FALSE:
                flag = self.flags.get(name.lower())
            if flag in allowed:
                found.add(flag)
            elif flag:
                self.problem(fs, f"{self.where(fs)}: {name} would set {flag!r}, which it cannot have; left out",
                             severity="warning")
            else:
                attributes.append((name, str(value)))
        return found, attributes

    def not_read(self, fs: Any, features: list[tuple[str, str]]) -> None:
        """Count the features of a relation or event that have no kg meaning (named once per layer)."""
        for name, _ in features:
            key = (fs.type.name, name)
            self.unread[key] = self.unread.get(key, 0) + 1

    def reference(self, value: Any) -> str | None:
        """A claimant or ``of`` feature: the entity whose ``actor`` or text it is, else the text itself."""
        text = _str(value)
        if text is None:
            return None
        found = self.by_actor.get(text) or self.by_text.get(text)
        return self.merged.get(found, found) if found is not None else text

    def ref(self, fs: Any) -> str | None:
        """The record id an annotation became (an entity, after chains, or an event), if any."""
        found = self.ids.get(id(fs)) if fs is not None else None
        return self.merged.get(found, found) if found is not None else None

    def date(self, fs: Any) -> str | None:
        value = _str(_get(fs, "date"))
        if value is not None and not valid_date(value):
            self.problem(fs, f"invalid date {value!r} on {self.where(fs)}", "write YYYY, YYYY-MM or YYYY-MM-DD")
            return None
        return value

    # -- the records -----------------------------------------------------------------------------

    def entities(self, spans: list[Any]) -> dict[str, Entity]:
        records: dict[str, Entity] = {}
        for n, fs in enumerate(sorted(spans, key=lambda a: (a.begin, a.end, a.type.name, self.label(a))), 1):
            if fs.begin >= fs.end:
                self.problem(fs, f"empty {self.layer(fs).short} annotation at {fs.begin}; left out",
                             "delete it in INCEpTION", "warning")
                continue
            eid = f"T{n}"
            self.ids[id(fs)] = eid
            identifier = _str(_get(fs, "identifier"))
            actor = _str(_get(fs, "actor"))
            _, attributes = self.set_flags(fs, ())
            mention = self.mention(fs)
            records[eid] = Entity(eid, self.label(fs), (mention,), (external_id(identifier),) if identifier else (),
                                  actor, tuple(attributes), mention.line)
            if actor is not None:
                self.by_actor.setdefault(actor, eid)
            self.by_text.setdefault(mention.text, eid)
        return records

    def chains(self, records: dict[str, Entity], chains: list[Any]) -> list[tuple[str, ...]]:
        """Join each coreference chain's entities into one (its first); of different types, an equivalence."""
        at: dict[tuple[int, int], list[str]] = {}
        for eid, e in records.items():
            at.setdefault((e.mentions[0].start, e.mentions[0].end), []).append(eid)
        equivalences: list[tuple[str, ...]] = []
        for chain in chains:
            links: list[Any] = []
            link = _get(chain, "first")
            while link is not None and all(link is not x for x in links):
                links.append(link)
                link = _get(link, "next")
            members: list[str] = []
            loose = []
            for link in links:
                found = [m for m in at.get((link.begin, link.end), ()) if m not in members]
                members.extend(found)
                if not found:
                    loose.append(link)
            if not members:
                if links:
                    self.problem(links[0], f"coreference chain from {self.where(links[0])} has no entity "
                                 "annotation; not read", "annotate its mentions on an entity layer", "warning")
                continue
            if len({records[m].type for m in members}) > 1:
                equivalences.append(tuple(members))
                for link in loose:
                    self.problem(link, f"coreference link {self.where(link)} joins entities of different types and "
                                 "is on none of them; not read", "annotate it on an entity layer", "warning")
                continue
            head = records[members[0]]
            actors = list(dict.fromkeys(a for m in members if (a := records[m].actor) is not None))
            if len(actors) > 1:
                self.problem(links[0], f"coreference chain joins entities of actors {', '.join(actors)}",
                             "give the chain's mentions one actor", "warning")
            mentions = [m for x in members for m in records[x].mentions] + [self.mention(x) for x in loose]
            ext = tuple(dict.fromkeys(i for x in members for i in records[x].external_ids))
            records[head.id] = dataclasses.replace(head, mentions=tuple(mentions), external_ids=ext,
                                                   actor=actors[0] if actors else None)
            for m in members[1:]:
                del records[m]
                self.merged[m] = head.id
        return equivalences

    def figure(self, kind: str, fs: Any, claimant: str | None) -> Figure | None:
        from kg.reading.brat import parse_count

        mention = self.mention(fs)
        parsed = parse_count(mention.text)
        count = _str(_get(fs, "count"))
        if count is None and parsed is None:
            self.problem(fs, f"{kind} figure {self.where(fs)} has no count and no number in its text",
                         "fill in its count feature")
            return None
        if count is not None and not count.isdigit():
            self.problem(fs, f"count {count!r} of {self.where(fs)} is not a whole number", "write digits only")
            return None
        qualifier = _str(_get(fs, "qualifier")) or (parsed[1] if parsed else "exact")
        return Figure(kind=kind, count=int(count) if count is not None else parsed[0],  # type: ignore[index]
                      qualifier=qualifier, of=self.reference(_get(fs, "of")),
                      claimant=self.reference(_get(fs, "claimant")) or claimant, evidence=mention,
                      line=mention.line)

    def events(self, spans: list[Any], kinds: frozenset[str]) -> list[Event]:
        spans = sorted(spans, key=lambda a: (a.begin, a.end, a.type.name, self.label(a)))
        for n, fs in enumerate(spans, 1):
            self.ids[id(fs)] = f"E{n}"
        used: set[int] = set()
        events = []
        for fs in spans:
            claimant = self.reference(_get(fs, "claimant"))
            arguments: list[tuple[str, str]] = []
            figures: list[Figure] = []
            for slot in self.layer(fs).slots:
                array = _get(fs, slot)
                for link in getattr(array, "elements", None) or ():
                    role, target = _str(_get(link, "role")), _get(link, "target")
                    if role is None or target is None:
                        self.problem(fs, f"a {slot} slot of {self.where(fs)} has no "
                                     f"{'role' if role is None else 'target'}; left out", "fill it in or delete it")
                    elif id(target) in self.figures or (role.lower() in kinds and self.ref(target) is not None
                                                        and self.label(target).lower() == "quantity"):
                        used.add(id(target))
                        figure = self.figure(role.lower(), target, claimant)
                        if figure is not None:
                            figures.append(figure)
                    elif self.ref(target) is None:
                        self.problem(fs, f"the {role} of {self.where(fs)} is {self.where(target)}, "
                                     "which is not an entity or an event", "point the slot at an entity")
                    else:
                        arguments.append((role, self.ref(target)))  # type: ignore[arg-type]
            found, unread = self.set_flags(fs, ("negated", "uncertain"))
            self.not_read(fs, unread)
            trigger = self.mention(fs)
            events.append(Event(id=self.ids[id(fs)], type=self.label(fs), trigger=trigger, arguments=tuple(arguments),
                                date=self.date(fs), figures=tuple(figures), claimant=claimant,
                                negated="negated" in found, uncertain="uncertain" in found, line=trigger.line))
        for key, fs in self.figures.items():
            if key not in used:
                self.problem(fs, f"figure {self.where(fs)} belongs to no event; left out",
                             "link it from an event's slot, its role the figure kind (killed, wounded…)", "warning")
        return events

    def evidence(self, fs: Any, ends: list[Any]) -> Mention | None:
        """The span of a relation's ``evidence`` quote: the occurrence around both ends (or one), else the first."""
        quote = _str(_get(fs, "evidence"))
        if quote is None:
            return None
        starts = [m.start() for m in re.finditer(re.escape(quote), self.text)]
        if not starts:
            self.problem(fs, f"the evidence {quote!r} of {self.where(fs)} is not in the text",
                         "copy the quote from the text")
            return None

        def around(start: int) -> int:
            return sum(start <= e.begin and e.end <= start + len(quote) for e in ends)

        best = max(starts, key=around)
        return Mention((Span(best, best + len(quote)),), quote, self.line(fs))

    def relations(self, arcs: list[Any]) -> list[Relation]:
        def key(a: Any) -> tuple[Any, ...]:
            gov, dep = _get(a, "Governor"), _get(a, "Dependent")
            return (getattr(dep, "begin", -1), getattr(dep, "end", -1), getattr(gov, "begin", -1),
                    getattr(gov, "end", -1), a.type.name, self.label(a))

        relations = []
        for n, fs in enumerate(sorted(arcs, key=key), 1):
            gov, dep = _get(fs, "Governor"), _get(fs, "Dependent")
            subject, obj = self.ref(gov), self.ref(dep)
            if subject is None or obj is None:
                end = "Governor" if subject is None else "Dependent"
                self.problem(fs, f"{self.layer(fs).short} {self.label(fs)!r} at {fs.begin}-{fs.end}: its {end} "
                             "is not an entity or an event; left out", "attach the relation to entity annotations")
                continue
            found, unread = self.set_flags(fs, FLAGS)
            self.not_read(fs, unread)
            relations.append(Relation(id=f"R{n}", type=self.label(fs), subject=subject, object=obj,
                                      evidence=self.evidence(fs, [gov, dep]),
                                      claimant=self.reference(_get(fs, "claimant")), date=self.date(fs),
                                      line=self.line(fs), negated="negated" in found,
                                      uncertain="uncertain" in found, former="former" in found,
                                      intended="intended" in found))
        return relations


def parse_cas(
    cas: Cas,
    *,
    article_id: str,
    source: str = "",
    text: str | None = None, text_source: str = "",
    metadata: Metadata | None = None,
    attribute_flags: Mapping[str, str] | None = None,
    lines: Mapping[int, int] | None = None,
) -> Article:
    """A CAS as an :class:`Article`, types as written; problems (errors too) go to ``Article.problems``.

    ``text`` (the article's ``.txt``, when there is one) must be the CAS's text. ``lines`` maps
    ``id(annotation)`` to a line of the file it came from (WebAnno TSV has lines, CAS files do not).
    """
    from kg.ontology import load_ontology
    from kg.reading.brat import ATTRIBUTE_FLAGS

    source = source or f"{article_id}.json"
    flags = dict(ATTRIBUTE_FLAGS)
    flags.update((k.lower(), v) for k, v in (attribute_flags or {}).items())
    r = _Reader(cas, source, lines or {}, flags)
    if text is not None and text != r.text:
        at = next((i for i, (a, b) in enumerate(zip(text, r.text, strict=False)) if a != b),
                  min(len(text), len(r.text)))
        raise AnnotationError(f"the text in {Path(source).name} differs from {Path(text_source).name or 'the .txt'} "
                              f"at code point {at}", file=source,
                              hint="export the article again, or remove the .txt to use the text of the export")
    kinds: dict[str, list[Any]] = {}
    chains = []
    for fs in cas.select_all_fs():
        if fs.type.name == CHAIN:
            chains.append(fs)
        elif hasattr(fs, "begin"):
            kinds.setdefault(r.layer(fs).kind, []).append(fs)
    for name, layer in sorted(r.layers.items()):
        if layer.kind == "other":
            count = sum(fs.type.name == name for fs in kinds["other"])
            what = f"{count} annotation{'s' * (count != 1)}"
            r.problems.append(Problem(source, None, f"layer {name} ({what}) is not read",
                                      "kg reads entity, relation, event, figure and coreference layers", "warning"))
    records = r.entities(kinds.get("entity", []))
    chains.sort(key=lambda c: (getattr(_get(c, "first"), "begin", -1), getattr(_get(c, "first"), "end", -1)))
    equivalences = r.chains(records, chains)
    r.figures = {id(fs): fs for fs in kinds.get("figure", [])}
    events = r.events(kinds.get("event", []), load_ontology().figure_kinds)
    relations = r.relations(kinds.get("relation", []))
    for (layer_name, feature), count in sorted(r.unread.items()):
        r.problems.append(Problem(source, None, f"feature {feature} of {layer_name} is not read ({count} "
                                  f"value{'s' * (count != 1)})", "kg.toml [attributes] can map it to a flag",
                                  "warning"))
    meta = metadata or Metadata()
    try:
        language = cas.document_language
    except (AttributeError, KeyError, TypeError):
        language = None
    if meta.language is None and language and language != "x-unspecified":
        meta = dataclasses.replace(meta, language=language)
    r.problems.sort(key=lambda p: p.line or 0)
    return Article(id=article_id, text=r.text, metadata=meta, entities=tuple(records.values()),
                   relations=tuple(relations), events=tuple(events), equivalences=tuple(equivalences),
                   source=source, text_source=text_source or source, problems=tuple(r.problems))


def find_typesystem(path: Path, root: Path | None = None) -> Path | None:
    """``TypeSystem.xml`` beside ``path`` or in a folder above it (up to ``root``), if any."""
    folder = path.parent
    while True:
        for name in TYPESYSTEM_NAMES:
            if (folder / name).is_file():
                return folder / name
        if folder == root or folder.parent == folder or (root is not None and root not in folder.parents):
            return None
        folder = folder.parent


def load_cas(path: Path, *, root: Path | None = None) -> Cas:
    """Load a CAS JSON (``.json``) or XMI (``.xmi``) file; a broken file is an :class:`AnnotationError`."""
    from cassis import load_cas_from_json, load_cas_from_xmi, load_typesystem
    from cassis.typesystem import TypeNotFoundError

    try:
        data = path.read_bytes()
    except OSError as exc:
        raise AnnotationError(f"cannot read {path.name}: {exc.strerror}", file=str(path)) from None
    ts_path = find_typesystem(path, root)
    try:
        ts: TypeSystem | None = load_typesystem(ts_path) if ts_path is not None else None
        if path.suffix == ".json":
            return load_cas_from_json(data.decode("utf-8-sig"), typesystem=ts)
        if ts is None:
            raise AnnotationError(f"no TypeSystem.xml for {path.name}", file=str(path),
                                  hint="put the TypeSystem.xml of the INCEpTION export beside it")
        return load_cas_from_xmi(io.BytesIO(data), typesystem=ts)
    except (ValueError, KeyError, TypeError, AttributeError, SyntaxError, TypeNotFoundError) as exc:
        where = f" (type system {ts_path})" if ts_path is not None else ""
        raise AnnotationError(f"cannot read {path.name} as a UIMA CAS{where}: {exc}", file=str(path),
                              hint="export it again from INCEpTION as UIMA CAS JSON or XMI") from None


def read(path: Path, text: str | None, *, metadata: Metadata | None = None,
         config: CorpusConfig | None = None) -> Article:
    """Read a CAS JSON or XMI export (``text``: the article's ``.txt``, if it has one)."""
    cas = load_cas(path, root=config.root if config is not None else None)
    return parse_cas(cas, article_id=path.stem, source=str(path), text=text, text_source=str(path.with_suffix(".txt")),
                     metadata=metadata, attribute_flags=config.attributes if config is not None else None)
