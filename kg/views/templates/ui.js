/* kg view: legend and filters, time slider, counts, evidence panel, article reader, search, pictures.
 * The same for both page kinds; the drawing is window.kgRenderer's (vis-view.js or sigma-view.js).
 * Every piece of text from the data goes into the page through textContent, never as HTML: article
 * text, labels and quotes are untrusted. Names are isolated (<bdi>) wherever they meet other text, so
 * digits and Latin keep their order next to Arabic. Links are made only from http(s) URLs. */
(function () {
  "use strict";

  var timings = { start: performance.now() };
  var data = JSON.parse(document.getElementById("kg-data").textContent);
  timings.parsed = performance.now();
  // The details (IRIs, aliases, evidence, article texts) are read after the first drawing: plain JSON in
  // small views, gzip in base64 in large ones (DecompressionStream: in the page, nothing fetched).
  var detailData = null;
  var detailPromise = null;
  function detail() { return detailData; }
  function loadDetail() {
    if (detailPromise) { return detailPromise; }
    var script = document.getElementById("kg-detail");
    if (script.getAttribute("data-encoding") !== "gzip") {
      detailData = JSON.parse(script.textContent);
      detailPromise = Promise.resolve(detailData);
      return detailPromise;
    }
    var binary = atob(script.textContent.trim());
    var bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i++) { bytes[i] = binary.charCodeAt(i); }
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
    detailPromise = new Response(stream).text().then(function (text) {
      detailData = JSON.parse(text);
      return detailData;
    });
    return detailPromise;
  }
  // fn at once when the details are there, else once they are
  function withDetail(fn) {
    return function () {
      var args = arguments;
      if (detailData) { return fn.apply(null, args); }
      loadDetail().then(function () { fn.apply(null, args); });
    };
  }
  var ui = data.ui;
  var lang = data.lang;
  var N = data.nodes;
  var E = data.edges;
  var n = N.x.length;
  var m = E.from.length;
  var months = data.months;
  var RTL = document.documentElement.dir === "rtl";

  var hiddenTypes = new Set();
  var hiddenRelations = new Set();
  var hiddenBlocs = new Set();
  var period = { from: 0, to: Math.max(months.length - 1, 0) };
  var nodeVis = new Uint8Array(n).fill(1);
  var edgeVis = new Uint8Array(m).fill(1);
  var shown = { nodes: n, edges: m };

  // ------------------------------------------------------------------ panel, reader and DOM helpers (panel.js)

  var renderer = null;
  var kit = window.kgPanel({ data: data, detail: detail, withDetail: withDetail, nodeVis: nodeVis, edgeVis: edgeVis,
                             renderer: function () { return renderer; } });
  var el = kit.el, clear = kit.clear, textSpan = kit.textSpan, bdi = kit.bdi, ltr = kit.ltr, termLabel = kit.termLabel;
  var termText = kit.termText, arrow = kit.arrow, nodeName = kit.nodeName, sourcesText = kit.sourcesText;
  var ARABIC = kit.ARABIC, showNode = kit.showNode, showEdge = kit.showEdge, showHint = kit.showHint;
  var refreshPanel = kit.refreshPanel, openReader = kit.openReader;

  // ------------------------------------------------------------------ visibility

  function inPeriod(j) {
    if (period.from === 0 && period.to === months.length - 1) { return true; }
    return E.first[j] >= 0 && E.last[j] >= period.from && E.first[j] <= period.to;
  }

  function computeVisible() {
    var fullPeriod = months.length === 0 || (period.from === 0 && period.to === months.length - 1);
    var i, j;
    for (i = 0; i < n; i++) {
      var b = N.bloc[i] < data.blocs.length ? N.bloc[i] : -1;
      nodeVis[i] = hiddenTypes.has(N.type[i]) || hiddenBlocs.has(b) ? 0 : 1;
    }
    var touched = fullPeriod ? null : new Uint8Array(n);
    shown.edges = 0;
    for (j = 0; j < m; j++) {
      var v = !hiddenRelations.has(E.rel[j]) && nodeVis[E.from[j]] && nodeVis[E.to[j]] && inPeriod(j) ? 1 : 0;
      edgeVis[j] = v;
      if (v) {
        shown.edges++;
        if (touched) { touched[E.from[j]] = 1; touched[E.to[j]] = 1; }
      }
    }
    shown.nodes = 0;
    for (i = 0; i < n; i++) {
      if (touched && !touched[i]) { nodeVis[i] = 0; }
      shown.nodes += nodeVis[i];
    }
  }

  function visibleIds() {
    var ids = [];
    for (var i = 0; i < n; i++) { if (nodeVis[i]) { ids.push(i); } }
    return ids;
  }

  function update() {
    computeVisible();
    renderer.setVisible();
    renderer.fit(visibleIds());
    updateCounts();
    updateLegendCounts();
    refreshPanel();
  }

  function updateCounts() {
    var text = shown.nodes + " " + ui.actors + " · " + shown.edges + " " + ui.relations;
    if (data.leftOut) { text += " · " + data.leftOut + " " + ui.leftOut; }
    document.getElementById("kg-counts").textContent = text;
  }

  // ------------------------------------------------------------------ legend

  var SVG = "http://www.w3.org/2000/svg";

  function svg(tag, attrs) {
    var node = document.createElementNS(SVG, tag);
    Object.keys(attrs).forEach(function (key) { node.setAttribute(key, String(attrs[key])); });
    return node;
  }

  function shapeIcon(shape, colour) {
    var icon = svg("svg", { width: 18, height: 18, viewBox: "0 0 18 18", "aria-hidden": "true" });
    var style = { fill: colour, stroke: "#333", "stroke-width": 1 };
    var item;
    var points = {
      triangle: "9,2 16,15 2,15", triangleDown: "2,3 16,3 9,16", diamond: "9,1 17,9 9,17 1,9",
      star: "9,1 11.3,6.6 17,6.8 12.5,10.4 14.1,16 9,12.7 3.9,16 5.5,10.4 1,6.8 6.7,6.6",
      hexagon: "9,1 16,5 16,13 9,17 2,13 2,5"
    };
    if (data.webgl) { shape = "dot"; }
    if (points[shape]) { item = svg("polygon", Object.assign({ points: points[shape] }, style)); }
    else if (shape === "square" || shape === "box" || shape === "database") {
      item = svg("rect", Object.assign({ x: 2.5, y: 2.5, width: 13, height: 13, rx: shape === "box" ? 3 : 0 }, style));
    } else if (shape === "ellipse") { item = svg("ellipse", Object.assign({ cx: 9, cy: 9, rx: 8, ry: 5.5 }, style)); }
    else { item = svg("circle", Object.assign({ cx: 9, cy: 9, r: 7 }, style)); }
    icon.appendChild(item);
    return icon;
  }

  function lineIcon(term) {
    var icon = svg("svg", { width: 38, height: 14, viewBox: "0 0 38 14", "aria-hidden": "true" });
    var line = svg("line", { x1: 2, y1: 7, x2: term.arrow ? 29 : 36, y2: 7, stroke: term.colour, "stroke-width": 2.5 });
    if (Array.isArray(term.dash)) { line.setAttribute("stroke-dasharray", term.dash.map(function (d) { return d * 0.6; }).join(" ")); }
    icon.appendChild(line);
    if (term.arrow) { icon.appendChild(svg("polygon", { points: "28,2 37,7 28,12", fill: term.colour })); }
    if (RTL) { icon.setAttribute("transform", "scale(-1,1)"); }
    return icon;
  }

  var legendCounts = { types: [], relations: [], blocs: [] };

  function legendRow(key, name, icon, label, count, hidden, counts) {
    var box = el("input", { type: "checkbox", "data-name": name });
    box.checked = true;
    box.addEventListener("change", function () {
      if (box.checked) { hidden.delete(key); } else { hidden.add(key); }
      update();
    });
    var badge = el("span", { className: "kg-count", text: count });
    counts.push(badge);
    return el("li", { "data-name": name }, [el("label", null, [box, icon, label, badge])]);
  }

  function buildLegend() {
    var types = document.getElementById("kg-legend-types");
    data.types.forEach(function (term, t) {
      types.appendChild(legendRow(t, term.name, shapeIcon(term.shape, term.colour), termLabel(term), term.count,
                                  hiddenTypes, legendCounts.types));
    });
    var relations = document.getElementById("kg-legend-relations");
    data.relations.forEach(function (term, r) {
      relations.appendChild(legendRow(r, term.name, lineIcon(term), termLabel(term), term.count, hiddenRelations,
                                      legendCounts.relations));
    });
    var blocs = document.getElementById("kg-legend-blocs");
    var others = 0;
    for (var i = 0; i < n; i++) { if (N.bloc[i] >= data.blocs.length) { others++; } }
    data.blocs.forEach(function (bloc, b) {
      var label = el("span", null, [ui.bloc + " " + (b + 1) + " · " + ui.blocLead + " ", bdi(nodeName(bloc.lead))]);
      blocs.appendChild(legendRow(b, "bloc-" + (b + 1), shapeIcon("dot", bloc.colour), label, bloc.count, hiddenBlocs,
                                  legendCounts.blocs));
    });
    if (others) {
      blocs.appendChild(legendRow(-1, "bloc-other", shapeIcon("dot", "#c7c7c7"), el("span", { text: "…" }), others,
                                  hiddenBlocs, legendCounts.blocs));
    }
  }

  function updateLegendCounts() {
    var types = data.types.map(function () { return 0; });
    var rels = data.relations.map(function () { return 0; });
    var blocs = legendCounts.blocs.map(function () { return 0; });
    for (var i = 0; i < n; i++) {
      if (!nodeVis[i]) { continue; }
      types[N.type[i]]++;
      var b = N.bloc[i] < data.blocs.length ? N.bloc[i] : blocs.length - 1;
      if (b < blocs.length) { blocs[b]++; }
    }
    for (var j = 0; j < m; j++) { if (edgeVis[j]) { rels[E.rel[j]]++; } }
    legendCounts.types.forEach(function (badge, t) { badge.textContent = types[t]; });
    legendCounts.relations.forEach(function (badge, r) { badge.textContent = rels[r]; });
    legendCounts.blocs.forEach(function (badge, b) { badge.textContent = blocs[b]; });
  }

  // ------------------------------------------------------------------ time slider

  var timeBar = document.getElementById("kg-time");
  var timeFrom = document.getElementById("kg-time-from");
  var timeTo = document.getElementById("kg-time-to");
  var timeLabel = document.getElementById("kg-time-label");
  var timeTimer = null;

  function showPeriod() {
    clear(timeLabel);
    timeLabel.appendChild(ltr(months[period.from] + " – " + months[period.to]));
  }

  if (months.length > 1) {
    timeBar.hidden = false;
    [timeFrom, timeTo].forEach(function (input) { input.max = months.length - 1; });
    timeTo.value = months.length - 1;
    var onTime = function (event) {
      var a = Number(timeFrom.value), b = Number(timeTo.value);
      if (a > b) { if (event.target === timeFrom) { timeTo.value = a; b = a; } else { timeFrom.value = b; a = b; } }
      period = { from: a, to: b };
      showPeriod();
      clearTimeout(timeTimer);
      timeTimer = setTimeout(update, 60);
    };
    timeFrom.addEventListener("input", onTime);
    timeTo.addEventListener("input", onTime);
    showPeriod();
  }

  // ------------------------------------------------------------------ hover tooltip

  var container = document.getElementById("kg-network");
  var tooltip = document.getElementById("kg-tooltip");

  function showTip(lines, pointer) {
    clear(tooltip);
    lines.forEach(function (line, i) {
      if (!line) { return; }
      var row = el("div", { className: i === 0 ? "kg-tip-title" : null });
      (Array.isArray(line) ? line : [line]).forEach(function (part) {
        row.appendChild(typeof part === "string" ? textSpan(part) : part);
      });
      tooltip.appendChild(row);
    });
    tooltip.hidden = false;
    var stage = container.getBoundingClientRect();
    var x = Math.min(pointer.x + 14, stage.width - tooltip.offsetWidth - 4);
    var y = Math.min(pointer.y + 14, stage.height - tooltip.offsetHeight - 4);
    tooltip.style.left = Math.max(0, x) + "px";
    tooltip.style.top = Math.max(0, y) + "px";
  }

  function hideTip() { tooltip.hidden = true; }

  function shorten(text, k) { text = text || ""; return text.length > k ? text.slice(0, k - 1) + "…" : text; }

  // ------------------------------------------------------------------ the drawing

  var view = { drawn: false, drawnAt: null, showNode: showNode, showEdge: showEdge, openReader: openReader,
               nodeVisible: nodeVis, edgeVisible: edgeVis, shown: shown, data: data, detail: detail,
               loadDetail: loadDetail, detailReady: false };
  window.kgView = view;
  renderer = window.kgRenderer(data, container, {
    mark: function (name) { timings[name] = performance.now(); },
    nodeVisible: function (i) { return nodeVis[i] === 1; },
    edgeVisible: function (j) { return edgeVis[j] === 1; },
    drawn: function () {
      view.drawn = true;
      view.drawnAt = performance.now();
      timings.drawn = view.drawnAt;
      setTimeout(function () {
        loadDetail().then(function () { view.detailReady = true; timings.detail = performance.now(); });
      }, 0);
      document.documentElement.setAttribute("data-kg-drawn", "true");
    },
    hoverNode: function (i, pointer) {
      if (!detailData) { return; }
      var other = lang === "ar" ? N.en[i] : (lang === "both" ? "" : N.ar[i]);
      var aliases = detail().nodes.aliases[i];
      showTip([nodeName(i), other, termText(data.types[N.type[i]]),
               aliases.length ? ui.aliases + ": " + shorten(aliases.slice(0, 4).join(" · "), 120) : ""], pointer);
    },
    hoverEdge: function (j, pointer) {
      if (!detailData) { return; }
      var ev = detail().edges.evidence[j];
      var first = ev.length ? ev[0] : null;
      showTip([termText(data.relations[E.rel[j]]),
               [bdi(nodeName(E.from[j])), E.sym[j] ? " — " : arrow(true), bdi(nodeName(E.to[j]))],
               sourcesText(E.sources[j]), first ? "“" + shorten(first.quote || first.sentence, 160) + "”" : ""], pointer);
    },
    blur: hideTip,
    clickNode: showNode,
    clickEdge: showEdge,
    clickStage: showHint
  });
  timings.renderer = performance.now();
  view.timings = timings;
  view.renderer = renderer;
  ["network", "nodes", "edges", "visibleNodes", "visibleEdges", "sigma", "graph"].forEach(function (key) {
    if (renderer[key]) { view[key] = renderer[key]; }
  });

  // ------------------------------------------------------------------ search

  function fold(text) {
    return String(text || "").normalize("NFKC").toLowerCase()
      .replace(/[\u064b-\u065f\u0670\u0640]/g, "")
      .replace(/[\u0622\u0623\u0625\u0671]/g, "\u0627").replace(/\u0649/g, "\u064a").replace(/\u0629/g, "\u0647");
  }

  var searchKeys = null;
  var search = document.getElementById("kg-search");
  var status = document.getElementById("kg-search-status");
  if (n <= 2000) {
    var names = document.getElementById("kg-names");
    for (var k = 0; k < n; k++) { names.appendChild(el("option", { value: nodeName(k) })); }
  }

  function matches() {
    var q = fold(search.value).trim();
    if (!q) { return null; }
    if (!searchKeys) {
      searchKeys = [];
      for (var i = 0; i < n; i++) { searchKeys.push(fold([N.en[i], N.ar[i]].concat(detail().nodes.aliases[i]).join("\n"))); }
    }
    var found = [];
    searchKeys.forEach(function (key, i) { if (nodeVis[i] && key.indexOf(q) !== -1) { found.push(i); } });
    return found;
  }

  function runSearch(focus) {
    if (!detailData) { loadDetail().then(function () { runSearch(focus); }); return; }
    var found = matches();
    if (found === null) { status.textContent = ""; renderer.unselect(); return; }
    status.textContent = found.length ? found.length + " " + ui.matches : ui.noMatch;
    renderer.select(found);
    if (focus && found.length) {
      renderer.focus(found[0]);
      showNode(found[0]);
    }
  }

  var searchTimer = null;
  search.addEventListener("input", function () {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(function () { runSearch(false); }, 150);
  });
  search.addEventListener("keydown", function (event) {
    if (event.key === "Enter") { event.preventDefault(); runSearch(true); }
  });
  search.addEventListener("change", function () { runSearch(true); });

  // ------------------------------------------------------------------ pictures (offline: made in the page)

  function download(url, name) {
    var a = el("a", { href: url, download: name });
    document.body.appendChild(a);
    a.click();
    a.remove();
  }

  function fileName(ext) { return (document.title || "kg-view").replace(/[\\/:*?"<>|\s]+/g, "-").slice(0, 80) + "." + ext; }

  function savePNG() {
    var url = renderer.toCanvas().toDataURL("image/png");
    download(url, fileName("png"));
    return url;
  }

  // The visible actors and relations as SVG, at the drawing's positions; labels for all of them in small
  // views, else for the most central ones.
  function toSVG() {
    var pos = renderer.positions();
    var xs = pos[0], ys = pos[1];
    var ids = visibleIds();
    var x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
    ids.forEach(function (i) {
      x0 = Math.min(x0, xs[i]); x1 = Math.max(x1, xs[i]); y0 = Math.min(y0, ys[i]); y1 = Math.max(y1, ys[i]);
    });
    if (!ids.length) { x0 = y0 = 0; x1 = y1 = 1; }
    var pad = 60;
    var root = svg("svg", { xmlns: SVG, viewBox: [x0 - pad, y0 - pad, x1 - x0 + 2 * pad, y1 - y0 + 2 * pad].join(" "),
                            width: Math.round(Math.min(4000, x1 - x0 + 2 * pad)),
                            height: Math.round(Math.min(4000, y1 - y0 + 2 * pad) * Math.min(1, 4000 / (x1 - x0 + 2 * pad))) });
    root.appendChild(svg("rect", { x: x0 - pad, y: y0 - pad, width: x1 - x0 + 2 * pad, height: y1 - y0 + 2 * pad, fill: "#ffffff" }));
    var lines = svg("g", { "stroke-opacity": 0.7, fill: "none" });
    for (var j = 0; j < m; j++) {
      if (!edgeVis[j]) { continue; }
      var rel = data.relations[E.rel[j]];
      var line = svg("line", { x1: xs[E.from[j]], y1: ys[E.from[j]], x2: xs[E.to[j]], y2: ys[E.to[j]], stroke: rel.colour,
                               "stroke-width": 1.5 });
      if (Array.isArray(rel.dash)) { line.setAttribute("stroke-dasharray", rel.dash.join(" ")); }
      lines.appendChild(line);
    }
    root.appendChild(lines);
    var dots = svg("g", { stroke: "#333333", "stroke-width": 0.8 });
    ids.forEach(function (i) {
      dots.appendChild(svg("circle", { cx: xs[i], cy: ys[i], r: data.webgl ? 2 + N.size[i] / 6 : N.size[i] / 2 + 2,
                                       fill: renderer.nodeColour(i) }));
    });
    root.appendChild(dots);
    var labelled = ids.length <= 500 ? ids : data.central.filter(function (i) { return nodeVis[i]; });
    var labels = svg("g", { "font-family": data.font, "font-size": 12, fill: "#1f1f1f", "text-anchor": "middle" });
    labelled.forEach(function (i) {
      var text = svg("text", { x: xs[i], y: ys[i] + N.size[i] / 2 + 16, direction: ARABIC.test(nodeName(i)) ? "rtl" : "ltr" });
      text.textContent = nodeName(i);
      labels.appendChild(text);
    });
    root.appendChild(labels);
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + new XMLSerializer().serializeToString(root);
  }

  function saveSVG() {
    var text = toSVG();
    var url = URL.createObjectURL(new Blob([text], { type: "image/svg+xml" }));
    download(url, fileName("svg"));
    setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
    return text;
  }

  view.savePNG = savePNG;
  view.saveSVG = saveSVG;
  view.update = update;
  document.getElementById("kg-png").addEventListener("click", savePNG);
  document.getElementById("kg-svg").addEventListener("click", saveSVG);

  // ------------------------------------------------------------------ controls

  var physics = document.getElementById("kg-physics");
  if (physics && renderer.setPhysics) {
    physics.addEventListener("change", function () { renderer.setPhysics(physics.checked); });
  }
  var colour = document.getElementById("kg-colour");
  colour.value = renderer.colourMode();
  colour.addEventListener("change", function () { renderer.setColourMode(colour.value); });
  document.getElementById("kg-fit").addEventListener("click", function () { renderer.fit(visibleIds()); });

  buildLegend();
  updateCounts();
  if (data.center && data.center.length) {
    renderer.select(data.center);
    showNode(data.center[0]);
  }
})();
