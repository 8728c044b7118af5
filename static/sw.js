/* The door's service worker, served as /host/sw.js so its scope covers /host/.
 *
 * Keeps the scanner page and its static files in a cache so the page opens and works with
 * no network: network first (always fresh when online), the cached copy when offline. The
 * API is never cached here: the page queues scans itself (see static/js/scanner.js).
 */
"use strict";

var CACHE = "door-v1";
var STATIC = [
  "/static/js/scanner.js",
  "/static/css/site.css",
  "/static/css/door.css",
  "/static/vendor/jsQR.js",
  "/static/img/icon.svg"
];

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(CACHE).then(function (cache) { return cache.addAll(STATIC); })
      .then(function () { return self.skipWaiting(); })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (keys) {
      return Promise.all(keys.filter(function (key) { return key.indexOf("door-") === 0 && key !== CACHE; })
        .map(function (key) { return caches.delete(key); }));
    }).then(function () { return self.clients.claim(); })
  );
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  var page = /^\/host\/events\/\d+\/scan$/.test(url.pathname);
  var asset = url.pathname.indexOf("/static/") === 0;
  if (!page && !asset) return;
  event.respondWith(
    fetch(request).then(function (response) {
      if (response.ok) {
        var copy = response.clone();
        caches.open(CACHE).then(function (cache) { return cache.put(request, copy); });
      }
      return response;
    }).catch(function () {
      return caches.match(request, { ignoreVary: true, ignoreSearch: page }).then(function (hit) {
        return hit || Response.error();
      });
    })
  );
});
