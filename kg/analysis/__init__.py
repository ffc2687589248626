"""Analyses of an actor network, one module per problem: :mod:`~kg.analysis.centrality`,
:mod:`~kg.analysis.blocs` (alliance blocs), :mod:`~kg.analysis.balance` (structural balance),
:mod:`~kg.analysis.chains` (command chains), :mod:`~kg.analysis.paths` (paths, ego networks, the network as
of a date); :mod:`~kg.analysis.run` runs one by name (:func:`analyze`, what ``kg analyze`` prints as JSON) and
:mod:`~kg.analysis.render` turns its report into text.

Every function takes a network from :func:`kg.network.actor_network` (or
:func:`kg.network.network_from_triples`) first and returns plain frozen records that name actors by IRI
and label (:class:`Actor`).

>>> from kg.network import network_from_triples
>>> net = network_from_triples([("A", "alliedWith", "B"), ("B", "alliedWith", "C"), ("A", "hostileTo", "C")])
>>> [t.kind for t in balance(net).unbalanced]
['ally of my enemy']
"""

from __future__ import annotations

from kg.analysis.balance import ALL_ENEMIES, ALLY_OF_ENEMY, Balance, Triangle, balance
from kg.analysis.blocs import Bloc, blocs
from kg.analysis.centrality import MEASURES, Score, centrality
from kg.analysis.chains import Chain, CommandChains, Link, command_chains
from kg.analysis.paths import Path, Step, Tie, ego_network, network_as_of, shortest_path
from kg.analysis.records import Actor, actor
from kg.analysis.render import render
from kg.analysis.run import ANALYSES, analyze, run

__all__ = ["ALLY_OF_ENEMY", "ALL_ENEMIES", "ANALYSES", "MEASURES", "Actor", "Balance", "Bloc", "Chain",
           "CommandChains", "Link", "Path", "Score", "Step", "Tie", "Triangle", "actor", "analyze", "balance",
           "blocs", "centrality", "command_chains", "ego_network", "network_as_of", "render", "run",
           "shortest_path"]
