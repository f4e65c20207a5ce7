// Serves files under static/ (and the islands bundle and fingerprinted copies under
// static/build/). Paths are resolved inside the folder only; nothing outside it can be named.
import type { Ctx } from "./route.ts";
import { ValidationError } from "../services/errors.ts";
import { FINGERPRINT, IMMUTABLE, SHORT_CACHE } from "./assets.ts";

const TYPES: Record<string, string> = {
  js: "text/javascript; charset=utf-8",
  css: "text/css; charset=utf-8",
  svg: "image/svg+xml",
  png: "image/png",
  ico: "image/x-icon",
  json: "application/json",
  webmanifest: "application/manifest+json",
  ttf: "font/ttf",
  txt: "text/plain; charset=utf-8",
};

const STATIC_ROOT = new URL("../static/", import.meta.url);

// Our longest static path is far shorter; a longer name is refused before the file system
// answers "file name too long" (a 500).
const MAX_PATH = 200;

export async function serveStaticFile(c: Ctx, rel: string): Promise<Response> {
  if (rel.length > MAX_PATH * 3) return c.notFound(); // even fully %-escaped it is too long
  let clean: string;
  try {
    clean = decodeURIComponent(rel).replace(/^\/+/, "");
  } catch {
    throw new ValidationError({ path: "Endereço malformado." }); // a broken %-escape: 400
  }
  if (
    !clean || clean.length > MAX_PATH ||
    clean.split("/").some((p) => p === ".." || p === "." || p.startsWith("."))
  ) {
    return c.notFound();
  }
  try {
    const data = await Deno.readFile(new URL(clean, STATIC_ROOT));
    const ext = clean.split(".").pop() ?? "";
    c.header("Content-Type", TYPES[ext] ?? "application/octet-stream");
    // A fingerprinted name never changes content (lib/assets.ts); a plain name may change at
    // the next build or deploy, so browsers keep it only briefly.
    c.header("Cache-Control", FINGERPRINT.test(clean) ? IMMUTABLE : SHORT_CACHE);
    return c.body(data);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound || e instanceof Deno.errors.IsADirectory) {
      return c.notFound();
    }
    throw e;
  }
}
