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

  var msg = PapanOutbox.messages(bar);
  var thousandths = PapanOutbox.thousandths;

  function loadOutbox() { return box.list(); }
  function retryNow() { box.retryNow(); }
  function flush() { box.flush(); }

  function renderOutbox() {
    var waiting = loadOutbox().filter(function (entry) { return !direct[entry.id]; });
    PapanOutbox.showCount(bar, waiting.length, msg);
    renderHome();
  }

  function intentOf(entry) {
    var found = (entry.fields || []).filter(function (pair) { return pair[0] === "intent"; })[0];
    return found ? found[1] : "save";
  }

  function rowFor(url) {
    return document.querySelector('.team-row[data-url="' + url + '"]');
  }

  // data-state is what the server last said (belum, draf, terkirim); a save still waiting on
  // the tablet shows over it until the server has answered.
  function renderHome() {
    var list = loadOutbox();
    document.querySelectorAll(".team-row[data-url]").forEach(function (row) {
      var url = row.getAttribute("data-url");
      var waiting = list.filter(function (entry) { return entry.url === url; });
      var state = row.getAttribute("data-state");
      var label = row.querySelector(".sheet-state");
      var shown = waiting.length ? "antri" : state;
      row.className = row.className.replace(/\bstate-\S+/, "state-" + shown);
      if (waiting.length) {
        var final = waiting.some(function (entry) { return intentOf(entry) === "submit"; });
        label.textContent = msg(final ? "row-queued-final" : "row-queued-save");
      } else {
        label.textContent = msg("row-" + state);
      }
    });
  }

  function setRowState(url, serverState) {
    var row = rowFor(url);
    if (!row) return;
    row.setAttribute("data-state", serverState === "submitted" ? "terkirim"
                     : serverState === "draft" ? "draf" : "belum");
    renderHome();
  }

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
    setRowState(entry.url, answer.state);
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

  // A final waiting in the outbox is read-only: nothing may change what is on its way, and a
  // second "Kirim final" would only be refused by the server once the first arrives.
  function holdFinal() {
    var sheet = currentSheet();
    var form = sheet && sheet.querySelector("form.sheet-form");
    if (!form) return;
    sheet.classList.add("locked", "final-queued");
    form.querySelectorAll(".score-input").forEach(function (input) { input.readOnly = true; });
    form.querySelectorAll("button").forEach(function (button) { button.disabled = true; });
    setStatus("unsaved", msg("final-queued"));
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
      if (intent === "submit") holdFinal();
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
      var entry = loadOutbox().filter(function (item) { return item.id === id; })[0];
      if (entry && intentOf(entry) === "submit") holdFinal();
      box.scheduleRetry();
    }
  });

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
    var last = pending[pending.length - 1];
    last.fields.forEach(function (pair) {
      if (pair[0].indexOf("score-") !== 0) return;
      var input = form.querySelector('[name="' + pair[0] + '"]');
      if (input) input.value = pair[1];
    });
    updateTotal(form);
    setStatus("unsaved", msg("unsaved"));
    if (pending.some(function (entry) { return intentOf(entry) === "submit"; })) holdFinal();
  }

  document.body.addEventListener("htmx:afterSwap", function () {
    var form = document.querySelector("form.sheet-form");
    if (form) updateTotal(form);
    restorePending();
    renderHome();
  });

  function refreshSheet() {
    var sheet = currentSheet();
    if (sheet && window.htmx) {
      htmx.ajax("GET", sheet.getAttribute("data-sheet-url"), { target: "#sheet", swap: "outerHTML" });
    }
  }

  function showsSheet(contest, team) {
    var sheet = currentSheet();
    return sheet && sheet.getAttribute("data-contest") === String(contest)
      && (team === undefined || sheet.getAttribute("data-team") === String(team));
  }

  function sheetNews(message) {
    if (!message || !message.contest) return;
    if (showsSheet(message.contest, message.team)) refreshSheet();
    var section = document.querySelector('.judge-contest[data-contest="' + message.contest + '"]');
    var row = section && section.querySelector('.team-row[data-team="' + message.team + '"]');
    if (row && row.getAttribute("data-url")) {
      setRowState(row.getAttribute("data-url"), message.version ? message.state : "none");
    }
  }

  function contestNews(message) {
    if (!message || !message.contest || !message.status) return;
    var sheet = currentSheet();
    if (showsSheet(message.contest) && sheet.getAttribute("data-contest-status") !== message.status) {
      // Locked (or opened again) while on screen: show what may be done now, and why.
      refreshSheet();
    }
    var section = document.getElementById("contest-" + message.contest);
    if (section && section.getAttribute("data-status") !== message.status && window.htmx) {
      htmx.ajax("GET", window.location.pathname, { target: "#contest-" + message.contest,
                                                  select: "#contest-" + message.contest,
                                                  swap: "outerHTML" });
    }
  }

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
    var socket = window.liveSocket();
    socket.on("connect", function () {
      var contests = Object.keys(sheetUrls);
      var waiting = contests.length + 1;
      function joined() {
        // Marks the page as receiving pushes (the browser tests wait for it).
        if (--waiting === 0) document.body.setAttribute("data-live", "watching");
      }
      socket.emit("watch_judge", {}, joined);
      contests.forEach(function (contest) {
        socket.emit("watch", { contest: Number(contest) }, joined);
      });
      retryNow();
    });
    socket.on("disconnect", function () { document.body.removeAttribute("data-live"); });
    socket.on("now_performing", nowPerforming);
    socket.on("sheet", sheetNews);
    socket.on("standings", contestNews);
  }

  function pageAssets() {
    var urls = [];
    document.querySelectorAll('link[rel="stylesheet"], link[rel="icon"], script[src]')
      .forEach(function (el) { urls.push(el.href || el.src); });
    return urls;
  }

  function askWorker(worker, message) {
    return new Promise(function (resolve) {
      var channel = new MessageChannel();
      channel.port1.onmessage = function () { resolve(); };
      worker.postMessage(message, [channel.port2]);
    });
  }

  // Service workers exist only in a secure context (https, or the laptop itself); on a plain
  // http venue address the tablet still has the outbox, only not the offline pages (README).
  if ("serviceWorker" in navigator && bar.getAttribute("data-sw")) {
    navigator.serviceWorker.register(bar.getAttribute("data-sw"),
                                     { scope: bar.getAttribute("data-sw-scope") })
      .then(function () { return navigator.serviceWorker.ready; })
      .then(function (registration) {
        var urls = pageAssets().concat([window.location.href, bar.getAttribute("data-offline-url")]);
        document.querySelectorAll(".team-row[data-url]").forEach(function (row) {
          urls.push(new URL(row.getAttribute("data-url"), window.location.href).href);
        });
        return askWorker(registration.active, { type: "warm", urls: urls });
      })
      .then(function () { document.body.setAttribute("data-offline-ready", "yes"); })
      .catch(function () { /* no worker: pages need the network, saves still queue */ });
  }

  // Logging out forgets the kept pages before leaving, so the next judge cannot open them.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form.logout") || form.dataset.forgotten) return;
    var worker = navigator.serviceWorker && navigator.serviceWorker.controller;
    if (!worker) return;
    event.preventDefault();
    form.dataset.forgotten = "yes";
    askWorker(worker, { type: "forget" }).then(function () { form.submit(); });
  });

  bar.querySelector(".outbox-retry").addEventListener("click", retryNow);

  renderOutbox();
  var form = document.querySelector("form.sheet-form");
  if (form) updateTotal(form);
  restorePending();
  flush();
})();
