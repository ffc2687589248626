"""CSV as ACLED's dyadic tables: one row per (actor 1, relation, actor 2), and the node list beside it.

Columns are valid Python identifiers that are no attribute of a pandas ``DataFrame`` (so ``df.sources``
works; hence ``claim_flags``, not ``flags``). Each actor carries its ids: IRI, registry id, Wikidata QID,
UCDP id, ACLED category and its inter code (``inter1``/``inter2``, as ACLED names them).

Rows of the actor network are its edges. Rows of a directed projection (support, command) are its edges
in the projection's direction, their relations joined. Rows of an undirected projection (alliance, signed)
are the relations behind each pair, each as stated (subject first), with its own sign, symmetry, dates
and claimants; ``pair_sign`` and ``conflict`` give the pair's sign in the signed network.

>>> from kg.network import network_from_triples
>>> row = dyads(network_from_triples([("Haftar", "commands", "LNA")]))[0]
>>> row["actor1"], row["relation"], row["actor2"], row["sources"]
('Haftar', 'commands', 'LNA', 1)
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import networkx as nx

from kg.errors import ExportError
from kg.exports.scalars import SEPARATOR, inter_code

if TYPE_CHECKING:
    from kg.ontology import Ontology

_ACTOR = ("", "_ar", "_type", "_iri", "_id", "_wikidata", "_ucdp", "_acled")
DYAD_COLUMNS = (*(f"actor1{c}" for c in _ACTOR), "inter1", "relation", *(f"actor2{c}" for c in _ACTOR), "inter2",
                "sign", "symmetric", "sources", "first_reported", "last_reported", "claimants", "claim_flags",
                "articles", "pair_sign", "conflict")
NODE_COLUMNS = ("iri", "registry_id", "label", "label_en", "label_ar", "type", "aliases", "wikidata", "ucdp", "acled",
                "acled_inter", "lat", "lon")


def nodes_path(path: Path) -> Path:
    """Where the node list of a CSV export goes: ``NAME.nodes.csv`` beside ``NAME.csv``.

    >>> nodes_path(Path("out/network.csv")).as_posix()
    'out/network.nodes.csv'
    """
    return path.with_name(f"{path.stem}.nodes.csv")


def _actor(prefix: str, node: Any, data: Mapping[str, Any], ontology: Ontology | None) -> dict[str, Any]:
    number = prefix[-1]
    return {prefix: data.get("label", node), f"{prefix}_ar": data.get("label_ar") or "",
            f"{prefix}_type": data.get("type", ""), f"{prefix}_iri": data.get("iri", node),
            f"{prefix}_id": data.get("registry_id") or "", f"{prefix}_wikidata": data.get("wikidata") or "",
            f"{prefix}_ucdp": data.get("ucdp") or "", f"{prefix}_acled": data.get("acled") or "",
            f"inter{number}": inter_code(data.get("acled"), ontology)}


def _row(network: nx.Graph, u: Any, v: Any, d: Mapping[str, Any], relation: str, *, symmetric: bool,
         ontology: Ontology | None, pair: Mapping[str, Any] | None = None) -> dict[str, Any]:
    return {**_actor("actor1", u, network.nodes[u], ontology), **_actor("actor2", v, network.nodes[v], ontology),
            "relation": relation, "sign": d.get("sign", ""), "symmetric": symmetric,
            "sources": d.get("sources", 1), "first_reported": d.get("first") or "",
            "last_reported": d.get("last") or "", "claimants": SEPARATOR.join(d.get("claimants", ())),
            "claim_flags": SEPARATOR.join(d.get("flags", ())), "articles": SEPARATOR.join(d.get("articles", ())),
            "pair_sign": "" if pair is None else pair.get("sign", ""),
            "conflict": "" if pair is None or "conflict" not in pair else bool(pair["conflict"])}


def dyads(network: nx.Graph, *, ontology: Ontology | None = None) -> list[dict[str, Any]]:
    """The dyad rows of a network or projection (:data:`DYAD_COLUMNS`), sorted by actor 1, relation, actor 2."""
    rows = []
    for u, v, d in network.edges(data=True):
        if "ties" in d and not network.is_directed():
            rows += [_row(network, t["subject"], t["object"], t, str(t["relation"]), symmetric=bool(t["symmetric"]),
                          ontology=ontology, pair=d) for t in d["ties"]]
        elif "ties" in d:
            rows.append(_row(network, u, v, d, SEPARATOR.join(d.get("relations", ())), symmetric=False,
                             ontology=ontology))
        else:
            rows.append(_row(network, u, v, d, str(d.get("relation", "")), symmetric=bool(d.get("symmetric")),
                             ontology=ontology))
    return sorted(rows, key=lambda r: (str(r["actor1"]).casefold(), r["relation"], str(r["actor2"]).casefold(),
                                       r["actor1_iri"], r["actor2_iri"]))


def node_rows(network: nx.Graph, *, ontology: Ontology | None = None) -> list[dict[str, Any]]:
    """One row per node (:data:`NODE_COLUMNS`), sorted by IRI."""
    rows = []
    for node in sorted(network, key=str):
        data = network.nodes[node]
        rows.append({"iri": data.get("iri", node), "registry_id": data.get("registry_id") or "",
                     "label": data.get("label", node), "label_en": data.get("label_en") or "",
                     "label_ar": data.get("label_ar") or "", "type": data.get("type", ""),
                     "aliases": SEPARATOR.join(data.get("aliases") or ()), "wikidata": data.get("wikidata") or "",
                     "ucdp": data.get("ucdp") or "", "acled": data.get("acled") or "",
                     "acled_inter": inter_code(data.get("acled"), ontology),
                     "lat": data.get("lat", ""), "lon": data.get("lon", "")})
    return rows


def write_rows(path: Path, columns: tuple[str, ...], rows: list[dict[str, Any]]) -> Path:
    """Write rows as UTF-8 CSV with a header row."""
    try:
        with path.open("w", encoding="utf-8", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=columns, extrasaction="ignore")
            writer.writeheader()
            writer.writerows(rows)
    except OSError as exc:
        raise ExportError(f"cannot write {path}: {exc}") from None
    return path


def write_csv(network: nx.Graph, path: Path, *, ontology: Ontology | None = None) -> list[Path]:
    """Write the dyads to ``path`` and the nodes to :func:`nodes_path`; both paths.

    >>> import tempfile
    >>> from kg.network import network_from_triples
    >>> with tempfile.TemporaryDirectory() as d:
    ...     dyad_file, node_file = write_csv(network_from_triples([("A", "supports", "B")]), Path(d, "n.csv"))
    ...     node_file.read_text(encoding="utf-8").splitlines()[0]
    'iri,registry_id,label,label_en,label_ar,type,aliases,wikidata,ucdp,acled,acled_inter,lat,lon'
    """
    return [write_rows(path, DYAD_COLUMNS, dyads(network, ontology=ontology)),
            write_rows(nodes_path(path), NODE_COLUMNS, node_rows(network, ontology=ontology))]
