// The judges' service worker, served as /judge/sw.js so its scope is /judge/ and nothing else.
//
// The pages a judge needs on the day (home, the sheets of their teams) keep opening when the
// venue Wi-Fi drops: a page comes from the network first (so online it is always the server's
// newest state) and from its last copy when the network is gone. Styles and scripts come from
// the cache, refreshed behind. Saves (POST) never pass through here: they wait in the outbox
// (outbox.js), which sends them when the network is back.
"use strict";

var CACHE = "papan-skor-judge-v1";

self.addEventListener("install", function () { self.skipWaiting(); });

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) {
      return name.indexOf("papan-skor-judge-") === 0 && name !== CACHE;
    }).map(function (name) { return caches.delete(name); }));
  }).then(function () { return self.clients.claim(); }));
});

function sameOrigin(url) {
  return new URL(url, self.location.href).origin === self.location.origin;
}

function isAsset(url) {
  return new URL(url).pathname.indexOf("/static/") === 0;
}

// Only whole pages and assets are kept, never an htmx fragment of the same address.
function keepable(request, response) {
  return response && response.ok && response.type === "basic" && !response.redirected
    && !request.headers.get("HX-Request");
}

function fromNetworkFirst(request) {
  return caches.open(CACHE).then(function (cache) {
    return fetch(request).then(function (response) {
      if (keepable(request, response)) cache.put(request.url, response.clone());
      return response;
    }, function () {
      return cache.match(request.url, { ignoreVary: true }).then(function (copy) {
        return copy || cache.match(new URL("offline", self.registration.scope).href,
                                   { ignoreVary: true });
      }).then(function (copy) { return copy || Response.error(); });
    });
  });
}

function fromCacheFirst(request) {
  return caches.open(CACHE).then(function (cache) {
    return cache.match(request.url, { ignoreVary: true }).then(function (copy) {
      var fresh = fetch(request).then(function (response) {
        if (keepable(request, response)) cache.put(request.url, response.clone());
        return response;
      });
      if (copy) {
        fresh.catch(function () {});
        return copy;
      }
      return fresh;
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET" || !sameOrigin(request.url)) return;
  if (request.mode === "navigate") {
    event.respondWith(fromNetworkFirst(request));
  } else if (isAsset(request.url)) {
    event.respondWith(fromCacheFirst(request));
  }
});

// The home page sends the addresses a judge will need (their sheets, the page's assets,
// the offline page): fetch and keep them now, while the network is there.
self.addEventListener("message", function (event) {
  var data = event.data || {};
  var reply = event.ports && event.ports[0];
  var work;
  if (data.type === "warm" && Array.isArray(data.urls)) {
    work = caches.open(CACHE).then(function (cache) {
      return Promise.all(data.urls.filter(sameOrigin).map(function (url) {
        // Only what is missing: every visit to the home page must not re-render every sheet.
        return cache.match(url, { ignoreVary: true }).then(function (copy) {
          if (copy) return null;
          return fetch(url, { credentials: "same-origin" }).then(function (response) {
            if (keepable(new Request(url), response)) return cache.put(url, response);
            return null;
          }, function () { return null; });
        });
      }));
    });
  } else if (data.type === "forget") {
    // Logging out: the next judge on this tablet must not open this judge's pages.
    work = caches.delete(CACHE);
  } else {
    return;
  }
  event.waitUntil(work.then(function () { if (reply) reply.postMessage({ ok: true }); }));
});
