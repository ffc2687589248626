/* kg view: the panel (an actor's or a relation's evidence) and the article reader, with the DOM helpers the
 * page shares. Every piece of text from the data goes in through textContent, never as HTML; names are
 * isolated (<bdi>) wherever they meet other text. window.kgPanel(ctx) is called by ui.js. */
(function () {
  "use strict";

  window.kgPanel = function (ctx) {
    var data = ctx.data;
    var ui = data.ui;
    var lang = data.lang;
    var N = data.nodes;
    var E = data.edges;
    var n = N.x.length;
    var m = E.from.length;
    var detail = ctx.detail;
    var withDetail = ctx.withDetail;
    var nodeVis = ctx.nodeVis;
    var edgeVis = ctx.edgeVis;
    var RTL = document.documentElement.dir === "rtl";
    var current = null;  // what the panel shows: {node: i} or {edge: j}

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

    // A name or any text from the data among other text: isolated, its direction from its own letters.
    function bdi(text) { return el("bdi", { text: text, lang: ARABIC.test(text || "") ? "ar" : null }); }
    // Numbers, dates and spans: left to right in both page directions.
    function ltr(text) { return el("bdi", { text: text, dir: "ltr" }); }

    function termLabel(term) {
      var en = term.label_en || term.name;
      var ar = term.label_ar || "";
      if (lang === "ar") { return el("bdi", { lang: "ar", text: ar || en }); }
      if (lang === "en" || !ar) { return el("bdi", { text: en }); }
      return el("span", null, [el("bdi", { text: en }), " · ", el("bdi", { className: "kg-term-ar", lang: "ar", text: ar })]);
    }

    function termText(term) {
      if (!term) { return ""; }
      if (lang === "ar") { return term.label_ar || term.label_en || term.name; }
      if (lang === "en" || !term.label_ar) { return term.label_en || term.name; }
      return (term.label_en || term.name) + " · " + term.label_ar;
    }

    // Arrows are not mirrored by the bidi algorithm: in a right-to-left page "from → to" must read "from ← to".
    function arrow(forward) { return (forward !== RTL) ? " → " : " ← "; }

    function nodeName(id) {
      if (lang === "ar") { return N.ar[id] || N.en[id] || ""; }
      return N.en[id] || N.ar[id] || "";
    }

    // ------------------------------------------------------------------ panel: node and edge evidence

    var panel = document.getElementById("kg-panel");
    var incidentLists = null;

    function incident(id) {
      if (!incidentLists) {
        incidentLists = [];
        for (var i = 0; i < n; i++) { incidentLists.push([]); }
        for (var j = 0; j < m; j++) {
          incidentLists[E.from[j]].push(j);
          if (E.to[j] !== E.from[j]) { incidentLists[E.to[j]].push(j); }
        }
      }
      return incidentLists[id];
    }

    function field(list, name, value) {
      if (value === null || value === undefined || value === "" || (Array.isArray(value) && !value.length)) { return; }
      list.appendChild(el("dt", { text: name }));
      var dd = el("dd");
      if (value instanceof Node) { dd.appendChild(value); } else { dd.appendChild(textSpan(String(value))); }
      list.appendChild(dd);
    }

    function listOf(items) {
      var out = el("span");
      items.forEach(function (item, k) {
        if (k) { out.appendChild(document.createTextNode(" · ")); }
        out.appendChild(bdi(item));
      });
      return out;
    }

    var showNode = withDetail(function (id) {
      var info = detail().nodes;
      current = { node: id };
      clear(panel);
      panel.appendChild(textSpan(nodeName(id), "h3"));
      var list = el("dl");
      field(list, ui.type, termLabel(data.types[N.type[id]]));
      if (lang !== "ar") { field(list, ui.labelEn, N.en[id]); }
      field(list, ui.labelAr, N.ar[id] ? el("span", { lang: "ar", dir: "rtl", text: N.ar[id] }) : null);
      if (lang === "ar") { field(list, ui.labelEn, N.en[id]); }
      if (info.aliases[id].length) {
        var aliases = el("ul");
        info.aliases[id].forEach(function (a) { aliases.appendChild(el("li", null, [textSpan(a)])); });
        field(list, ui.aliases, aliases);
      }
      if (info.merged[id].length) { field(list, ui.mergedFrom, el("code", { text: info.merged[id].join(" ") })); }
      if (N.bloc[id] < data.blocs.length) { field(list, ui.bloc, ltr(String(N.bloc[id] + 1))); }
      field(list, ui.iri, el("code", { text: info.iri[id] }));
      panel.appendChild(list);
      var links = el("ul");
      incident(id).forEach(function (eid) {
        if (!edgeVis[eid]) { return; }  // hidden relations and actors leave the panel too
        var rel = data.relations[E.rel[eid]];
        var other = E.from[eid] === id ? E.to[eid] : E.from[eid];
        var sign = E.sym[eid] ? " — " : arrow(E.from[eid] === id);
        links.appendChild(el("li", null, [
          el("button", { type: "button", className: "kg-link", "data-edge": eid,
                         onclick: function () { ctx.renderer().selectEdge(eid); showEdge(eid); } },
             [termLabel(rel), sign, bdi(nodeName(other))]),
          " ", el("span", { className: "kg-badge", text: E.sources[eid] })
        ]));
      });
      if (links.firstChild) {
        panel.appendChild(el("h2", { text: ui.links }));
        panel.appendChild(links);
      }
    });

    function sourcesText(k) { return k + " " + (k === 1 ? ui.source : ui.sources); }

    function spanText(span) { return ui.span + " " + span[0] + "–" + span[1]; }

    var showEdge = withDetail(function (id) {
      var info = detail().edges;
      var evidence = info.evidence[id];
      var rel = data.relations[E.rel[id]];
      current = { edge: id };
      clear(panel);
      panel.appendChild(el("h3", null, [termLabel(rel)]));
      panel.appendChild(el("p", null, [
        el("button", { type: "button", className: "kg-link", onclick: function () { showNode(E.from[id]); } },
           [bdi(nodeName(E.from[id]))]),
        E.sym[id] ? " — " : arrow(true),
        el("button", { type: "button", className: "kg-link", onclick: function () { showNode(E.to[id]); } },
           [bdi(nodeName(E.to[id]))])
      ]));
      var list = el("dl");
      field(list, ui.evidence, sourcesText(E.sources[id]));
      var first = info.period[id][0], last = info.period[id][1];
      field(list, ui.period, first || last ? ltr(first && last && first !== last ? first + " – " + last : (first || last)) : null);
      field(list, ui.claimants, info.claimants[id].length ? listOf(info.claimants[id]) : null);
      field(list, ui.flags, info.flags[id].join(", "));
      panel.appendChild(list);
      if (!evidence.length) { panel.appendChild(el("p", { className: "kg-hint", text: ui.noEvidence })); }
      var items = el("ol", { className: "kg-evidence" });
      evidence.forEach(function (ev, k) {
        var li = el("li");
        li.appendChild(textSpan(ev.quote || ev.sentence || "", "blockquote"));
        var tools = el("div", { className: "kg-span" });
        if (ev.span) { tools.appendChild(ltr(spanText(ev.span))); tools.appendChild(document.createTextNode(" ")); }
        if (ev.quote || ev.sentence) {
          tools.appendChild(el("button", { type: "button", className: "kg-open", "data-evidence": k,
                                           text: ui.openText, onclick: function () { openReader(id, k); } }));
        }
        li.appendChild(tools);
        var meta = el("dl", { className: "kg-meta" });
        var art = detail().articles[ev.a] || {};
        var href = safeUrl(art.url);
        var title = art.title || art.url || art.iri || "";
        field(meta, ui.article, href
          ? el("a", { href: href, target: "_blank", rel: "noopener noreferrer", dir: "auto", text: title })
          : (title ? textSpan(title) : null));
        field(meta, ui.outlet, art.outlet);
        field(meta, ui.date, ev.date || art.date ? ltr(ev.date || art.date) : null);
        if (ev.claim_date && ev.claim_date !== (ev.date || art.date)) { field(meta, ui.claimDate, ltr(ev.claim_date)); }
        field(meta, ui.claimant, ev.claimant);
        field(meta, ui.flags, (ev.flags || []).join(", "));
        li.appendChild(meta);
        items.appendChild(li);
      });
      panel.appendChild(items);
    });

    function showHint() {
      current = null;
      clear(panel);
      panel.appendChild(el("p", { className: "kg-hint", text: ui.hint }));
    }

    function refreshPanel() {
      if (!current) { return; }
      if (current.node !== undefined) { if (nodeVis[current.node]) { showNode(current.node); } else { showHint(); } }
      else if (edgeVis[current.edge]) { showEdge(current.edge); } else { showHint(); }
    }

    // ------------------------------------------------------------------ article reader

    var reader = document.getElementById("kg-reader");
    var readerText = document.getElementById("kg-reader-text");

    // The article text (or, when the view holds none, the quote's sentence) with the quote marked.
    var openReader = withDetail(function (edgeId, k) {
      var ev = detail().edges.evidence[edgeId][k];
      var art = detail().articles[ev.a] || {};
      var stored = detail().texts[String(ev.a)];
      var text, start = -1, end = -1;
      if (stored && ev.span) {
        var points = Array.from(stored.t);  // spans count code points, as the annotations do
        var a = ev.span[0] - stored.o, b = ev.span[1] - stored.o;
        if (a >= 0 && b <= points.length && a < b) {
          text = stored.t;
          start = points.slice(0, a).join("").length;
          end = points.slice(0, b).join("").length;
        }
      }
      var note = null;
      if (text === undefined) {
        text = ev.sentence || ev.quote || "";
        start = ev.quote ? text.indexOf(ev.quote) : -1;
        end = start >= 0 ? start + ev.quote.length : -1;
        note = ui.inSentence;
      }
      var title = document.getElementById("kg-reader-title");
      clear(title);
      title.appendChild(bdi(art.title || art.iri || ""));
      var meta = document.getElementById("kg-reader-meta");
      clear(meta);
      [art.outlet, art.date].forEach(function (part) { if (part) { meta.appendChild(bdi(part)); meta.appendChild(document.createTextNode(" · ")); } });
      if (ev.span) { meta.appendChild(ltr(spanText(ev.span))); }
      if (note) { meta.appendChild(el("div", { className: "kg-hint", text: note })); }
      clear(readerText);
      readerText.setAttribute("lang", ARABIC.test(text) ? "ar" : "en");
      if (start >= 0) {
        readerText.appendChild(document.createTextNode(text.slice(0, start)));
        readerText.appendChild(el("mark", { text: text.slice(start, end) }));
        readerText.appendChild(document.createTextNode(text.slice(end)));
      } else {
        readerText.appendChild(document.createTextNode(text));
      }
      reader.hidden = false;
      var mark = readerText.querySelector("mark");
      if (mark) { mark.scrollIntoView({ block: "center" }); }
      document.getElementById("kg-reader-close").focus();
    });

    function closeReader() { reader.hidden = true; }
    document.getElementById("kg-reader-close").addEventListener("click", closeReader);
    reader.addEventListener("click", function (event) { if (event.target === reader) { closeReader(); } });
    document.addEventListener("keydown", function (event) { if (event.key === "Escape") { closeReader(); } });

    return {
      el: el, clear: clear, textSpan: textSpan, bdi: bdi, ltr: ltr, termLabel: termLabel, termText: termText,
      arrow: arrow, nodeName: nodeName, sourcesText: sourcesText, ARABIC: ARABIC, showNode: showNode,
      showEdge: showEdge, showHint: showHint, refreshPanel: refreshPanel, openReader: openReader
    };
  };
})();
