// Renova's service worker. It keeps only the app shell (/app/offline), the island scripts, the
// manifest and the icons. Pages are never stored: when one cannot be fetched, the shell is
// served and reads the attendant's data from IndexedDB. Customer pages (/r/*), anything with a
// token, the ID photo, PDFs and the JSON APIs always go to the network.
const VERSION = "__VERSION__";
const CACHE = `renova-shell-${VERSION}`;
const SHELL = "/app/offline";
// routes/sw.js.ts puts the fingerprinted names of this build here (lib/assets.ts).
const ASSETS = ["__ASSETS__"];
/** A fingerprinted name never changes content: the cached copy is always right. */
const FINGERPRINTED = /\.[0-9a-f]{10}\.[a-z0-9]+$/;

/** Requests whose answers must never be stored on the device. */
function neverStore(url) {
  const p = url.pathname;
  return p.startsWith("/r/") || /token/i.test(url.search) || /\/photo(\/|$)/.test(p) ||
    p.endsWith(".pdf") || p.startsWith("/app/api/") || p === "/app/sync" ||
    p.endsWith("/events") || p === "/login" || p === "/logout";
}

async function refreshShell() {
  try {
    const res = await fetch(SHELL, { credentials: "same-origin" });
    // A signed-out fetch is redirected to /login: never keep that as the shell.
    if (res.ok && !res.redirected) await (await caches.open(CACHE)).put(SHELL, res);
  } catch {
    // Offline: keep the shell we have.
  }
}

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    await (await caches.open(CACHE)).addAll(ASSETS);
    await refreshShell();
    await self.skipWaiting();
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const key of await caches.keys()) {
      if (key.startsWith("renova-") && key !== CACHE) await caches.delete(key);
    }
    await self.clients.claim();
  })());
});

self.addEventListener("message", (event) => {
  if (event.data === "refresh-shell") event.waitUntil(refreshShell());
});

async function pageOrShell(request) {
  try {
    return await fetch(request);
  } catch {
    const shell = await caches.match(SHELL);
    return shell ?? new Response(
      '<!DOCTYPE html><html lang="pt-BR"><meta charset="utf-8"><title>Sem conexão</title>' +
        "<p>Sem conexão. Abra o Renova com internet ao menos uma vez neste aparelho.</p></html>",
      { status: 503, headers: { "content-type": "text/html; charset=utf-8" } },
    );
  }
}

async function assetNetworkFirst(request) {
  const cache = await caches.open(CACHE);
  try {
    const res = await fetch(request);
    if (res.ok && res.type === "basic") await cache.put(request, res.clone());
    return res;
  } catch {
    return (await cache.match(request)) ?? Response.error();
  }
}

async function assetCacheFirst(request) {
  const cached = await caches.match(request);
  return cached ?? assetNetworkFirst(request);
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || neverStore(url)) return;
  if (request.mode === "navigate") {
    // Staff pages: network first, the offline shell as the fallback. Nothing else is stored.
    if (url.pathname === "/app" || url.pathname.startsWith("/app/")) {
      event.respondWith(pageOrShell(request));
    }
    return;
  }
  if (!ASSETS.includes(url.pathname)) return;
  event.respondWith(
    FINGERPRINTED.test(url.pathname) ? assetCacheFirst(request) : assetNetworkFirst(request),
  );
});
