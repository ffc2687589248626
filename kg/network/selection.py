"""The selection: one record of the network filters, built once (from the CLI's options or by hand) and
passed down to :func:`kg.network.actor_network`, the analyses, the exports and the views.

Where the network is read from a store or an endpoint, :func:`kg.network.actor_network` applies the
filters in SPARQL and marks the network with them (``network.graph["selection"]``); :func:`select` then
only cuts out the centre and its neighbourhood. A network from elsewhere (built earlier, or by
:func:`kg.network.network_from_triples`) is filtered here, in Python, by the same rules, so every caller
gets the same answer whichever it holds:

* ``relations`` and ``actor_types`` name ontology terms, their sub-relations and sub-classes included;
  naming a place class keeps those places; ``include_places`` keeps every place, ``include_events`` the
  events with their roles;
* ``since``/``until``: a claim is kept when its date (``kg:date``, else the date it was reported) meets
  the window, both compared on their common precision (``2016-07`` lies in ``since="2016-07-15"``); a claim
  without any date is left out when a window is given; ``as_of``: only what was reported on or before;
* ``current``: claims flagged ``former`` or ``intended`` are left out; ``min_sources``: the fewest distinct
  articles a relation needs; ``center``/``depth``: the actors within ``depth`` steps of ``center``.

>>> from kg.network import network_from_triples
>>> net = network_from_triples([("A", "alliedWith", "B"), ("B", "hostileTo", "C"), ("C", "supports", "D")])
>>> sorted(select(net, Selection(relations=("hostileTo", "supports"))).edges())
[('B', 'C'), ('C', 'D')]
>>> sorted(select(net, Selection(center="A", depth=1)))
['A', 'B']
"""

from __future__ import annotations

import dataclasses
import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kg.errors import NetworkError
from kg.model import valid_date
from kg.vocab import FLAGS

if TYPE_CHECKING:
    import networkx as nx

    from kg.ontology import Ontology

#: The flags ``current`` leaves out: claims of what no longer holds, or of what was only intended.
NOT_CURRENT: tuple[str, ...] = tuple(f for f in FLAGS if f in ("former", "intended"))

def check_date(value: str | None, what: str = "date") -> str | None:
    """An ISO date, year-month or year, unchanged; anything else is a :class:`NetworkError`.

    >>> check_date("2016-07")
    '2016-07'
    """
    if value is None:
        return None
    value = value.strip()
    if not valid_date(value):
        raise NetworkError(f"bad {what} {value!r}", hint="use YYYY, YYYY-MM or YYYY-MM-DD")
    return value


def _names(value: Iterable[str] | str | None) -> tuple[str, ...] | None:
    if value is None:
        return None
    items = value.split(",") if isinstance(value, str) else value
    return tuple(dict.fromkeys(v.strip() for v in items if v.strip()))


@dataclass(frozen=True)
class Selection:
    """What part of the network to read (see the module docstring); every field has the default "all".

    >>> Selection(relations=["commands"], since="2016").relations
    ('commands',)
    >>> Selection(min_sources=0)
    Traceback (most recent call last):
    ...
    kg.errors.NetworkError: min_sources must be at least 1, not 0
    """

    relations: tuple[str, ...] | None = None
    actor_types: tuple[str, ...] | None = None
    include_places: bool = False
    include_events: bool = False
    since: str | None = None
    until: str | None = None
    as_of: str | None = None
    min_sources: int = 1
    current: bool = False
    center: str | None = None
    depth: int = 1

    def __post_init__(self) -> None:
        set_ = object.__setattr__
        set_(self, "relations", _names(self.relations))
        set_(self, "actor_types", _names(self.actor_types))
        set_(self, "since", check_date(self.since, "since date"))
        set_(self, "until", check_date(self.until, "until date"))
        set_(self, "as_of", check_date(self.as_of, "as-of date"))
        if self.min_sources < 1:
            raise NetworkError(f"min_sources must be at least 1, not {self.min_sources}")
        if self.depth < 0:
            raise NetworkError(f"depth must be 0 or more, not {self.depth}")

    @property
    def exclude_flags(self) -> tuple[str, ...]:
        """The flags whose claims are left out (besides ``negated``)."""
        return NOT_CURRENT if self.current else ()

    def filters(self) -> Selection:
        """The selection without its centre: what :func:`kg.network.actor_network` applies.

        >>> Selection(center="LNA", depth=2, since="2016").filters() == Selection(since="2016")
        True
        """
        return dataclasses.replace(self, center=None, depth=1)

    def windowed(self) -> bool:
        """Whether a date filter is set."""
        return self.since is not None or self.until is not None or self.as_of is not None


def as_selection(selection: Selection | None = None, **filters: Any) -> Selection:
    """``selection``, or one made of keyword filters (the field names of :class:`Selection`).

    >>> as_selection(relations=["supports"]).relations
    ('supports',)
    """
    if selection is not None and filters:
        raise NetworkError("give a selection or keyword filters, not both")
    if selection is not None:
        return selection
    fields = {f.name for f in dataclasses.fields(Selection)}
    unknown = sorted(set(filters) - fields)
    if unknown:
        close = difflib.get_close_matches(unknown[0], sorted(fields), n=1)
        raise NetworkError(f"unknown filter {unknown[0]!r}",
                           hint=f"did you mean {close[0]}?" if close else f"one of {', '.join(sorted(fields))}")
    return Selection(**filters)


# -- names of the ontology ----------------------------------------------------------------------------


def check_names(names: Iterable[str], known: Iterable[str], what: str) -> list[str]:
    """``names`` when each is ``known``; else a :class:`NetworkError` suggesting close names."""
    known = sorted(known)
    names = list(names)
    for name in names:
        if name not in known:
            close = difflib.get_close_matches(name, known, n=3)
            raise NetworkError(f"unknown {what} {name!r}",
                               hint=f"did you mean {', '.join(close)}?" if close else f"one of {', '.join(known)}")
    return names


def _closure(names: Iterable[str], universe: Iterable[str], ontology: Ontology) -> set[str]:
    """Every member of ``universe`` that is one of ``names`` or a kind of one."""
    names = list(names)
    return {u for u in universe if any(u == n or ontology.is_a(u, n) for n in names)}


def relation_names(selection: Selection, ontology: Ontology) -> set[str] | None:
    """The relations the selection keeps (sub-relations included), or None for all."""
    if selection.relations is None:
        return None
    names = check_names(selection.relations, ontology.relation_types, "relation type")
    return _closure(names, ontology.relation_types, ontology)


def node_types(selection: Selection, ontology: Ontology) -> set[str]:
    """The actor and place classes the selection keeps (events aside)."""
    types = set(ontology.actor_types)
    if selection.actor_types is not None:  # place classes may be named too: then those places are kept
        names = check_names(selection.actor_types, ontology.entity_types, "actor type")
        types = _closure(names, ontology.actor_types | ontology.place_types, ontology)
    if selection.include_places and not (types & ontology.place_types) - ontology.actor_types:  # countries are both
        types |= set(ontology.place_types)
    return types


# -- dates ------------------------------------------------------------------------------------------


def _prefix_compare(var: str, op: str, value: str) -> str:
    """``var op value`` on the common precision of two ISO date strings (both validated)."""
    k = f"IF(STRLEN({var}) < {len(value)}, STRLEN({var}), {len(value)})"
    return f'(BOUND({var}) && SUBSTR({var}, 1, {k}) {op} SUBSTR("{value}", 1, {k}))'


def date_filters(selection: Selection) -> list[str]:
    """SPARQL FILTERs for the window on ``?when`` (the claim's date, else its report date) and the
    cut-off on ``?rep`` (its report date).

    >>> date_filters(Selection(as_of="2016"))[0].startswith("FILTER(BOUND(?rep)")
    True
    """
    filters = []
    if selection.since is not None:
        filters.append(f"FILTER{_prefix_compare('?when', '>=', selection.since)}")
    if selection.until is not None:
        filters.append(f"FILTER{_prefix_compare('?when', '<=', selection.until)}")
    if selection.as_of is not None:
        filters.append(f"FILTER{_prefix_compare('?rep', '<=', selection.as_of)}")
    return filters


def _compare(value: str, op: str, bound: str) -> bool:
    n = min(len(value), len(bound))
    return value[:n] >= bound[:n] if op == ">=" else value[:n] <= bound[:n]


def claim_kept(selection: Selection, *, when: str | None, reported: str | None,
               flags: Iterable[str] = ()) -> bool:
    """Whether one claim meets the selection's dates and flags (the rule :func:`date_filters` writes).

    >>> claim_kept(Selection(since="2016-07-15"), when="2016-07", reported="2016-07")
    True
    >>> claim_kept(Selection(current=True), when=None, reported=None, flags=["former"])
    False
    """
    if set(flags) & set(selection.exclude_flags):
        return False
    if selection.since is not None and (when is None or not _compare(when, ">=", selection.since)):
        return False
    if selection.until is not None and (when is None or not _compare(when, "<=", selection.until)):
        return False
    return selection.as_of is None or (reported is not None and _compare(reported, "<=", selection.as_of))


# -- filtering a network in hand ------------------------------------------------------------------------


def _ontology(ontology: Ontology | None) -> Ontology:
    if ontology is not None:
        return ontology
    from kg.ontology import load_ontology

    return load_ontology()


def _kept_edge(data: Mapping[str, Any], selection: Selection) -> dict[str, Any] | None:
    """The edge's attributes restricted to the claims the selection keeps, or None when none is."""
    evidence = list(data.get("evidence") or ())
    if not evidence:  # no per-claim rows: judge the edge by its first and last report dates and its flags
        first, last = data.get("first"), data.get("last")
        if set(data.get("flags") or ()) & set(selection.exclude_flags):
            return None
        for bound, op, date in ((selection.since, ">=", last), (selection.until, "<=", first),
                                (selection.as_of, "<=", first)):
            if bound is not None and (date is None or not _compare(str(date), op, bound)):
                return None
        return dict(data) if int(data.get("sources") or 1) >= selection.min_sources else None
    kept = [e for e in evidence if claim_kept(selection, when=e.get("claim_date") or e.get("date"),
                                              reported=e.get("date"), flags=e.get("flags") or ())]
    if not kept:
        return None
    out = dict(data)
    if len(kept) < len(evidence):
        dates = sorted(str(e["date"]) for e in kept if e.get("date"))
        articles = sorted({str(e["article"]) for e in kept if e.get("article")})
        out.update(evidence=kept, articles=articles, sources=len(articles) or 1,
                   claimants=sorted({str(e["claimant"]) for e in kept if e.get("claimant")}),
                   first=dates[0] if dates else None, last=dates[-1] if dates else None,
                   flags=[f for f in FLAGS if f != "negated" and all(f in (e.get("flags") or ()) for e in kept)])
    return out if int(out.get("sources") or 1) >= selection.min_sources else None


def restrict(network: nx.MultiDiGraph, selection: Selection, *, ontology: Ontology | None = None,
             ) -> nx.MultiDiGraph:
    """The part of a network the selection's filters keep (a new graph; ``network`` is not changed).

    A network that :func:`kg.network.actor_network` built with these filters is returned as it is: they
    were applied in SPARQL already. So is any network when the selection filters nothing (``Selection()``):
    a network in hand is analysed, exported or drawn as it was built.

    >>> from kg.network import network_from_triples
    >>> net = network_from_triples([("A", "supports", "B"), ("A", "supports", "B"), ("B", "hostileTo", "C")])
    >>> sorted(restrict(net, Selection(min_sources=2)).edges())
    [('A', 'B')]
    """
    wanted = selection.filters()
    if network.graph.get("selection") == wanted or wanted == Selection():
        return network
    import networkx as nx

    ont = _ontology(ontology)
    rels = relation_names(wanted, ont)
    types = node_types(wanted, ont)
    events = set(ont.event_types) if wanted.include_events else set()
    roles = set(ont.roles) | {"place"}
    out = nx.MultiDiGraph()
    out.graph.update(network.graph, selection=wanted)
    nodes = {n for n, d in network.nodes(data=True) if d.get("type", "Actor") in types | events}
    for u, v, key, data in network.edges(keys=True, data=True):
        if u not in nodes or v not in nodes:
            continue
        relation = str(data.get("relation", key))
        if relation in roles:
            if not wanted.include_events:
                continue
        elif rels is not None and relation not in rels:
            continue
        kept = _kept_edge(data, wanted)
        if kept is not None:
            out.add_edge(u, v, key=key, **kept)
    for node in list(out):
        out.nodes[node].update(network.nodes[node])
    return out


def select(network: nx.MultiDiGraph, selection: Selection | None = None, *,
           ontology: Ontology | None = None) -> nx.MultiDiGraph:
    """The network the selection asks for: its filters (unless already applied) and its centre.

    With ``center`` (a name in either language, an id or an IRI, as :func:`kg.network.find_actor` reads
    it), only the actors within ``depth`` steps of it, in either direction, remain, with every relation
    among them; ``network.graph["center"]`` names the centre.
    """
    selection = selection or Selection()
    result = restrict(network, selection, ontology=ontology)
    if selection.center is None:
        return result
    import networkx as nx

    from kg.network.names import find_actor

    hub = find_actor(network, selection.center)
    if hub not in result:
        label = network.nodes[hub].get("label", hub)
        raise NetworkError(f"{label!r} is not in the selection",
                           hint="loosen --relations, --actor-types, --since/--until or --min-sources")
    near = nx.single_source_shortest_path_length(result.to_undirected(as_view=True), hub, cutoff=selection.depth)
    out = result.subgraph(near).copy()
    out.graph["center"] = hub
    return out
