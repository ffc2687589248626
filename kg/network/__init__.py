"""The actor network: read from a query source with one selection of filters, its projections, and the
resolver of actor names.

Modules: :mod:`~kg.network.selection` (the :class:`Selection` record and the one place its filters are
applied), :mod:`~kg.network.queries` (the SPARQL questions), :mod:`~kg.network.build`
(:func:`actor_network`), :mod:`~kg.network.projections` (alliance, support, command, signed) and
:mod:`~kg.network.names` (spelling folding and the one name resolver, which the mapping and the saved
questions use too). The public names below are imported lazily, so ``import kg.network.names`` does not
load networkx.

>>> from kg.network import Selection, network_from_triples, select
>>> sorted(select(network_from_triples([("A", "supports", "B")]), Selection(center="B", depth=0)))
['B']
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kg.lazy import lazy_names

if TYPE_CHECKING:
    from kg.errors import NetworkError, UnknownActorError
    from kg.network.build import actor_network, network_from_triples
    from kg.network.names import find_actor, local_name
    from kg.network.projections import (
        PROJECTIONS,
        alliance_network,
        command_hierarchy,
        hierarchy_relations,
        signed_network,
        support_network,
    )
    from kg.network.selection import Selection, check_date, restrict, select

_EXPORTS: dict[str, str] = {
    "actor_network": "kg.network.build",
    "network_from_triples": "kg.network.build",
    "find_actor": "kg.network.names",
    "local_name": "kg.network.names",
    "Selection": "kg.network.selection",
    "check_date": "kg.network.selection",
    "restrict": "kg.network.selection",
    "select": "kg.network.selection",
    "PROJECTIONS": "kg.network.projections",
    "alliance_network": "kg.network.projections",
    "command_hierarchy": "kg.network.projections",
    "hierarchy_relations": "kg.network.projections",
    "signed_network": "kg.network.projections",
    "support_network": "kg.network.projections",
    "NetworkError": "kg.errors",
    "UnknownActorError": "kg.errors",
}

__all__ = ["NetworkError", "PROJECTIONS", "Selection", "UnknownActorError", "actor_network",
           "alliance_network", "check_date", "command_hierarchy", "find_actor", "hierarchy_relations",
           "local_name", "network_from_triples", "restrict", "select", "signed_network", "support_network"]


__getattr__, __dir__ = lazy_names("kg.network", _EXPORTS, globals())
