// Live boards (projector, phones, hall screen): follow a contest over Socket.IO.
// Every push carries the board's version. A push one newer than the board is swapped in;
// an older one is ignored; a gap, a reconnect or the 30-second backstop poll fetch the
// whole board over HTTP (htmx), so a dropped connection never leaves a stale board.
(function () {
  "use strict";
  var BACKSTOP_MS = 30000;  // a test may set window.liveBoardBackstopMs before the page loads
  // The server renders each push once per language; join the room of the page's language.
  var LANG = document.documentElement.lang === "en" ? "en" : "id";

  function start() {
    var live = document.getElementById("live");
    if (!live || !window.io || !window.htmx) return;
    var hallEvent = live.dataset.hall ? parseInt(live.dataset.hall, 10) : null;
    var overallEvent = live.dataset.overall ? parseInt(live.dataset.overall, 10) : null;
    var watched = null;           // the contest whose room we are in
    var pendingPositions = null;  // row positions before an htmx resync, for the animation
    var socket = io("/live", { reconnectionDelayMax: 3000 });
    var lastMoves = [];           // what the last swap animated, for tests: [{team, dy, flash}]

    function boardEl() { return document.getElementById("board"); }
    function shownContest() {
      var el = boardEl();
      return el ? parseInt(el.dataset.contest, 10) : null;
    }
    function shownVersion() {
      var el = boardEl();
      return el ? parseInt(el.dataset.version, 10) : 0;
    }

    function setConnection(state) {
      // The whole page says whether it is live: the "Langsung" pill is hidden and a large
      // "Tidak langsung" band shown while no push can arrive (board.css, body[data-conn]).
      document.body.dataset.conn = state;
      var banner = document.getElementById("not-live");
      if (banner) banner.hidden = state !== "offline";
      var conn = document.getElementById("conn");
      if (!conn) return;
      conn.dataset.state = state;
      conn.textContent = state === "online" ? conn.dataset.online : conn.dataset.offline;
    }

    // FLIP: remember where each row was, swap, then slide rows from there to their new place.
    function rowPositions() {
      var map = {};
      document.querySelectorAll("#board .row[data-team]").forEach(function (row) {
        map[row.dataset.team] = { top: row.getBoundingClientRect().top, sig: row.dataset.sig };
      });
      return map;
    }
    function animateRows(before) {
      if (!before) return;
      lastMoves = [];
      document.querySelectorAll("#board .row[data-team]").forEach(function (row) {
        var old = before[row.dataset.team];
        if (!old) { row.classList.add("flash"); return; }
        var delta = old.top - row.getBoundingClientRect().top;
        lastMoves.push({ team: row.dataset.team, dy: delta, flash: old.sig !== row.dataset.sig });
        if (delta) {
          row.style.transition = "none";
          row.style.transform = "translateY(" + delta + "px)";
          row.getBoundingClientRect();  // apply the start position before animating
          row.style.transition = "transform 700ms cubic-bezier(.2,.8,.2,1)";
          row.style.transform = "";
        }
        if (old.sig !== row.dataset.sig) row.classList.add("flash");
      });
    }

    function applyPush(html) {
      var old = boardEl();
      if (!old) return resync();
      var before = rowPositions();
      var template = document.createElement("template");
      template.innerHTML = html.trim();
      old.replaceWith(template.content.firstElementChild);
      animateRows(before);
    }

    function resync() {
      pendingPositions = rowPositions();
      return htmx.ajax("GET", live.dataset.resyncUrl,
                       { target: live.dataset.resyncTarget, swap: "outerHTML" });
    }

    function watchShown() {
      var contest = shownContest();
      if (watched !== null && watched !== contest) socket.emit("unwatch", { contest: watched, lang: LANG });
      watched = contest;
      if (contest !== null) socket.emit("watch", { contest: contest, lang: LANG });
    }

    // A resync answer can be older than a push that overtook it: never step back.
    var BOARD_VERSION = /id="board"[^>]*data-contest="(\d+)"[^>]*data-version="(\d+)"/;
    document.body.addEventListener("htmx:beforeSwap", function (event) {
      var found = BOARD_VERSION.exec(event.detail.serverResponse || "");
      if (found && parseInt(found[1], 10) === shownContest() &&
          parseInt(found[2], 10) <= shownVersion()) {
        event.detail.shouldSwap = false;
        pendingPositions = null;
      }
    });

    document.body.addEventListener("htmx:afterSwap", function () {
      animateRows(pendingPositions);
      pendingPositions = null;
      if (socket.connected && shownContest() !== watched) watchShown();
      setConnection(socket.connected ? "online" : "offline");
    });

    socket.on("connect", function () {
      setConnection("online");
      if (hallEvent !== null) socket.emit("watch", { hall: hallEvent });
      if (overallEvent !== null) socket.emit("watch", { overall: overallEvent, lang: LANG });
      watched = null;
      watchShown();
      // Anything may have changed while we were away (or before we joined the room).
      resync();
    });
    socket.on("disconnect", function () { setConnection("offline"); });
    socket.on("connect_error", function () { setConnection("offline"); });

    socket.on("standings", function (message) {
      if (message.contest !== shownContest()) return;
      var shown = shownVersion();
      if (message.version <= shown) return;          // older or already shown
      if (message.version > shown + 1) return resync();  // we missed a change
      applyPush(message.html);
    });
    socket.on("overall", function (message) {
      // Juara umum, rendered once on the server after a locked or published contest changed.
      var old = document.getElementById("overall");
      if (overallEvent !== message.event || !old) return;
      var template = document.createElement("template");
      template.innerHTML = message.html.trim();
      old.replaceWith(template.content.firstElementChild);
    });
    socket.on("hall", function () {
      // The organizer put another contest (or juara umum) on the hall screen.
      if (hallEvent !== null) resync();
    });

    // Backstop for a socket that died without telling anyone.
    setInterval(function () {
      if (!socket.connected || hallEvent !== null) return resync();
      fetch(live.dataset.apiUrl, { cache: "no-store" })
        .then(function (response) { return response.json(); })
        .then(function (data) {
          if (overallEvent !== null) {
            // The table was made from these published contests at these versions.
            var sig = (data.contests || []).filter(function (c) { return c.status === "published"; })
              .map(function (c) { return c.id + ":" + c.version; }).join(",");
            var overall = document.getElementById("overall");
            if (!overall || overall.dataset.sig !== sig) resync();
            return;
          }
          var mine = (data.contests || []).filter(function (c) { return c.id === shownContest(); })[0];
          if (!mine || mine.version !== shownVersion()) resync();
        })
        .catch(function () { setConnection("offline"); });
    }, window.liveBoardBackstopMs || BACKSTOP_MS);

    window.liveBoard = { socket: socket, resync: resync,
                         lastMoves: function () { return lastMoves.slice(); } };
  }

  document.addEventListener("DOMContentLoaded", start);
})();
