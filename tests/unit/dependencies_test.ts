// Every package in deno.json's imports is imported by some module: an unused dependency is
// still downloaded, audited and updated by everyone, for nothing.
import assert from "node:assert/strict";

const ROOT = new URL("../../", import.meta.url);
const SKIP = new Set(["node_modules", "static", "data", "artifacts", ".git"]);

async function* sources(dir: URL): AsyncGenerator<URL> {
  for await (const e of Deno.readDir(dir)) {
    if (SKIP.has(e.name)) continue;
    const url = new URL(e.name + (e.isDirectory ? "/" : ""), dir);
    if (e.isDirectory) yield* sources(url);
    else if (e.isFile && /\.tsx?$/.test(e.name)) yield url;
  }
}

Deno.test("every package in deno.json's imports is imported somewhere", async () => {
  const config = JSON.parse(await Deno.readTextFile(new URL("deno.json", ROOT)));
  // "x/" entries map subpaths of "x"; @types/* packages type another package.
  const names = Object.keys(config.imports as Record<string, string>)
    .filter((n) => !n.endsWith("/") && !n.startsWith("@types/"));
  const unused = new Set(names);
  for await (const file of sources(ROOT)) {
    const text = await Deno.readTextFile(file);
    for (const n of unused) {
      if (text.includes(`"${n}"`) || text.includes(`"${n}/`)) unused.delete(n);
    }
  }
  assert.deepEqual([...unused], []);
});
