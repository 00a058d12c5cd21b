// Live boards (projector, phones, hall screen): follow a contest over Socket.IO.
// Every push carries the board's version. A push one newer than the board is swapped in;
// an older one is ignored; a gap, a reconnect or the 30-second backstop poll fetch the
// whole board over HTTP (htmx), so a dropped connection never leaves a stale board.
(function () {
  "use strict";
  var BACKSTOP_MS = 30000;  // a test may set window.liveBoardBackstopMs before the page loads
  // The server renders each push once per language; join the room of the page's language.
  var LANG = document.documentElement.lang === "en" ? "en" : "id";
  // A resync answer can be older than a push that overtook it: never step back.
  var BOARD_VERSION = /id="board"[^>]*data-contest="(\d+)"[^>]*data-version="(\d+)"/;

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

  function animateRows(page, before) {
    if (!before) return;
    page.lastMoves = [];
    document.querySelectorAll("#board .row[data-team]").forEach(function (row) {
      var old = before[row.dataset.team];
      if (!old) { row.classList.add("flash"); return; }
      var delta = old.top - row.getBoundingClientRect().top;
      page.lastMoves.push({ team: row.dataset.team, dy: delta, flash: old.sig !== row.dataset.sig });
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

  function replaceWithHtml(old, html) {
    var template = document.createElement("template");
    template.innerHTML = html.trim();
    old.replaceWith(template.content.firstElementChild);
  }

  function applyPush(page, html) {
    var old = boardEl();
    if (!old) return resync(page);
    var before = rowPositions();
    replaceWithHtml(old, html);
    animateRows(page, before);
  }

  function resync(page) {
    page.pendingPositions = rowPositions();
    return htmx.ajax("GET", page.live.dataset.resyncUrl,
                     { target: page.live.dataset.resyncTarget, swap: "outerHTML" });
  }

  function watchShown(page) {
    var contest = shownContest();
    if (page.watched !== null && page.watched !== contest) {
      page.socket.emit("unwatch", { contest: page.watched, lang: LANG });
    }
    page.watched = contest;
    if (contest !== null) page.socket.emit("watch", { contest: contest, lang: LANG });
  }

  function skipOlderResync(event) {
    var found = BOARD_VERSION.exec(event.detail.serverResponse || "");
    return found && parseInt(found[1], 10) === shownContest() &&
      parseInt(found[2], 10) <= shownVersion();
  }

  function connected(page) {
    setConnection("online");
    if (page.hallEvent !== null) page.socket.emit("watch", { hall: page.hallEvent });
    if (page.overallEvent !== null) {
      page.socket.emit("watch", { overall: page.overallEvent, lang: LANG });
    }
    page.watched = null;
    watchShown(page);
    // Anything may have changed while we were away (or before we joined the room).
    resync(page);
  }

  function standingsPushed(page, message) {
    if (message.contest !== shownContest()) return;
    var shown = shownVersion();
    if (message.version <= shown) return;                   // older or already shown
    if (message.version > shown + 1) return resync(page);   // we missed a change
    applyPush(page, message.html);
  }

  function overallPushed(page, message) {
    // Juara umum, rendered once on the server after a locked or published contest changed.
    var old = document.getElementById("overall");
    if (page.overallEvent !== message.event || !old) return;
    replaceWithHtml(old, message.html);
  }

  // Backstop for a socket that died without telling anyone.
  function backstop(page) {
    if (!page.socket.connected || page.hallEvent !== null) return resync(page);
    fetch(page.live.dataset.apiUrl, { cache: "no-store" })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        if (page.overallEvent !== null) {
          // The table was made from these published contests at these versions.
          var sig = (data.contests || []).filter(function (c) { return c.status === "published"; })
            .map(function (c) { return c.id + ":" + c.version; }).join(",");
          var overall = document.getElementById("overall");
          if (!overall || overall.dataset.sig !== sig) resync(page);
          return;
        }
        var mine = (data.contests || []).filter(function (c) { return c.id === shownContest(); })[0];
        if (!mine || mine.version !== shownVersion()) resync(page);
      })
      .catch(function () { setConnection("offline"); });
  }

  function start() {
    var live = document.getElementById("live");
    if (!live || !window.io || !window.htmx) return;
    var page = {
      live: live,
      hallEvent: live.dataset.hall ? parseInt(live.dataset.hall, 10) : null,
      overallEvent: live.dataset.overall ? parseInt(live.dataset.overall, 10) : null,
      watched: null,           // the contest whose room we are in
      pendingPositions: null,  // row positions before an htmx resync, for the animation
      lastMoves: [],           // what the last swap animated, for tests: [{team, dy, flash}]
      socket: window.liveSocket({ reconnectionDelayMax: 3000 }),
    };
    var socket = page.socket;

    document.body.addEventListener("htmx:beforeSwap", function (event) {
      if (!skipOlderResync(event)) return;
      event.detail.shouldSwap = false;
      page.pendingPositions = null;
    });
    document.body.addEventListener("htmx:afterSwap", function () {
      animateRows(page, page.pendingPositions);
      page.pendingPositions = null;
      if (socket.connected && shownContest() !== page.watched) watchShown(page);
      setConnection(socket.connected ? "online" : "offline");
    });

    socket.on("connect", function () { connected(page); });
    socket.on("disconnect", function () { setConnection("offline"); });
    socket.on("connect_error", function () { setConnection("offline"); });
    socket.on("standings", function (message) { standingsPushed(page, message); });
    socket.on("overall", function (message) { overallPushed(page, message); });
    socket.on("hall", function () {
      // The organizer put another contest (or juara umum) on the hall screen.
      if (page.hallEvent !== null) resync(page);
    });
    setInterval(function () { backstop(page); }, window.liveBoardBackstopMs || BACKSTOP_MS);

    window.liveBoard = { socket: socket, resync: function () { return resync(page); },
                         lastMoves: function () { return page.lastMoves.slice(); } };
  }

  document.addEventListener("DOMContentLoaded", start);
})();
