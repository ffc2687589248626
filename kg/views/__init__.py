"""Interactive HTML views of the actor network: one self-contained page, drawn with vis-network or, past
:data:`~kg.views.layout.WEBGL` actors, with WebGL (sigma.js and graphology).

A view is a single HTML file. Everything it needs is inline — vis-network (from the pyvis package) or
sigma.js and graphology (MIT, vendored in ``kg/views/vendor`` with their licences), the page's own script
and style, and the data — so it opens offline and requests nothing from anywhere (a Content-Security-Policy
in the page forbids it).

What the page shows is read from the ontology (``kg.ontology``): node colour and shape by actor type (or
by bloc: Leiden communities of the ties that do not divide), edge colour, dash and arrow by relation, the
labels of the legend. Aliases (``alsoKnownAs``) are merged into one actor, never drawn as edges. Positions
are computed in Python with igraph (``kg.views.layout``), so the page draws at once. Large views label only
their most central actors and, once zoomed in, the ones in sight; they keep the larger connected parts.
Legend checkboxes and a time slider (first and last reported) filter and re-fit the view, the counts and
the panel; the picture can be saved as PNG or SVG. Hovering shows a summary; clicking shows every
supporting quote with its character span, and the quote in its sentence (or article, given the texts).
Every label and quote goes into the page as text (DOM text nodes from JSON), never as HTML; names are
isolated (``<bdi>``) so "444th Brigade" reads right in an Arabic page.

Modules: ``page`` (write, show, the template), ``data`` (the page's columns and details), ``prepare``
(aliases, top actors, components, blocs), ``layout`` (positions), ``look`` (ontology look-ups, labels).

>>> import networkx as nx
>>> g = nx.MultiDiGraph()
>>> for key, name in (("a", "Khalifa Haftar"), ("b", "Libyan National Army")):
...     g.add_node(key, type="Person" if key == "a" else "ArmedGroup", label_en=name, label_ar="",
...                label=name, aliases=[], iri=key)
>>> _ = g.add_edge("a", "b", key="commands", relation="commands", symmetric=False, sign=0, sources=1,
...                articles=["art"], claimants=[], first="2016-07", last="2016-07",
...                evidence=[{"quote": "<script>alert(1)</script>", "title": "t", "url": "https://example.org"}])
>>> page = render_view(g)
>>> page.startswith("<!DOCTYPE html>") and "<script>alert(1)" not in page
True
"""

from kg.views.layout import LARGE, WEBGL, layout
from kg.views.look import script_json
from kg.views.page import LANGS, ViewSummary, iframe, render_view, show, write_view

__all__ = ["LANGS", "LARGE", "WEBGL", "ViewSummary", "iframe", "layout", "render_view", "script_json", "show",
           "write_view"]
