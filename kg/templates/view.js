/* kg view: draws the actor network and shows evidence on demand.
 * Every piece of text from the data goes into the page through textContent, never as HTML:
 * article text, labels and quotes are untrusted. Links are made only from http(s) URLs. */
(function () {
  "use strict";

  var data = JSON.parse(document.getElementById("kg-data").textContent);
  var ui = data.ui;
  var lang = data.lang;
  var nodeInfo = data.nodeInfo;
  var edgeInfo = data.edgeInfo;
  var typeTerms = {};
  var relationTerms = {};
  data.legend.types.forEach(function (t) { typeTerms[t.name] = t; });
  data.legend.relations.forEach(function (t) { relationTerms[t.name] = t; });

  var hiddenTypes = new Set();
  var hiddenRelations = new Set();
  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var visibleNodes = new vis.DataView(nodes, {
    filter: function (n) { return !hiddenTypes.has(nodeInfo[n.id].type); }
  });
  var visibleEdges = new vis.DataView(edges, {
    filter: function (e) { return !hiddenRelations.has(edgeInfo[e.id].relation); }
  });

  var incident = nodeInfo.map(function () { return []; });
  data.edges.forEach(function (e) {
    incident[e.from].push(e.id);
    if (e.to !== e.from) { incident[e.to].push(e.id); }
  });

  var container = document.getElementById("kg-network");
  var network = new vis.Network(container, { nodes: visibleNodes, edges: visibleEdges }, data.options);
  network.fit({ maxZoomLevel: 1.6 });
  // leave a margin round the drawing: vis-network fits node shapes, not their labels
  network.moveTo({ scale: network.getScale() * 0.9 });
  var view = {
    nodes: nodes, edges: edges, visibleNodes: visibleNodes, visibleEdges: visibleEdges, network: network,
    drawn: false, drawnAt: null, showNode: showNode, showEdge: showEdge
  };
  window.kgView = view;
  network.once("afterDrawing", function () {
    view.drawn = true;
    view.drawnAt = performance.now();
    document.documentElement.setAttribute("data-kg-drawn", "true");
  });

  // ------------------------------------------------------------------ labels of large views
  // A large view opens without labels (they would be too small to draw anyway, and measuring ten
  // thousand of them delays the first picture); once zoomed in, the nodes in sight get theirs.

  var labelled = new Set();
  var labelTimer = null;

  function labelNodesInSight() {
    labelTimer = null;
    var box = container.getBoundingClientRect();
    var a = network.DOMtoCanvas({ x: 0, y: 0 });
    var b = network.DOMtoCanvas({ x: box.width, y: box.height });
    var positions = network.getPositions();
    var updates = [];
    Object.keys(positions).forEach(function (key) {
      var p = positions[key];
      var id = Number(key);
      if (!labelled.has(id) && p.x >= a.x - 100 && p.x <= b.x + 100 && p.y >= a.y - 100 && p.y <= b.y + 100) {
        labelled.add(id);
        updates.push({ id: id, label: nodeInfo[id].label });
      }
    });
    if (updates.length) { nodes.update(updates); }
  }

  function scheduleLabels() {
    if (labelTimer === null && network.getScale() >= 0.4) { labelTimer = setTimeout(labelNodesInSight, 120); }
  }

  if (data.large) { network.on("afterDrawing", scheduleLabels); }

  // ------------------------------------------------------------------ DOM helpers (text only)

  function el(tag, props, children) {
    var node = document.createElement(tag);
    if (props) {
      Object.keys(props).forEach(function (key) {
        var value = props[key];
        if (value === undefined || value === null) { return; }
        if (key === "text") { node.textContent = String(value); }
        else if (key === "className") { node.className = value; }
        else if (key === "onclick") { node.addEventListener("click", value); }
        else { node.setAttribute(key, String(value)); }
      });
    }
    (children || []).forEach(function (child) {
      if (child === null || child === undefined) { return; }
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  function clear(node) { while (node.firstChild) { node.removeChild(node.firstChild); } }

  function safeUrl(value) {
    if (!value) { return null; }
    try {
      var url = new URL(String(value));
      return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
    } catch (err) {
      return null;
    }
  }

  var ARABIC = /[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]/;

  function textSpan(text, tag) {
    var isArabic = ARABIC.test(text || "");
    return el(tag || "span", { text: text, dir: "auto", lang: isArabic ? "ar" : null });
  }

  function termLabel(term) {
    var en = term.label_en || term.name;
    var ar = term.label_ar || "";
    if (lang === "ar") { return el("span", { lang: "ar", text: ar || en }); }
    if (lang === "en" || !ar) { return el("span", { text: en }); }
    return el("span", null, [el("span", { text: en }), " · ", el("span", { className: "kg-term-ar", lang: "ar", dir: "rtl", text: ar })]);
  }

  function termText(term) {
    if (!term) { return ""; }
    if (lang === "ar") { return term.label_ar || term.label_en || term.name; }
    if (lang === "en" || !term.label_ar) { return term.label_en || term.name; }
    return (term.label_en || term.name) + " · " + term.label_ar;
  }

  // Arrows are not mirrored by the bidi algorithm: in a right-to-left page "from → to" must read "from ← to".
  var RTL = document.documentElement.dir === "rtl";
  function arrow(forward) { return (forward !== RTL) ? " → " : " ← "; }

  function nodeName(id) {
    var info = nodeInfo[id];
    if (lang === "ar") { return info.label_ar || info.label_en || info.iri; }
    return info.label_en || info.label_ar || info.iri;
  }

  // ------------------------------------------------------------------ legend and filters

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
    var flip = document.documentElement.dir === "rtl";
    var line = svg("line", { x1: 2, y1: 7, x2: term.arrow ? 29 : 36, y2: 7, stroke: term.colour, "stroke-width": 2.5 });
    if (Array.isArray(term.dash)) { line.setAttribute("stroke-dasharray", term.dash.map(function (d) { return d * 0.6; }).join(" ")); }
    icon.appendChild(line);
    if (term.arrow) { icon.appendChild(svg("polygon", { points: "28,2 37,7 28,12", fill: term.colour })); }
    if (flip) { icon.setAttribute("transform", "scale(-1,1)"); }
    return icon;
  }

  function legendRow(term, icon, hidden, onToggle) {
    var box = el("input", { type: "checkbox", "data-name": term.name });
    box.checked = true;
    box.addEventListener("change", function () {
      if (box.checked) { hidden.delete(term.name); } else { hidden.add(term.name); }
      onToggle();
    });
    return el("li", { "data-name": term.name }, [
      el("label", null, [box, icon, termLabel(term), el("span", { className: "kg-count", text: term.count })])
    ]);
  }

  function buildLegend() {
    var types = document.getElementById("kg-legend-types");
    var relations = document.getElementById("kg-legend-relations");
    data.legend.types.forEach(function (term) {
      types.appendChild(legendRow(term, shapeIcon(term.shape, term.colour), hiddenTypes, function () {
        visibleNodes.refresh();
        updateCounts();
      }));
    });
    data.legend.relations.forEach(function (term) {
      relations.appendChild(legendRow(term, lineIcon(term), hiddenRelations, function () {
        visibleEdges.refresh();
        updateCounts();
      }));
    });
  }

  function updateCounts() {
    var nodesShown = visibleNodes.length;
    var shown = visibleEdges.get({ filter: function (e) {
      return !hiddenTypes.has(nodeInfo[e.from].type) && !hiddenTypes.has(nodeInfo[e.to].type);
    } }).length;
    document.getElementById("kg-counts").textContent =
      nodesShown + " " + ui.actors + " · " + shown + " " + ui.relations;
  }

  // ------------------------------------------------------------------ panel: node and edge evidence

  var panel = document.getElementById("kg-panel");

  function field(list, name, value) {
    if (value === null || value === undefined || value === "" || (Array.isArray(value) && !value.length)) { return; }
    list.appendChild(el("dt", { text: name }));
    var dd = el("dd");
    if (value instanceof Node) { dd.appendChild(value); } else { dd.appendChild(textSpan(String(value))); }
    list.appendChild(dd);
  }

  function showNode(id) {
    var info = nodeInfo[id];
    clear(panel);
    panel.appendChild(textSpan(nodeName(id), "h3"));
    var list = el("dl");
    field(list, ui.type, termLabel(typeTerms[info.type] || { name: info.type }));
    if (lang !== "ar") { field(list, ui.labelEn, info.label_en); }
    field(list, ui.labelAr, info.label_ar ? el("span", { lang: "ar", dir: "rtl", text: info.label_ar }) : null);
    if (lang === "ar") { field(list, ui.labelEn, info.label_en); }
    if (info.aliases.length) {
      var aliases = el("ul");
      info.aliases.forEach(function (a) { aliases.appendChild(el("li", null, [textSpan(a)])); });
      field(list, ui.aliases, aliases);
    }
    field(list, ui.iri, el("code", { text: info.iri }));
    panel.appendChild(list);
    if (incident[id].length) {
      panel.appendChild(el("h2", { text: ui.links }));
      var links = el("ul");
      incident[id].forEach(function (eid) {
        var e = edges.get(eid);
        var rel = edgeInfo[eid];
        var other = e.from === id ? e.to : e.from;
        var sign = rel.symmetric ? " — " : arrow(e.from === id);
        links.appendChild(el("li", null, [
          el("button", { type: "button", className: "kg-link", text: termText(relationTerms[rel.relation]) + sign + nodeName(other),
                         onclick: function () { network.selectEdges([eid]); showEdge(eid); } }),
          " ", el("span", { className: "kg-badge", text: rel.sources })
        ]));
      });
      panel.appendChild(links);
    }
  }

  function sourcesText(n) { return n + " " + (n === 1 ? ui.source : ui.sources); }

  function showEdge(id) {
    var e = edges.get(id);
    var rel = edgeInfo[id];
    clear(panel);
    panel.appendChild(el("h3", null, [termLabel(relationTerms[rel.relation] || { name: rel.relation })]));
    panel.appendChild(el("p", null, [
      el("button", { type: "button", className: "kg-link", text: nodeName(e.from), onclick: function () { showNode(e.from); } }),
      rel.symmetric ? " — " : arrow(true),
      el("button", { type: "button", className: "kg-link", text: nodeName(e.to), onclick: function () { showNode(e.to); } })
    ]));
    var list = el("dl");
    field(list, ui.evidence, sourcesText(rel.sources));
    var period = rel.first && rel.last && rel.first !== rel.last ? rel.first + " – " + rel.last : (rel.first || rel.last);
    field(list, ui.period, period);
    field(list, ui.claimants, rel.claimants.join(" · "));
    field(list, ui.flags, (rel.flags || []).join(", "));
    panel.appendChild(list);
    if (!rel.evidence.length) { panel.appendChild(el("p", { className: "kg-hint", text: ui.noEvidence })); }
    var items = el("ol", { className: "kg-evidence" });
    rel.evidence.forEach(function (ev) {
      var li = el("li");
      li.appendChild(textSpan(ev.quote || ev.sentence || "", "blockquote"));
      if (ev.sentence && ev.sentence !== ev.quote) { li.appendChild(textSpan(ev.sentence, "div")).className = "kg-context"; }
      var meta = el("dl", { className: "kg-meta" });
      var art = data.articles[ev.a] || {};
      var href = safeUrl(art.url);
      var title = art.title || art.url || art.iri || "";
      field(meta, ui.article, href
        ? el("a", { href: href, target: "_blank", rel: "noopener noreferrer", dir: "auto", text: title })
        : (title ? textSpan(title) : null));
      field(meta, ui.outlet, art.outlet);
      field(meta, ui.date, ev.date || art.date);
      if (ev.claim_date && ev.claim_date !== (ev.date || art.date)) { field(meta, ui.claimDate, ev.claim_date); }
      field(meta, ui.claimant, ev.claimant);
      field(meta, ui.flags, (ev.flags || []).join(", "));
      li.appendChild(meta);
      items.appendChild(li);
    });
    panel.appendChild(items);
  }

  function showHint() {
    clear(panel);
    panel.appendChild(el("p", { className: "kg-hint", text: ui.hint }));
  }

  // ------------------------------------------------------------------ hover tooltip

  var tooltip = document.getElementById("kg-tooltip");

  function showTip(lines, pointer) {
    clear(tooltip);
    lines.forEach(function (line, i) {
      if (!line) { return; }
      var row = textSpan(line, "div");
      if (i === 0) { row.className = "kg-tip-title"; }
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

  function shorten(text, n) { text = text || ""; return text.length > n ? text.slice(0, n - 1) + "…" : text; }

  network.on("hoverNode", function (params) {
    var info = nodeInfo[params.node];
    var other = lang === "ar" ? info.label_en : (lang === "both" ? "" : info.label_ar);
    showTip([nodeName(params.node), other, termText(typeTerms[info.type]),
             info.aliases.length ? ui.aliases + ": " + shorten(info.aliases.slice(0, 4).join(" · "), 120) : ""],
            params.pointer.DOM);
  });
  network.on("hoverEdge", function (params) {
    var e = edges.get(params.edge);
    var rel = edgeInfo[params.edge];
    var first = rel.evidence.length ? rel.evidence[0] : null;
    showTip([termText(relationTerms[rel.relation]), nodeName(e.from) + (rel.symmetric ? " — " : arrow(true)) + nodeName(e.to),
             sourcesText(rel.sources), first ? "“" + shorten(first.quote || first.sentence, 160) + "”" : ""],
            params.pointer.DOM);
  });
  network.on("blurNode", hideTip);
  network.on("blurEdge", hideTip);
  network.on("dragStart", hideTip);
  network.on("zoom", hideTip);

  network.on("click", function (params) {
    hideTip();
    if (params.nodes.length) { showNode(params.nodes[0]); }
    else if (params.edges.length) { showEdge(params.edges[0]); }
    else { showHint(); }
  });

  // ------------------------------------------------------------------ search

  function fold(text) {
    return String(text || "").normalize("NFKC").toLowerCase()
      .replace(/[\u064b-\u065f\u0670\u0640]/g, "")
      .replace(/[\u0622\u0623\u0625\u0671]/g, "\u0627").replace(/\u0649/g, "\u064a").replace(/\u0629/g, "\u0647");
  }

  var searchKeys = nodeInfo.map(function (info) {
    return fold([info.label_en, info.label_ar].concat(info.aliases).join("\n"));
  });
  var search = document.getElementById("kg-search");
  var status = document.getElementById("kg-search-status");
  if (nodeInfo.length <= 2000) {
    var names = document.getElementById("kg-names");
    nodeInfo.forEach(function (info, i) { names.appendChild(el("option", { value: nodeName(i) })); });
  }

  function matches() {
    var q = fold(search.value).trim();
    if (!q) { return null; }
    var found = [];
    searchKeys.forEach(function (key, i) {
      if (key.indexOf(q) !== -1 && !hiddenTypes.has(nodeInfo[i].type)) { found.push(i); }
    });
    return found;
  }

  function runSearch(focus) {
    var found = matches();
    if (found === null) { status.textContent = ""; network.unselectAll(); return; }
    status.textContent = found.length ? found.length + " " + ui.matches : ui.noMatch;
    network.selectNodes(found, false);
    if (focus && found.length) {
      network.focus(found[0], { scale: Math.max(network.getScale(), 1), animation: { duration: 300 } });
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

  // ------------------------------------------------------------------ controls

  var physics = document.getElementById("kg-physics");
  if (physics) {
    physics.addEventListener("change", function () {
      network.setOptions({ physics: { enabled: physics.checked } });
    });
  }
  document.getElementById("kg-fit").addEventListener("click", function () { network.fit(); });

  buildLegend();
  updateCounts();
  if (data.center && data.center.length) {
    network.selectNodes(data.center, false);
    showNode(data.center[0]);
  }
})();
