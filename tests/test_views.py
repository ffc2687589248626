"""Tests of kg.views: page data in Python, then both page kinds (vis-network and WebGL) in headless Chromium.

Browser tests need Chromium (``scripts/ensure-chromium``); without one they are skipped, except when
``CI=true``, where they fail.
"""

from __future__ import annotations

import base64
import gzip
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
from kg.network import actor_network, network_from_triples
from kg.network.selection import Selection, select
from kg.ontology import load_ontology
from kg.sparql.store import GraphStore
from kg.views import LARGE, WEBGL, layout, render_view, script_json, show, write_view
from kg.views.prepare import blocs, keep_top, main_components, merge_aliases

XSS_CORPUS = Path(__file__).parent / "data" / "xss"
#: Text that is in the XSS fixture's quote; the page must show it as text.
XSS_QUOTE = "</script><b onmouseover=alert(1)>all night</b>"
DATA = re.compile(r'<script type="application/json" id="kg-data">(.*?)</script>', re.S)
DETAIL = re.compile(r'<script type="[^"]+" id="kg-detail" data-encoding="(\w+)">(.*?)</script>', re.S)
KINDS = ("vis", "webgl")


def page_data(page: str) -> dict[str, Any]:
    match = DATA.search(page)
    assert match is not None
    return json.loads(match.group(1))  # type: ignore[no-any-return]


def page_detail(page: str) -> dict[str, Any]:
    match = DETAIL.search(page)
    assert match is not None
    body = match.group(2)
    if match.group(1) == "gzip":
        body = gzip.decompress(base64.b64decode(body)).decode("utf-8")
    return json.loads(body)  # type: ignore[no-any-return]


def corpus_texts(root: Path) -> dict[str, str]:
    """Article IRI → text, as the store names the articles."""
    from kg.mapping.rdf import article_iri
    from kg.reading.corpus import open_corpus, read_article

    corpus = open_corpus(root)
    out = {}
    for files in corpus.files:
        article = read_article(files, corpus.config)
        out[article_iri(article.id, corpus.config.base)] = article.text
    return out


def brigade_network() -> Any:
    """A name that starts with digits, beside Arabic: "444th Brigade" / "اللواء 444"."""
    net = network_from_triples([("444th Brigade", "hostileTo", "Ghneiwa"), ("Ghneiwa", "alliedWith", "Radaa")])
    net.nodes["444th Brigade"]["label_ar"] = "اللواء 444"
    net.nodes["Ghneiwa"]["label_ar"] = "غنيوة"
    return net


def random_network(n: int, m: int, seed: int) -> Any:
    rnd = random.Random(seed)
    relations = ["alliedWith", "supports", "commands", "hostileTo"]
    triples = [(f"a{rnd.randrange(n)}", rnd.choice(relations), f"a{rnd.randrange(n)}") for _ in range(m)]
    return network_from_triples([t for t in triples if t[0] != t[2]])


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


@pytest.mark.parametrize("kind", KINDS)
def test_page_is_self_contained(seed_network: Any, kind: str) -> None:
    page = render_view(seed_network, renderer=kind)
    assert page.startswith("<!DOCTYPE html>")
    assert not re.search(r"<(script|link|img|iframe)\b[^>]*\b(src|href)\s*=", page, re.I)
    assert "@import" not in page
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    assert "@license" in page  # vis-network's, sigma's and graphology's licences are kept
    if kind == "webgl":
        assert "Alexis Jacomy" in page and "Guillaume Plique" in page


def test_vendored_libraries_have_their_licences() -> None:
    vendor = Path(__file__).parent.parent / "kg" / "views" / "vendor"
    for name in ("sigma", "graphology"):
        assert (vendor / f"{name}.LICENSE.txt").read_text().count("MIT") or "Permission is hereby granted" in (
            vendor / f"{name}.LICENSE.txt").read_text()
    assert {p.name for p in vendor.glob("*.js")} == {"sigma.min.js", "graphology.umd.min.js"}


def test_page_data_follows_graph_and_ontology(seed_network: Any, ontology: Any) -> None:
    data = page_data(render_view(seed_network))
    assert data["webgl"] is False
    assert len(data["nodes"]["x"]) == seed_network.number_of_nodes()
    assert len(data["edges"]["from"]) == seed_network.number_of_edges()
    present = {d["relation"] for _, _, d in seed_network.edges(data=True)}
    assert {r["name"] for r in data["relations"]} == present
    for term in data["relations"]:
        t = ontology.term(term["name"])
        assert term["label_en"] == t.label_en and term["label_ar"] == t.label_ar
        assert term["colour"].lower() == str(t.colour).lower()
        if t.symmetric:
            assert not term["arrow"]
    for term in data["types"]:
        assert term["vis"]["background"].lower() == str(ontology.term(term["name"]).colour).lower()
    assert sum(t["count"] for t in data["types"]) == seed_network.number_of_nodes()
    assert data["options"]["physics"]["enabled"] is False
    assert sum(b["count"] for b in data["blocs"]) <= seed_network.number_of_nodes()


def test_labels_by_language(seed_network: Any) -> None:
    iri, attrs = next((n, d) for n, d in seed_network.nodes(data=True)  # short labels: no wrapping
                      if 0 < len(d.get("label_ar") or "") <= 26 and 0 < len(d.get("label_en") or "") <= 26)
    for lang, expected in (("en", attrs["label_en"]), ("ar", attrs["label_ar"]),
                           ("both", f"{attrs['label_en']}\n{attrs['label_ar']}")):
        page = render_view(seed_network, lang=lang)
        data, detail = page_data(page), page_detail(page)
        labels = dict(zip(detail["nodes"]["iri"], data["nodes"]["label"], strict=True))
        assert labels[iri] == expected
    assert '<html lang="ar" dir="rtl">' in render_view(seed_network, lang="ar")
    with pytest.raises(ViewError):
        render_view(seed_network, lang="fr")
    with pytest.raises(ViewError):
        render_view(seed_network, renderer="canvas")


@pytest.mark.parametrize("kind", KINDS)
def test_untrusted_text_never_appears_raw(xss_store: GraphStore, kind: str) -> None:
    page = render_view(actor_network(xss_store), renderer=kind, texts=corpus_texts(XSS_CORPUS))
    for pattern in (DATA, DETAIL):
        body = pattern.search(page).group(pattern.groups)  # type: ignore[union-attr]
        assert "<" not in body and ">" not in body and "\u2028" not in body
    detail = page_detail(page)
    assert "window.kgPwned" in json.dumps(detail, ensure_ascii=False)  # the payloads are there, escaped
    assert XSS_QUOTE in detail["edges"]["evidence"][0][0]["quote"]
    assert detail["texts"] and XSS_QUOTE in next(iter(detail["texts"].values()))["t"]


def test_evidence_carries_its_span(seed_network: Any) -> None:
    detail = page_detail(render_view(seed_network))
    evidence = [e for items in detail["edges"]["evidence"] for e in items]
    assert evidence and all(len(e["span"]) == 2 and e["span"][0] < e["span"][1] for e in evidence)


def test_article_texts_hold_the_quotes_at_their_spans(seed_network: Any) -> None:
    detail = page_detail(render_view(seed_network, texts=corpus_texts(seed_corpus())))
    for items in detail["edges"]["evidence"]:
        for e in items:
            text = detail["texts"][str(e["a"])]
            assert text["t"][e["span"][0] - text["o"]:e["span"][1] - text["o"]] == e["quote"]


def test_long_article_texts_keep_the_paragraphs_around_the_quotes(seed_network: Any,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    import kg.views.data

    texts = corpus_texts(seed_corpus())
    monkeypatch.setattr(kg.views.data, "TEXT_BUDGET", 10)
    detail = page_detail(render_view(seed_network, texts=texts))
    for items in detail["edges"]["evidence"]:
        for e in items:
            text = detail["texts"][str(e["a"])]
            assert text["t"][e["span"][0] - text["o"]:e["span"][1] - text["o"]] == e["quote"]
    assert sum(len(t["t"]) for t in detail["texts"].values()) <= sum(len(t) for t in texts.values())


def test_large_vis_views_have_positions_and_no_physics() -> None:
    data = page_data(render_view(random_network(600, 1200, 3)))
    assert data["large"] is True and data["webgl"] is False and len(data["nodes"]["x"]) > LARGE
    assert data["options"]["physics"]["enabled"] is False
    assert data["options"]["edges"]["smooth"]["enabled"] is False
    assert not any(data["edges"]["curve"])
    points = set(zip(data["nodes"]["x"], data["nodes"]["y"], strict=True))
    assert len(points) == len(data["nodes"]["x"])  # every node placed, no two on the same spot


def test_layout_is_deterministic() -> None:
    net = network_from_triples([("a", "alliedWith", "b"), ("b", "supports", "c"), ("c", "hostileTo", "d")])
    order = sorted(net)
    assert layout(net, order) == layout(net, order)
    pair = network_from_triples([("a", "alliedWith", "b")])
    (ax, ay), (bx, by) = layout(pair, sorted(pair))
    assert 100 < abs(ax - bx) + abs(ay - by) < 1000


def test_aliases_are_merged_not_drawn() -> None:
    net = network_from_triples([("LNA", "alsoKnownAs", "Haftar's forces"), ("Haftar", "commands", "LNA"),
                                ("LNA", "hostileTo", "BDB"), ("Haftar's forces", "controls", "Benghazi")])
    data = page_data(render_view(net))
    detail = page_detail(render_view(net))
    assert "alsoKnownAs" not in {r["name"] for r in data["relations"]}
    assert len(data["nodes"]["x"]) == 4
    lna = detail["nodes"]["iri"].index("LNA")
    assert "Haftar's forces" in detail["nodes"]["aliases"][lna] and detail["nodes"]["merged"][lna] == ["Haftar's forces"]
    assert merge_aliases(network_from_triples([("a", "commands", "b")])).number_of_nodes() == 2


def test_top_keeps_the_most_connected() -> None:
    net = network_from_triples([("hub", "commands", x) for x in "abcdef"] + [("a", "alliedWith", "b")])
    top = keep_top(net, 3)
    assert set(top) == {"hub", "a", "b"}
    assert len(page_data(render_view(net, top=3))["nodes"]["x"]) == 3
    with pytest.raises(ViewError):
        keep_top(net, 0)


def test_main_components_and_blocs() -> None:
    net = network_from_triples([("a", "alliedWith", "b"), ("b", "alliedWith", "c"), ("c", "supports", "a"),
                                ("d", "alliedWith", "e"), ("e", "supports", "f"), ("f", "alliedWith", "d"),
                                ("a", "hostileTo", "d"), ("x", "alliedWith", "y")])
    kept, left_out = main_components(net)
    assert set(kept) == set("abcdef") and left_out == 2
    order = sorted(kept)
    parts = blocs(kept, order)
    assert parts == blocs(kept, order)  # the same every run
    assert parts[order.index("a")] == parts[order.index("b")] != parts[order.index("d")]  # hostility divides


def test_webgl_page_past_the_threshold() -> None:
    net = random_network(WEBGL + 400, 2 * WEBGL, 4)
    summary_page = render_view(net)
    data = page_data(summary_page)
    assert data["webgl"] is True and "sigma" in summary_page and "vis.Network" not in summary_page
    assert "label" not in data["nodes"] and len(data["central"]) > 0
    assert DETAIL.search(summary_page).group(1) == "gzip"  # type: ignore[union-attr]


def test_selection_select_centre_and_depth(seed_network: Any) -> None:
    hub, attrs = max(seed_network.nodes(data=True), key=lambda nd: seed_network.degree(nd[0]))
    by_en = select(seed_network, Selection(center=attrs["label_en"], depth=1))
    by_ar = select(seed_network, Selection(center=attrs["label_ar"], depth=1))
    assert set(by_en) == set(by_ar) and by_en.graph["center"] == hub
    assert set(by_en) == set(seed_network.pred[hub]) | set(seed_network.succ[hub]) | {hub}
    assert set(select(seed_network, Selection(center=hub, depth=0))) == {hub}
    data = page_data(render_view(by_en))
    assert data["center"] and page_detail(render_view(by_en))["nodes"]["iri"][data["center"][0]] == hub
    with pytest.raises(KGError, match="Khalifa Haftar"):
        select(seed_network, Selection(center="Khalifa Hafter"))


def test_write_view_from_store_filters_once(seed_store: GraphStore, tmp_path: Path) -> None:
    selection = Selection(relations=("commands", "supports"), since="2016")
    summary = write_view(seed_store, tmp_path / "v.html", selection)
    assert summary.path == tmp_path / "v.html" and summary.bytes == (tmp_path / "v.html").stat().st_size
    expected = actor_network(seed_store, selection)
    assert summary.nodes == expected.number_of_nodes() and summary.edges == expected.number_of_edges()
    assert set(summary.relations) <= {"commands", "supports", "loyalTo"} and not summary.webgl
    with pytest.raises(ViewError, match="nothing to draw"):
        write_view(seed_store, tmp_path / "w.html", Selection(min_sources=50))
    # a network in hand is filtered by the one selection code, as the store is
    in_hand = write_view(actor_network(seed_store), tmp_path / "x.html", selection)
    assert (in_hand.nodes, in_hand.edges) == (summary.nodes, summary.edges)
    ego = write_view(seed_store, tmp_path / "ego.html", Selection(center="Khalifa Haftar", depth=1))
    assert 1 < ego.nodes < summary.nodes + 10


def test_show_embeds_the_page_escaped(seed_network: Any) -> None:
    text = show(seed_network, height=500).data
    assert text.startswith('<div class="kg-view"><iframe srcdoc="') and "height:500px" in text
    assert "allow-downloads" in text
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


def clean(log: Any, path: Path) -> None:
    assert log.console_errors == [] and log.page_errors == [] and log.dialogs == []
    assert log.foreign_requests(path.resolve().as_uri()) == []


@pytest.mark.parametrize("kind", KINDS)
def test_seed_view_in_browser(browser: Any, seed_network: Any, tmp_path: Path, kind: str) -> None:
    path = tmp_path / f"seed-{kind}.html"
    write_view(seed_network, path, renderer=kind)
    with browser.open(path) as (page, log):
        counts = page.evaluate("""() => ({
            shown: [kgView.shown.nodes, kgView.shown.edges], kind: kgView.renderer.kind,
            drawn: kgView.network ? [kgView.network.body.nodeIndices.length, kgView.network.body.edgeIndices.length]
                                  : [kgView.graph.order, kgView.graph.size],
            legend: [...document.querySelectorAll('#kg-legend-relations li')].map(li => li.dataset.name),
            types: [...document.querySelectorAll('#kg-legend-types li')].map(li => li.dataset.name)})""")
        page.screenshot(path=str(tmp_path / "seed.png"))
    clean(log, path)
    assert counts["kind"] == kind
    expected = [seed_network.number_of_nodes(), seed_network.number_of_edges()]
    assert counts["shown"] == counts["drawn"] == expected
    assert set(counts["legend"]) == {d["relation"] for _, _, d in seed_network.edges(data=True)}
    assert set(counts["types"]) == {d["type"] for _, d in seed_network.nodes(data=True)}
    assert (tmp_path / "seed.png").stat().st_size > 20_000


def test_arabic_view_in_browser(browser: Any, seed_network: Any, tmp_path: Path) -> None:
    path = tmp_path / "ar.html"
    write_view(seed_network, path, lang="ar")
    with browser.open(path) as (page, log):
        direction = page.evaluate("getComputedStyle(document.body).direction")
        font_ok = page.evaluate("document.fonts.check('16px \"Noto Sans Arabic\"', 'فاعل')")
    assert direction == "rtl" and font_ok
    clean(log, path)


def _camera(page: Any) -> Any:
    return page.evaluate("""() => kgView.network ? [kgView.network.getScale(), kgView.network.getViewPosition()]
                                                  : kgView.sigma.customBBox""")


@pytest.mark.parametrize("kind", KINDS)
def test_filters_refit_and_update_counts_and_panel(browser: Any, seed_network: Any, tmp_path: Path,
                                                    kind: str) -> None:
    from browser import wait_for

    path = tmp_path / f"filters-{kind}.html"
    write_view(seed_network, path, renderer=kind)
    types = {d["type"] for _, d in seed_network.nodes(data=True)}
    people = [n for n, d in seed_network.nodes(data=True) if d["type"] == "Person"]
    person_edges = sum(1 for u, v in seed_network.edges() if u in people or v in people)
    with browser.open(path) as (page, log):
        wait_for(page, "kgView.detailReady")
        before = _camera(page)
        # a group whose leader is a person: its panel lists the person until people are hidden
        group = page.evaluate("""() => { const d = kgView.data, t = d.types.findIndex(x => x.name === 'Person');
            for (let j = 0; j < d.edges.from.length; j++) {
              const a = d.edges.from[j], b = d.edges.to[j];
              if (d.nodes.type[a] === t && d.nodes.type[b] !== t) { return b; } } return null; }""")
        page.evaluate(f"kgView.showNode({group})")
        links_before = page.evaluate("document.querySelectorAll('#kg-panel [data-edge]').length")
        page.evaluate("kgView.showNode(kgView.data.nodes.type.indexOf(kgView.data.types.findIndex(x => x.name === 'Person')))")
        page.click('#kg-legend-types input[data-name="Person"]')
        shown = page.evaluate("[kgView.shown.nodes, kgView.shown.edges]")
        counts_text = page.inner_text("#kg-counts")
        panel = page.inner_text("#kg-panel")
        after = _camera(page)
        legend = page.inner_text('#kg-legend-types li[data-name="Person"] .kg-count')
        page.evaluate(f"kgView.showNode({group})")
        links_after = page.evaluate("document.querySelectorAll('#kg-panel [data-edge]').length")
        page.click('#kg-legend-types input[data-name="Person"]')
        restored = page.evaluate("[kgView.shown.nodes, kgView.shown.edges]")
        if kind == "vis":
            drawn = page.evaluate("[kgView.network.body.nodeIndices.length, kgView.visibleEdges.length]")
            assert drawn == restored
    clean(log, path)
    assert "Person" in types and group is not None
    assert shown == [seed_network.number_of_nodes() - len(people), seed_network.number_of_edges() - person_edges]
    assert counts_text.startswith(f"{shown[0]} actors · {shown[1]} relations")
    assert legend == "0"
    assert "Hover over or click" in panel  # the person shown left the panel
    assert after != before  # the view was fitted again to what is left
    assert links_after < links_before
    assert restored == [seed_network.number_of_nodes(), seed_network.number_of_edges()]


@pytest.mark.parametrize("kind", KINDS)
def test_time_slider(browser: Any, tmp_path: Path, kind: str) -> None:
    net = network_from_triples([("a", "alliedWith", "b"), ("b", "supports", "c"), ("c", "hostileTo", "d")])
    for (u, v, _k), (first, last) in zip(sorted(net.edges(keys=True)),
                                         (("2011-02", "2011-10"), ("2014-05", "2016-07"), ("2016-07", "2016-07")),
                                         strict=True):
        net.edges[u, v, _k].update(first=first, last=last)
    path = tmp_path / f"time-{kind}.html"
    write_view(net, path, renderer=kind)
    with browser.open(path) as (page, log):
        months = page.evaluate("kgView.data.months")
        assert not page.evaluate("document.getElementById('kg-time').hidden")

        def move(which: str, value: int) -> list[int]:
            page.evaluate("""([which, value]) => { const input = document.getElementById('kg-time-' + which);
                input.value = value; input.dispatchEvent(new Event('input')); }""", [which, value])
            page.wait_for_timeout(200)
            return page.evaluate("[kgView.shown.nodes, kgView.shown.edges]")  # type: ignore[no-any-return]

        late = move("from", months.index("2016-07"))
        label = page.inner_text("#kg-time-label")
        early = move("to", months.index("2016-07")) and move("from", 0) and move("to", months.index("2011-10"))
        whole = move("to", len(months) - 1)
    clean(log, path)
    assert late == [3, 2]  # a–b ended in 2011: a leaves
    assert label == "2016-07 – 2016-07"
    assert early == [2, 1]
    assert whole == [4, 3]


@pytest.mark.parametrize("kind", KINDS)
def test_save_png_and_svg(browser: Any, seed_network: Any, tmp_path: Path, kind: str) -> None:
    path = tmp_path / f"save-{kind}.html"
    write_view(seed_network, path, renderer=kind, title="Seed")
    with browser.open(path) as (page, log):
        with page.expect_download() as png:
            page.click("#kg-png")
        with page.expect_download() as svg:
            page.click("#kg-svg")
        png_path, svg_path = tmp_path / "out.png", tmp_path / "out.svg"
        png.value.save_as(png_path)
        svg.value.save_as(svg_path)
        url = page.evaluate("kgView.savePNG()")
        text = page.evaluate("kgView.saveSVG()")
        # the picture is not blank: some pixel differs from the white background
        coloured = page.evaluate("""(url) => new Promise(done => { const img = new Image();
            img.onload = () => { const c = document.createElement('canvas'); c.width = img.width; c.height = img.height;
              const g = c.getContext('2d'); g.drawImage(img, 0, 0); const px = g.getImageData(0, 0, c.width, c.height).data;
              let k = 0; for (let i = 0; i < px.length; i += 4) { if (px[i] < 200 || px[i + 1] < 200 || px[i + 2] < 200) { k++; } }
              done(k); }; img.src = url; })""", url)
    clean(log, path)
    assert png.value.suggested_filename == "Seed.png" and svg.value.suggested_filename == "Seed.svg"
    assert png_path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png_path.stat().st_size > 5_000
    assert url.startswith("data:image/png;base64,") and coloured > 500
    assert svg_path.read_text(encoding="utf-8") == text
    assert text.count("<circle") == seed_network.number_of_nodes() and text.count("<line") >= seed_network.number_of_edges()
    assert "Khalifa Haftar" in text


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("lang", ["ar", "both"])
def test_names_starting_with_digits_read_right(browser: Any, tmp_path: Path, kind: str, lang: str) -> None:
    from browser import text_order, wait_for

    path = tmp_path / f"bidi-{kind}-{lang}.html"
    write_view(brigade_network(), path, renderer=kind, lang=lang)
    with browser.open(path) as (page, log):
        wait_for(page, "kgView.detailReady")
        ghneiwa = page.evaluate("kgView.data.nodes.en.indexOf('Ghneiwa')")
        page.evaluate(f"kgView.showNode({ghneiwa})")
        page.wait_for_timeout(100)
        name = "444th Brigade" if lang == "both" else "اللواء 444"
        isolated = page.evaluate("""(name) => [...document.querySelectorAll('#kg-panel [data-edge] bdi')]
                                     .some(b => b.textContent === name)""", name)
        if lang == "both":
            digits, letters = text_order(page, "#kg-panel [data-edge]", "444th Brigade", "444", "th")
        else:
            page.evaluate("kgView.showNode(kgView.data.nodes.en.indexOf('444th Brigade'))")
            page.wait_for_timeout(100)
            digits, letters = text_order(page, "#kg-panel dd", "444th Brigade", "444", "th")
        page.screenshot(path=str(tmp_path / "bidi.png"))
    clean(log, path)
    assert isolated
    assert digits < letters  # "444" stays before "th", in a right-to-left page too


@pytest.mark.parametrize("kind", KINDS)
def test_quote_opens_in_its_article(browser: Any, seed_network: Any, tmp_path: Path, kind: str) -> None:
    from browser import wait_for

    path = tmp_path / f"reader-{kind}.html"
    write_view(seed_network, path, renderer=kind, texts=corpus_texts(seed_corpus()))
    bare = tmp_path / f"reader-bare-{kind}.html"
    write_view(seed_network, bare, renderer=kind)
    results = []
    for page_path in (path, bare):
        with browser.open(page_path) as (page, log):
            wait_for(page, "kgView.detailReady")
            page.evaluate("kgView.showEdge(0)")
            span = page.inner_text("#kg-panel .kg-span")
            page.click("#kg-panel button.kg-open")
            wait_for(page, "!document.getElementById('kg-reader').hidden")
            results.append(page.evaluate("""() => ({
                mark: document.querySelector('#kg-reader-text mark').textContent,
                text: document.getElementById('kg-reader-text').textContent,
                quote: kgView.detail().edges.evidence[0][0].quote,
                span: kgView.detail().edges.evidence[0][0].span,
                meta: document.getElementById('kg-reader-meta').textContent})"""))
            page.keyboard.press("Escape")
            results[-1]["closed"] = page.evaluate("document.getElementById('kg-reader').hidden")
            results[-1]["panel_span"] = span
        clean(log, page_path)
    full, sentence = results
    for r in results:
        assert r["mark"] == r["quote"] and r["closed"]
        assert f"{r['span'][0]}–{r['span'][1]}" in r["panel_span"] and f"{r['span'][0]}–{r['span'][1]}" in r["meta"]
    assert len(full["text"]) > len(sentence["text"])  # the whole article, not only the sentence


@pytest.mark.parametrize("kind", KINDS)
def test_script_payloads_stay_text(browser: Any, xss_store: GraphStore, tmp_path: Path, kind: str) -> None:
    from browser import edge_point, wait_for

    path = tmp_path / f"xss-{kind}.html"
    write_view(xss_store, path, title="XSS fixture", renderer=kind, texts=corpus_texts(XSS_CORPUS))
    with browser.open(path) as (page, log):
        wait_for(page, "kgView.detailReady")
        tooltip = ""
        if kind == "vis":
            x, y = edge_point(page, 0)
            page.mouse.move(x, y)
            page.wait_for_timeout(300)
            tooltip = page.inner_text("#kg-tooltip")
            page.mouse.click(x, y)
        else:
            page.evaluate("kgView.showEdge(0)")
        panel = page.inner_text("#kg-panel")
        page.click("#kg-panel button.kg-open")
        reader = page.inner_text("#kg-reader-text")
        injected = page.evaluate("""() => ({
            pwned: typeof window.kgPwned, title: document.title,
            elements: document.querySelectorAll('#kg-panel img, #kg-panel script, #kg-panel b, #kg-panel svg, '
                                                + '#kg-reader img, #kg-reader script, #kg-reader b, '
                                                + '#kg-tooltip *:not(div):not(span):not(bdi)').length,
            links: [...document.querySelectorAll('#kg-panel a')].map(a => a.getAttribute('href'))})""")
        page.keyboard.press("Escape")
        page.evaluate("kgView.showNode(0)")  # a node's panel (labels and aliases are payloads too)
        page.wait_for_timeout(100)
        node_panel = page.inner_text("#kg-panel")
        page.fill("#kg-search", "<img")
        page.press("#kg-search", "Enter")
        page.wait_for_timeout(300)
        page.evaluate("kgView.saveSVG()")
        after = page.evaluate("[typeof window.kgPwned, document.title, document.querySelectorAll('img').length]")
    assert injected["pwned"] == "undefined" and injected["title"] == "XSS fixture"
    assert injected["elements"] == 0 and injected["links"] == []  # javascript: URL not made a link
    assert XSS_QUOTE in panel and XSS_QUOTE in reader
    assert "<script>window.kgPwned=7" in panel  # the article title, as text
    if kind == "vis":
        assert "onerror" in tooltip or "kgPwned" in tooltip
    assert "<script>window.kgPwned=1" in node_panel or "<img src=x" in node_panel
    assert after == ["undefined", "XSS fixture", 0]
    clean(log, path)


def test_large_vis_view_draws(browser: Any, tmp_path: Path) -> None:
    path = tmp_path / "large.html"
    write_view(random_network(2000, 4000, 5), path)
    seconds = browser.time_to_draw(path, timeout=60)
    assert seconds is not None  # tests never assert time: benchmarks/bench_views.py measures it


@pytest.mark.slow
def test_webgl_view_draws_pans_and_zooms(browser: Any, tmp_path: Path) -> None:
    from browser import wait_for

    net = random_network(WEBGL + 1000, 3 * WEBGL, 6)
    net.add_edge("lonely", "pair", key="alliedWith", **dict(next(iter(net.edges(data=True)))[2]))
    net.nodes["lonely"].update(type="Actor", label_en="lonely", label="lonely", aliases=[], iri="lonely")
    net.nodes["pair"].update(type="Actor", label_en="pair", label="pair", aliases=[], iri="pair")
    path = tmp_path / "webgl.html"
    summary = write_view(net, path)
    assert summary.webgl and summary.left_out >= 2  # the pair, and any other small part
    with browser.open(path, timeout=120) as (page, log):
        wait_for(page, "kgView.detailReady", timeout=60)
        start = page.evaluate("kgView.sigma.getCamera().getState()")
        box = page.locator("#kg-network").bounding_box()
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        page.mouse.wheel(0, -600)
        page.wait_for_timeout(600)
        zoomed = page.evaluate("kgView.sigma.getCamera().getState()")
        page.mouse.down()
        page.mouse.move(box["x"] + box["width"] / 2 + 150, box["y"] + box["height"] / 2 + 80, steps=5)
        page.mouse.up()
        page.wait_for_timeout(300)
        panned = page.evaluate("kgView.sigma.getCamera().getState()")
        labels = page.evaluate("kgView.data.central.length")
        counts = page.inner_text("#kg-counts")
        url = page.evaluate("kgView.savePNG()")
    clean(log, path)
    assert zoomed["ratio"] < start["ratio"]
    assert (panned["x"], panned["y"]) != (zoomed["x"], zoomed["y"])
    assert labels > 0 and f"{summary.left_out} actors in small separate groups left out" in counts
    assert len(url) > 10_000


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
        counts = frame.evaluate("[kgView.shown.nodes, kgView.shown.edges]")
    assert counts == [seed_network.number_of_nodes(), seed_network.number_of_edges()]
    assert log.console_errors == [] and log.page_errors == []
    assert log.foreign_requests(host.resolve().as_uri()) == []


def test_view_command_takes_top_renderer_and_corpus_texts(tmp_path: Path, seed_store_dir: Path):
    import shutil

    from typer.testing import CliRunner

    from kg.cli import app

    store = tmp_path / "store"
    shutil.copytree(seed_store_dir, store, symlinks=True)
    out = tmp_path / "v.html"
    seeds = Path(__file__).resolve().parent.parent / "seeds"
    result = CliRunner().invoke(app, ["view", "--store", str(store), "--top", "5", "--renderer", "webgl",
                                      "--corpus", str(seeds), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "wrote" in result.stdout and ": 5 actors" in result.stdout
    bad = CliRunner().invoke(app, ["view", "--store", str(store), "--renderer", "canvas", "-o", str(out)])
    assert bad.exit_code == 1 and "unknown renderer" in bad.stderr
