/* kg view, large networks: sigma.js draws the actors with WebGL at the positions computed in Python.
 * window.kgRenderer(data, container, hooks) returns the renderer the page's ui.js drives.
 * Labels: the most central actors always; the others as they grow big enough on screen once zoomed in
 * (sigma's label grid keeps them apart). */
(function () {
  "use strict";

  var OTHER_BLOC = "#c7c7c7";
  var EDGE_LAYER = 20000;

  function isolate(text) { return "\u2068" + String(text || "") + "\u2069"; }

  // Relation colours lightened towards white, so that a dense drawing still shows the actors.
  function lighten(hex, amount) {
    var v = hex.replace("#", "");
    if (v.length === 3) { v = v.split("").map(function (c) { return c + c; }).join(""); }
    var out = "#";
    for (var k = 0; k < 3; k++) {
      var c = parseInt(v.slice(2 * k, 2 * k + 2), 16);
      var d = Math.round(c + (255 - c) * amount).toString(16);
      out += d.length === 1 ? "0" + d : d;
    }
    return out;
  }

  // All relations as one layer of WebGL lines under sigma's actors, following sigma's camera (an affine map
  // from graph to viewport, read from three points after each render).
  function edgeLayer(renderer, container, data, relColour, hooks) {
    var E = data.edges;
    var N = data.nodes;
    var canvas = document.createElement("canvas");
    canvas.className = "kg-edge-layer";
    canvas.style.cssText = "position:absolute;inset:0;width:100%;height:100%;pointer-events:none";
    var nodesLayer = renderer.getCanvases().nodes;
    container.insertBefore(canvas, nodesLayer || null);
    var gl = canvas.getContext("webgl", { antialias: false, premultipliedAlpha: true });
    var vs = "attribute vec2 p; attribute vec4 c; uniform vec3 r0; uniform vec3 r1; varying vec4 v;" +
             "void main() { gl_Position = vec4(dot(r0, vec3(p, 1.0)), dot(r1, vec3(p, 1.0)), 0.0, 1.0); v = c; }";
    var fs = "precision mediump float; varying vec4 v; void main() { gl_FragColor = v; }";
    function shader(type, text) { var sh = gl.createShader(type); gl.shaderSource(sh, text); gl.compileShader(sh); return sh; }
    var program = gl.createProgram();
    gl.attachShader(program, shader(gl.VERTEX_SHADER, vs));
    gl.attachShader(program, shader(gl.FRAGMENT_SHADER, fs));
    gl.linkProgram(program);
    var posBuffer = gl.createBuffer();
    var colBuffer = gl.createBuffer();
    var count = 0;
    var rgba = relColour.map(function (hex) {
      return [parseInt(hex.slice(1, 3), 16), parseInt(hex.slice(3, 5), 16), parseInt(hex.slice(5, 7), 16), 255];
    });
    function rebuild() {
      var m = E.from.length, k = 0, j;
      var pos = new Float32Array(4 * m);
      var col = new Uint8Array(8 * m);
      for (j = 0; j < m; j++) {
        if (!hooks.edgeVisible(j)) { continue; }
        var a = E.from[j], b = E.to[j], c = rgba[E.rel[j]];
        pos[4 * k] = N.x[a]; pos[4 * k + 1] = -N.y[a]; pos[4 * k + 2] = N.x[b]; pos[4 * k + 3] = -N.y[b];
        col.set(c, 8 * k); col.set(c, 8 * k + 4);
        k++;
      }
      count = 2 * k;
      gl.bindBuffer(gl.ARRAY_BUFFER, posBuffer);
      gl.bufferData(gl.ARRAY_BUFFER, pos.subarray(0, 4 * k), gl.STATIC_DRAW);
      gl.bindBuffer(gl.ARRAY_BUFFER, colBuffer);
      gl.bufferData(gl.ARRAY_BUFFER, col.subarray(0, 8 * k), gl.STATIC_DRAW);
    }
    function draw() {
      var w = container.offsetWidth, h = container.offsetHeight, ratio = window.devicePixelRatio || 1;
      if (canvas.width !== Math.round(w * ratio) || canvas.height !== Math.round(h * ratio)) {
        canvas.width = Math.round(w * ratio);
        canvas.height = Math.round(h * ratio);
      }
      var o = renderer.graphToViewport({ x: 0, y: 0 });
      var ex = renderer.graphToViewport({ x: 1, y: 0 });
      var ey = renderer.graphToViewport({ x: 0, y: 1 });
      // viewport (px, y down) to clip space (-1..1, y up)
      var ax = ex.x - o.x, ay = ey.x - o.x, bx = ex.y - o.y, by = ey.y - o.y;
      gl.viewport(0, 0, canvas.width, canvas.height);
      gl.clearColor(0, 0, 0, 0);
      gl.clear(gl.COLOR_BUFFER_BIT);
      gl.useProgram(program);
      gl.uniform3f(gl.getUniformLocation(program, "r0"), 2 * ax / w, 2 * ay / w, 2 * o.x / w - 1);
      gl.uniform3f(gl.getUniformLocation(program, "r1"), -2 * bx / h, -2 * by / h, 1 - 2 * o.y / h);
      var p = gl.getAttribLocation(program, "p"), c = gl.getAttribLocation(program, "c");
      gl.bindBuffer(gl.ARRAY_BUFFER, posBuffer);
      gl.enableVertexAttribArray(p);
      gl.vertexAttribPointer(p, 2, gl.FLOAT, false, 0, 0);
      gl.bindBuffer(gl.ARRAY_BUFFER, colBuffer);
      gl.enableVertexAttribArray(c);
      gl.vertexAttribPointer(c, 4, gl.UNSIGNED_BYTE, true, 0, 0);
      gl.drawArrays(gl.LINES, 0, count);
    }
    rebuild();
    renderer.on("afterRender", draw);
    draw();
    return { canvas: canvas, rebuild: rebuild, draw: draw, count: function () { return count / 2; } };
  }

  window.kgRenderer = function (data, container, hooks) {
    var N = data.nodes;
    var E = data.edges;
    var n = N.x.length;
    var m = E.from.length;
    var colourMode = "bloc";
    var selected = new Set();
    var central = new Uint8Array(n);
    data.central.forEach(function (i) { central[i] = 1; });
    var typeColour = data.types.map(function (t) { return t.colour; });
    var blocColour = data.blocs.map(function (b) { return b.colour; });
    var relColour = data.relations.map(function (r) { return lighten(r.colour, m > 20000 ? 0.55 : 0.3); });
    var maxSize = 1;
    for (var s = 0; s < n; s++) { if (N.size[s] > maxSize) { maxSize = N.size[s]; } }

    function colourOf(i) {
      if (colourMode === "type") { return typeColour[N.type[i]]; }
      return N.bloc[i] < blocColour.length ? blocColour[N.bloc[i]] : OTHER_BLOC;
    }

    function label(i) { return data.lang === "ar" ? (N.ar[i] || N.en[i]) : (N.en[i] || N.ar[i]); }

    var graph = new graphology.MultiDirectedGraph();
    for (var i = 0; i < n; i++) {
      graph.addNode(i, { x: N.x[i], y: -N.y[i], size: 1.5 + 7 * (N.size[i] - 10) / Math.max(maxSize - 10, 1),
                         color: colourOf(i), label: isolate(label(i)), forceLabel: central[i] === 1 });
    }
    // Past EDGE_LAYER relations, the relations are not graph items but one WebGL layer of lines drawn from
    // the columns at once (sigma's per-edge work took seconds there); they are then reached from the actors.
    var layered = m > EDGE_LAYER;
    for (var j = 0; j < (layered ? 0 : m); j++) {
      var rel = data.relations[E.rel[j]];
      graph.addEdgeWithKey(j, E.from[j], E.to[j], {
        color: relColour[E.rel[j]], size: m > 20000 ? 0.5 : Math.min(3, 0.6 + 0.4 * Math.log2(Math.max(E.sources[j], 1))),
        type: rel.arrow && !E.sym[j] && m <= 20000 ? "arrow" : "line" });
    }

    // Labels start right of their node in both page directions (each label is isolated, so Arabic reads right).
    container.setAttribute("dir", "ltr");
    hooks.mark("graph");
    var renderer = new Sigma(graph, container, {
      labelFont: data.font, labelSize: 12, labelWeight: "normal", labelColor: { color: "#1f1f1f" },
      labelRenderedSizeThreshold: 7, labelDensity: 0.6, labelGridCellSize: 140,
      renderEdgeLabels: false, enableEdgeEvents: m <= 50000, hideEdgesOnMove: m > 50000, zIndex: false,
      defaultEdgeType: "line", minCameraRatio: 0.005, maxCameraRatio: 20, stagePadding: 60,
      nodeReducer: function (key, attrs) {
        var k = +key;
        if (!hooks.nodeVisible(k)) { return Object.assign({}, attrs, { hidden: true }); }
        if (colourMode === "bloc" && !selected.size) { return attrs; }
        var out = Object.assign({}, attrs);
        if (colourMode !== "bloc") { out.color = colourOf(k); }
        if (selected.has(k)) { out.highlighted = true; out.forceLabel = true; }
        return out;
      },
      edgeReducer: function (key, attrs) {
        return hooks.edgeVisible(+key) ? attrs : Object.assign({}, attrs, { hidden: true });
      }
    });
    var camera = renderer.getCamera();
    var lines = layered ? edgeLayer(renderer, container, data, relColour, hooks) : null;
    requestAnimationFrame(function () { hooks.drawn(); });

    function pointer(e) { return { x: e.event.x, y: e.event.y }; }
    renderer.on("enterNode", function (e) { hooks.hoverNode(+e.node, pointer(e)); });
    renderer.on("leaveNode", hooks.blur);
    renderer.on("enterEdge", function (e) { hooks.hoverEdge(+e.edge, pointer(e)); });
    renderer.on("leaveEdge", hooks.blur);
    renderer.on("clickNode", function (e) { hooks.blur(); hooks.clickNode(+e.node); });
    renderer.on("clickEdge", function (e) { hooks.blur(); hooks.clickEdge(+e.edge); });
    renderer.on("clickStage", function () { hooks.blur(); hooks.clickStage(); });
    camera.on("updated", hooks.blur);

    function fit(ids) {
      if (!ids || ids.length === n || !ids.length) {
        renderer.setCustomBBox(null);
      } else {
        var x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
        ids.forEach(function (k) {
          var x = N.x[k], y = -N.y[k];
          if (x < x0) { x0 = x; } if (x > x1) { x1 = x; }
          if (y < y0) { y0 = y; } if (y > y1) { y1 = y; }
        });
        if (x1 - x0 < 1) { x0 -= 50; x1 += 50; }
        if (y1 - y0 < 1) { y0 -= 50; y1 += 50; }
        renderer.setCustomBBox({ x: [x0, x1], y: [y0, y1] });
      }
      camera.setState({ x: 0.5, y: 0.5, ratio: 1, angle: 0 });
      renderer.refresh();
    }

    return {
      kind: "webgl", sigma: renderer, graph: graph, edgeLayer: lines,
      setVisible: function () { if (lines) { lines.rebuild(); } renderer.refresh(); },
      fit: fit,
      focus: function (id) {
        var d = renderer.getNodeDisplayData(String(id));
        if (d) { camera.animate({ x: d.x, y: d.y, ratio: Math.min(camera.getState().ratio, 0.15) }, { duration: 300 }); }
      },
      select: function (ids) { selected = new Set(ids); renderer.refresh(); },
      selectEdge: function () {},
      unselect: function () { selected = new Set(); renderer.refresh(); },
      setColourMode: function (mode) { colourMode = mode; renderer.refresh(); },
      colourMode: function () { return colourMode; },
      positions: function () { return [N.x, N.y]; },
      toCanvas: function () {
        renderer.refresh();  // draws at once, so the WebGL layers can be read before they are cleared
        var layers = renderer.getCanvases();
        var first = layers[Object.keys(layers)[0]];
        var out = document.createElement("canvas");
        out.width = first.width;
        out.height = first.height;
        var ctx = out.getContext("2d");
        ctx.fillStyle = "#ffffff";
        ctx.fillRect(0, 0, out.width, out.height);
        Array.prototype.forEach.call(container.querySelectorAll("canvas"), function (canvas) {
          var own = canvas === (lines && lines.canvas) || Object.keys(layers).some(function (k) { return layers[k] === canvas; });
          if (own && canvas.width && getComputedStyle(canvas).display !== "none") {
            ctx.drawImage(canvas, 0, 0, out.width, out.height);
          }
        });
        return out;
      },
      nodeColour: colourOf
    };
  };
})();
