// Service worker of 项目台账, generated for each release build by tools/precache.mjs.
// Precaches every file of the build; serves them cache-first so the app opens
// with no network. A new version waits until the user chooses to reload.
const VERSION = '__VERSION__';
const FILES = __FILES__;
const CACHE = `ledger-${VERSION}`;

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(FILES)));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith('ledger-') && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('message', (event) => {
  if (event.data === 'skipWaiting') self.skipWaiting();
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET' || new URL(request.url).origin !== self.location.origin) return;
  if (request.mode === 'navigate') {
    // Every route is a hash of one of the two apps' index.html, so any
    // navigation gets a cached page: the office app under office/, else the field app.
    const scope = new URL(self.registration.scope).pathname;
    const page = new URL(request.url).pathname.startsWith(`${scope}office/`) ? './office/index.html' : './index.html';
    event.respondWith(caches.open(CACHE).then((cache) => cache.match(page)).then((hit) => hit || fetch(request)));
    return;
  }
  event.respondWith(caches.open(CACHE).then((cache) => cache.match(request, { ignoreSearch: true })).then((hit) => hit || fetch(request)));
});
