// Service worker of 项目台账, generated for each release build by tools/release/assemble.mjs.
// Precaches every file of the build; serves them cache-first so the app opens
// with no network. A new version waits until the user chooses to reload.
const VERSION = '__VERSION__';
const FILES = __FILES__;
// The spreadsheet module: cached when the office app first loads it, and
// carried into each new version on a device that has used it.
const WHEN_USED = __WHEN_USED__;
const CACHE = `ledger-${VERSION}`;

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then(async (cache) => {
    await cache.addAll(FILES);
    const used = await Promise.all(WHEN_USED.map((f) => caches.match(f, { ignoreSearch: true })));
    // A new version's module, fetched now so it works offline as before; if
    // that fails it is fetched when next used.
    if (used.some(Boolean)) await cache.addAll(WHEN_USED).catch(() => {});
  }));
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
  event.respondWith(caches.open(CACHE).then(async (cache) => {
    const hit = await cache.match(request, { ignoreSearch: true });
    if (hit) return hit;
    const response = await fetch(request);
    const path = new URL(request.url).pathname;
    if (response.ok && WHEN_USED.some((f) => path.endsWith(f.slice(1)))) await cache.put(request, response.clone());
    return response;
  }));
});
