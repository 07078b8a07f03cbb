/* The top bar's notification bell: the unread count, kept live over the dashboard socket.
   The socket is opened with ?bell=1, so it joins only this user's own group; the server sends
   {"type": "notifications", "unread": n} after each change commits. On every (re)connect the
   count is read again, so a change made while the socket was down is not missed. */
(function () {
  "use strict";
  var bell = document.getElementById("bell");
  if (!bell || !window.WebSocket) return;
  var count = bell.querySelector(".bell-count");
  var retry = 1000;

  function show(n) {
    count.textContent = n > 99 ? "99+" : String(n);
    count.classList.toggle("none", !n);
    bell.dataset.unread = n;
  }
  function reread() {
    fetch(bell.dataset.counts, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) { if (data) show(data.unread); })
      .catch(function () {});
  }
  function connect() {
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    var socket = new WebSocket(scheme + location.host + "/ws/dashboard/?bell=1");
    socket.onmessage = function (e) {
      var message = JSON.parse(e.data);
      if (message.type === "notifications") show(message.unread);
      else if (message.type === "hello") { retry = 1000; bell.dataset.live = "1"; reread(); }
    };
    socket.onclose = function (e) {
      bell.dataset.live = "0";
      if (e.code === 4401) return;   // signed out
      setTimeout(connect, retry);
      retry = Math.min(retry * 2, 30000);
    };
  }
  show(parseInt(count.textContent, 10) || 0);
  connect();
})();
