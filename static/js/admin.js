// Organizer console glue: join the organizers' Socket.IO room; every change of a contest
// (a sheet, a penalty, a display step) and every reopen request becomes a body event that the
// console's live sections refetch on (their hx-trigger; they also poll in case the socket drops).
// How many pushes this console has heard; a live section compares it with the count when its fetch
// began (below).
var consolePushes = 0;
document.addEventListener("DOMContentLoaded", function () {
  if (!window.io || !document.querySelector("#contest-run, #contest-stage")) return;
  var socket = window.liveSocket();
  socket.on("connect", function () {
    socket.emit("watch_admin", {}, function () {
      // Marks the console as receiving pushes (the browser tests wait for it).
      document.body.setAttribute("data-live", "watching");
    });
  });
  socket.on("disconnect", function () { document.body.removeAttribute("data-live"); });
  function relay(name) {
    socket.on(name, function (message) {
      if (!message || typeof message.contest !== "number") return;
      consolePushes += 1;
      document.body.dispatchEvent(new CustomEvent(name + "-" + message.contest));
    });
  }
  relay("progress");
  relay("reopen");
});

// An action's answer re-renders the whole console from the moment it was rendered: a push that
// arrived while that answer was on its way refetched sections the swap then replaced with older
// ones. So after every such swap the live sections fetch themselves once more. Their newest fetch
// replaces one still on its way (hx-sync="this:replace"): htmx would otherwise queue it on the
// element the first answer removes, and it would never show.
// Not the standings: they carry the display control out of band, and refetching them right
// after an action raced the organizer's next tap (the action's own answer renders them fresh).
var LIVE_SECTIONS = ["judging-matrix", "reopen-requests"];
document.addEventListener("htmx:afterSettle", function (event) {
  var root = event.detail && event.detail.elt;
  if (!root || root.id !== "contest-run" || !window.htmx) return;
  LIVE_SECTIONS.forEach(function (id) {
    var section = document.getElementById(id);
    if (section) window.htmx.trigger(section, "refresh");
  });
});

// A section swapped in listens for pushes only once htmx has processed it, a settle delay after
// the swap: a push in between found no listener and was lost until the 15 s poll. So each live
// section remembers how many pushes had arrived when its fetch began, and once its answer has
// settled it fetches again if a push came after that.
var askedAfterPushes = {};
document.addEventListener("htmx:beforeRequest", function (event) {
  var section = event.detail && event.detail.elt;
  if (section && LIVE_SECTIONS.indexOf(section.id) >= 0) {
    askedAfterPushes[section.id] = consolePushes;
  }
});
document.addEventListener("htmx:afterSettle", function (event) {
  var section = event.detail && event.detail.elt;
  if (!section || LIVE_SECTIONS.indexOf(section.id) < 0 || !window.htmx) return;
  var current = document.getElementById(section.id);
  if (current && (askedAfterPushes[section.id] || 0) < consolePushes) {
    window.htmx.trigger(current, "refresh");
  }
});

// A change during a reveal must reach the organizer at once, loudly: when the warning
// appears (or changes), bring it into view, mark the tab's title and sound a short tone.
(function () {
  var seen = null;
  var title = document.title;
  function beep() {
    var Context = window.AudioContext || window.webkitAudioContext;
    if (!Context) return;
    try {
      var audio = new Context();
      var tone = audio.createOscillator();
      tone.frequency.value = 880;
      tone.connect(audio.destination);
      tone.start();
      tone.stop(audio.currentTime + 0.25);
    } catch (e) { /* no sound device: the banner and title still speak */ }
  }
  document.addEventListener("htmx:afterSettle", function () {
    var alert = document.getElementById("reveal-alert");
    var now = alert ? alert.getAttribute("data-changes") : null;
    if (now && now !== seen) {
      alert.scrollIntoView({ block: "center" });
      document.title = "⚠ " + title;
      beep();
    } else if (!now) {
      document.title = title;
    }
    seen = now;
  });
  document.addEventListener("DOMContentLoaded", function () {
    var alert = document.getElementById("reveal-alert");
    seen = alert ? alert.getAttribute("data-changes") : null;
  });
})();

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

// A button that prints the page (the judge's new access code).
document.addEventListener("click", function (event) {
  if (event.target.closest && event.target.closest("[data-print]")) window.print();
});

// A section marked data-hold-while-typing does not refetch itself while the organizer types in
// one of its fields (the reason for a dismissal would be lost); the next refresh catches up.
// Done here, not as an hx-trigger filter: htmx evaluates those as code, which the CSP forbids.
document.addEventListener("htmx:confirm", function (event) {
  var section = event.target;
  if (section && section.hasAttribute && section.hasAttribute("data-hold-while-typing")
      && section.querySelector("input:focus, textarea:focus")) {
    event.preventDefault();
  }
});
