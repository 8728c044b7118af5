/* The door's service worker, served from the host's folder (see events/web/door.py) so its
 * scope covers the scanner pages.
 *
 * Keeps what the scanner page put in its cache (the page itself and the static files it
 * names in its page data) fresh and available offline: network first (always fresh when
 * online), the cached copy when offline. It knows no addresses of its own. The API is never
 * cached here: the page queues scans itself (see static/js/scanner.js).
 */
"use strict";

var CACHE = "door-v2";

self.addEventListener("install", function () { self.skipWaiting(); });

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (keys) {
      return Promise.all(keys.filter(function (key) { return key.indexOf("door-") === 0 && key !== CACHE; })
        .map(function (key) { return caches.delete(key); }));
    }).then(function () { return self.clients.claim(); })
  );
});

// Pages and their files only: API calls (fetch() from the page) go straight to the network.
var KEPT = { document: true, script: true, style: true, image: true };

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET" || !KEPT[request.destination]) return;
  if (new URL(request.url).origin !== self.location.origin) return;
  var page = request.mode === "navigate";
  event.respondWith(caches.open(CACHE).then(function (cache) {
    return cache.match(request, { ignoreVary: true, ignoreSearch: page }).then(function (kept) {
      return fetch(request).then(function (response) {
        if (kept && response.ok) cache.put(request, response.clone());
        return response;
      }, function (error) {
        if (kept) return kept;
        throw error;
      });
    });
  }));
});
