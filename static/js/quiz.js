// The quiz scorekeeper's console: taps go through the offline outbox, rounds and questions
// switch without a reload, and the console follows changes pushed for its contest.
//
// Without this script the console still works: every button is a plain form submit.
(function () {
  "use strict";

  var root = document.getElementById("quiz-console");
  var bar = document.getElementById("outbox-status");
  if (!root || !bar || !window.PapanOutbox) return;

  var contestId = root.getAttribute("data-contest");
  var tapForm = document.getElementById("quiz-tap");
  var roundInput = tapForm.querySelector('input[name="round"]');
  var questionInput = document.getElementById("quiz-question");
  var DOUBLE_TAP_MS = 400;
  var UNDO_CONFIRM_MS = 4000;
  var NOTICE_MS = 6000;
  var lastTap = { value: "", at: 0 };

  var msg = PapanOutbox.messages(bar);
  var thousandths = PapanOutbox.thousandths;

  var outbox = PapanOutbox.create("papan-skor.outbox.quiz-" + root.getAttribute("data-judge"), {
    headers: { "X-Quiz-Client": "1" },
    onChange: renderOutbox,
    onAnswer: answered,
    onRetry: function (entry, response) {
      if (response && (response.status === 401 || response.status === 403)) {
        showRejected(msg("login"));
      }
    },
  });

  function renderOutbox(count) {
    PapanOutbox.showCount(bar, count, msg);
  }

  function showRejected(text) {
    var box = document.getElementById("quiz-rejected");
    box.textContent = text;
    box.hidden = !text;
  }

  function swapLive(html) {
    var live = document.getElementById("quiz-live");
    if (!live || !html) return;
    var holder = document.createElement("div");
    holder.innerHTML = html.trim();
    var fresh = holder.querySelector("#quiz-live");
    if (!fresh) return;
    live.replaceWith(fresh);
    showRound(roundInput.value);
  }

  function answered(entry, response, answer) {
    if (!response.ok) {
      showRejected(msg("rejected", { what: entry.label || "" }) + " " + (answer.error || ""));
    } else if (entry.label) {
      showRejected("");
      if (entry.undo !== undefined) showNotice(msg("undone", { what: entry.undo }));
    }
    // Only the newest answer shows: earlier ones would hide taps still waiting to be sent.
    if (outbox.count() === 0) swapLive(answer.html);
  }

  function refreshLive() {
    if (outbox.count() > 0) return;
    var url = window.location.pathname + window.location.search;
    fetch(url, { headers: { "X-Quiz-Client": "1", "Accept": "application/json" },
                 credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (answer) {
        if (answer && outbox.count() === 0) swapLive(answer.html);
      })
      .catch(function () {});
  }

  function showRound(roundId) {
    roundInput.value = roundId;
    document.querySelectorAll(".round-tab").forEach(function (tab) {
      var current = tab.getAttribute("data-round") === String(roundId);
      tab.classList.toggle("current", current);
      if (current) tab.setAttribute("aria-current", "true");
      else tab.removeAttribute("aria-current");
    });
    document.querySelectorAll(".quiz-buttons").forEach(function (group) {
      group.hidden = group.getAttribute("data-round") !== String(roundId);
    });
  }

  function rememberPlace() {
    var params = new URLSearchParams(window.location.search);
    if (roundInput.value) params.set("round", roundInput.value);
    params.set("question", questionInput.value);
    history.replaceState(null, "", window.location.pathname + "?" + params.toString());
  }

  document.addEventListener("click", function (event) {
    var tab = event.target.closest && event.target.closest(".round-tab");
    if (tab) {
      event.preventDefault();
      showRound(tab.getAttribute("data-round"));
      rememberPlace();
      return;
    }
    var step = event.target.closest && event.target.closest(".question-picker .step");
    if (step) {
      var value = parseInt(questionInput.value, 10) || 1;
      questionInput.value = Math.max(1, Math.min(999, value + parseInt(step.getAttribute("data-step"), 10)));
      rememberPlace();
    }
  });

  questionInput.addEventListener("change", rememberPlace);

  // As the server's `points` filter: whole points without decimals, else two; 1.000; a true minus.
  function showPoints(units) {
    var hundredths = Math.round(Math.abs(units) / 10);
    var whole = String(Math.floor(hundredths / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, ".");
    var cents = hundredths % 100;
    var text = cents ? whole + "," + (cents < 10 ? "0" : "") + cents : whole;
    return (units < 0 && hundredths ? "\u2212" : "") + text;
  }

  // Shown at once, before the server answers (or while offline); the server's answer replaces it.
  function bumpTotal(teamId, points) {
    var card = document.querySelector('.quiz-team[data-team="' + teamId + '"]');
    var total = card && card.querySelector(".quiz-total");
    var delta = thousandths(points);
    if (!total || delta === null) return;
    var units = (thousandths(total.getAttribute("data-total")) || 0) + delta;
    total.setAttribute("data-total", String(units / 1000));
    total.textContent = showPoints(units);
    card.classList.add("pending");
  }

  function teamName(teamId) {
    var name = document.querySelector('.quiz-team[data-team="' + teamId + '"] .quiz-team-name');
    return name ? name.textContent : "";
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form === tapForm) {
      event.preventDefault();
      var button = event.submitter;
      if (!button || button.name !== "tap") return;
      var now = Date.now();
      // A finger bouncing on the same button is one tap; two answers are seconds apart.
      if (lastTap.value === button.value && now - lastTap.at < DOUBLE_TAP_MS) return;
      lastTap = { value: button.value, at: now };
      var parts = button.value.split(":");
      bumpTotal(parts[0], parts[1]);
      button.classList.remove("tapped");
      void button.offsetWidth;
      button.classList.add("tapped");
      outbox.add({
        id: PapanOutbox.newClientId(), url: tapForm.getAttribute("action"),
        label: parts[1] + " " + teamName(parts[0]),
        fields: [["tap", button.value], ["round", roundInput.value],
                 ["question", questionInput.value]],
      });
      outbox.flush();
      return;
    }
    if (form.matches && form.matches("form.undo")) {
      event.preventDefault();
      var button2 = form.querySelector("button");
      if (!button2) return;
      // Undo takes two deliberate taps: the first only asks, a bounce does not answer.
      var armedAt = Number(button2.getAttribute("data-armed-at") || 0);
      if (!armedAt || Date.now() - armedAt < DOUBLE_TAP_MS) {
        if (!armedAt) armUndo(button2);
        return;
      }
      var what = button2.getAttribute("data-undo") || "";
      button2.disabled = true;
      outbox.add({ id: PapanOutbox.newClientId(), url: form.getAttribute("action"),
                   label: msg("undo") + (what ? ": " + what : ""), undo: what, fields: [] });
      outbox.flush();
    }
  });

  function armUndo(button) {
    var plain = button.innerHTML;
    button.setAttribute("data-armed-at", String(Date.now()));
    button.classList.add("armed");
    button.textContent = msg("undo-confirm", { what: button.getAttribute("data-undo") || "" });
    setTimeout(function () {
      if (!button.isConnected || button.disabled) return;
      button.removeAttribute("data-armed-at");
      button.classList.remove("armed");
      button.innerHTML = plain;
    }, UNDO_CONFIRM_MS);
  }

  function showNotice(text) {
    var box = document.getElementById("quiz-notice");
    if (!box) return;
    box.textContent = text;
    box.hidden = !text;
    clearTimeout(showNotice.timer);
    if (text) showNotice.timer = setTimeout(function () { box.hidden = true; }, NOTICE_MS);
  }

  if (window.io) {
    var socket = window.liveSocket();
    socket.on("connect", function () {
      socket.emit("watch", { contest: Number(contestId) });
      outbox.retryNow();
    });
    // Another device (the organizer, a second tablet) changed the quiz: show the truth.
    socket.on("standings", function (message) {
      var live = document.getElementById("quiz-live");
      if (!message || String(message.contest) !== contestId || !live) return;
      if (Number(message.version) > Number(live.getAttribute("data-version"))) refreshLive();
    });
  }

  bar.querySelector(".outbox-retry").addEventListener("click", function () { outbox.retryNow(); });
  renderOutbox(outbox.count());
  outbox.flush();
})();
