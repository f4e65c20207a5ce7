// Fingerprinted static assets. scripts/build.ts copies each asset in FINGERPRINTED to a name
// that carries a hash of its content (static/build/islands.3f9c0a1b2d.js) and writes the map
// to static/build/assets.json; the server reads that map once at start and pages link the
// fingerprinted names, which are served immutable (a new content is a new name). The plain
// names keep working with a short cache, for pages rendered before a deploy and for tools.

/** Files under static/ that pages link by a fingerprinted name. */
export const FINGERPRINTED = [
  "build/islands.js",
  "icons/icon-192.png",
  "icons/icon-512.png",
  "icons/maskable-192.png",
  "icons/maskable-512.png",
] as const;
export type Asset = typeof FINGERPRINTED[number];

/** The manifest's place, under the git-ignored build folder. */
export const ASSET_MANIFEST = new URL("../static/build/assets.json", import.meta.url);

/** A fingerprinted file's name: `<name>.<10 hex digits>.<ext>`, only under build/. */
export const FINGERPRINT = /^build\/(?:.+\/)?[^/]+\.[0-9a-f]{10}\.[a-z0-9]+$/;

export const IMMUTABLE = "public, max-age=31536000, immutable";
/** Plain names: short, so a deploy is seen within minutes even by a page that links them. */
export const SHORT_CACHE = "public, max-age=300";

let manifest: Record<string, string> | undefined;

/** Reads static/build/assets.json (at start); without one (no build yet) plain names are used. */
export function loadAssetManifest(): Record<string, string> {
  try {
    const parsed = JSON.parse(Deno.readTextFileSync(ASSET_MANIFEST));
    manifest = {};
    for (const name of FINGERPRINTED) {
      const v = parsed?.[name];
      if (typeof v === "string" && FINGERPRINT.test(v)) manifest[name] = v;
    }
  } catch {
    manifest = {};
  }
  return manifest;
}

/** The URL pages use for a static asset: its fingerprinted name when the build made one. */
export function assetUrl(name: Asset): string {
  return `/static/${(manifest ?? loadAssetManifest())[name] ?? name}`;
}
