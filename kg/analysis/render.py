"""The plain-text tables of an analysis report (:func:`kg.analysis.analyze`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def _actor_text(value: Mapping[str, Any]) -> str:
    return str(value["label"])


def _more(total: int | None, shown: int, what: str, indent: str = "  ") -> list[str]:
    """``… and N more WHAT (--top)`` when a list was cut."""
    if total is None or total <= shown:
        return []
    return [f"{indent}… and {total - shown} more {what} (--top {total} shows all)"]


def render(report: Mapping[str, Any]) -> str:
    """The plain-text tables of an :func:`~kg.analysis.analyze` report; a list cut by ``top`` ends with a line
    saying how many more there are.

    >>> from kg.analysis import analyze
    >>> from kg.network import network_from_triples
    >>> print(render(analyze(network_from_triples([("A", "alliedWith", "B")]), "blocs")))
    2 actors, 1 relations
    <BLANKLINE>
    alliance blocs
      1. A, B
    """
    lines = [f"{report['actors']} actors, {report['relations']} relations"]
    for measure, scores in (report.get("centrality") or {}).items():
        lines += ["", f"centrality: {measure}"]
        lines += [f"  {i:>3}. {s['score']:.4f}  {_actor_text(s['actor'])}" for i, s in enumerate(scores, 1)]
    if "blocs" in report:
        lines += ["", "alliance blocs"]
        if not report["blocs"]:
            lines.append("  (none)")
        for i, bloc in enumerate(report["blocs"], 1):
            lines.append(f"  {i}. " + ", ".join(_actor_text(a) for a in bloc["members"]))
            lines += [f"     hostile inside: {_actor_text(a)} / {_actor_text(b)}" for a, b in bloc["hostile"]]
            lines += _more(bloc.get("hostile_total"), len(bloc["hostile"]), "hostile pairs inside", "     ")
        lines += _more(report.get("blocs_total"), len(report["blocs"]), "blocs")
    if "balance" in report:
        bal = report["balance"]
        shown = len(bal["unbalanced"])
        missing = bal["triangles"] - bal["balanced"] - shown
        more = f"; the first {shown} unbalanced of {shown + missing}:" if missing else ""
        lines += ["", f"structural balance: {bal['balanced']} of {bal['triangles']} triangles balanced "
                      f"({bal['ratio']:.0%}){more}"]
        lines += [f"  unbalanced ({t['kind']}): {t['description']}" for t in bal["unbalanced"]]
    if "chains" in report:
        ch = report["chains"]
        lines += ["", f"command chains (deepest: {ch['depth']})"]
        for chain in ch["chains"]:
            lines.append(f"  {_actor_text(chain['root'])}: depth {chain['depth']}, {chain['members']} actors: "
                         + " → ".join(_actor_text(a) for a in chain["longest"]))
        lines += _more(ch.get("chains_total"), len(ch["chains"]), "chains")
        lines += ["  cycle (data problem): " + " → ".join(_actor_text(a) for a in (*c, c[0])) for c in ch["cycles"]]
        lines += _more(ch.get("cycles_total"), len(ch["cycles"]), "cycles")
    if "path" in report:
        lines += ["", f"path ({len(report['path']['steps'])} steps)", "  " + report["path"]["text"]]
    if "ego" in report:
        ego = report["ego"]
        lines += ["", f"ego network of {_actor_text(report['center'])}: {len(ego['actors'])} actors"]
        lines += [f"  {_actor_text(r['subject'])} —{r['relation']}{'—' if r['symmetric'] else '→'} "
                  f"{_actor_text(r['object'])}"
                  f"  ({r['sources']} source{'s' if r['sources'] != 1 else ''})" for r in ego["relations"]]
        lines += _more(ego.get("relations_total"), len(ego["relations"]), "relations")
    return "\n".join(lines)
