// The MC's phone: watch the hall, every contest and juara umum; whenever the hall's boards
// change, fetch the MC's live part again. It is built from the same boards the hall shows, and
// fetched only after the hall's push, so it never runs ahead of the hall screen.
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var root = document.getElementById("mc");
  if (!root || !window.io) return;
  var eventId = Number(root.getAttribute("data-event"));
  var contests = (root.getAttribute("data-contests") || "").split(",").filter(Boolean).map(Number);
  var pending = null;
  var socket = window.liveSocket({ reconnectionDelayMax: 3000 });

  function refresh() {
    if (pending) return;
    pending = setTimeout(function () {
      pending = null;
      fetch(root.getAttribute("data-live-url"), { cache: "no-store", credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.text() : null; })
        .then(function (html) {
          var old = document.getElementById("mc-live");
          if (!html || !old) return;
          var template = document.createElement("template");
          template.innerHTML = html.trim();
          old.replaceWith(template.content.firstElementChild);
          document.body.dataset.mcRefreshed = String(Date.now());
        })
        .catch(function () {});
    }, 50);
  }

  socket.on("connect", function () {
    socket.emit("watch", { hall: eventId });
    socket.emit("watch", { overall: eventId });
    contests.forEach(function (id) { socket.emit("watch", { contest: id }); });
    document.body.dataset.live = "watching";
    refresh();
  });
  ["standings", "now_performing", "hall", "overall"].forEach(function (name) {
    socket.on(name, refresh);
  });
  if (window.PapanTimer) window.PapanTimer.connect(socket);
  setInterval(refresh, 30000);  // a backstop for a socket that died without telling
});
