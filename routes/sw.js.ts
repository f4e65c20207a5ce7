// Serves the service worker from the site root (its scope is the whole site). Its precache
// list is this build's fingerprinted assets (lib/assets.ts), and its cache name carries a hash
// of itself and of that list, so every build that changes an asset installs a fresh shell and
// drops the old caches.
import { define } from "../lib/route.ts";
import { type Asset, assetUrl, FINGERPRINTED, islandAssetUrls } from "../lib/assets.ts";

const SW = new URL("../static/sw.js", import.meta.url);

/** What the worker keeps for offline use: every island script, the icons, the manifest, the favicon. */
export function precacheList(): string[] {
  return [
    ...FINGERPRINTED.map((name: Asset) => assetUrl(name)),
    ...islandAssetUrls(),
    "/manifest.webmanifest",
    "/favicon.ico",
  ];
}

async function version(source: string): Promise<string> {
  const bytes = new TextEncoder().encode(source);
  const hash = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return Array.from(hash.slice(0, 6), (b) => b.toString(16).padStart(2, "0")).join("");
}

export default define({
  access: "public",
  GET: async (c) => {
    const source = (await Deno.readTextFile(SW))
      .replace('["__ASSETS__"]', JSON.stringify(precacheList()));
    c.header("Content-Type", "text/javascript; charset=utf-8");
    // Browsers must check for a new worker on every visit.
    c.header("Cache-Control", "no-cache");
    return c.body(source.replace("__VERSION__", await version(source)));
  },
});
