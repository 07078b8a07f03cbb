/* Warnings on a map in their level colours: polygons and circles from the warnings' areas. */
window.addEventListener("load", function () {
  "use strict";
  var node = document.getElementById("warning-map");
  if (!node || !window.L) return;
  var colours = {red: "#d7261e", orange: "#f08c00", yellow: "#f2c200", blue: "#1c64d8"};
  var shapes = JSON.parse(document.getElementById("warning-shapes").textContent);
  var center = (node.dataset.center || "23.11,109.6").split(",").map(Number);
  var map = L.map(node, {attributionControl: false}).setView(center, 8);
  if (node.dataset.tileUrl) L.tileLayer(node.dataset.tileUrl, {maxZoom: 18}).addTo(map);
  var bounds = [];
  shapes.forEach(function (shape) {
    var style = {color: colours[shape.colour], fillOpacity: 0.25};
    var layer = null;
    if (shape.polygon) {
      layer = L.polygon(shape.polygon.trim().split(/\s+/).map(function (p) { return p.split(",").map(Number); }), style);
    } else if (shape.circle) {
      var parts = shape.circle.trim().split(/\s+/);
      layer = L.circle(parts[0].split(",").map(Number), Object.assign({radius: Number(parts[1]) * 1000}, style));
    }
    if (!layer) return;
    var title = document.createTextNode(shape.title);  // Leaflet would put a string in as HTML
    layer.bindTooltip(title).on("click", function () { window.location = shape.url; }).addTo(map);
    bounds.push(layer.getBounds());
  });
  if (bounds.length) map.fitBounds(bounds.reduce(function (a, b) { return a.extend(b); }));
});
