// The stage timer on every screen: each [data-stage-timer] element shows the running time of the
// team on stage, computed from the server's numbers (start, pauses, duration) and this device's
// offset to the server clock (clock.js). Ten times a second; no request per tick.
//
// The server renders the element with the timer as it was (data-*), and pushes `timer` with the
// newest state (rev: +1 per change); the newest rev per team wins, whichever came first.
// While running, the shown time never steps back: when a better clock offset or a late tap
// would move it backwards, it runs at half speed until the true time catches up. A pause or a
// stop shows the recorded time at once (docs/stage-timer.md).
(function () {
  "use strict";

  var WARN_MS = 30000;   // amber in the last 30 s before the maximum
  var SLOW = 0.5;        // how fast a clock that is ahead runs until the true time catches up
  var known = {};        // "contest:team" -> newest pushed state
  var local = {};        // "contest:team" -> the timekeeper's own taps not yet answered
  var shown = {};        // "contest:team:start" -> {ms, at}: what this screen showed last
  var listeners = [];

  function key(contest, team) { return contest + ":" + team; }

  function num(value) {
    return value === undefined || value === null || value === "" ? null : Number(value);
  }

  function fromElement(el) {
    var d = el.dataset;
    return { contest: num(d.contest), team_id: num(d.team), rev: num(d.rev) || 0,
             state: d.state || "idle", started_ms: num(d.started), paused_at_ms: num(d.pausedAt),
             paused_total_ms: num(d.pausedTotal) || 0, duration_ms: num(d.duration),
             min_ms: num(d.min), max_ms: num(d.max) };
  }

  function stateOf(el) {
    var rendered = fromElement(el);
    var k = key(rendered.contest, rendered.team_id);
    if (local[k]) return local[k];
    var pushed = known[k];
    return pushed && pushed.rev >= rendered.rev ? pushed : rendered;
  }

  function elapsed(state, now) {
    if (state.state === "stopped") return state.duration_ms || 0;
    if (state.started_ms === null || state.started_ms === undefined) return 0;
    var until = state.state === "paused" ? state.paused_at_ms : now;
    return Math.max(0, until - state.started_ms - (state.paused_total_ms || 0));
  }

  // The time to show now: the true elapsed time, except that a running clock never steps back.
  function displayed(state) {
    var target = elapsed(state, PapanClock.now());
    var runKey = key(state.contest, state.team_id) + ":" + state.started_ms;
    var at = PapanClock.local();
    var prev = shown[runKey];
    var ms = target;
    if (state.state === "running" && prev && target < prev.ms) {
      ms = prev.ms + (at - prev.at) * SLOW;
    }
    shown[runKey] = { ms: ms, at: at };
    return ms;
  }

  function clockText(seconds) {
    var s = Math.max(0, Math.floor(seconds));
    var rest = s % 60;
    return Math.floor(s / 60) + ":" + (rest < 10 ? "0" : "") + rest;
  }

  function phase(state, ms) {
    var seconds = Math.floor(ms / 1000);
    if (state.state === "idle") return "idle";
    if (state.max_ms !== null && seconds * 1000 > state.max_ms) return "over";
    if (state.min_ms !== null && seconds * 1000 < state.min_ms) return "under";
    if (state.max_ms !== null && ms >= state.max_ms - WARN_MS) return "warn";
    return "ok";
  }

  function render(el) {
    var state = stateOf(el);
    var ms = displayed(state);
    var seconds = Math.floor(ms / 1000);
    var p = phase(state, ms);
    el.dataset.shownMs = String(Math.floor(ms));
    el.dataset.shownState = state.state;
    el.dataset.phase = p;
    var clock = el.querySelector(".timer-clock");
    if (clock) clock.textContent = clockText(seconds);
    var over = el.querySelector(".timer-over");
    if (over) {
      over.textContent = p === "over" ? "+" + clockText(seconds - state.max_ms / 1000) : "";
    }
    var label = el.querySelector(".timer-state");
    if (label) label.textContent = el.getAttribute("data-msg-" + state.state) || "";
    return ms;
  }

  function frame() {
    document.querySelectorAll("[data-stage-timer]").forEach(render);
  }

  function apply(payload) {
    if (!payload || typeof payload.contest !== "number") return;
    var k = key(payload.contest, payload.team_id);
    if (!known[k] || payload.rev >= known[k].rev) known[k] = payload;
    listeners.forEach(function (fn) { fn(payload); });
    frame();
  }

  function connect(socket) {
    socket.on("timer", apply);
    PapanClock.start(socket);
    window.PapanTimer.socket = socket;
  }

  window.PapanTimer = {
    apply: apply,
    connect: connect,
    onPush: function (fn) { listeners.push(fn); },
    known: function (contest, team) { return known[key(contest, team)] || null; },
    setLocal: function (contest, team, state) {
      if (state) local[key(contest, team)] = state; else delete local[key(contest, team)];
      frame();
    },
    stateOfElement: stateOf,
    elapsed: elapsed,
    clockText: clockText,
    // For the browser tests: what the first timer shows now, and on which local clock reading.
    displayedMs: function () {
      var el = document.querySelector("[data-stage-timer]");
      return el ? render(el) : null;
    },
    socket: null,
  };

  document.addEventListener("DOMContentLoaded", function () {
    setInterval(frame, 100);
    frame();
    if (!window.io || !window.PapanClock) return;
    if (window.liveBoard && window.liveBoard.socket) {
      connect(window.liveBoard.socket);   // the boards' own connection (board.js)
      return;
    }
    var watch = document.querySelector("[data-stage-watch]");
    if (!watch) return;
    var socket = window.liveSocket({ reconnectionDelayMax: 3000 });
    socket.on("connect", function () {
      socket.emit("watch", { contest: Number(watch.getAttribute("data-stage-watch")) });
    });
    connect(socket);
  });
})();
