/* The live dashboard. Subscribe first, then load the state, then apply what arrives in order.
   Each event carries its organisation's number: one already held is ignored; any newer one
   reloads the state (debounced). A gap or a reconnect first fetches the missed events by number
   (/api/v1/events/?organisation=&after=) for the feed, then reloads. Countdowns run here, from
   the server's due times; the server pushes when one is met, missed or moved. */
(function () {
  "use strict";
  var root = document.getElementById("dashboard");
  if (!root) return;
  var text = root.dataset;
  var last = {};            // organisation → last event number the screen holds
  var known = null;         // incident ids shown, to mark new ones
  var loading = null, again = false, pending = null, retry = 500;
  var linkState = document.getElementById("link-state");
  var colours = {red: "#d7261e", orange: "#f08c00", yellow: "#f2c200", blue: "#1c64d8"};
  var gradeColours = {I: colours.red, II: colours.orange, III: colours.yellow, IV: colours.blue};
  var map = null, layers = null, fitted = false;

  function el(tag, content, cls) {
    var node = document.createElement(tag);
    if (content != null) node.textContent = content;
    if (cls) node.className = cls;
    return node;
  }
  function link(href, content) { var a = el("a", content); a.href = href; return a; }

  function renderIncidents(incidents) {
    var rows = document.getElementById("incidents");
    var fresh = known;
    known = {};
    rows.replaceChildren();
    incidents.forEach(function (i) {
      known[i.id] = true;
      var tr = document.createElement("tr");
      tr.dataset.incident = i.id;
      if (fresh && !fresh[i.id]) tr.className = "fresh";
      var response = el("td", i.response ? "" : text.none);
      if (i.response) {
        response.append(link(i.response.url, text.level + " " + i.response.level),
                        el("small", " · " + text.decidedBy + " " + i.response.decider));
      }
      var title = el("td");
      title.append(link(i.url, i.title), el("small", " " + i.number));
      tr.append(el("td", i.grade || "—", "grade grade-" + (i.grade || "none")), title, el("td", i.unit),
                el("td", i.type), response);
      rows.appendChild(tr);
    });
    document.getElementById("incident-count").textContent = incidents.length;
  }

  function renderClocks(clocks) {
    var body = document.getElementById("deadlines");
    body.replaceChildren();
    clocks.forEach(function (c) {
      var tr = document.createElement("tr");
      tr.dataset.kind = c.kind;
      var cell = el("td", "", "countdown");
      cell.dataset.due = c.due_at;
      cell.dataset.amber = c.amber;
      var subject = el("td");
      subject.append(link(c.link, c.subject));
      tr.append(el("td", c.label), subject, cell);
      body.appendChild(tr);
    });
  }

  function renderWarnings(warnings) {
    var list = document.getElementById("warnings");
    list.replaceChildren();
    warnings.forEach(function (w) {
      var li = el("li", " " + w.title + " · " + w.area + " · " + w.unit);
      li.prepend(el("span", String(w.level), "tag warn warn-" + w.colour));
      list.appendChild(li);
    });
  }

  function renderFeed(feed) {
    var list = document.getElementById("feed");
    list.replaceChildren();
    feed.forEach(function (e) { list.appendChild(feedItem(e.created_at, e.label, e.data)); });
  }
  function feedItem(at, label, data) {
    var item = el("li", " " + label + (data.title ? " · " + data.title : ""));
    if (at) item.prepend(el("time", new Date(at).toLocaleTimeString()));
    return item;
  }

  function bars(id, rows, value, suffix) {
    var node = document.getElementById(id);
    node.replaceChildren();
    var top = Math.max.apply(null, rows.map(value).concat([1]));
    rows.forEach(function (row) {
      var svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
      var rect = document.createElementNS("http://www.w3.org/2000/svg", "rect");
      rect.setAttribute("height", "100%");
      rect.setAttribute("width", (100 * value(row) / top) + "%");
      svg.appendChild(rect);
      var cell = el("div");
      cell.append(svg, el("span", String(value(row)) + (suffix || ""), "value"));
      node.append(el("span", row.label), cell);
    });
  }

  function renderMap(state) {
    if (!window.L) return;
    if (!map) {
      var center = (text.center || "23.11,109.6").split(",").map(Number);
      map = L.map("dashboard-map", {attributionControl: false}).setView(center, 8);
      if (text.tileUrl) L.tileLayer(text.tileUrl, {maxZoom: 18}).addTo(map);
      layers = L.layerGroup().addTo(map);
    }
    layers.clearLayers();
    var bounds = [];
    state.warnings.forEach(function (w) {
      var style = {color: colours[w.colour], fillOpacity: 0.2, weight: 2}, shape = null;
      if (w.polygon) {
        shape = L.polygon(w.polygon.trim().split(/\s+/).map(function (p) { return p.split(",").map(Number); }), style);
      } else if (w.circle) {
        var parts = w.circle.trim().split(/\s+/);
        shape = L.circle(parts[0].split(",").map(Number), Object.assign({radius: Number(parts[1]) * 1000}, style));
      }
      // Leaflet puts a string tooltip in as HTML: the titles officers typed go in as text nodes.
      if (shape) { shape.bindTooltip(document.createTextNode(w.title)).addTo(layers); bounds.push(shape.getBounds()); }
    });
    state.incidents.forEach(function (i) {
      if (i.lat == null || i.lon == null) return;
      var point = [Number(i.lat), Number(i.lon)];
      L.circleMarker(point, {radius: 9, color: "#222", weight: 1, fillOpacity: 0.9,
                             fillColor: gradeColours[i.grade] || "#888"})
        .bindTooltip(document.createTextNode((i.grade || "—") + " · " + i.title)).addTo(layers);
      bounds.push(L.latLngBounds(point, point));
    });
    if (bounds.length && !fitted) {
      map.fitBounds(bounds.reduce(function (a, b) { return a.extend(b); }), {maxZoom: 11});
      fitted = true;
    }
  }

  function render(state) {
    renderIncidents(state.incidents);
    renderClocks(state.deadlines);
    renderWarnings(state.warnings);
    renderFeed(state.feed);
    bars("chart-type", state.figures.by_type, function (r) { return r.count; });
    bars("chart-grade", state.figures.by_grade, function (r) { return r.count; });
    bars("chart-response", state.figures.response_minutes, function (r) { return r.median; }, " " + text.minutes);
    renderMap(state);
    Object.keys(state.last).forEach(function (org) { last[org] = Math.max(last[org] || 0, state.last[org]); });
    root.dataset.last = JSON.stringify(last);  // what the screen holds, for people and tests
    tick();
  }

  function load() {
    if (loading) { again = true; return loading; }
    loading = fetch(text.stateUrl, {credentials: "same-origin"})
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then(render)
      .catch(function () { again = true; })
      .finally(function () { loading = null; if (again) { again = false; soon(); } });
    return loading;
  }
  function soon() { clearTimeout(pending); pending = setTimeout(load, 100); }

  function catchUp() {
    // The events missed while away, by number, into the feed; then the state, which holds them all.
    var asks = Object.keys(last).map(function (org) {
      return fetch("/api/v1/events/?organisation=" + org + "&after=" + last[org], {credentials: "same-origin"})
        .then(function (r) { return r.ok ? r.json() : []; });
    });
    return Promise.all(asks).then(function (lists) {
      var feed = document.getElementById("feed");
      lists.forEach(function (events) {
        events.forEach(function (e) { feed.prepend(feedItem(null, e.event, e.data)); });
      });
    }).catch(function () {}).then(load);
  }

  function apply(message) {
    var org = String(message.organisation);
    var seen = last[org] || 0;
    if (message.seq <= seen) return;           // a duplicate, or already in the state shown
    if (seen && message.seq > seen + 1) { catchUp(); return; }   // a gap: fetch what was missed
    soon();
  }

  function connect() {
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    var socket = new WebSocket(scheme + location.host + "/ws/dashboard/");
    socket.onmessage = function (e) {
      var message = JSON.parse(e.data);
      if (message.type === "hello" || message.type === "resync") {
        linkState.textContent = "●";
        linkState.classList.remove("bad");
        if (Object.keys(last).length) catchUp(); else load();
      } else if (message.type === "event") {
        apply(message);
      }
    };
    socket.onopen = function () { retry = 500; };
    socket.onclose = function () {
      linkState.textContent = "○";
      linkState.classList.add("bad");
      soon();  // without the push, the screen still refreshes at each reconnect attempt
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
      var span = s >= 2 * 86400 ? Math.floor(s / 86400) + " " + text.days
        : pad(Math.floor(s / 3600)) + ":" + pad(Math.floor(s / 60) % 60) + ":" + pad(s % 60);
      node.textContent = (left < 0 ? text.overdue : text.left) + " " + span;
      node.classList.toggle("overdue", left < 0);
      node.classList.toggle("soon", left >= 0 && left < Number(node.dataset.amber) * 1000);
    });
  }
  setInterval(tick, 1000);
  connect();
})();
