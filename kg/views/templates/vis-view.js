/* kg view, small and medium networks: vis-network draws the actors at the positions computed in Python.
 * window.kgRenderer(data, container, hooks) returns the renderer the page's ui.js drives. */
(function () {
  "use strict";

  var SIZED = { dot: 1, square: 1, triangle: 1, triangleDown: 1, diamond: 1, star: 1, hexagon: 1 };
  var OTHER_BLOC = "#c7c7c7";

  // Each label line isolated (FSI … PDI), so digits and Latin next to Arabic keep their order.
  function isolate(label) {
    return String(label || "").split("\n").map(function (line) { return "\u2068" + line + "\u2069"; }).join("\n");
  }

  function blocVis(colour) {
    return { background: colour, border: "#555555", highlight: { background: colour, border: "#111111" },
             hover: { background: colour, border: "#333333" } };
  }

  window.kgRenderer = function (data, container, hooks) {
    var N = data.nodes;
    var E = data.edges;
    var n = N.x.length;
    var m = E.from.length;
    var colourMode = "type";

    function colourOf(i) {
      if (colourMode === "bloc") {
        var b = N.bloc[i];
        return blocVis(b < data.blocs.length ? data.blocs[b].colour : OTHER_BLOC);
      }
      return data.types[N.type[i]].vis;
    }

    var nodeItems = [];
    for (var i = 0; i < n; i++) {
      var term = data.types[N.type[i]];
      var item = { id: i, x: N.x[i], y: N.y[i], shape: term.shape, color: term.vis };
      if (!data.large) { item.label = isolate(N.label[i]); }
      if (SIZED[term.shape]) { item.size = N.size[i]; } else { item.font = { size: Math.round(12 + N.size[i] / 4) }; }
      nodeItems.push(item);
    }
    var edgeItems = [];
    for (var j = 0; j < m; j++) {
      var rel = data.relations[E.rel[j]];
      var edge = { id: j, from: E.from[j], to: E.to[j], color: rel.colour,
                   width: Math.min(7, 1.5 + 1.2 * Math.log2(Math.max(E.sources[j], 1))) };
      if (rel.arrow && !E.sym[j]) { edge.arrows = "to"; }
      if (rel.dash) { edge.dashes = rel.dash; }
      if (E.curve[j]) {
        edge.smooth = { enabled: true, type: E.curve[j] > 0 ? "curvedCW" : "curvedCCW", roundness: Math.abs(E.curve[j]) };
      }
      edgeItems.push(edge);
    }
    var nodes = new vis.DataSet(nodeItems);
    var edges = new vis.DataSet(edgeItems);
    var visibleNodes = new vis.DataView(nodes, { filter: function (x) { return hooks.nodeVisible(x.id); } });
    var visibleEdges = new vis.DataView(edges, { filter: function (x) { return hooks.edgeVisible(x.id); } });
    var network = new vis.Network(container, { nodes: visibleNodes, edges: visibleEdges }, data.options);

    function fit(ids) {
      var options = { maxZoomLevel: 1.6 };
      if (ids && ids.length && ids.length < n) { options.nodes = ids.map(String).map(Number); }
      network.fit(options);
      // leave a margin round the drawing: vis-network fits node shapes, not their labels
      network.moveTo({ scale: network.getScale() * 0.9 });
    }
    fit(null);

    network.once("afterDrawing", function () { hooks.drawn(); });
    network.on("hoverNode", function (p) { hooks.hoverNode(p.node, p.pointer.DOM); });
    network.on("hoverEdge", function (p) { hooks.hoverEdge(p.edge, p.pointer.DOM); });
    network.on("blurNode", hooks.blur);
    network.on("blurEdge", hooks.blur);
    network.on("dragStart", hooks.blur);
    network.on("zoom", hooks.blur);
    network.on("click", function (p) {
      hooks.blur();
      if (p.nodes.length) { hooks.clickNode(p.nodes[0]); }
      else if (p.edges.length) { hooks.clickEdge(p.edges[0]); }
      else { hooks.clickStage(); }
    });

    // Large views open without labels (measuring thousands of them delays the first picture); once
    // zoomed in, the nodes in sight get theirs.
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
          updates.push({ id: id, label: isolate(N.label[id]) });
        }
      });
      if (updates.length) { nodes.update(updates); }
    }
    if (data.large) {
      network.on("afterDrawing", function () {
        if (labelTimer === null && network.getScale() >= 0.4) { labelTimer = setTimeout(labelNodesInSight, 120); }
      });
    }

    return {
      kind: "vis", network: network, nodes: nodes, edges: edges, visibleNodes: visibleNodes, visibleEdges: visibleEdges,
      setVisible: function () { visibleNodes.refresh(); visibleEdges.refresh(); },
      fit: fit,
      focus: function (id) { network.focus(id, { scale: Math.max(network.getScale(), 1), animation: { duration: 300 } }); },
      select: function (ids) { network.selectNodes(ids, false); },
      selectEdge: function (id) { network.selectEdges([id]); },
      unselect: function () { network.unselectAll(); },
      setPhysics: function (on) { network.setOptions({ physics: { enabled: on } }); },
      setColourMode: function (mode) {
        colourMode = mode;
        var updates = [];
        for (var k = 0; k < n; k++) { updates.push({ id: k, color: colourOf(k) }); }
        nodes.update(updates);
      },
      colourMode: function () { return colourMode; },
      positions: function () {  // [xs, ys], y down (physics may have moved the nodes)
        var p = network.getPositions();
        var xs = [], ys = [];
        for (var k = 0; k < n; k++) { xs.push(p[k] ? p[k].x : N.x[k]); ys.push(p[k] ? p[k].y : N.y[k]); }
        return [xs, ys];
      },
      toCanvas: function () {
        network.redraw();
        var source = container.querySelector("canvas");
        var out = document.createElement("canvas");
        out.width = source.width;
        out.height = source.height;
        var ctx = out.getContext("2d");
        ctx.fillStyle = "#ffffff";
        ctx.fillRect(0, 0, out.width, out.height);
        ctx.drawImage(source, 0, 0);
        return out;
      },
      nodeColour: function (i) { return colourOf(i).background; }
    };
  };
})();
