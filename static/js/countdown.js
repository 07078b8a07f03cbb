/* Deadlines counting down: every [data-due] element shows the time left (or overdue) each second. */
(function () {
  "use strict";
  var nodes = document.querySelectorAll("[data-due]");
  if (!nodes.length) return;
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function format(ms) {
    var s = Math.floor(Math.abs(ms) / 1000);
    return pad(Math.floor(s / 3600)) + ":" + pad(Math.floor(s / 60) % 60) + ":" + pad(s % 60);
  }
  function tick() {
    var now = Date.now();
    nodes.forEach(function (node) {
      var left = Date.parse(node.dataset.due) - now;
      var over = left < 0;
      node.textContent = (over ? node.dataset.overdue + " " : node.dataset.left + " ") + format(left);
      node.classList.toggle("overdue", over);
      node.classList.toggle("soon", !over && left < 15 * 60 * 1000);
    });
  }
  tick();
  setInterval(tick, 1000);
})();
