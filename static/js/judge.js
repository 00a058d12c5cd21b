// Judge tablets: the offline outbox, steppers and running total, the "now performing" banner.
//
// Every save gets an id made here (the server stores the same id once). It is written to the
// outbox in localStorage *before* it is sent and removed only when the server has answered it,
// so a dropped Wi-Fi, a reload or a closed tab never loses a score.
(function () {
  "use strict";

  var bar = document.getElementById("outbox-status");
  if (!bar || !window.PapanOutbox) return;
  var judgeId = document.body.getAttribute("data-judge") || bar.getAttribute("data-judge");
  var KEY = "papan-skor.outbox.judge-" + judgeId;
  // The outbox itself (storage, order, backoff, retry triggers) is shared with the quiz
  // console: static/js/outbox.js. This file adds what a score sheet needs on top of it.
  var box = PapanOutbox.create(KEY, {
    onChange: renderOutbox,
    onAnswer: function (entry, response, answer) {
      if (response.ok) acknowledged(entry, answer);
      else rejected(entry, answer);
    },
  });
  var inflight = box.inflight;
  // Saves htmx is sending right now: not counted as "not sent" unless that attempt fails.
  var direct = {};

  function msg(name, values) {
    var text = bar.getAttribute("data-msg-" + name) || "";
    Object.keys(values || {}).forEach(function (key) {
      text = text.split("{" + key + "}").join(values[key]);
    });
    return text;
  }

  function loadOutbox() { return box.list(); }
  function retryNow() { box.retryNow(); }
  function flush() { box.flush(); }

  function renderOutbox() {
    var count = loadOutbox().filter(function (entry) { return !direct[entry.id]; }).length;
    bar.hidden = count === 0;
    bar.querySelector(".outbox-count").textContent = msg("pending", { n: count });
    document.body.classList.toggle("has-outbox", count > 0);
  }

  // --- the sheet on screen --------------------------------------------------------------------

  function currentSheet() {
    return document.getElementById("sheet");
  }

  function pendingFor(url) {
    return loadOutbox().filter(function (entry) { return entry.url === url; });
  }

  function setStatus(kind, text) {
    var sheet = currentSheet();
    var status = sheet && sheet.querySelector(".save-status");
    if (!status) return;
    status.className = "save-status " + kind;
    status.textContent = text;
  }

  function acknowledged(entry, answer) {
    var sheet = currentSheet();
    if (!sheet || sheet.getAttribute("data-sheet-url") !== entry.url) return;
    if (pendingFor(entry.url).length) return;
    if (answer.state === "submitted" && window.htmx) {
      // The sheet is locked now: show its locked view.
      htmx.ajax("GET", entry.url, { target: "#sheet", swap: "outerHTML" });
      return;
    }
    if (!sheet.classList.contains("dirty")) setStatus("saved", msg("saved", { time: answer.saved_at || "" }));
  }

  function rejected(entry, answer) {
    var box = document.getElementById("outbox-rejected");
    if (box) {
      box.textContent = msg("rejected", { team: entry.label || "" }) + " " + (answer.error || "");
      box.hidden = false;
    }
    var sheet = currentSheet();
    if (sheet && sheet.getAttribute("data-sheet-url") === entry.url && window.htmx) {
      htmx.ajax("GET", entry.url, { target: "#sheet", swap: "outerHTML" });
    }
  }

  // "Kirim final" locks the sheet: ask once, with the team and the total being sent.
  function confirmFinal(form) {
    var sheet = currentSheet();
    var total = form.querySelector(".total-value");
    return window.confirm(msg("confirm-final", {
      team: sheet ? sheet.querySelector(".sheet-team").textContent : "",
      total: total ? total.textContent : "",
    }));
  }

  function formFields(form) {
    var fields = [];
    new FormData(form).forEach(function (value, key) {
      if (key !== "csrf_token") fields.push([key, value]);
    });
    return fields;
  }

  function setHidden(form, name, value) {
    var input = form.querySelector('input[type="hidden"][name="' + name + '"]');
    if (!input) {
      input = document.createElement("input");
      input.type = "hidden";
      input.name = name;
      form.appendChild(input);
    }
    input.value = value;
  }

  // Before htmx sees the submit: give the save its id and put it in the outbox.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form.sheet-form")) return;
    var submitter = event.submitter;
    var intent = submitter && submitter.name === "intent" ? submitter.value : "save";
    if (intent === "submit" && !confirmFinal(form)) {
      event.preventDefault();
      event.stopImmediatePropagation();
      return;
    }
    setHidden(form, "intent", intent);
    var id = PapanOutbox.newClientId();
    setHidden(form, "client_id", id);
    var sheet = currentSheet();
    var waiting = loadOutbox().length > 0;
    direct[id] = !waiting;
    box.add({
      id: id, url: form.getAttribute("action"), fields: formFields(form), at: Date.now(),
      label: sheet ? sheet.querySelector(".sheet-team").textContent : "",
    });
    if (sheet) sheet.classList.remove("dirty");
    if (waiting) {
      // Older saves are still waiting: this one queues behind them to keep their order.
      event.preventDefault();
      event.stopImmediatePropagation();
      setStatus("unsaved", msg("unsaved"));
      retryNow();
      return;
    }
    form.setAttribute("data-pending-id", id);
    inflight[id] = true;
  }, true);

  document.body.addEventListener("htmx:afterRequest", function (event) {
    // The answer swaps the form out, so htmx reports on a surviving ancestor (detail.elt);
    // requestConfig.elt is still the form that was sent.
    var config = event.detail.requestConfig;
    var form = (config && config.elt) || event.detail.elt;
    var id = form && form.getAttribute && form.getAttribute("data-pending-id");
    if (!id) return;
    form.removeAttribute("data-pending-id");
    delete inflight[id];
    delete direct[id];
    var status = event.detail.xhr ? event.detail.xhr.status : 0;
    if (PapanOutbox.isFinalAnswer(status)) {
      box.remove(id);
      flush();
    } else {
      renderOutbox();
      setStatus("unsaved", msg("unsaved"));
      box.scheduleRetry();
    }
  });

  // --- steppers and the running total ----------------------------------------------------------

  function thousandths(text) {
    var clean = String(text).trim().replace(",", ".");
    if (!/^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(clean)) return null;
    return Math.round(parseFloat(clean) * 1000);
  }

  function showThousandths(units) {
    var text = (units / 1000).toFixed(3).replace(/\.?0+$/, "");
    return document.documentElement.lang === "en" ? text : text.replace(".", ",");
  }

  function updateTotal(form) {
    var sum = 0;
    form.querySelectorAll(".criterion").forEach(function (row) {
      var value = thousandths(row.querySelector(".score-input").value);
      var weight = thousandths(row.getAttribute("data-weight"));
      if (value !== null && weight !== null) sum += value * weight;  // millionths
    });
    var cents = Math.floor((Math.abs(sum) + 5000) / 10000) * (sum < 0 ? -1 : 1);
    var whole = Math.trunc(cents / 100);
    var fraction = String(Math.abs(cents % 100)).padStart(2, "0");
    var output = form.querySelector(".total-value");
    // The page's language decides the separators, as the server's `number` filter does.
    var english = document.documentElement.lang === "en";
    if (output) output.textContent = whole.toLocaleString(english ? "en-US" : "id-ID")
      + (english ? "." : ",") + fraction;
  }

  function step(button) {
    var row = button.closest(".criterion");
    var input = row.querySelector(".score-input");
    var low = thousandths(row.getAttribute("data-min"));
    var high = thousandths(row.getAttribute("data-max"));
    var size = thousandths(row.getAttribute("data-step"));
    var value = thousandths(input.value);
    var up = button.classList.contains("step-up");
    if (value === null) {
      // An empty field starts in the middle of the range, on the step grid (5,5 on 1–10 by
      // 0,5; 13 on 1–25): the fewest taps to any score a judge gives, and the same start for
      // every team, so the stepper never suggests another team's score (anchoring). The
      // minimum, the old start, is the score judges give least and sat 12 taps from 13.
      value = low + Math.floor((high - low) / 2 / size) * size;
    } else {
      // Snap onto the step grid, then move one step.
      var offset = Math.round((value - low) / size) * size + low;
      value = offset === value ? value + (up ? size : -size) : offset;
    }
    value = Math.min(high, Math.max(low, value));
    input.value = showThousandths(value);
    input.dispatchEvent(new Event("input", { bubbles: true }));
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest(".sheet-form .step");
    if (button) step(button);
  });

  document.addEventListener("input", function (event) {
    var form = event.target.closest && event.target.closest("form.sheet-form");
    if (!form) return;
    updateTotal(form);
    var sheet = currentSheet();
    if (sheet) sheet.classList.add("dirty");
    setStatus("dirty", msg("dirty"));
  });

  // After a reload, what is on screen is what the judge last entered, not an older server copy.
  function restorePending() {
    var sheet = currentSheet();
    var form = sheet && sheet.querySelector("form.sheet-form");
    if (!form) return;
    // A save in flight is being answered by the swap that called us; only waiting ones count.
    var pending = pendingFor(sheet.getAttribute("data-sheet-url"))
      .filter(function (entry) { return !inflight[entry.id]; });
    if (!pending.length) return;
    pending[pending.length - 1].fields.forEach(function (pair) {
      if (pair[0].indexOf("score-") !== 0) return;
      var input = form.querySelector('[name="' + pair[0] + '"]');
      if (input) input.value = pair[1];
    });
    updateTotal(form);
    setStatus("unsaved", msg("unsaved"));
  }

  document.body.addEventListener("htmx:afterSwap", function () {
    var form = document.querySelector("form.sheet-form");
    if (form) updateTotal(form);
    restorePending();
  });

  // --- "now performing" -------------------------------------------------------------------------

  var sheetUrls = {};
  try {
    sheetUrls = JSON.parse(document.getElementById("judge-sheet-urls").textContent || "{}");
  } catch (e) {
    sheetUrls = {};
  }

  function nowPerforming(message) {
    if (!message || !message.contest) return;
    var contest = String(message.contest);
    var team = message.team_id == null ? "" : String(message.team_id);
    document.querySelectorAll('.judge-contest[data-contest="' + contest + '"] .team-row')
      .forEach(function (row) { row.classList.toggle("now", row.getAttribute("data-team") === team); });
    var banner = document.getElementById("now-performing");
    var sheet = currentSheet();
    var onScreen = sheet && sheet.getAttribute("data-contest") === contest
      && sheet.getAttribute("data-team") === team;
    if (!banner || !team || onScreen) {
      if (banner && onScreen) banner.hidden = true;
      return;
    }
    // Never switch the sheet under the judge's fingers: offer the jump instead.
    banner.querySelector(".now-text").textContent =
      msg("now", { team: message.team || "", region: message.region || "" });
    var link = banner.querySelector(".now-open");
    var url = (sheetUrls[contest] || {})[team];
    link.hidden = !url;
    if (url) link.setAttribute("href", url);
    banner.hidden = false;
  }

  document.querySelector("#now-performing .now-dismiss").addEventListener("click", function () {
    document.getElementById("now-performing").hidden = true;
  });

  if (window.io) {
    var socket = io("/live");
    socket.on("connect", function () {
      var contests = Object.keys(sheetUrls);
      var waiting = contests.length;
      contests.forEach(function (contest) {
        socket.emit("watch", { contest: Number(contest) }, function () {
          // Marks the page as receiving pushes (the browser tests wait for it).
          if (--waiting === 0) document.body.setAttribute("data-live", "watching");
        });
      });
      retryNow();
    });
    socket.on("disconnect", function () { document.body.removeAttribute("data-live"); });
    socket.on("now_performing", nowPerforming);
  }

  // --- wiring --------------------------------------------------------------------------------

  bar.querySelector(".outbox-retry").addEventListener("click", retryNow);

  renderOutbox();
  var form = document.querySelector("form.sheet-form");
  if (form) updateTotal(form);
  restorePending();
  flush();
})();
