/* The inventory map: the organisations' outlines (vendored, offline) and one marker per listed resource. */
window.addEventListener("load", function () {
  "use strict";
  var node = document.getElementById("resource-map");
  if (!node || !window.L) return;
  var points = JSON.parse(document.getElementById("resource-points").textContent);
  var colours = {teams: "#a4161a", stores: "#1c64d8", equipment: "#f08c00", shelters: "#2b8a3e"};
  var map = L.map(node, {attributionControl: false}).setView([23.11, 109.6], 8);
  if (node.dataset.outlinesUrl) {
    fetch(node.dataset.outlinesUrl).then(function (r) { return r.ok ? r.json() : null; }).then(function (outlines) {
      if (outlines) L.geoJSON(outlines, {style: {color: "#5d6878", weight: 1, fillColor: "#dfe6ee", fillOpacity: 0.5},
                                         interactive: false}).addTo(map).bringToBack();
    }).catch(function () {});
  }
  if (node.dataset.tileUrl) L.tileLayer(node.dataset.tileUrl, {maxZoom: 18}).addTo(map);
  var bounds = [];
  points.forEach(function (p) {
    var at = [Number(p.lat), Number(p.lon)];
    L.circleMarker(at, {radius: 6, color: "#222", weight: 1, fillOpacity: 0.9, fillColor: colours[p.kind] || "#888"})
      .bindTooltip(document.createTextNode(p.name)).addTo(map);
    bounds.push(at);
  });
  if (bounds.length) map.fitBounds(bounds, {maxZoom: 12, padding: [20, 20]});
  node.dataset.markers = points.length;
});
