/* The warning's area drawn on the map (Leaflet, vendored): each click adds a corner of the polygon,
   written to the form's "polygon" field as CAP 1.2 wants it ("lat,lon …", the last point equal to
   the first); "circle" mode takes a centre click and the radius typed in kilometres. Typing in the
   fields redraws the map, so the text and the drawing never disagree. The counties' outlines
   (static/vendor/geo, offline) are the base layer; tiles on top when a tile URL is configured. */
window.addEventListener("load", function () {
  "use strict";
  var node = document.getElementById("warning-draw");
  if (!node || !window.L) return;
  var form = document.querySelector(node.dataset.form);
  if (!form) return;
  var polygonInput = form.querySelector("[name=polygon]");
  var circleInput = form.querySelector("[name=circle]");
  if (!polygonInput || !circleInput) return;
  // the map goes right after the polygon field, inside the form
  var anchor = polygonInput.closest("label") || polygonInput;
  var help = anchor.nextElementSibling && anchor.nextElementSibling.classList.contains("help") ? anchor.nextElementSibling : anchor;
  help.after(node);
  node.hidden = false;
  var colour = "#d7261e";
  var center = (node.dataset.center || "23.11,109.6").split(",").map(Number);
  var canvas = node.querySelector(".map");
  var map = L.map(canvas, {attributionControl: false}).setView(center, 9);
  if (node.dataset.outlinesUrl) {
    fetch(node.dataset.outlinesUrl).then(function (r) { return r.ok ? r.json() : null; }).then(function (outlines) {
      if (outlines) L.geoJSON(outlines, {style: {color: "#5d6878", weight: 1, fillColor: "#dfe6ee", fillOpacity: 0.5},
                                        interactive: false}).addTo(map).bringToBack();
    }).catch(function () {});
  }
  if (node.dataset.tileUrl) L.tileLayer(node.dataset.tileUrl, {maxZoom: 18}).addTo(map);
  var layer = null;
  var points = [];
  var mode = "polygon";
  var round = function (x) { return Math.round(x * 10000) / 10000; };

  function parsePolygon(text) {
    var pairs = text.trim().split(/\s+/).filter(Boolean).map(function (p) { return p.split(",").map(Number); });
    if (pairs.some(function (p) { return p.length !== 2 || isNaN(p[0]) || isNaN(p[1]); })) return null;
    if (pairs.length > 1 && pairs[0][0] === pairs[pairs.length - 1][0] && pairs[0][1] === pairs[pairs.length - 1][1]) pairs.pop();
    return pairs;
  }
  function draw() {
    if (layer) { layer.remove(); layer = null; }
    var circle = circleInput.value.trim().split(/\s+/);
    if (points.length >= 3) layer = L.polygon(points, {color: colour, fillOpacity: 0.25});
    else if (points.length) layer = L.polyline(points, {color: colour});
    else if (circle.length === 2 && circle[0].indexOf(",") > 0 && Number(circle[1]) > 0) {
      layer = L.circle(circle[0].split(",").map(Number), {radius: Number(circle[1]) * 1000, color: colour, fillOpacity: 0.25});
    }
    if (layer) layer.addTo(map);
    node.dataset.corners = String(points.length);
  }
  function writePolygon() {
    polygonInput.value = points.length >= 3
      ? points.concat([points[0]]).map(function (p) { return round(p[0]) + "," + round(p[1]); }).join(" ") : "";
  }
  map.on("click", function (event) {
    var lat = round(event.latlng.lat), lon = round(event.latlng.lng);
    if (mode === "circle") {
      var radius = circleInput.value.trim().split(/\s+/)[1] || node.dataset.radius || "10";
      circleInput.value = lat + "," + lon + " " + radius;
      points = []; writePolygon();
    } else {
      points.push([lat, lon]);
      writePolygon();
    }
    draw();
  });
  node.querySelectorAll("[data-mode]").forEach(function (button) {
    button.addEventListener("click", function () {
      mode = button.dataset.mode;
      node.querySelectorAll("[data-mode]").forEach(function (b) { b.setAttribute("aria-pressed", String(b === button)); });
    });
  });
  node.querySelector("[data-action=undo]").addEventListener("click", function () { points.pop(); writePolygon(); draw(); });
  node.querySelector("[data-action=clear]").addEventListener("click", function () {
    points = []; writePolygon(); circleInput.value = ""; draw();
  });
  polygonInput.addEventListener("input", function () { points = parsePolygon(polygonInput.value) || points; draw(); });
  circleInput.addEventListener("input", draw);
  points = parsePolygon(polygonInput.value) || [];
  draw();
  if (layer && layer.getBounds) map.fitBounds(layer.getBounds());
});
