// backlens offline service worker. After the first visit every file of the site (the
// playground, the widget and its demo page, the analysis worker and its WebAssembly, the
// stylesheets) is in the cache, and the site works with the network off.
//
// The build (scripts/post-build.mjs) fills in ASSETS — every file of the build, as paths
// relative to this script — and VERSION, a hash of their names and contents: a new build
// is a new cache ("backlens-<VERSION>"), filled on install; on activate every older
// backlens cache is deleted. Only this site's own origin is ever fetched or cached.
//
// Strategy: files with a content hash in their name never change → cache first; the rest
// (pages, unhashed worker and widget files) → network first, cache when offline, so an
// online visit always sees the latest deployment.

const VERSION = "dev";
const ASSETS = [];

const CACHE = `backlens-${VERSION}`;
const SCOPE = new URL('./', self.location.href);
const HASHED = /-[0-9a-f]{16}(_bg)?\.[a-z0-9]+$/;

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      // `reload`: straight from the server, never from the HTTP cache (a stale file would
      // poison the new version).
      await cache.addAll(ASSETS.map((path) => new Request(new URL(path, SCOPE), { cache: 'reload' })));
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith('backlens-') && name !== CACHE) await caches.delete(name);
      }
      await self.clients.claim();
    })(),
  );
});

/** The cache key of `url`: a directory is its index.html; query and fragment ignored. */
function cacheKey(url) {
  const key = new URL(url.pathname, url.origin);
  if (key.pathname.endsWith('/')) key.pathname += 'index.html';
  return key.href;
}

async function fromCache(url) {
  const cache = await caches.open(CACHE);
  return cache.match(cacheKey(url));
}

async function networkFirst(request, url) {
  try {
    const response = await fetch(request);
    if (response.ok && response.type === 'basic') {
      const cache = await caches.open(CACHE);
      await cache.put(cacheKey(url), response.clone());
    }
    return response;
  } catch (error) {
    const cached = await fromCache(url);
    if (cached) return cached;
    throw error;
  }
}

self.addEventListener('fetch', (event) => {
  const { request } = event;
  const url = new URL(request.url);
  // Other origins and methods, and anything outside the site: not ours.
  if (request.method !== 'GET' || url.origin !== SCOPE.origin || !url.pathname.startsWith(SCOPE.pathname)) return;
  if (HASHED.test(url.pathname)) {
    event.respondWith(fromCache(url).then((cached) => cached ?? networkFirst(request, url)));
  } else {
    event.respondWith(networkFirst(request, url));
  }
});
