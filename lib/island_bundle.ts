// The islands' browser code (issue #21): one entry per island plus lib/client.ts (the boot),
// bundled by `deno bundle --code-splitting`, so what they share (Preact, signals, the offline
// helpers) lands in chunks that every page loads from the browser cache, and a page loads only
// its own islands' code. Every output file is renamed `<name>.<10 hex of SHA-256>.js` under
// static/build/islands/ (imports rewritten to those names, hashed deps first, so a changed
// chunk changes every name that imports it) and served immutable (lib/assets.ts).
import { fingerprintedName, hashOf } from "./fingerprint.ts";
import { ISLAND_DIR, type IslandGraph } from "./assets.ts";

/** One bundled file: its plain public name (relative to static/) and its code. */
interface Output {
  name: string;
  code: string;
  /** Plain public names of the files it imports, in the order they appear. */
  deps: string[];
}

// `from"./x.js"`, `import"./x.js"`, `import("./x.js")`: esbuild's import forms, minified or not.
const IMPORT = /(\bfrom\s*|\bimport\s*\(?\s*)(["'])(\.{1,2}\/[^"']+?\.js)\2/g;

async function* jsFiles(dir: string, rel = ""): AsyncGenerator<string> {
  for await (const e of Deno.readDir(`${dir}/${rel}`)) {
    if (e.isDirectory) yield* jsFiles(dir, `${rel}${e.name}/`);
    else if (e.isFile && e.name.endsWith(".js")) yield `${rel}${e.name}`;
  }
}

/** Runs the bundler; returns its outputs keyed by path relative to the output folder. */
async function bundle(root: URL, entries: string[], outDir: string): Promise<Map<string, string>> {
  const cmd = new Deno.Command(Deno.execPath(), {
    args: [
      "bundle",
      "--quiet",
      "--platform",
      "browser",
      "--minify",
      "--code-splitting",
      "--outdir",
      outDir,
      ...entries,
    ],
    cwd: root.pathname,
    stdout: "inherit",
    stderr: "inherit",
  });
  const { code } = await cmd.output();
  if (code !== 0) throw new Error("islands bundle failed");
  const files = new Map<string, string>();
  for await (const rel of jsFiles(outDir)) {
    files.set(rel, await Deno.readTextFile(`${outDir}/${rel}`));
  }
  return files;
}

/** Flattens the bundler's tree into ISLAND_DIR and lists each file's imports by public name. */
export function flatten(files: Map<string, string>): Map<string, Output> {
  const publicName = (rel: string) => `${ISLAND_DIR}${rel.split("/").pop()}`;
  const out = new Map<string, Output>();
  for (const [rel, code] of files) {
    const name = publicName(rel);
    if (out.has(name)) throw new Error(`two island outputs named ${name}`);
    const base = new URL(rel, "file:///out/");
    const deps: string[] = [];
    for (const m of code.matchAll(IMPORT)) {
      const target = new URL(m[3], base).pathname.slice("/out/".length);
      if (files.has(target)) deps.push(publicName(target));
    }
    out.set(name, { name, code, deps });
  }
  return out;
}

/**
 * Fingerprints the flattened outputs, deps first: returns plain → fingerprinted names and the
 * rewritten code by fingerprinted name.
 */
export async function fingerprintOutputs(
  outputs: Map<string, Output>,
): Promise<{ names: Record<string, string>; code: Map<string, string> }> {
  const names: Record<string, string> = {};
  const code = new Map<string, string>();
  const visiting = new Set<string>();
  const visit = async (name: string): Promise<string> => {
    if (names[name]) return names[name];
    if (visiting.has(name)) throw new Error(`import cycle between island chunks at ${name}`);
    visiting.add(name);
    const o = outputs.get(name)!;
    for (const d of o.deps) await visit(d);
    const rewritten = o.code.replace(IMPORT, (all, head: string, q: string, spec: string) => {
      const dep = o.deps.find((d) => d.endsWith(`/${spec.split("/").pop()}`));
      return dep ? `${head}${q}./${names[dep].split("/").pop()}${q}` : all;
    });
    const bytes = new TextEncoder().encode(rewritten);
    names[name] = fingerprintedName(name, await hashOf(bytes));
    code.set(names[name], rewritten);
    visiting.delete(name);
    return names[name];
  };
  for (const name of [...outputs.keys()].sort()) await visit(name);
  return { names, code };
}

/** Every file `name` imports, directly or not (public plain names, no duplicates). */
function closure(outputs: Map<string, Output>, name: string, seen = new Set<string>()): string[] {
  for (const d of outputs.get(name)?.deps ?? []) {
    if (!seen.has(d)) {
      seen.add(d);
      closure(outputs, d, seen);
    }
  }
  return [...seen];
}

/**
 * Bundles the islands into `staticRoot`/build/islands/ and writes build/islands.json (the
 * script and preloads of each island and of the boot). Returns plain → fingerprinted names for
 * assets.json (which keeps the previous build's copies and deletes older ones).
 */
export async function bundleIslands(
  root: URL,
  staticRoot: URL,
  islandEntries: Record<string, string>,
): Promise<Record<string, string>> {
  const tmp = await Deno.makeTempDir({ prefix: "renova-islands-" });
  let files: Map<string, string>;
  try {
    const entries = [...Object.values(islandEntries), "./lib/client.ts"];
    files = await bundle(root, entries, tmp);
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
  const outputs = flatten(files);
  const { names, code } = await fingerprintOutputs(outputs);
  const dir = new URL(ISLAND_DIR, staticRoot);
  await Deno.mkdir(dir, { recursive: true });
  for (const [name, text] of code) await Deno.writeTextFile(new URL(name, staticRoot), text);
  const entry = (plain: string) => {
    if (!names[plain]) throw new Error(`the bundle has no ${plain}`);
    return { src: names[plain], preload: closure(outputs, plain).map((d) => names[d]) };
  };
  const graph: IslandGraph = { client: entry(`${ISLAND_DIR}client.js`), islands: {} };
  for (const island of Object.keys(islandEntries)) {
    graph.islands[island] = entry(`${ISLAND_DIR}${island}.js`);
  }
  // Each entry under its plain name too (short cache, for tools and pages from before a
  // deploy): its imports already name the fingerprinted chunks.
  for (const plain of Object.keys(names).filter((n) => !n.includes("/chunk-"))) {
    await Deno.writeTextFile(new URL(plain, staticRoot), code.get(names[plain])!);
  }
  await Deno.writeTextFile(
    new URL("build/islands.json", staticRoot),
    JSON.stringify(graph, null, 2) + "\n",
  );
  return names;
}
