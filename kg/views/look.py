"""How a view draws what the ontology names, and the helpers both page kinds share: labels, colours,
JSON safe inside ``<script>``.

>>> _shade("#808080", 0.5)
'#404040'
>>> display_label({"label_en": "444th Brigade", "label_ar": "اللواء 444"}, "both")
'444th Brigade\\nاللواء 444'
"""

from __future__ import annotations

import json
import re
import textwrap
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kg.ontology import Ontology

#: Fonts with Latin and Arabic glyphs (Noto from fonts-noto-core; DejaVu and the rest as fallbacks).
FONT_STACK = ('"Noto Sans", "Noto Sans Arabic", "Noto Naskh Arabic", "DejaVu Sans", "Segoe UI", Tahoma, '
              "Arial, sans-serif")
#: vis-network shapes whose size is set by ``size`` (the others size to their label).
SIZED_SHAPES = {"dot", "square", "triangle", "triangleDown", "diamond", "star", "hexagon"}
LABEL_SHAPES = {"box", "ellipse", "circle", "database", "text"}
#: Labels are wrapped at about this many characters a line.
WRAP = 26
DEFAULT_COLOUR = "#8c8c8c"
#: Bloc colours (Tableau 10 and two more), the largest bloc first; the page draws smaller blocs grey.
BLOC_COLOURS = ("#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7",
                "#9c755f", "#17becf", "#bcbd22", "#7f7f7f")
_JSON_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
_COLOUR = re.compile(r"#[0-9a-fA-F]{3}([0-9a-fA-F]{3})?")


def ontology_or_default(ontology: Ontology | None = None) -> Ontology:
    if ontology is not None:
        return ontology
    from kg.ontology import load_ontology

    return load_ontology()


def look(ontology: Ontology, name: str) -> dict[str, Any]:
    """How the ontology draws a type or relation: colour, shape, dash, arrow, labels."""
    from kg.errors import OntologyError

    try:
        term = ontology.term(name)
    except OntologyError:  # a type outside the ontology is drawn plainly
        return {"colour": DEFAULT_COLOUR, "shape": "dot", "dash": False, "arrow": True, "symmetric": False,
                "label_en": name, "label_ar": ""}
    colour = term.colour or DEFAULT_COLOUR
    return {
        "colour": colour if _COLOUR.fullmatch(colour) else DEFAULT_COLOUR,
        "shape": term.shape or "dot", "dash": [8, 6] if term.dash else False, "arrow": bool(term.arrow),
        "symmetric": bool(term.symmetric), "label_en": term.label_en or name, "label_ar": term.label_ar or "",
    }


def shape(ontology: Ontology, name: str) -> str:
    drawn = look(ontology, name)["shape"]
    return drawn if drawn in SIZED_SHAPES | LABEL_SHAPES else "dot"


def legend_term(ontology: Ontology, name: str) -> dict[str, Any]:
    term = look(ontology, name)
    return {"name": name, "label_en": term["label_en"], "label_ar": term["label_ar"], "colour": term["colour"],
            "dash": term["dash"], "arrow": term["arrow"] and not term["symmetric"]}


def node_colour(colour: str) -> dict[str, Any]:
    """vis-network's colour record for a node of ``colour``."""
    border = _shade(colour, 0.65)
    return {"background": colour, "border": border,
            "highlight": {"background": _shade(colour, 1.15), "border": "#111111"},
            "hover": {"background": _shade(colour, 1.1), "border": border}}


def _shade(colour: str, factor: float) -> str:
    value = colour.lstrip("#")
    if len(value) == 3:
        value = "".join(c * 2 for c in value)
    rgb = [int(value[i:i + 2], 16) for i in (0, 2, 4)]
    rgb = [max(0, min(255, round(c * factor if factor <= 1 else c + (255 - c) * (factor - 1)))) for c in rgb]
    return "#" + "".join(f"{c:02x}" for c in rgb)


def display_label(data: Mapping[str, Any], lang: str = "en", node: Any = "") -> str:
    """A node's label in ``lang`` (``both``: English, then Arabic on a second line)."""
    en, ar = str(data.get("label_en") or ""), str(data.get("label_ar") or "")
    fallback = str(data.get("label") or en or ar or str(node).rstrip("/").rsplit("/", 1)[-1])
    if lang == "ar":
        return ar or fallback
    if lang == "both" and en and ar and en != ar:
        return f"{en}\n{ar}"
    return en or fallback


def wrap(label: str) -> str:
    """Break long label lines on spaces (each language stays on its own lines)."""
    return "\n".join(part for line in label.split("\n") for part in (textwrap.wrap(line, WRAP) or [line]))


def script_json(value: Any) -> str:
    """JSON that is safe inside an HTML ``<script>`` element: ``<``, ``>``, ``&``, U+2028/9 escaped.

    >>> script_json({"q": "</script><b>&"})
    '{"q":"\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e\\\\u0026"}'
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return re.sub("[<>&\u2028\u2029]", lambda m: _JSON_ESCAPES[m.group()], text)
