// Every KV key is built in services/keys.ts (one place to see the whole store's layout, and
// the names rules: plural snake_case, x_by_y indexes). A key written as a literal elsewhere
// escapes that review.
import assert from "node:assert/strict";

const ROOT = new URL("../../", import.meta.url);
const DIRS = ["services/", "lib/", "routes/", "scripts/"];
// A KV key literal: an array of a quoted name and more, used as a key or prefix.
const KEY_LITERAL = /(KvKey\s*=|\.(set|get|delete|check|getMany|list)\(|prefix:)\s*\[\s*"/;

async function* sources(dir: URL): AsyncGenerator<URL> {
  for await (const e of Deno.readDir(dir)) {
    const url = new URL(e.name + (e.isDirectory ? "/" : ""), dir);
    if (e.isDirectory) yield* sources(url);
    else if (e.isFile && /\.tsx?$/.test(e.name)) yield url;
  }
}

Deno.test("no KV key literal outside services/keys.ts", async () => {
  const offenders: string[] = [];
  for (const d of DIRS) {
    for await (const file of sources(new URL(d, ROOT))) {
      const path = file.href.slice(ROOT.href.length);
      if (path === "services/keys.ts") continue;
      const lines = (await Deno.readTextFile(file)).split("\n");
      lines.forEach((l, i) => {
        if (KEY_LITERAL.test(l)) offenders.push(`${path}:${i + 1}`);
      });
    }
  }
  assert.deepEqual(offenders, []);
});
