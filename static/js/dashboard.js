/* The live dashboard keeps a local model of what it shows.
   Open: subscribe, then load the state, then apply the frames that came meanwhile. Each frame
   carries its organisation's number and what changed (`apply`: incident rows, the clocks of one
   subject, warnings with their resources on standby, in the state's own shapes); frames are applied in number order, one already
   held is ignored, and only the rows that changed are drawn again. The state is loaded again only
   after a gap (when /api/v1/events/?organisation=&after= shows that a change this screen may see
   was missed), a reconnect or a resync. Countdowns run here, from the server's due times. */
(function () {
  "use strict";
  var root = document.getElementById("dashboard");
  if (!root) return;
  var text = root.dataset;
  var labels = JSON.parse(document.getElementById("event-labels").textContent);
  var zone = text.timeZone || "Asia/Shanghai";
  var lang = document.documentElement.lang || "zh-hans";   // the frames' entries come in each language
  var INCIDENT_LIMIT = 200, FEED_LIMIT = 30, QUEUE_LIMIT = 5000;
  var last = {};            // organisation → last event number the screen holds
  var model = null;         // {incidents: {id: row}, clocks: {group: [clock]}, warnings: {id: warning}, figures}
  var queue = [], busy = false, wantLoad = false, retry = 500, loadRetry = 500;
  var loads = 0, applied = 0;
  var linkState = document.getElementById("link-state");
  var colours = {red: "#d7261e", orange: "#f08c00", yellow: "#f2c200", blue: "#1c64d8"};
  var gradeColours = {I: colours.red, II: colours.orange, III: colours.yellow, IV: colours.blue};
  var map = null, markers = {}, shapes = {}, standbyMarks = {}, fitted = false;
  var clockFormat = new Intl.DateTimeFormat(lang, {timeZone: zone, hour: "2-digit", minute: "2-digit",
                                                   second: "2-digit", hourCycle: "h23"});
  var dayFormat = new Intl.DateTimeFormat(lang, {timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit"});
  var yearFormat = new Intl.DateTimeFormat("en", {timeZone: zone, year: "numeric"});

  function el(tag, content, cls) {
    var node = document.createElement(tag);
    if (content != null) node.textContent = content;
    if (cls) node.className = cls;
    return node;
  }
  function link(href, content) { var a = el("a", content); a.href = href; return a; }
  function each(object, fn) { Object.keys(object || {}).forEach(function (key) { fn(key, object[key]); }); }
  function when(at) {   // the time in the platform's zone (Beijing time), with the day when not today
    var shown = clockFormat.format(at), day = dayFormat.format(at);
    return day === dayFormat.format(new Date()) ? shown : day + " " + shown;
  }
  function expose() {   // what the screen holds, for people and tests
    root.dataset.last = JSON.stringify(last);
    root.dataset.stateLoads = loads;
    root.dataset.framesApplied = applied;
  }

  /* Incidents: one row each, newest first; a change redraws its own row only. */
  function incidentRow(i, fresh) {
    var tr = document.createElement("tr");
    tr.dataset.incident = i.id;
    tr.dataset.received = i.received_at;
    if (fresh) tr.className = "fresh";
    var response = el("td", null, "response");
    if (i.response) {
      response.append(link(i.response.url, i.response.level_name || text.level + " " + i.response.level),
                      el("small", " · " + text.decidedBy + " " + i.response.decider));
    } else {
      response.textContent = i.status === "reported" ? text.none : text.ended;
    }
    var title = el("td", null, "title");
    title.append(link(i.url, i.title), el("small", " " + i.number));
    tr.append(el("td", i.grade || "—", "grade grade-" + (i.grade || "none")), title, el("td", i.unit, "unit"),
              el("td", i.type, "type"), response);
    return tr;
  }
  function ordered() {
    return Object.keys(model.incidents).map(function (id) { return model.incidents[id]; })
      .sort(function (a, b) { return Date.parse(b.received_at) - Date.parse(a.received_at) || b.id - a.id; });
  }
  function renderIncidents() {
    var rows = document.getElementById("incidents");
    rows.replaceChildren.apply(rows, ordered().map(function (i) { return incidentRow(i, false); }));
    document.getElementById("incident-count").textContent = rows.children.length;
  }
  function drawIncident(id, row, fresh) {
    var rows = document.getElementById("incidents");
    var old = rows.querySelector('tr[data-incident="' + id + '"]');
    if (!row) { if (old) old.remove(); }
    else {
      var tr = incidentRow(row, fresh);
      if (old && old.dataset.received === row.received_at) { old.replaceWith(tr); }
      else {
        if (old) old.remove();
        var list = ordered(), next = null;
        for (var n = list.indexOf(row) + 1; n < list.length && !next; n++) {
          next = rows.querySelector('tr[data-incident="' + list[n].id + '"]');
        }
        rows.insertBefore(tr, next);
      }
    }
    while (rows.children.length > INCIDENT_LIMIT) {
      delete model.incidents[rows.lastElementChild.dataset.incident];
      rows.lastElementChild.remove();
    }
    document.getElementById("incident-count").textContent = rows.children.length;
  }

  /* Clocks: a frame replaces the clocks of one subject; the table is drawn again in due order. */
  function renderClocks() {
    var clocks = [];
    each(model.clocks, function (_group, rows) { clocks = clocks.concat(rows); });
    clocks.sort(function (a, b) { return Date.parse(a.due_at) - Date.parse(b.due_at); });
    var body = document.getElementById("deadlines");
    body.replaceChildren();
    clocks.forEach(function (c) {
      var tr = document.createElement("tr");
      tr.dataset.kind = c.kind;
      tr.dataset.group = c.group;
      var cell = el("td", "", "countdown");
      cell.dataset.due = c.due_at;
      cell.dataset.amber = c.amber;
      var subject = el("td", null, "subject");
      subject.append(link(c.link, c.subject));
      tr.append(el("td", c.label, "label"), subject, cell);
      body.appendChild(tr);
    });
    tick();
  }

  /* Warnings in force, each with the teams and supplies its measures put on standby and their status. */
  function standbyList(w) {
    var list = el("ul", null, "standby plain");
    list.dataset.standbyOf = w.id;
    (w.standby || []).forEach(function (s) {
      var what = s.name + (s.kind === "supply" ? " × " + s.quantity + s.measure : "") + " · " + s.holder + " ";
      var li = el("li", what, s.state === "released" ? "muted" : null);
      li.dataset.standby = s.id;
      li.dataset.state = s.state;
      li.append(el("span", s.status, "tag standby-" + s.state));
      list.appendChild(li);
    });
    return list;
  }
  function renderWarnings() {
    var list = document.getElementById("warnings");
    list.replaceChildren();
    each(model.warnings, function (_id, w) {
      var li = el("li", " " + w.title + " · " + w.area + " · " + w.unit);
      li.dataset.warning = w.id;
      li.prepend(el("span", String(w.level), "tag warn warn-" + w.colour));
      if (w.standby && w.standby.length) li.append(standbyList(w));
      list.appendChild(li);
    });
  }

  /* The feed: newest first; a run of the same change is one line with its count. */
  function feedAdd(list, at, event, data, top) {
    var label = labels[event] || event;
    var neighbour = top ? list.firstElementChild : list.lastElementChild;
    if (neighbour && neighbour.dataset.event === event) {
      var count = Number(neighbour.dataset.count) + 1;
      neighbour.dataset.count = count;
      neighbour.querySelector(".count").textContent = " ×" + count;
      if (data.title && neighbour.dataset.subject !== data.title) {
        neighbour.querySelector(".what").textContent = label;   // several subjects: their names in the tooltip
      }
      if (data.title) neighbour.title = (neighbour.title ? neighbour.title + "\n" : "") + data.title;
      if (top && at) setTime(neighbour, at);
      return;
    }
    var item = el("li");
    item.dataset.event = event;
    item.dataset.count = 1;
    item.dataset.subject = data.title || "";
    if (data.title) item.title = data.title;
    item.append(el("span", label + (data.title ? " · " + data.title : ""), "what"), el("span", "", "count"));
    if (at) setTime(item, at);
    if (top) list.prepend(item); else list.append(item);
    while (list.children.length > FEED_LIMIT) list.lastElementChild.remove();
  }
  function setTime(item, at) {
    var node = item.querySelector("time") || item.insertBefore(el("time"), item.firstChild);
    node.className = "at";
    node.dateTime = at.toISOString();
    node.textContent = when(at);
  }
  function renderFeed(feed) {
    var list = document.getElementById("feed");
    list.replaceChildren();
    feed.forEach(function (e) { feedAdd(list, new Date(e.created_at), e.event, e.data || {}, false); });
  }

  /* This year's figures: counts move with the frames; the median waits are those of the last load. */
  function renderFigures() {
    var f = model.figures;
    bars("chart-type", f.by_type, function (r) { return r.count; });
    bars("chart-grade", f.by_grade, function (r) { return r.count; });
    bars("chart-response", f.response_minutes, function (r) { return r.median; }, " " + text.minutes);
  }
  function count(rows, label, by) {
    var row = rows.filter(function (r) { return (r.code || r.label) === label; })[0];  // a grade row by its code
    if (!row) { row = {label: label, count: 0}; rows.push(row); }
    row.count += by;
  }
  function figuresFor(event, old, row) {
    var f = model.figures, thisYear = yearFormat.format(new Date());
    if (!old && row && event === "incident.logged" && yearFormat.format(new Date(row.received_at)) === thisYear) {
      count(f.by_type, row.type, 1);
      f.by_type.sort(function (a, b) { return b.count - a.count; });
      f.by_type = f.by_type.slice(0, 8);
      count(f.by_grade, row.grade || "-", 1);
    } else if (old && row && old.grade !== row.grade && yearFormat.format(new Date(row.received_at)) === thisYear) {
      count(f.by_grade, old.grade || "-", -1);
      count(f.by_grade, row.grade || "-", 1);
    } else return false;
    return true;
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

  /* The map: the organisations' outlines (vendored, offline), tiles on top when configured. */
  function mapReady() {
    if (!window.L) return false;
    if (map) return true;
    var center = (text.center || "23.11,109.6").split(",").map(Number);
    map = L.map("dashboard-map", {attributionControl: false}).setView(center, 8);
    if (text.outlinesUrl) {
      fetch(text.outlinesUrl).then(function (r) { return r.ok ? r.json() : null; }).then(function (outlines) {
        if (!outlines) return;
        L.geoJSON(outlines, {style: {color: "#5d6878", weight: 1, fillColor: "#dfe6ee", fillOpacity: 0.5},
                             interactive: false}).addTo(map).bringToBack();
        root.dataset.outlines = outlines.features.length;
      }).catch(function () {});
    }
    if (text.tileUrl) L.tileLayer(text.tileUrl, {maxZoom: 18}).addTo(map);
    return true;
  }
  function drawMarker(id) {
    if (markers[id]) { markers[id].remove(); delete markers[id]; }
    var i = model.incidents[id];
    if (!i || i.lat == null || i.lon == null) return null;
    var point = [Number(i.lat), Number(i.lon)];
    // Leaflet puts a string tooltip in as HTML: the titles officers typed go in as text nodes.
    var scale = parseFloat(getComputedStyle(document.documentElement).fontSize) / 16;  // larger on a wall screen
    markers[id] = L.circleMarker(point, {radius: 9 * scale, color: "#222", weight: scale, fillOpacity: 0.9,
                                         fillColor: gradeColours[i.grade] || "#888"})
      .bindTooltip(document.createTextNode((i.grade || "—") + " · " + i.title)).addTo(map);
    return L.latLngBounds(point, point);
  }
  /* What a warning put on standby (teams, equipment, supplies): a square-ish mark where each waits,
     in the warning's colour, until released. Drawn with the warning's area, from the state and frames. */
  function drawStandby(id, w) {
    (standbyMarks[id] || []).forEach(function (mark) { mark.remove(); });
    delete standbyMarks[id];
    var marks = ((w && w.standby) || []).filter(function (s) { return s.state !== "released" && s.lat != null; })
      .map(function (s) {
        var mark = L.circleMarker([Number(s.lat), Number(s.lon)], {radius: 6, color: colours[w.colour] || "#555",
                                                                   weight: 3, fillColor: "#fff", fillOpacity: 1})
          .bindTooltip(document.createTextNode(s.status + " · " + s.name + (s.quantity ? " × " + s.quantity + s.measure : "")
                                               + " · " + w.title)).addTo(map);
        if (mark.getElement && mark.getElement()) mark.getElement().setAttribute("data-standby-mark", s.id);
        return mark;
      });
    if (marks.length) standbyMarks[id] = marks;
    root.dataset.standbyMarks = Object.keys(standbyMarks).reduce(function (n, k) { return n + standbyMarks[k].length; }, 0);
  }
  function drawShape(id) {
    if (shapes[id]) { shapes[id].remove(); delete shapes[id]; }
    var w = model.warnings[id];
    drawStandby(id, w);
    if (!w) return null;
    var style = {color: colours[w.colour], fillOpacity: 0.2, weight: 2}, shape = null;
    if (w.polygon) {
      shape = L.polygon(w.polygon.trim().split(/\s+/).map(function (p) { return p.split(",").map(Number); }), style);
    } else if (w.circle) {
      var parts = w.circle.trim().split(/\s+/);
      shape = L.circle(parts[0].split(",").map(Number), Object.assign({radius: Number(parts[1]) * 1000}, style));
    }
    if (!shape) return null;
    shapes[id] = shape.bindTooltip(document.createTextNode(w.title)).addTo(map);
    return shape.getBounds();
  }
  function renderMap() {
    if (!mapReady()) return;
    each(markers, function (id) { markers[id].remove(); });
    each(shapes, function (id) { shapes[id].remove(); });
    each(standbyMarks, function (id) { drawStandby(id, null); });
    markers = {}; shapes = {};
    var bounds = [];
    each(model.warnings, function (id) { var b = drawShape(id); if (b) bounds.push(b); });
    each(model.incidents, function (id) { var b = drawMarker(id); if (b) bounds.push(b); });
    if (bounds.length && !fitted) {
      map.fitBounds(bounds.reduce(function (a, b) { return a.extend(b); }), {maxZoom: 11});
      fitted = true;
    }
  }

  /* The whole state, on open and after a gap, a reconnect or a resync. */
  function render(state) {
    model = {incidents: {}, clocks: {}, warnings: {}, figures: state.figures};
    state.incidents.forEach(function (i) { model.incidents[i.id] = i; });
    state.deadlines.forEach(function (c) { (model.clocks[c.group] = model.clocks[c.group] || []).push(c); });
    state.warnings.forEach(function (w) { model.warnings[w.id] = w; });
    renderIncidents();
    renderClocks();
    renderWarnings();
    renderFeed(state.feed);
    renderFigures();
    renderMap();
    renderResources(state.resources);
    each(state.last, function (org, n) { last[org] = Math.max(last[org] || 0, n); });
    expose();
  }

  /* One frame, in number order: its rows into the model, and onto the screen. */
  function applyFrame(message) {
    last[String(message.organisation)] = message.seq;
    applied += 1;
    var change = (message.apply || {})[lang] || {}, clocks = false, warnings = false, figures = false;
    each(change.incidents, function (id, row) {
      var old = model.incidents[id];
      figures = figuresFor(message.event, old, row) || figures;
      if (row) model.incidents[id] = row; else delete model.incidents[id];
      drawIncident(id, row, row && !old);
      if (mapReady()) drawMarker(id);
    });
    each(change.clocks, function (group, rows) {
      if (rows.length) model.clocks[group] = rows; else delete model.clocks[group];
      clocks = true;
    });
    each(change.warnings, function (id, w) {
      if (w) model.warnings[id] = w; else delete model.warnings[id];
      warnings = true;
      if (mapReady()) drawShape(id);
    });
    if (clocks) renderClocks();
    if (warnings) renderWarnings();
    if (figures) renderFigures();
    feedAdd(document.getElementById("feed"), new Date(message.recorded * 1000), message.event, message.data || {}, true);
    markResource(message.event, message.data || {});
    expose();
  }

  /* Resources out (dispatched, en route, arrived, in use): one mark per request where it goes, from
     the state and moved or removed by each step's frame; a store running low: a mark where it is
     (the last 50 stay). */
  var outMarks = {}, lowMarks = [], outColours = {dispatched: "#1c64d8", en_route: "#1c64d8", arrived: "#2b8a3e",
                                                  in_use: "#2b8a3e"};
  function resourceMark(point, colour, tip, attribute, value) {
    var mark = L.circleMarker(point, {radius: 5, color: colour, weight: 2, fillOpacity: 0.4})
      .bindTooltip(document.createTextNode(tip)).addTo(map);
    if (mark.getElement && mark.getElement()) mark.getElement().setAttribute(attribute, value);
    return mark;
  }
  function markOut(r, label) {
    if (outMarks[r.request]) { outMarks[r.request].remove(); delete outMarks[r.request]; }
    if (outColours[r.state] && r.lat != null && r.lon != null) {
      outMarks[r.request] = resourceMark([Number(r.lat), Number(r.lon)], outColours[r.state],
                                         (label || r.status || r.state) + " · " + (r.title || ""),
                                         "data-resource-state", r.state);
    }
    root.dataset.resourceMarks = Object.keys(outMarks).length;
  }
  function renderResources(rows) {
    if (!mapReady()) return;
    each(outMarks, function (id) { outMarks[id].remove(); });
    outMarks = {};
    (rows || []).forEach(function (r) { markOut(r); });
    root.dataset.resourceMarks = Object.keys(outMarks).length;
  }
  function markResource(event, data) {
    if (!mapReady()) return;
    if (data.request != null && data.state) { markOut(data, labels[event]); return; }
    if (event !== "resources.low_stock" || data.lat == null || data.lon == null) return;
    lowMarks.push(resourceMark([Number(data.lat), Number(data.lon)], "#d7261e",
                               (labels[event] || event) + " · " + (data.title || ""), "data-resource-event", event));
    while (lowMarks.length > 50) lowMarks.shift().remove();
  }

  function loadState() {
    loads += 1;
    expose();
    return fetch(text.stateUrl, {credentials: "same-origin"})
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then(function (state) { render(state); loadRetry = 500; })
      .catch(function () {   // try again later; frames wait meanwhile
        wantLoad = true;
        return new Promise(function (resolve) { setTimeout(resolve, loadRetry); loadRetry = Math.min(loadRetry * 2, 10000); });
      });
  }

  function catchUp(org, after, upto) {
    // A number was skipped: was it a change this screen may see (then reload), or another unit's?
    return fetch("/api/v1/events/?organisation=" + org + "&after=" + after, {credentials: "same-origin"})
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then(function (events) {
        var missed = events.filter(function (e) { return e.seq > after && e.seq < upto; });
        if (missed.length) wantLoad = true;
        else last[org] = Math.max(last[org] || 0, upto - 1);
      })
      .catch(function () { wantLoad = true; });
  }

  function work(task) {
    busy = true;
    task().then(function () { busy = false; drain(); });
  }
  function drain() {
    if (busy) return;
    if (wantLoad) { wantLoad = false; work(loadState); return; }
    while (model && queue.length && !busy) {
      var message = queue.shift(), org = String(message.organisation), seen = last[org] || 0;
      if (message.seq <= seen) continue;            // a duplicate, or already in the state shown
      if (message.seq > seen + 1) {                 // a gap: find out what was missed
        queue.unshift(message);
        work(function () { return catchUp(org, seen, message.seq); });
        return;
      }
      applyFrame(message);
    }
  }
  function reload() { wantLoad = true; drain(); }

  function connect() {
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    var socket = new WebSocket(scheme + location.host + "/ws/dashboard/");
    socket.onmessage = function (e) {
      var message = JSON.parse(e.data);
      if (message.type === "hello" || message.type === "resync") {
        linkState.textContent = "●";
        linkState.classList.remove("bad");
        reload();   // subscribed first: the state loads now, and what arrives meanwhile waits in order
      } else if (message.type === "event") {
        queue.push(message);
        if (queue.length > QUEUE_LIMIT) { queue.splice(0, queue.length - QUEUE_LIMIT); wantLoad = true; }
        drain();
      }
    };
    socket.onopen = function () { retry = 500; };
    socket.onclose = function () {
      linkState.textContent = "○";
      linkState.classList.add("bad");
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
  expose();
  connect();
})();
