/* The phone site's service worker (/m): the site opens without a network once it has been opened.
 *
 * - Pages under /m: the network first (a new release is picked up at once); when it is slow (over
 *   3 s) or gone, the copy kept from the last visit. Every /m/* page is the same HTML.
 * - /assets/*: file names carry a content hash, so a kept copy is always right: cache first.
 * - The API is never answered from here: what the phone writes goes through the page's outbox
 *   (IndexedDB, Idempotency-Key), and what it reads says plainly when it is offline.
 */
const SHELL_CACHE = 'minqing-m-shell-v1';
const ASSET_CACHE = 'minqing-assets-v1';
const SHELL_URL = '/m/home';
const STATIC = ['/m/manifest.webmanifest', '/m/icons/icon-192.png', '/m/icons/icon-512.png'];

async function cacheShell() {
  const response = await fetch(SHELL_URL, { cache: 'no-store' });
  if (!response.ok) return;
  const html = await response.clone().text();
  const shell = await caches.open(SHELL_CACHE);
  await shell.put(SHELL_URL, response);
  await shell.addAll(STATIC).catch(() => undefined);
  // The scripts and styles the shell loads first; the other pages' chunks are cached as they load.
  const assets = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]);
  const cache = await caches.open(ASSET_CACHE);
  await Promise.all(
    assets.map(async (url) => {
      if (!(await cache.match(url))) await cache.add(url).catch(() => undefined);
    }),
  );
}

self.addEventListener('install', (event) => {
  event.waitUntil(cacheShell().then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) =>
        Promise.all(
          keys
            .filter((key) => key.startsWith('minqing-') && key !== SHELL_CACHE && key !== ASSET_CACHE)
            .map((key) => caches.delete(key)),
        ),
      )
      .then(() => self.clients.claim()),
  );
});

function timeout(ms) {
  return new Promise((resolve) => setTimeout(() => resolve(null), ms));
}

async function page(request) {
  const shell = await caches.open(SHELL_CACHE);
  const network = fetch(request)
    .then(async (response) => {
      if (response.ok && (response.headers.get('content-type') || '').includes('text/html')) {
        await shell.put(SHELL_URL, response.clone());
      }
      return response;
    })
    .catch(() => null);
  const kept = await shell.match(SHELL_URL);
  const first = kept ? await Promise.race([network, timeout(3000)]) : await network;
  if (first) return first;
  if (kept) return kept;
  const late = await network;
  return (
    late ||
    new Response('离线，且此前未打开过本页。Offline, and this page was never opened here.', {
      status: 503,
      headers: { 'content-type': 'text/plain; charset=utf-8' },
    })
  );
}

async function asset(request) {
  const cache = await caches.open(request.url.includes('/assets/') ? ASSET_CACHE : SHELL_CACHE);
  const kept = await cache.match(request);
  if (kept) return kept;
  const response = await fetch(request);
  if (response.ok) await cache.put(request, response.clone());
  return response;
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === 'navigate' && (url.pathname === '/m' || url.pathname.startsWith('/m/'))) {
    event.respondWith(page(request));
  } else if (url.pathname.startsWith('/assets/') || STATIC.includes(url.pathname)) {
    event.respondWith(asset(request));
  }
});
