// The offline outbox shared by the tablets (judges' sheets, the quiz scorekeeper's taps), and
// the glue both consoles need around it: their messages, the "not sent" bar and exact numbers.
//
// A save is written to localStorage *before* it is sent, with an id made here (the server
// stores the same id once), and removed only when the server has given a final answer. Saves
// go oldest first, one at a time; a dropped network retries with backoff (1 s doubling to
// 30 s) and at once when the browser comes back online or the page becomes visible again.
//
//   var box = PapanOutbox.create("papan-skor.outbox.quiz-7", {
//     onChange: function (count) { ... },                 // after every change of the list
//     onAnswer: function (entry, response, answer) { ... } // a final answer (2xx, 404, 409, 422)
//   });
//   box.add({ id: PapanOutbox.newClientId(), url: form.action, fields: [["k", "v"]], label: "" });
//   box.flush();
//
// Every save is sent with its id as the `client_id` field: the server stores an id once.
(function () {
  "use strict";

  function newClientId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) {
      return (b + 256).toString(16).slice(1);
    }).join("");
  }

  // Messages live on the outbox bar as data-msg-NAME="… {n} …", in the page's language.
  function messages(bar) {
    return function (name, values) {
      var text = bar.getAttribute("data-msg-" + name) || "";
      Object.keys(values || {}).forEach(function (key) {
        text = text.split("{" + key + "}").join(values[key]);
      });
      return text;
    };
  }

  // How many saves are not sent yet, on the bar and as a class of the page.
  function showCount(bar, count, msg) {
    bar.hidden = count === 0;
    bar.querySelector(".outbox-count").textContent = msg("pending", { n: count });
    document.body.classList.toggle("has-outbox", count > 0);
  }

  // "7,5", "7.5", "-25" or "−25" as whole thousandths (7500), so sums stay exact; null if no number.
  function thousandths(text) {
    var clean = String(text).trim().replace("\u2212", "-").replace(",", ".");
    if (!/^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(clean)) return null;
    return Math.round(parseFloat(clean) * 1000);
  }

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }

  // An answer that will not change by sending again: stored, or refused for a reason (413: a
  // value far too long). 400 (stale form), 401/403 (logged out) and 5xx are worth retrying once fixed.
  function isFinalAnswer(status) {
    return (status >= 200 && status < 300) || status === 404 || status === 409 || status === 413 ||
      status === 422;
  }

  function Outbox(key, options) {
    this.key = key;
    this.options = options || {};
    this.inflight = {};
    this.backoff = 1000;
    this.retryTimer = null;
    this.flushing = false;
    this.flushAgain = false;
    var self = this;
    window.addEventListener("online", function () { self.retryNow(); });
    window.addEventListener("storage", function (event) {
      if (event.key === self.key) self.changed();
    });
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "visible") self.retryNow();
    });
  }

  Outbox.MAX_BACKOFF = 30000;

  Outbox.prototype.list = function () {
    try {
      var list = JSON.parse(localStorage.getItem(this.key) || "[]");
      return Array.isArray(list) ? list : [];
    } catch (e) {
      return [];
    }
  };

  Outbox.prototype.store = function (list) {
    localStorage.setItem(this.key, JSON.stringify(list));
    this.changed();
  };

  Outbox.prototype.changed = function () {
    if (this.options.onChange) this.options.onChange(this.list().length);
  };

  Outbox.prototype.count = function () {
    return this.list().length;
  };

  Outbox.prototype.add = function (entry) {
    var list = this.list();
    entry.at = entry.at || Date.now();
    list.push(entry);
    this.store(list);
  };

  Outbox.prototype.remove = function (id) {
    this.store(this.list().filter(function (entry) { return entry.id !== id; }));
  };

  Outbox.prototype.send = function (entry) {
    var body = new URLSearchParams();
    entry.fields.forEach(function (pair) {
      if (pair[0] !== "client_id") body.append(pair[0], pair[1]);
    });
    body.set("client_id", entry.id);
    body.set("csrf_token", csrfToken());
    var headers = { "Accept": "application/json", "X-CSRFToken": csrfToken() };
    var extra = this.options.headers || {};
    Object.keys(extra).forEach(function (name) { headers[name] = extra[name]; });
    return fetch(entry.url, { method: "POST", body: body, credentials: "same-origin",
                              headers: headers });
  };

  Outbox.prototype.scheduleRetry = function () {
    var self = this;
    if (this.retryTimer) return;
    this.retryTimer = setTimeout(function () {
      self.retryTimer = null;
      self.flush();
    }, this.backoff);
    this.backoff = Math.min(this.backoff * 2, Outbox.MAX_BACKOFF);
  };

  Outbox.prototype.retryNow = function () {
    this.backoff = 1000;
    if (this.retryTimer) {
      clearTimeout(this.retryTimer);
      this.retryTimer = null;
    }
    this.flush();
  };

  // Oldest first, one at a time: a later save never overtakes an earlier one.
  Outbox.prototype.flushLocked = function () {
    var self = this;
    var next = this.list().filter(function (entry) { return !self.inflight[entry.id]; })[0];
    if (!next) {
      this.backoff = 1000;
      return Promise.resolve();
    }
    this.inflight[next.id] = true;
    return this.send(next).then(function (response) {
      delete self.inflight[next.id];
      if (!isFinalAnswer(response.status)) {
        if (self.options.onRetry) self.options.onRetry(next, response);
        self.scheduleRetry();
        return null;
      }
      return response.json().catch(function () { return {}; }).then(function (answer) {
        self.remove(next.id);
        if (self.options.onAnswer) self.options.onAnswer(next, response, answer);
        return self.flushLocked();
      });
    }, function () {
      delete self.inflight[next.id];
      if (self.options.onRetry) self.options.onRetry(next, null);
      self.scheduleRetry();
    });
  };

  Outbox.prototype.flush = function () {
    var self = this;
    if (this.flushing) {
      this.flushAgain = true;
      return;
    }
    this.flushing = true;
    // Two tabs of one tablet share the list: only one sends at a time.
    var run = navigator.locks
      ? navigator.locks.request(this.key, function () { return self.flushLocked(); })
      : this.flushLocked();
    Promise.resolve(run).then(done, done);

    function done() {
      self.flushing = false;
      if (self.flushAgain) {
        self.flushAgain = false;
        self.flush();
      }
    }
  };

  window.PapanOutbox = {
    create: function (key, options) { return new Outbox(key, options); },
    newClientId: newClientId,
    csrfToken: csrfToken,
    isFinalAnswer: isFinalAnswer,
    messages: messages,
    showCount: showCount,
    thousandths: thousandths,
  };
})();
