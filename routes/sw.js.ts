// Serves the service worker from the site root (its scope is the whole site). The worker's
// cache name carries a hash of itself and of the islands bundle, so every build installs a
// fresh shell and drops the old caches.
import { define } from "../lib/route.ts";

const SW = new URL("../static/sw.js", import.meta.url);
const BUNDLE = new URL("../static/build/islands.js", import.meta.url);

async function version(source: string): Promise<string> {
  let bundle = new Uint8Array();
  try {
    bundle = await Deno.readFile(BUNDLE);
  } catch {
    // No bundle yet (tests without a build): the worker's own source is enough.
  }
  const head = new TextEncoder().encode(source);
  const bytes = new Uint8Array(head.length + bundle.length);
  bytes.set(head);
  bytes.set(bundle, head.length);
  const hash = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return Array.from(hash.slice(0, 6), (b) => b.toString(16).padStart(2, "0")).join("");
}

export default define({
  access: "public",
  GET: async (c) => {
    const source = await Deno.readTextFile(SW);
    c.header("Content-Type", "text/javascript; charset=utf-8");
    // Browsers must check for a new worker on every visit.
    c.header("Cache-Control", "no-cache");
    return c.body(source.replace("__VERSION__", await version(source)));
  },
});
