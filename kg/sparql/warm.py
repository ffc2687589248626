"""The answers of the saved questions about one actor, prepared for every actor once a server has started.

A question about an actor (its commanders, supporters, allies, timeline, …) takes Oxigraph from a few to a few
hundred milliseconds: each row costs an index lookup for each property it reads. The generation a read-only
server serves does not change, so after the large answers (:func:`kg.sparql.answers.prepare`) the server
computes, in the background, the answer of each such question for each actor of the relation summary and each
claimant, busiest first, and keeps them as the answers asked over HTTP are kept (JSON, the default format).
Then asking about any actor is a lookup of the kept answer: a millisecond or two.

They are computed in one child process forked for the purpose, which opens the store read-only and sends the
answers back one by one, so that the server's own process stays free for its users. Prepared answers never
push asked ones out: preparing stops when half of the memory for answers is used.

A parameter is known by the IRI it names (:class:`Canonical`): ``group=LNA``, ``group=lna`` and the LNA's IRI
are one answer.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from kg.sparql.answers import Answers, answer_key

if TYPE_CHECKING:
    from kg.sparql.query import SavedQuery

log = logging.getLogger("kg.serve")

#: The format the per-actor answers are prepared in (the one ``GET /questions/NAME`` answers without asking).
FORMAT = "json"
#: The share of the answers' memory that preparing them may fill.
SHARE = 0.5

_ACTORS = """PREFIX kg: <https://w3id.org/kg/ontology#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
SELECT ?a (COUNT(?r) AS ?n) WHERE { ?r a kg:RelationSummary ; rdf:subject|rdf:object ?a . FILTER(isIRI(?a)) }
GROUP BY ?a ORDER BY DESC(?n) STR(?a)"""
_CLAIMANTS = """PREFIX kg: <https://w3id.org/kg/ontology#>
SELECT ?a (COUNT(?x) AS ?n) WHERE { ?x kg:claimant ?a . FILTER(isIRI(?a)) } GROUP BY ?a ORDER BY DESC(?n) STR(?a)"""


def actor_questions() -> list[tuple[str, str]]:
    """(question, parameter): the saved questions asked about one actor, with no other parameter required.

    >>> ("commanders", "group") in actor_questions(), ("hostile-to-both", "x") in actor_questions()
    (True, False)
    """
    from kg.sparql.query import saved_queries

    out = []
    for name, saved in saved_queries().items():
        actors = [p for p in saved.params if p.kind == "actor"]
        others = [p for p in saved.params if p.required and p.kind != "actor"]
        required = [p for p in actors if p.required]
        if actors and not others and len(required) <= 1:
            out.append((name, (required or actors)[0].name))
    return out


def _as_key(iri: str) -> str:
    return f"<{iri}>"


class Canonical:
    """The parameters of a question with each actor given as the IRI it names, ``<IRI>`` (``resolve``: a
    name's IRI, or an error, which leaves the value as given for the question to report). Names are resolved
    once each."""

    def __init__(self, resolve: Callable[[str], str], size: int = 10_000) -> None:
        self.resolve = resolve
        self.size = size
        self._known: dict[str, str] = {}
        self._lock = threading.Lock()

    @classmethod
    def of_endpoint(cls, url: str, timeout: float) -> Canonical:
        """Names resolved by asking the SPARQL endpoint at ``url``."""
        from kg.sparql.query import resolve_actor
        from kg.sparql.source import Endpoint

        return cls(lambda text: resolve_actor(Endpoint(url, timeout=timeout), text).value)

    def params(self, saved: SavedQuery, params: dict[str, str], *, resolve: bool = True) -> dict[str, str] | None:
        """``params`` with each actor as ``<IRI>``; a name that cannot be resolved is left as given. With
        ``resolve=False``: ``None`` when a name was never resolved (no request is sent)."""
        from kg.errors import KGError
        from kg.sparql.query import _IRI_START

        kinds = {p.name: p.kind for p in saved.params}
        out = dict(params)
        for name, value in params.items():
            text = value.strip()
            if kinds.get(name) != "actor":
                continue
            if text.startswith("<") and text.endswith(">"):
                out[name] = text
                continue
            if _IRI_START.match(text):
                out[name] = _as_key(text)
                continue
            with self._lock:
                known = self._known.get(text)
            if known is None:
                if not resolve:
                    return None
                try:
                    known = _as_key(self.resolve(text))
                except KGError:
                    continue
                with self._lock:
                    if len(self._known) < self.size:
                        self._known[text] = known
            out[name] = known
        return out


def prepare_actors(answers: Answers, location: Path, *, max_rows: int = 0, stop: threading.Event | None = None) -> str:
    """Compute the answer of every :func:`actor_questions` question for every actor and claimant of the store
    at ``location`` and keep them in ``answers``, until they fill :data:`SHARE` of its budget; not one of more
    than ``max_rows`` rows (if given: the server refuses those). Returns what was done."""
    begin = time.perf_counter()
    ctx = multiprocessing.get_context("fork")
    recv, send = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_compute, args=(str(location), max_rows, send), daemon=True, name="kg-serve-actors")
    proc.start()
    send.close()
    kept = refused = 0
    full = False
    try:
        while stop is None or not stop.is_set():
            if not recv.poll(0.5):
                if not proc.is_alive() and not recv.poll(0):
                    break
                continue
            try:
                message = recv.recv()
            except EOFError:
                break
            if message is None:
                break
            name, param, actor, packed = message
            key = answer_key(name, {param: _as_key(actor)}, FORMAT)
            if answers.offer(key, packed, SHARE):
                kept += 1
            elif answers.kept(key) is None:
                refused += 1  # no room left for it: a smaller one may still fit, until the room is nearly full
                full = answers.size > 0.9 * SHARE * answers.budget
                if full:
                    break
    finally:
        if proc.is_alive():
            proc.kill()
        proc.join()
        recv.close()
    took = time.perf_counter() - begin
    return (f"{kept} answers about actors in {took:.0f} s"
            + ("; then half the memory for answers was full" if full else
               f"; {refused} did not fit in half the memory for answers" if refused else ""))


def _compute(location: str, max_rows: int, send: multiprocessing.connection.Connection) -> None:
    """In the child: every answer, sent as it is computed; ``None`` at the end."""
    from kg.errors import KGError

    with contextlib.suppress(BrokenPipeError, OSError):
        try:
            for message in _answers(Path(location), max_rows):
                send.send(message)
        except KGError as exc:  # the store could not be read: said once, and none prepared
            log.warning("no answers about actors prepared: %s", exc)
        send.send(None)


def _answers(location: Path, max_rows: int) -> Iterator[tuple[str, str, str, bytes]]:
    import pyoxigraph as ox

    from kg.errors import KGError
    from kg.sparql.answers import pack
    from kg.sparql.query import run_query
    from kg.sparql.store import GraphStore

    with GraphStore(location, read_only=True) as store:
        actors = [row[0].value for row in store.query(_ACTORS, "select").rows if isinstance(row[0], ox.NamedNode)]
        claimants = [row[0].value for row in store.query(_CLAIMANTS, "select").rows
                     if isinstance(row[0], ox.NamedNode)]
        everyone = list(dict.fromkeys([*actors, *claimants]))
        questions = actor_questions()
        for actor in everyone:
            for name, param in questions:
                try:
                    result = run_query(store, name, params={param: _as_key(actor)})
                except KGError as exc:
                    log.warning("the answer of %s about %s was not prepared: %s", name, actor, exc)
                    continue
                if not max_rows or len(result) <= max_rows:
                    yield name, param, actor, pack(result, FORMAT)
