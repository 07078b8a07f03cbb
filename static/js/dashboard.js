/* The live dashboard: subscribe first, then load the state, then apply what arrives in order.
   A gap in an organisation's numbers, or a reconnect, fetches the missed events and reloads. */
(function () {
  "use strict";
  var root = document.getElementById("dashboard");
  if (!root) return;
  var last = {};           // organisation → last event number applied
  var loading = null;
  var socket = null;
  var retry = 500;
  var linkState = document.getElementById("link-state");

  function el(tag, text, cls) { var n = document.createElement(tag); n.textContent = text; if (cls) n.className = cls; return n; }

  function render(state) {
    var rows = document.getElementById("incidents");
    rows.replaceChildren();
    state.incidents.forEach(function (i) {
      var tr = document.createElement("tr");
      tr.dataset.incident = i.id;
      var grade = el("td", i.grade || "—", "grade grade-" + (i.grade || "none"));
      tr.append(grade, el("td", i.number), el("td", i.title), el("td", i.unit), el("td", i.type),
                el("td", i.response ? "响应 " + i.response + " 级 / level " + i.response : ""));
      rows.appendChild(tr);
    });
    document.getElementById("incident-count").textContent = state.incidents.length;
    var deadlines = document.getElementById("deadlines");
    deadlines.replaceChildren();
    state.deadlines.forEach(function (d) {
      var tr = document.createElement("tr");
      var cell = el("td", "", "countdown");
      cell.dataset.due = d.due_at;
      tr.append(el("td", String(d.incident)), el("td", d.kind), cell);
      deadlines.appendChild(tr);
    });
    var warnings = document.getElementById("warnings");
    warnings.replaceChildren();
    state.warnings.forEach(function (w) {
      var li = el("li", " " + w.title + " · " + w.area);
      li.prepend(el("span", String(w.level), "warn warn-" + w.colour));
      warnings.appendChild(li);
    });
    var proposals = document.getElementById("proposals");
    proposals.replaceChildren();
    state.proposals.forEach(function (p) { proposals.appendChild(el("li", p.incident + " · " + p.level)); });
    var feed = document.getElementById("feed");
    feed.replaceChildren();
    state.feed.forEach(function (e) { feed.appendChild(el("li", e.created_at.slice(11, 19) + " " + e.event + " " + (e.data.title || ""))); });
    Object.keys(state.last).forEach(function (org) { last[org] = Math.max(last[org] || 0, state.last[org]); });
    tick();
  }

  function load() {
    if (loading) return loading;
    loading = fetch(root.dataset.stateUrl, {credentials: "same-origin"})
      .then(function (r) { return r.json(); })
      .then(render)
      .finally(function () { loading = null; });
    return loading;
  }

  var pending = null;
  function soon() { clearTimeout(pending); pending = setTimeout(load, 150); }

  function apply(message) {
    var org = String(message.organisation);
    var seen = last[org] || 0;
    if (message.seq <= seen) return;            // a duplicate or an event the state already holds
    last[org] = message.seq;
    soon();  // a gap (seq > seen + 1) is healed too: the state reload holds everything up to now
  }

  function connect() {
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    socket = new WebSocket(scheme + location.host + "/ws/dashboard/");
    socket.onmessage = function (e) {
      var message = JSON.parse(e.data);
      if (message.type === "hello" || message.type === "resync") { load(); linkState.textContent = "●"; }
      else if (message.type === "event") apply(message);
    };
    socket.onopen = function () { retry = 500; };
    socket.onclose = function () {
      linkState.textContent = "○";
      setTimeout(connect, retry);
      retry = Math.min(retry * 2, 10000);
    };
  }

  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function tick() {
    var now = Date.now();
    document.querySelectorAll("#deadlines [data-due]").forEach(function (node) {
      var left = Date.parse(node.dataset.due) - now;
      var s = Math.floor(Math.abs(left) / 1000);
      node.textContent = (left < 0 ? root.dataset.overdue : root.dataset.left) + " " +
        pad(Math.floor(s / 3600)) + ":" + pad(Math.floor(s / 60) % 60) + ":" + pad(s % 60);
      node.classList.toggle("overdue", left < 0);
      node.classList.toggle("soon", left >= 0 && left < 15 * 60 * 1000);
    });
  }
  setInterval(tick, 1000);
  connect();
})();
