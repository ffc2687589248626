"""Tests of kg.views: selection and page data in Python, then the pages themselves in headless Chromium.

Browser tests need Chromium (``scripts/ensure-chromium``); without one they are skipped, except when
``CI=true``, where they fail.
"""

from __future__ import annotations

import json
import os
import random
import re
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from kg import build
from kg.cli import app
from kg.demo import seed_corpus
from kg.errors import KGError, ViewError
from kg.layout import LARGE, layout
from kg.network import actor_network, network_from_triples
from kg.ontology import load_ontology
from kg.sparql.store import GraphStore
from kg.views import render_view, script_json, select_network, show, write_view

XSS_CORPUS = Path(__file__).parent / "data" / "xss"
#: Text that is in the XSS fixture's quote; the page must show it as text.
XSS_QUOTE = "</script><b onmouseover=alert(1)>all night</b>"
DATA = re.compile(r'<script type="application/json" id="kg-data">(.*?)</script>', re.S)


def page_data(page: str) -> dict[str, Any]:
    match = DATA.search(page)
    assert match is not None
    return json.loads(match.group(1))  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def ontology():  # type: ignore[no-untyped-def]
    return load_ontology()


@pytest.fixture(scope="module")
def seed_store() -> GraphStore:
    store = GraphStore()
    report = build([seed_corpus()], store=store)
    assert report.ok, report.problems
    return store


@pytest.fixture(scope="module")
def seed_network(seed_store: GraphStore) -> Any:
    return actor_network(seed_store)


@pytest.fixture(scope="module")
def xss_store() -> GraphStore:
    store = GraphStore()
    report = build([XSS_CORPUS], store=store)
    assert report.ok, report.problems
    return store


# ------------------------------------------------------------------------------------------- python side


def test_script_json_cannot_close_the_script_element() -> None:
    value = {"q": "</script><script>alert(1)</script> & \u2028 \u2029 <!--"}
    text = script_json(value)
    assert not re.search("[<>&\u2028\u2029]", text)
    assert json.loads(text) == value


def test_page_is_self_contained(seed_network: Any) -> None:
    page = render_view(seed_network)
    assert page.startswith("<!DOCTYPE html>")
    assert not re.search(r"<(script|link|img|iframe)\b[^>]*\b(src|href)\s*=", page, re.I)
    assert "@import" not in page
    assert "Content-Security-Policy" in page
    assert "@license" in page  # vis-network's licence header is kept


def test_page_data_follows_graph_and_ontology(seed_network: Any, ontology: Any) -> None:
    data = page_data(render_view(seed_network))
    assert len(data["nodes"]) == seed_network.number_of_nodes()
    assert len(data["edges"]) == seed_network.number_of_edges()
    present = {d["relation"] for _, _, d in seed_network.edges(data=True)}
    assert {r["name"] for r in data["legend"]["relations"]} == present
    for term in data["legend"]["relations"]:
        t = ontology.term(term["name"])
        assert term["label_en"] == t.label_en and term["label_ar"] == t.label_ar
        assert term["colour"].lower() == str(t.colour).lower()
        if t.symmetric:
            assert not term["arrow"]
    for edge, info in zip(data["edges"], data["edgeInfo"], strict=True):
        term = ontology.term(info["relation"])
        assert edge["color"].lower() == str(term.colour).lower()
        assert edge.get("arrows") == ("to" if term.arrow and not term.symmetric else None)
        assert bool(edge.get("dashes")) == bool(term.dash)
        assert info["sources"] >= 1 and info["evidence"]
    groups = data["options"]["groups"]
    for name, group in groups.items():
        assert group["color"]["background"].lower() == str(ontology.term(name).colour).lower()
    assert data["options"]["physics"]["enabled"] is False
    assert all("x" in n and "y" in n for n in data["nodes"])


def test_labels_by_language(seed_network: Any) -> None:
    iri, attrs = next((n, d) for n, d in seed_network.nodes(data=True)  # short labels: no wrapping
                      if 0 < len(d.get("label_ar") or "") <= 26 and 0 < len(d.get("label_en") or "") <= 26)
    for lang, expected in (("en", attrs["label_en"]), ("ar", attrs["label_ar"]),
                           ("both", f"{attrs['label_en']}\n{attrs['label_ar']}")):
        page = render_view(seed_network, lang=lang)
        data = page_data(page)
        labels = {info["iri"]: node["label"] for node, info in zip(data["nodes"], data["nodeInfo"], strict=True)}
        assert labels[iri] == expected
    assert '<html lang="ar" dir="rtl">' in render_view(seed_network, lang="ar")
    with pytest.raises(ViewError):
        render_view(seed_network, lang="fr")


def test_untrusted_text_never_appears_raw(xss_store: GraphStore) -> None:
    page = render_view(actor_network(xss_store))
    body = DATA.search(page).group(1)  # type: ignore[union-attr]
    assert "<" not in body and ">" not in body and "\u2028" not in body
    assert "window.kgPwned" in body  # the payloads are there, escaped
    assert XSS_QUOTE in page_data(page)["edgeInfo"][0]["evidence"][0]["quote"]


def test_large_views_have_positions_and_no_physics(ontology: Any) -> None:
    rnd = random.Random(3)
    relations = ["alliedWith", "supports", "commands", "hostileTo"]
    triples = [(f"a{rnd.randrange(600)}", rnd.choice(relations), f"a{rnd.randrange(600)}") for _ in range(1200)]
    net = network_from_triples([t for t in triples if t[0] != t[2]])
    data = page_data(render_view(net))
    assert data["large"] is True and len(data["nodes"]) > LARGE
    assert data["options"]["physics"]["enabled"] is False
    assert data["options"]["edges"]["smooth"]["enabled"] is False
    assert all("smooth" not in e for e in data["edges"])
    xs = {(n["x"], n["y"]) for n in data["nodes"]}
    assert len(xs) == len(data["nodes"])  # every node placed, no two on the same spot


def test_layout_is_deterministic() -> None:
    net = network_from_triples([("a", "alliedWith", "b"), ("b", "supports", "c"), ("c", "hostileTo", "d")])
    order = sorted(net)
    assert layout(net, order) == layout(net, order)
    pair = network_from_triples([("a", "alliedWith", "b")])
    (ax, ay), (bx, by) = layout(pair, sorted(pair))
    assert 100 < abs(ax - bx) + abs(ay - by) < 1000


def test_select_network_filters(seed_network: Any) -> None:
    only = select_network(seed_network, relations=["commands"])
    assert only.number_of_edges() > 0
    assert {d["relation"] for _, _, d in only.edges(data=True)} == {"commands"}
    assert all(only.degree(n) > 0 for n in only)
    people = select_network(seed_network, actor_types=["Person"])
    assert {d["type"] for _, d in people.nodes(data=True)} == {"Person"}
    assert select_network(seed_network, min_sources=99).number_of_nodes() == 0
    assert select_network(seed_network, until="1990").number_of_nodes() == 0
    # every claim is reported in 2016 and dated then, but the hostility of the 2011 war, which is dated 2011
    since_2016 = select_network(seed_network, since="2016")
    assert since_2016.number_of_edges() == seed_network.number_of_edges() - 1
    assert {d["relation"] for _, _, d in seed_network.edges(data=True)} - {
        d["relation"] for _, _, d in since_2016.edges(data=True)} <= {"hostileTo"}
    with pytest.raises(KGError, match="unknown relation"):
        select_network(seed_network, relations=["comands"])
    with pytest.raises(KGError):
        select_network(seed_network, since="July 2016")


def test_ego_view_by_label_in_either_language(seed_network: Any) -> None:
    hub, attrs = max(seed_network.nodes(data=True), key=lambda nd: seed_network.degree(nd[0]))
    by_en = select_network(seed_network, center=attrs["label_en"], depth=1)
    by_ar = select_network(seed_network, center=attrs["label_ar"], depth=1)
    by_iri = select_network(seed_network, center=hub, depth=1)
    assert set(by_en) == set(by_ar) == set(by_iri)
    assert by_en.graph["center"] == hub
    neighbours = set(seed_network.pred[hub]) | set(seed_network.succ[hub]) | {hub}
    assert set(by_en) == neighbours
    assert set(select_network(seed_network, center=hub, depth=0)) == {hub}
    data = page_data(render_view(by_en))
    assert data["center"] and data["nodeInfo"][data["center"][0]]["iri"] == hub


def test_unknown_centre_lists_close_labels(seed_network: Any) -> None:
    with pytest.raises(KGError, match="Khalifa Haftar"):
        select_network(seed_network, center="Khalifa Hafter")


def test_write_view_from_store(seed_store: GraphStore, tmp_path: Path) -> None:
    summary = write_view(seed_store, tmp_path / "v.html", relations=["commands", "supports"])
    assert summary.path == tmp_path / "v.html" and summary.bytes == (tmp_path / "v.html").stat().st_size
    assert set(summary.relations) <= {"commands", "supports", "loyalTo"}
    assert summary.nodes > 0 and summary.edges == sum(summary.relations.values())
    with pytest.raises(ViewError, match="nothing to draw"):
        write_view(seed_store, tmp_path / "w.html", min_sources=50)


def test_show_embeds_the_page_escaped(seed_network: Any) -> None:
    shown = show(seed_network, height=500)
    text = shown.data
    assert text.startswith('<div class="kg-view"><iframe srcdoc="') and "height:500px" in text
    srcdoc = text[text.index('srcdoc="') + 8:text.index('" sandbox=')]
    assert "<" not in srcdoc and '"' not in srcdoc


def test_cli_view(seed_store: GraphStore, tmp_path: Path) -> None:
    store_dir = tmp_path / "store"
    with GraphStore(store_dir) as disk:
        build([seed_corpus()], store=disk)
    runner = CliRunner()
    out = tmp_path / "view.html"
    result = runner.invoke(app, ["view", "--store", str(store_dir), "-o", str(out), "--lang", "ar",
                                 "--relations", "commands,alliedWith"])
    assert result.exit_code == 0, result.output
    assert out.exists() and "wrote" in result.stdout
    bad = runner.invoke(app, ["view", "--store", str(store_dir), "-o", str(tmp_path / "x.html"),
                              "--center", "Khalifa Hafter"])
    assert bad.exit_code == 1
    assert bad.stderr.count("\n") == 1 and "Khalifa Haftar" in bad.stderr
    assert not (tmp_path / "x.html").exists()


# ------------------------------------------------------------------------------------------ in a browser


@pytest.fixture(scope="module")
def browser():  # type: ignore[no-untyped-def]
    from browser import Browser, chromium_path

    executable = chromium_path()
    if executable is None:
        message = "no Chromium at /usr/bin/chromium or $KG_CHROMIUM: run scripts/ensure-chromium"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    b = Browser(executable)
    yield b
    b.close()


def test_seed_view_in_browser(browser: Any, seed_network: Any, tmp_path: Path) -> None:
    path = tmp_path / "seed.html"
    write_view(seed_network, path)
    with browser.open(path) as (page, log):
        counts = page.evaluate("""() => ({
            nodes: kgView.nodes.length, edges: kgView.edges.length,
            drawnNodes: kgView.network.body.nodeIndices.length,
            drawnEdges: kgView.network.body.edgeIndices.length,
            legend: [...document.querySelectorAll('#kg-legend-relations li')].map(li => li.dataset.name),
            types: [...document.querySelectorAll('#kg-legend-types li')].map(li => li.dataset.name)})""")
        page.screenshot(path=str(tmp_path / "seed.png"))
    assert log.console_errors == [] and log.page_errors == []
    assert log.foreign_requests(path.resolve().as_uri()) == []
    assert counts["nodes"] == counts["drawnNodes"] == seed_network.number_of_nodes()
    assert counts["edges"] == counts["drawnEdges"] == seed_network.number_of_edges()
    assert set(counts["legend"]) == {d["relation"] for _, _, d in seed_network.edges(data=True)}
    assert set(counts["types"]) == {d["type"] for _, d in seed_network.nodes(data=True)}
    assert (tmp_path / "seed.png").stat().st_size > 20_000


def test_arabic_view_in_browser(browser: Any, seed_network: Any, tmp_path: Path) -> None:
    path = tmp_path / "ar.html"
    write_view(seed_network, path, lang="ar")
    with browser.open(path) as (page, log):
        direction = page.evaluate("getComputedStyle(document.body).direction")
        font_ok = page.evaluate("document.fonts.check('16px \"Noto Sans Arabic\"', 'فاعل')")
        page.screenshot(path=str(tmp_path / "ar.png"))
    assert direction == "rtl" and font_ok
    assert log.console_errors == [] and log.page_errors == []


def test_filters_and_search_in_browser(browser: Any, seed_network: Any, tmp_path: Path) -> None:
    path = tmp_path / "filters.html"
    write_view(seed_network, path)
    relation = max({d["relation"] for _, _, d in seed_network.edges(data=True)},
                   key=lambda r: sum(1 for *_, d in seed_network.edges(data=True) if d["relation"] == r))
    n_relation = sum(1 for *_, d in seed_network.edges(data=True) if d["relation"] == relation)
    with browser.open(path) as (page, log):
        page.click(f'#kg-legend-relations input[data-name="{relation}"]')
        visible = page.evaluate("kgView.visibleEdges.length")
        drawn = page.evaluate("kgView.network.body.edgeIndices.length")
        assert visible == drawn == seed_network.number_of_edges() - n_relation
        page.click(f'#kg-legend-relations input[data-name="{relation}"]')
        assert page.evaluate("kgView.visibleEdges.length") == seed_network.number_of_edges()
        page.click("#kg-physics")  # live layout on and off again
        page.wait_for_timeout(300)
        page.click("#kg-physics")
        _hub, attrs = max(seed_network.nodes(data=True), key=lambda nd: seed_network.degree(nd[0]))
        page.fill("#kg-search", attrs["label_en"])
        page.press("#kg-search", "Enter")
        page.wait_for_timeout(400)
        selected = page.evaluate("kgView.network.getSelectedNodes().length")
        panel = page.inner_text("#kg-panel")
    assert log.console_errors == [] and log.page_errors == []
    assert selected >= 1
    assert attrs["label_en"] in panel and attrs["label_ar"] in panel


def test_script_payloads_stay_text(browser: Any, xss_store: GraphStore, tmp_path: Path) -> None:
    from browser import edge_point

    path = tmp_path / "xss.html"
    write_view(xss_store, path, title="XSS fixture")
    with browser.open(path) as (page, log):
        assert page.evaluate("kgView.edges.length") == 1
        x, y = edge_point(page, 0)
        page.mouse.move(x, y)
        page.wait_for_timeout(300)
        tooltip = page.inner_text("#kg-tooltip")
        page.mouse.click(x, y)
        panel = page.inner_text("#kg-panel")
        injected = page.evaluate("""() => ({
            pwned: typeof window.kgPwned, title: document.title,
            elements: document.querySelectorAll('#kg-panel img, #kg-panel script, #kg-panel b, #kg-panel svg, '
                                                + '#kg-tooltip *:not(div)').length,
            links: [...document.querySelectorAll('#kg-panel a')].map(a => a.getAttribute('href'))})""")
        # a node's panel (labels and aliases are payloads too)
        page.evaluate("kgView.showNode(0)")
        node_panel = page.inner_text("#kg-panel")
        after = page.evaluate("[typeof window.kgPwned, document.title, document.querySelectorAll('img').length]")
        page.screenshot(path=str(tmp_path / "xss.png"))
    assert injected["pwned"] == "undefined" and injected["title"] == "XSS fixture"
    assert injected["elements"] == 0 and injected["links"] == []  # javascript: URL not made a link
    assert XSS_QUOTE in panel
    assert "<script>window.kgPwned=7" in panel  # the article title, as text
    assert "onerror" in tooltip or "kgPwned" in tooltip
    assert "<script>window.kgPwned=1" in node_panel or "<img src=x" in node_panel
    assert after == ["undefined", "XSS fixture", 0]
    assert log.dialogs == [] and log.page_errors == [] and log.console_errors == []
    assert log.foreign_requests(path.resolve().as_uri()) == []


def test_large_view_draws_quickly(browser: Any, tmp_path: Path) -> None:
    rnd = random.Random(5)
    relations = ["alliedWith", "supports", "commands", "hostileTo"]
    triples = [(f"a{rnd.randrange(2000)}", rnd.choice(relations), f"a{rnd.randrange(2000)}") for _ in range(4000)]
    net = network_from_triples([t for t in triples if t[0] != t[2]])
    path = tmp_path / "large.html"
    write_view(net, path)
    seconds = browser.time_to_draw(path, timeout=30)
    assert seconds is not None and seconds < 8.0  # stock pyvis settings take minutes here


def test_notebook_iframe_draws(browser: Any, seed_network: Any, tmp_path: Path) -> None:
    host = tmp_path / "notebook.html"
    host.write_text(f"<!DOCTYPE html><html><body>{show(seed_network, height=600).data}</body></html>",
                    encoding="utf-8")
    with browser.open(host, wait=False) as (page, log):
        frame = page.frames[1]
        for _ in range(200):
            if frame.evaluate("Boolean(window.kgView && window.kgView.drawn)"):
                break
            page.wait_for_timeout(50)
        counts = frame.evaluate("[kgView.nodes.length, kgView.edges.length]")
    assert counts == [seed_network.number_of_nodes(), seed_network.number_of_edges()]
    assert log.console_errors == [] and log.page_errors == []
    assert log.foreign_requests(host.resolve().as_uri()) == []


def test_date_window_is_the_same_from_a_store_or_from_a_network(seed_store):
    from kg.network import actor_network

    network = actor_network(seed_store)
    for since, until in (("2016", None), (None, "2011"), ("2016-06", "2016-06")):
        from_store = select_network(actor_network(seed_store, since=since, until=until))
        from_network = select_network(network, since=since, until=until)
        assert set(from_store.edges(keys=True)) == set(from_network.edges(keys=True)), (since, until)
