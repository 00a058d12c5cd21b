// Organizer console glue: join the organizers' Socket.IO room and refresh the judging
// matrix when a judge's sheet changes (the matrix also polls, in case the socket drops).
document.addEventListener("DOMContentLoaded", function () {
  if (!window.io || !document.getElementById("judging-matrix")) return;
  var socket = io("/live");
  socket.on("connect", function () { socket.emit("watch_admin", {}); });
  socket.on("progress", function (message) {
    if (!message || typeof message.contest !== "number") return;
    document.body.dispatchEvent(new CustomEvent("progress-" + message.contest));
  });
});

// Plain forms that cannot be undone (new access codes) ask first; htmx forms use hx-confirm.
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (form.dataset && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
    event.preventDefault();
  }
});

// An htmx answer with an error replaces a whole section whose message sits at its top, often
// far above the form the organizer just used: bring the message into view.
document.addEventListener("htmx:afterSettle", function (event) {
  var root = event.detail && event.detail.elt;
  if (!root || !root.querySelector) return;
  var alert = root.matches && root.matches("[role=alert]") ? root : root.querySelector("[role=alert]");
  if (alert) alert.scrollIntoView({ block: "center" });
});
