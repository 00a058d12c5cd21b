// The timekeeper's tablet: every tap shows at once on the tablet, goes into the offline outbox
// with its save id and is sent with its age, so a tap made while the Wi-Fi is down takes effect
// when it was tapped (docs/stage-timer.md). Without this script the buttons are plain forms.
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var root = document.getElementById("timekeeper");
  var bar = document.getElementById("outbox-status");
  var form = document.getElementById("timer-form");
  if (!root || !bar || !window.PapanOutbox || !window.PapanTimer || !window.PapanClock) return;
  var contest = Number(root.getAttribute("data-contest"));
  var team = root.getAttribute("data-team") ? Number(root.getAttribute("data-team")) : null;
  var msg = PapanOutbox.messages(bar);
  var reloadWhenSent = false;

  function timerEl() { return document.getElementById("stage-timer"); }

  function showRejected(text) {
    var box = document.getElementById("timer-rejected");
    box.textContent = text;
    box.hidden = !text;
  }

  var outbox = PapanOutbox.create("papan-skor.outbox.timer-" + root.getAttribute("data-judge"), {
    headers: { "X-Timer-Client": "1" },
    onChange: function (count) {
      PapanOutbox.showCount(bar, count, msg);
      if (count === 0 && team !== null) PapanTimer.setLocal(contest, team, null);
      if (count === 0 && reloadWhenSent) window.location.reload();
      buttons();
    },
    onAnswer: function (entry, response, answer) {
      if (!response.ok) showRejected(msg("rejected") + " " + (answer.error || ""));
      else showRejected("");
      if (answer.timer) PapanTimer.apply(answer.timer);
    },
    onRetry: function (entry, response) {
      if (response && (response.status === 401 || response.status === 403)) showRejected(msg("login"));
    },
  });

  function current() {
    var el = timerEl();
    if (!el) return null;
    var local = PapanTimer.stateOfElement(el);
    return local;
  }

  // What the tablet shows until the server answers: the tap applied here, at the server time now.
  function after(state, action, at) {
    var next = Object.assign({}, state);
    if (action === "start") {
      Object.assign(next, { state: "running", started_ms: at, paused_at_ms: null, paused_total_ms: 0,
                            duration_ms: null });
    } else if (action === "pause") {
      Object.assign(next, { state: "paused", paused_at_ms: at });
    } else if (action === "resume") {
      next.paused_total_ms = (state.paused_total_ms || 0) + (at - state.paused_at_ms);
      Object.assign(next, { state: "running", paused_at_ms: null });
    } else if (action === "stop") {
      if (state.state === "paused") next.paused_total_ms += at - state.paused_at_ms;
      next.duration_ms = Math.max(0, at - state.started_ms - next.paused_total_ms);
      Object.assign(next, { state: "stopped", paused_at_ms: null });
    } else {
      Object.assign(next, { state: "idle", started_ms: null, paused_at_ms: null, paused_total_ms: 0,
                            duration_ms: null });
    }
    return next;
  }

  function allowed(button, state) {
    return (button.getAttribute("data-when") || "").split(" ").indexOf(state) >= 0;
  }

  function buttons() {
    var state = current();
    if (!form || !state) return;
    form.querySelectorAll("button[data-when]").forEach(function (button) {
      button.hidden = !allowed(button, state.state);
    });
  }

  if (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var button = event.submitter;
      var state = current();
      if (!button || !state || !allowed(button, state.state)) return;
      var action = button.value;
      if (action === "reset" && !window.confirm(msg("reset"))) return;
      PapanTimer.setLocal(contest, team, after(state, action, PapanClock.now()));
      // form.action would be the button named "action": read the attribute.
      outbox.add({ id: PapanOutbox.newClientId(), url: form.getAttribute("action"), aged: true, label: action,
                   fields: [["action", action], ["team_id", String(team)]] });
      buttons();
      outbox.flush();
    });
  }

  // Another team on stage: show it, once every tap of this one is sent.
  function stageMoved(onStage) {
    if (onStage === team) return;
    if (outbox.count() === 0) window.location.reload();
    else reloadWhenSent = true;
  }
  PapanTimer.onPush(function (payload) {
    if (payload.contest === contest) stageMoved(payload.now_performing);
  });
  if (PapanTimer.socket) {
    PapanTimer.socket.on("now_performing", function (message) {
      if (message.contest === contest) stageMoved(message.team_id);
    });
  }
  PapanOutbox.showCount(bar, outbox.count(), msg);
  bar.querySelector(".outbox-retry").addEventListener("click", function () { outbox.retryNow(); });
  setInterval(buttons, 250);
  buttons();
  outbox.flush();
});
