/* Small read-only maps: every [data-map] element shows a marker at data-lat/data-lon. */
window.addEventListener("load", function () {
  "use strict";
  if (!window.L) return;
  document.querySelectorAll("[data-map]").forEach(function (node) {
    var at = [Number(node.dataset.lat), Number(node.dataset.lon)];
    var map = L.map(node, {attributionControl: false, zoomControl: false, dragging: false, scrollWheelZoom: false})
      .setView(at, 10);
    if (node.dataset.tileUrl) L.tileLayer(node.dataset.tileUrl, {maxZoom: 18}).addTo(map);
    L.circleMarker(at, {radius: 7, color: "#a4161a"}).addTo(map);
  });
});
