// The build's fingerprinting (scripts/build.ts; lib/assets.ts serves the result): each asset
// is copied under static/build/ to `<name>.<hash>.<ext>`, the hash being the first 10 hex digits
// of its SHA-256, and the map is written to static/build/assets.json. The previous build's
// copies are kept (a page rendered just before a restart may still ask for them); older ones
// are deleted.
import { FINGERPRINT, FINGERPRINTED } from "./assets.ts";

export async function hashOf(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const d = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return Array.from(d.slice(0, 5), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** The fingerprinted name of `name` (relative to static/) for content hashed `hash`. */
export function fingerprintedName(name: string, hash: string): string {
  const dot = name.lastIndexOf(".");
  const dir = name.startsWith("build/") ? "" : "build/";
  return `${dir}${name.slice(0, dot)}.${hash}${name.slice(dot)}`;
}

async function readManifest(file: URL): Promise<Record<string, string>> {
  try {
    return JSON.parse(await Deno.readTextFile(file));
  } catch {
    return {};
  }
}

async function* walk(dir: URL, rel = ""): AsyncGenerator<string> {
  try {
    for await (const e of Deno.readDir(dir)) {
      if (e.isDirectory) yield* walk(new URL(`${e.name}/`, dir), `${rel}${e.name}/`);
      else if (e.isFile) yield `${rel}${e.name}`;
    }
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
}

/**
 * Writes the fingerprinted copies and assets.json under `staticRoot`; returns the map.
 * `made`: copies another build step already wrote (the islands, lib/island_bundle.ts).
 */
export async function fingerprintAssets(
  staticRoot: URL,
  made: Record<string, string> = {},
): Promise<Record<string, string>> {
  const manifestFile = new URL("build/assets.json", staticRoot);
  const previous = await readManifest(manifestFile);
  const next: Record<string, string> = { ...made };
  for (const name of FINGERPRINTED) {
    const bytes = await Deno.readFile(new URL(name, staticRoot));
    const target = fingerprintedName(name, await hashOf(bytes));
    const url = new URL(target, staticRoot);
    await Deno.mkdir(new URL(".", url), { recursive: true });
    await Deno.writeFile(url, bytes);
    next[name] = target;
  }
  const keep = new Set([...Object.values(previous), ...Object.values(next)]);
  for await (const rel of walk(new URL("build/", staticRoot))) {
    const path = `build/${rel}`;
    if (FINGERPRINT.test(path) && !keep.has(path)) await Deno.remove(new URL(path, staticRoot));
  }
  await Deno.writeTextFile(manifestFile, JSON.stringify(next, null, 2) + "\n");
  return next;
}
