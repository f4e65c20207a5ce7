// Fingerprinted static assets. scripts/build.ts copies each asset in FINGERPRINTED to a name
// that carries a hash of its content (static/build/icons/icon-192.3f9c0a1b2d.png), adds the
// islands' scripts (lib/island_bundle.ts: build/islands/<name>.<hash>.js) and writes the map
// to static/build/assets.json; the server reads that map once at start and pages link the
// fingerprinted names, which are served immutable (a new content is a new name). The plain
// names keep working with a short cache, for pages rendered before a deploy and for tools.

/** Files under static/ that pages link by a fingerprinted name. */
export const FINGERPRINTED = [
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

/** Where the islands' scripts go, relative to static/ (lib/island_bundle.ts). */
export const ISLAND_DIR = "build/islands/";
/** The islands' scripts: each island's and the boot's file and the chunks they import. */
export const ISLAND_GRAPH = new URL("../static/build/islands.json", import.meta.url);

/** A script and every chunk it imports, directly or not (names relative to static/). */
export interface IslandScript {
  src: string;
  preload: string[];
}
export interface IslandGraph {
  client: IslandScript;
  islands: Record<string, IslandScript>;
}

let manifest: Record<string, string> | undefined;
let graph: IslandGraph | undefined;

const islandFile = (v: unknown): v is string =>
  typeof v === "string" && v.startsWith(ISLAND_DIR) && FINGERPRINT.test(v);

/** Reads static/build/assets.json (at start); without one (no build yet) plain names are used. */
export function loadAssetManifest(): Record<string, string> {
  try {
    const parsed = JSON.parse(Deno.readTextFileSync(ASSET_MANIFEST));
    manifest = {};
    for (const name of FINGERPRINTED) {
      const v = parsed?.[name];
      if (typeof v === "string" && FINGERPRINT.test(v)) manifest[name] = v;
    }
    for (const [name, v] of Object.entries(parsed ?? {})) {
      if (name.startsWith(ISLAND_DIR) && islandFile(v)) manifest[name] = v;
    }
  } catch {
    manifest = {};
  }
  graph = undefined;
  return manifest;
}

function validScript(s: unknown): s is IslandScript {
  const v = s as IslandScript;
  return !!v && islandFile(v.src) && Array.isArray(v.preload) && v.preload.every(islandFile);
}

/** Reads static/build/islands.json; without a valid one, plain names without preloads. */
function loadIslandGraph(): IslandGraph | null {
  try {
    const parsed = JSON.parse(Deno.readTextFileSync(ISLAND_GRAPH));
    if (!validScript(parsed?.client)) return null;
    const islands: Record<string, IslandScript> = {};
    for (const [name, s] of Object.entries(parsed.islands ?? {})) {
      if (validScript(s)) islands[name] = s;
    }
    return { client: parsed.client, islands };
  } catch {
    return null;
  }
}

/**
 * The scripts of a page that renders these islands: one per island, then the boot (module
 * scripts run in document order), and the chunks they import, to preload all at once
 * instead of one import round trip after another.
 */
export function islandScripts(names: Iterable<string>): { scripts: string[]; preload: string[] } {
  if (graph === undefined) graph = loadIslandGraph() ?? { client: plain("client"), islands: {} };
  const chosen = [...new Set(names)].map((n) => graph!.islands[n] ?? plain(n));
  chosen.push(graph.client);
  const preload = [...new Set(chosen.flatMap((s) => s.preload))];
  return {
    scripts: chosen.map((s) => `/static/${s.src}`),
    preload: preload.map((p) => `/static/${p}`),
  };
}

function plain(name: string): IslandScript {
  return { src: `${ISLAND_DIR}${name}.js`, preload: [] };
}

/** Every fingerprinted island script of this build (the service worker keeps them all). */
export function islandAssetUrls(): string[] {
  const m = manifest ?? loadAssetManifest();
  return Object.keys(m).filter((k) => k.startsWith(ISLAND_DIR)).map((k) => `/static/${m[k]}`);
}

/** The URL pages use for a static asset: its fingerprinted name when the build made one. */
export function assetUrl(name: Asset): string {
  return `/static/${(manifest ?? loadAssetManifest())[name] ?? name}`;
}
