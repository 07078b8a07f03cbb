/* The incident form: grade preview as the officer types, the type's figures and checklist
   first, and a map to click for the place (Leaflet; tiles only when a tile URL is configured). */
(function () {
  "use strict";
  var form = document.getElementById("incident-form");
  if (!form) return;
  var preview = document.getElementById("grade-preview");
  var labels = {};
  document.querySelectorAll("#grade-labels [data-label]").forEach(function (node) {
    labels[node.dataset.label] = node.textContent;
  });
  var metricKeys = JSON.parse(document.getElementById("metric-keys").textContent);
  var typeSelect = form.querySelector("[name=type]");
  var english = (document.documentElement.lang || "").indexOf("en") === 0;
  var showAll = false;
  var timer = null;
  var sequence = 0;

  function text(tag, value, className) {
    var node = document.createElement(tag);
    node.textContent = value;
    if (className) node.className = className;
    return node;
  }

  function collect() {
    var metrics = {};
    form.querySelectorAll("input[name^=metric_]").forEach(function (input) {
      if (input.value.trim() !== "") metrics[input.name.slice(7)] = input.value.trim();
    });
    var checked = [];
    form.querySelectorAll("#checklists fieldset:not([hidden]) input[name=checked]:checked").forEach(function (box) {
      checked.push(box.value);
    });
    var secondary = Array.prototype.map.call(form.querySelector("[name=secondary_types]").selectedOptions,
      function (o) { return o.value; });
    var unit = form.querySelector("[name=unit]");  // graded by the table of the unit's organisation
    return {type: typeSelect.value, metrics: metrics, checked: checked, secondary_types: secondary,
            unit: unit && unit.value ? Number(unit.value) : null};
  }

  function render(result) {
    preview.replaceChildren();
    var grade = result.grade;
    preview.appendChild(text("p", grade ? labels[grade] : labels.none, "grade-result grade grade-" + (grade || "none")));
    preview.dataset.grade = grade || "";
    var list = document.createElement("ul");
    result.reasons.forEach(function (reason) {
      var item = document.createElement("li");
      if (reason.grade) item.appendChild(text("span", reason.grade, "grade grade-" + reason.grade));
      item.appendChild(text("span", " " + (english && reason.wording_en ? reason.wording_en : reason.wording) + (reason.source ? " (" + reason.source + ")" : "")));
      list.appendChild(item);
    });
    preview.appendChild(list);
  }

  function renderError(body) {
    preview.replaceChildren();
    preview.dataset.grade = "";
    preview.appendChild(text("p", labels.error, "muted"));
    var error = body && body.error;
    if (error) {
      preview.appendChild(text("p", error.message, "error"));
      Object.keys(error.fields || {}).forEach(function (key) {
        preview.appendChild(text("p", key.replace("metrics.", "") + ": " + error.fields[key].join(" "), "error small"));
      });
    }
  }

  function refresh() {
    var payload = collect();
    if (!payload.type) return;
    var mine = ++sequence;
    fetch(form.dataset.previewUrl, {
      method: "POST", credentials: "same-origin",
      headers: {"Content-Type": "application/json", "X-CSRFToken": document.body.dataset.csrf},
      body: JSON.stringify(payload)
    }).then(function (response) {
      return response.json().then(function (body) { return {ok: response.ok, body: body}; });
    }).then(function (answer) {
      if (mine !== sequence) return;  // a newer keystroke's answer wins
      if (answer.ok) render(answer.body); else renderError(answer.body);
    }).catch(function () { if (mine === sequence) renderError(null); });
  }

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(refresh, 120);
  }

  function arrange() {
    var type = typeSelect.value;
    var relevant = metricKeys[type] || [];
    document.querySelectorAll("#metrics .metric").forEach(function (label) {
      var key = label.dataset.metric;
      var input = label.querySelector("input");
      label.hidden = !(showAll || relevant.indexOf(key) >= 0 || input.value.trim() !== "" || relevant.length === 0);
      label.classList.toggle("relevant", relevant.indexOf(key) >= 0);
    });
    document.querySelectorAll("#checklists fieldset").forEach(function (set) {
      set.hidden = set.dataset.type !== type;
    });
  }

  form.addEventListener("input", schedule);
  form.addEventListener("change", function (event) {
    if (event.target === typeSelect) arrange();
    schedule();
  });
  document.getElementById("all-metrics").addEventListener("click", function () {
    showAll = !showAll;
    arrange();
  });
  arrange();
  if (typeSelect.value) refresh();

  /* The map: click to set the coordinates; typing coordinates moves the marker. */
  window.addEventListener("load", function () {
    if (!window.L) return;
    var center = (form.dataset.center || "23.11,109.6").split(",").map(Number);
    var lat = form.querySelector("[name=latitude]");
    var lon = form.querySelector("[name=longitude]");
    var map = L.map("map", {attributionControl: false}).setView(center, 9);
    if (form.dataset.tileUrl) {
      L.tileLayer(form.dataset.tileUrl, {maxZoom: 18}).addTo(map);
    } else {  // no tiles: a plain graticule, so a click still gives coordinates
      var style = {color: "#c5ccd6", weight: 1, interactive: false};
      for (var step = -50; step <= 50; step += 1) {
        var d = center[1] + step / 10, a = center[0] + step / 10;
        L.polyline([[center[0] - 5, d], [center[0] + 5, d]], style).addTo(map);
        L.polyline([[a, center[1] - 5], [a, center[1] + 5]], style).addTo(map);
      }
    }
    var marker = null;
    function place(latlng) {
      if (marker) marker.setLatLng(latlng); else marker = L.circleMarker(latlng, {radius: 8, color: "#a4161a"}).addTo(map);
    }
    if (lat.value && lon.value) place([Number(lat.value), Number(lon.value)]);
    map.on("click", function (event) {
      lat.value = event.latlng.lat.toFixed(6);
      lon.value = event.latlng.lng.toFixed(6);
      place(event.latlng);
    });
    [lat, lon].forEach(function (input) {
      input.addEventListener("change", function () {
        if (lat.value && lon.value) place([Number(lat.value), Number(lon.value)]);
      });
    });
  });
})();
