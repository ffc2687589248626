"""The ontology (``ontology/kg.ttl`` and ``ontology/acled.ttl``) as plain Python values.

Code never repeats the vocabulary: type names, labels, colours, domains and ranges are read from the Turtle
files here, once, and cached. Terms are named by their local name (``"ArmedGroup"``, ``"commands"``).

>>> ont = load_ontology()
>>> ont.term("commands").label("ar")
'يقود'
>>> sorted(ont.figure_kinds)
['captured', 'killed', 'missing', 'wounded']
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.errors import OntologyError

KG = "https://w3id.org/kg/ontology#"
ACLED = "https://w3id.org/kg/acled#"

_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_RDFS = "http://www.w3.org/2000/01/rdf-schema#"
_OWL = "http://www.w3.org/2002/07/owl#"
_SKOS = "http://www.w3.org/2004/02/skos/core#"
_PROPERTY_TYPES = frozenset(_OWL + t for t in ("ObjectProperty", "DatatypeProperty", "AnnotationProperty"))
_OTHER_ENTITY_TYPES = ("Rank", "Title", "Source", "Quantity")
_REQUIRED = ("Actor", "Place", "Event", "relation", "role")
#: brat attribute name of each flag property, and the brat kind of annotation each domain class stands for.
_BRAT_FLAGS = {"negated": "Negation", "uncertain": "Uncertain", "former": "Former", "intended": "Intended"}
_BRAT_KINDS = {"Assertion": "<RELATION>", "Event": "<EVENT>"}


@dataclass(frozen=True)
class Term:
    """One term of the ontology, with what code needs to know about it."""

    name: str  # local name, e.g. "commands"
    iri: str
    kind: str  # "class" | "relation" | "role" | "figure" | "property" | "concept"
    label_en: str
    label_ar: str
    definition: str
    parents: tuple[str, ...] = ()  # local names of direct kg superclasses / superproperties
    symmetric: bool = False
    domain: tuple[str, ...] = ()
    range: tuple[str, ...] = ()
    colour: str | None = None
    shape: str | None = None
    dash: bool = False
    arrow: bool = True
    sign: int = 0
    cameo: tuple[str, ...] = ()
    wikidata: str | None = None
    notation: str | None = None  # skos:notation, e.g. an ACLED inter code
    acled: tuple[str, ...] = ()  # local names of the ACLED event type and sub-event type an event class aligns to

    def label(self, lang: str) -> str:
        """The label in ``"en"`` or ``"ar"`` (English for any other language).

        >>> t = load_ontology().term("ArmedGroup")
        >>> t.label("en"), t.label("ar")
        ('Armed group', 'جماعة مسلحة')
        """
        return self.label_ar if lang == "ar" and self.label_ar else self.label_en


@dataclass(frozen=True, eq=False)
class Ontology:
    """The terms of the ontology by local name, and the sets of names that code checks against."""

    terms: dict[str, Term]
    ancestors: dict[str, frozenset[str]]  # name → itself and every kg superclass / superproperty
    entity_types: frozenset[str]
    actor_types: frozenset[str]
    place_types: frozenset[str]
    relation_types: frozenset[str]
    event_types: frozenset[str]
    roles: frozenset[str]
    figure_kinds: frozenset[str]
    acled_categories: frozenset[str]
    disjoint_with: frozenset[tuple[str, str]] = frozenset()  # owl:disjointWith, both ways
    #: Cue phrases for drafting: key (a term's local name, or an individual's ``skos:notation``) →
    #: ``(language, phrase, inverse)``; ``inverse`` for ``kg:inverseCuePhrase``. See :meth:`cues_for`.
    cues: dict[str, tuple[tuple[str, str, bool], ...]] = field(default_factory=dict)

    def __repr__(self) -> str:
        return f"Ontology({len(self.terms)} terms)"

    def get(self, name: str) -> Term | None:
        """The term with this local name, or None."""
        return self.terms.get(name)

    def term(self, name: str) -> Term:
        """The term with this local name; an unknown name raises :class:`~kg.errors.OntologyError`.

        >>> load_ontology().term("comands")
        Traceback (most recent call last):
        kg.errors.OntologyError: unknown ontology term 'comands' (did you mean commands?)
        """
        if name in self.terms:
            return self.terms[name]
        import difflib

        close = difflib.get_close_matches(name, list(self.terms), n=3, cutoff=0.6)
        hint = f"did you mean {', '.join(close)}?" if close else "`kg types` lists the terms"
        raise OntologyError(f"unknown ontology term {name!r}", hint=hint)

    def is_a(self, name: str, ancestor: str) -> bool:
        """Whether ``name`` is ``ancestor`` or below it (classes and properties); False for unknown names.

        >>> ont = load_ontology()
        >>> ont.is_a("Downing", "Attack"), ont.is_a("loyalTo", "supports"), ont.is_a("City", "Actor")
        (True, True, False)
        """
        return ancestor in self.ancestors.get(name, ())

    def subtypes(self, name: str) -> list[str]:
        """``name`` and every term below it, in the order of the ontology files."""
        return [n for n in self.terms if self.is_a(n, name)]

    def allowed(self, relation: str, subject_type: str, object_type: str) -> bool:
        """Whether ``relation`` may go from ``subject_type`` to ``object_type`` (subclasses count; a symmetric
        relation may go either way). An empty domain or range allows anything.

        >>> ont = load_ontology()
        >>> ont.allowed("commands", "Person", "ArmedGroup"), ont.allowed("hasRank", "Rank", "Person")
        (True, False)

        A symmetric relation whose domain and range are the same union of classes joins two of one kind:
        ``alsoKnownAs`` (actors or places) joins two actors or two places, never an actor to a city.

        >>> ont.allowed("alsoKnownAs", "Country", "City"), ont.allowed("alsoKnownAs", "ArmedGroup", "City")
        (True, False)
        """
        term = self.terms.get(relation)
        if term is None:
            return False
        fits = self._fits
        if term.symmetric and len(term.domain) > 1 and term.domain == term.range:
            return any(fits(subject_type, (c,)) and fits(object_type, (c,)) for c in term.domain)
        forward = fits(subject_type, term.domain) and fits(object_type, term.range)
        return forward or (term.symmetric and fits(object_type, term.domain) and fits(subject_type, term.range))

    def disjoint(self, a: str, b: str) -> bool:
        """Whether nothing can be both an ``a`` and a ``b`` (``owl:disjointWith`` between any of their classes).

        >>> ont = load_ontology()
        >>> ont.disjoint("Person", "MilitaryUnit"), ont.disjoint("City", "ArmedGroup"), ont.disjoint("Country", "Actor")
        (True, True, False)
        """
        above_a, above_b = self.ancestors.get(a, frozenset()), self.ancestors.get(b, frozenset())
        return any((x, y) in self.disjoint_with for x in above_a for y in above_b)

    def cues_for(self, name: str, lang: str | None = None) -> tuple[tuple[str, bool], ...]:
        """The cue phrases of a term (or qualifier notation), as ``(phrase, inverse)``, in one language or all.

        >>> ("بإمرة", True) in load_ontology().cues_for("commands", "ar")
        True
        >>> load_ontology().cues_for("more-than", "en")[0]
        ('more than', False)
        """
        return tuple((p, inv) for lg, p, inv in self.cues.get(name, ()) if lang is None or lg == lang)

    def _fits(self, name: str, classes: tuple[str, ...]) -> bool:
        return not classes or any(self.is_a(name, c) for c in classes)


def ontology_dir() -> Path:
    """The folder holding the ontology files: ``kg/_ontology`` in an installed wheel, else ``ontology/``.

    >>> (ontology_dir() / "kg.ttl").is_file()
    True
    """
    import kg

    installed = Path(kg.__file__).parent / "_ontology"
    return installed if installed.is_dir() else installed.parent.parent / "ontology"


def _file(directory: Path | None, name: str) -> Path:
    path = (directory or ontology_dir()) / name
    if not path.is_file():
        raise OntologyError(f"ontology file {name} not found", file=str(path),
                            hint="reinstall kg, or pass the folder that holds kg.ttl, acled.ttl and shapes.ttl")
    return path


def ontology_files(directory: Path | None = None) -> list[Path]:
    """The Turtle files of the ontology proper (``kg.ttl``, ``acled.ttl``; not the shapes).

    >>> [p.name for p in ontology_files()]
    ['kg.ttl', 'acled.ttl']
    """
    return [_file(directory, "kg.ttl"), _file(directory, "acled.ttl")]


def shapes_file(directory: Path | None = None) -> Path:
    """The SHACL shapes for instance data.

    >>> shapes_file().name
    'shapes.ttl'
    """
    return _file(directory, "shapes.ttl")


def load_ontology(directory: Path | None = None) -> Ontology:
    """Read the ontology from ``directory`` (default :func:`ontology_dir`); cached, so call it freely.

    >>> len(load_ontology().relation_types)
    17
    """
    return _load(Path(directory or ontology_dir()).resolve())


_Graph = dict[Any, dict[str, list[Any]]]  # subject node → predicate IRI → object nodes


def _parse(paths: Iterable[Path]) -> _Graph:
    from pyoxigraph import RdfFormat, parse

    graph: _Graph = {}
    for path in paths:
        try:
            triples = list(parse(path=path, format=RdfFormat.TURTLE))
        except SyntaxError as exc:
            raise OntologyError(f"the ontology is not valid Turtle: {exc.msg}", file=str(path), line=exc.lineno,
                                hint="fix the Turtle syntax at that line") from exc
        except OSError as exc:
            raise OntologyError(f"cannot read the ontology: {exc.strerror}", file=str(path)) from exc
        for t in triples:
            graph.setdefault(t.subject, {}).setdefault(t.predicate.value, []).append(t.object)
    return graph


def _local(node: Any) -> str | None:
    """The local name of a kg or acled IRI, else None."""
    from pyoxigraph import NamedNode

    value = node.value if isinstance(node, NamedNode) else ""
    return next((value[len(ns):] for ns in (KG, ACLED) if value.startswith(ns) and len(value) > len(ns)), None)


def _classes(graph: _Graph, nodes: list[Any]) -> tuple[str, ...]:
    """The kg classes a domain or range names: one class, or the members of an ``owl:unionOf`` list."""
    members: list[Any] = []
    for node in nodes:
        members.append(node)
        for head in graph.get(node, {}).get(_OWL + "unionOf", []):
            while _RDF + "first" in graph.get(head, {}):
                members.extend(graph[head][_RDF + "first"])
                head = graph[head][_RDF + "rest"][0]
    return tuple(dict.fromkeys(n for m in members if (n := _local(m)) is not None))


def _text(props: dict[str, list[Any]], predicates: tuple[str, ...], lang: str) -> str:
    """The first literal tagged ``lang`` among the values of ``predicates``, else ""."""
    texts = (str(o.value) for p in predicates for o in props.get(p, []) if getattr(o, "language", None) == lang)
    return next(texts, "")


def _one(props: dict[str, list[Any]], name: str, default: str | None = None) -> str | None:
    values = props.get(KG + name, [])
    return str(values[0].value) if values else default


@functools.lru_cache(maxsize=8)
def _load(directory: Path) -> Ontology:
    graph = _parse(ontology_files(directory))
    raw: dict[str, tuple[str, set[str], dict[str, list[Any]]]] = {}
    for subject, props in graph.items():
        name = _local(subject)
        if name is None:
            continue
        if name in raw and raw[name][0] != subject.value:
            raise OntologyError(f"two ontology terms have the local name {name!r}", hint="rename one of them")
        types = {o.value for o in props.get(_RDF + "type", [])}
        raw[name] = (subject.value, types, props)
    parents = {
        name: tuple(p for o in props.get(_RDFS + "subClassOf", []) + props.get(_RDFS + "subPropertyOf", [])
                    if (p := _local(o)) is not None)
        for name, (_iri, _types, props) in raw.items()
    }

    def closure(name: str, seen: frozenset[str] = frozenset()) -> frozenset[str]:
        return frozenset({name}).union(*(closure(p, seen | {name}) for p in parents.get(name, ()) if p not in seen))

    ancestors = {name: closure(name) for name in raw}
    terms: dict[str, Term] = {}
    for name, (iri, types, props) in raw.items():
        kind = _kind(name, types, ancestors[name])
        if kind is None:
            continue
        symmetric = _OWL + "SymmetricProperty" in types
        labels = (_RDFS + "label", _SKOS + "prefLabel")
        terms[name] = Term(
            name=name, iri=iri, kind=kind, label_en=_text(props, labels, "en") or name,
            label_ar=_text(props, labels, "ar"), definition=_text(props, (_SKOS + "definition",), "en"),
            parents=parents[name], symmetric=symmetric,
            domain=_classes(graph, props.get(_RDFS + "domain", [])),
            range=_classes(graph, props.get(_RDFS + "range", [])),
            colour=_one(props, "colour"), shape=_one(props, "shape"), dash=_one(props, "dash") in ("true", "1"),
            arrow=_one(props, "arrow", str(not symmetric).lower()) in ("true", "1"),
            sign=int(_one(props, "sign") or 0),
            cameo=tuple(str(o.value) for o in props.get(KG + "cameo", [])),
            wikidata=_one(props, "wikidataProperty"),
            notation=next((str(o.value) for o in props.get(_SKOS + "notation", [])), None),
            acled=tuple(n for p in ("acledEventType", "acledSubEventType") for o in props.get(KG + p, [])
                        if (n := _local(o)) is not None),
        )
    missing = [n for n in _REQUIRED if n not in terms]
    if missing:
        raise OntologyError(f"the ontology lacks {', '.join(missing)}", file=str(directory / "kg.ttl"),
                            hint="kg needs these terms; restore them from the kg distribution")
    ancestors = {n: a & terms.keys() for n, a in ancestors.items() if n in terms}

    def below(root: str, kind: str) -> frozenset[str]:
        return frozenset(n for n, t in terms.items() if t.kind == kind and root in ancestors[n] and n != root)

    disjoint = {(x, y) for subject, props in graph.items() if (x := _local(subject)) in terms
                for o in props.get(_OWL + "disjointWith", []) if (y := _local(o)) in terms}
    actors = below("Actor", "class") | {"Actor"}
    places = below("Place", "class") | {"Place"}
    return Ontology(
        terms=terms, ancestors=ancestors,
        entity_types=actors | places | {n for n in _OTHER_ENTITY_TYPES if n in terms},
        actor_types=actors, place_types=places,
        relation_types=below("relation", "relation"),
        event_types=below("Event", "class") | {"Event"},
        roles=below("role", "role"),
        figure_kinds=frozenset(n for n, t in terms.items() if t.kind == "figure"),
        acled_categories=frozenset(n for n, (_i, _t, props) in raw.items() if n in terms and any(
            o.value == ACLED + "ActorCategories" for o in props.get(_SKOS + "inScheme", []))),
        disjoint_with=frozenset(disjoint | {(y, x) for x, y in disjoint}),
        cues=_cues(raw),
    )


def _cues(raw: dict[str, tuple[str, set[str], dict[str, list[Any]]]]) -> dict[str, tuple[tuple[str, str, bool], ...]]:
    """``kg:cuePhrase`` / ``kg:inverseCuePhrase`` literals by term name (or by ``skos:notation``)."""
    found: dict[str, tuple[tuple[str, str, bool], ...]] = {}
    for name, (_iri, _types, props) in raw.items():
        cues = tuple((str(o.language or ""), str(o.value), inverse)
                     for predicate, inverse in ((KG + "cuePhrase", False), (KG + "inverseCuePhrase", True))
                     for o in props.get(predicate, []))
        if cues:
            notation = props.get(_SKOS + "notation")
            found[str(notation[0].value) if notation else name] = cues
    return found


def _kind(name: str, types: set[str], ancestors: frozenset[str]) -> str | None:
    if _OWL + "Class" in types:
        return "class"
    if types & _PROPERTY_TYPES:
        return next((t for t in ("relation", "role") if t in ancestors and name != t), "property")
    if KG + "FigureKind" in types:
        return "figure"
    return "concept" if _SKOS + "Concept" in types else None


# -- brat configuration ------------------------------------------------------------------------------------

def _ordered(ontology: Ontology, names: Iterable[str]) -> list[str]:
    wanted = set(names)
    return [n for n in ontology.terms if n in wanted]


def _tree(ontology: Ontology, names: Iterable[str]) -> Iterator[tuple[int, str]]:
    """(depth, name) in depth-first order; a name with several parents sits under the first one."""
    members = _ordered(ontology, names)
    home = {n: next((p for p in ontology.terms[n].parents if p in members), None) for n in members}

    def walk(parent: str | None, depth: int) -> Iterator[tuple[int, str]]:
        for n in members:
            if home[n] == parent:
                yield depth, n
                yield from walk(n, depth + 1)

    return walk(None, 0)


def _arg_types(ontology: Ontology, classes: tuple[str, ...], anything: str) -> str:
    if not classes:
        return anything
    names = {n for c in classes for n in ontology.subtypes(c)} & ontology.entity_types
    return "|".join(_ordered(ontology, names)) or anything


def annotation_conf(ontology: Ontology) -> str:
    """A brat ``annotation.conf`` made from the ontology: entity hierarchy, relations, events, attributes.

    >>> conf = annotation_conf(load_ontology())
    >>> next(line for line in conf.splitlines() if line.startswith("hasRank")).split("\\t")
    ['hasRank', 'Arg1:Person, Arg2:Rank']
    """
    out = ["# brat annotation.conf made from the kg ontology (kg.ontology.annotation_conf)", "", "[entities]", ""]
    out += ["\t" * depth + name for depth, name in _tree(ontology, ontology.entity_types)]
    out += ["", "[relations]", "", "# mentions may nest and overlap",
            "<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>"]
    for name in _ordered(ontology, ontology.relation_types):
        term = ontology.terms[name]
        # brat matches relation argument types exactly (no hierarchy, no <ENTITY>): list every subtype
        line = (f"{name}\tArg1:{_arg_types(ontology, term.domain, '<ANY>')}, "
                f"Arg2:{_arg_types(ontology, term.range, '<ANY>')}")
        out.append(line + (", <REL-TYPE>:symmetric" if term.symmetric else ""))
    out += ["", "[events]", ""]
    figures = [f"{k}*:Quantity" for k in _ordered(ontology, ontology.figure_kinds) if "Quantity" in ontology.terms]
    for depth, name in _tree(ontology, ontology.event_types):
        roles = [f"{r}*:{_arg_types(ontology, ontology.terms[r].range, '<ENTITY>|<EVENT>')}"
                 for r in _ordered(ontology, ontology.roles)
                 if not ontology.terms[r].domain or any(ontology.is_a(name, d) for d in ontology.terms[r].domain)]
        out.append("\t" * depth + f"{name}\t" + ", ".join(roles + figures))
    out += ["", "[attributes]", ""]
    for flag, attribute in _BRAT_FLAGS.items():
        flag_term = ontology.get(flag)
        if flag_term is not None:
            kinds = [_BRAT_KINDS[d] for d in flag_term.domain if d in _BRAT_KINDS] or ["<RELATION>", "<EVENT>"]
            out.append(f"{attribute}\tArg:{'|'.join(kinds)}")
    return "\n".join(out) + "\n"


def visual_conf(ontology: Ontology) -> str:
    """A brat ``visual.conf``: English and Arabic labels, and the colours of the ontology.

    >>> conf = visual_conf(load_ontology())
    >>> print(next(line for line in conf.splitlines() if line.startswith("commands |")))
    commands | commands | يقود
    >>> next(line for line in conf.splitlines() if line.startswith("alliedWith\\t")).split("\\t")
    ['alliedWith', 'color:#2e7d32, arrowHead:none']
    """
    spans = ontology.entity_types | ontology.event_types
    arcs = ontology.relation_types | ontology.roles
    out = ["# brat visual.conf made from the kg ontology (kg.ontology.visual_conf)", "", "[labels]", ""]
    for term in (ontology.terms[n] for n in _ordered(ontology, spans | arcs | ontology.figure_kinds)):
        out.append(" | ".join(x for x in (term.name, term.label_en, term.label_ar) if x))
    out += ["", "[drawing]", "", "SPAN_DEFAULT\tfgColor:black, bgColor:lightgreen, borderColor:darken",
            "ARC_DEFAULT\tcolor:black, arrowHead:triangle-5", "ATTRIBUTE_DEFAULT\tglyph:*", ""]
    for term in (ontology.terms[n] for n in _ordered(ontology, spans)):
        if term.colour:
            r, g, b = (int(term.colour[i:i + 2], 16) for i in (1, 3, 5))
            text = "black" if 0.299 * r + 0.587 * g + 0.114 * b > 150 else "white"  # readable on the colour
            out.append(f"{term.name}\tbgColor:{term.colour}, fgColor:{text}")
    for term in (ontology.terms[n] for n in _ordered(ontology, arcs)):
        style = [f"color:{term.colour or 'black'}"] + (["dashArray:3-3"] if term.dash else [])
        style.append("arrowHead:triangle-5" if term.arrow else "arrowHead:none")
        out.append(f"{term.name}\t{', '.join(style)}")
    out += ["", "Negation\tbox:crossed, glyph:<NONE>, dashArray:<NONE>", "Uncertain\tglyph:?",
            "Former\tglyph:(former)", "Intended\tglyph:(intended)"]
    return "\n".join(out) + "\n"
