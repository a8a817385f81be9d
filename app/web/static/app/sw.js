/* Service worker of the key persons' app (scope /app): the shell and static files from the cache (the
   shell is refreshed in the background; a release changes this file, so it installs a new cache), data
   network first with the cache as fallback, so the app opens and registers without a connection.
   Writes (POST, PATCH) are never handled here: the page's IndexedDB queue owns them. */
'use strict';
var VERSIE = '__VERSIE__';
var CACHE = 'sleutelmonitor-app-' + VERSIE;
var SHELL = ['/app', '/static/app/sleutel.css?v=' + VERSIE, '/static/app/sleutel.js?v=' + VERSIE];
// Only what the form needs offline; follow-up and month figures are read fresh and not kept on the device.
var DATA = [/^\/app\/api\/(profiel|codelijsten)$/, /^\/app\/manifest\.webmanifest$/];

self.addEventListener('install', function (event) {
  event.waitUntil(caches.open(CACHE).then(function (c) { return c.addAll(SHELL); }).then(function () { return self.skipWaiting(); }));
});
self.addEventListener('activate', function (event) {
  event.waitUntil(caches.keys().then(function (namen) {
    return Promise.all(namen.filter(function (n) { return n.indexOf('sleutelmonitor-app-') === 0 && n !== CACHE; })
      .map(function (n) { return caches.delete(n); }));
  }).then(function () { return self.clients.claim(); }));
});
function netwerkEerst(request) {
  return fetch(request).then(function (antwoord) {
    if (antwoord.ok) {
      var kopie = antwoord.clone();
      caches.open(CACHE).then(function (c) { return c.put(request, kopie); });
    }
    return antwoord;
  }, function () {
    return caches.match(request, {ignoreVary: true}).then(function (bewaard) {
      return bewaard || new Response(JSON.stringify({status: 503, title: 'Geen verbinding'}),
        {status: 503, headers: {'Content-Type': 'application/problem+json'}});
    });
  });
}
self.addEventListener('fetch', function (event) {
  var request = event.request, url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin) return;
  if (url.pathname === '/app') {
    var vers = netwerkEerst(new Request('/app', {credentials: 'same-origin'}));
    event.waitUntil(vers.catch(function () { return null; }));
    event.respondWith(caches.match('/app').then(function (bewaard) { return bewaard || vers; }));
  } else if (url.pathname.indexOf('/static/app/') === 0) {
    event.respondWith(caches.match(request).then(function (bewaard) { return bewaard || netwerkEerst(request); }));
  } else if (DATA.some(function (r) { return r.test(url.pathname); })) {
    event.respondWith(netwerkEerst(request));
  }
});
