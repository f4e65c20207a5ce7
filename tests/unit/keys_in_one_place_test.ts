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

// The renewal list trusts the open-case and refusal marks under each due entry
// (services/due_marks.ts) unless the contract is flagged stale. A new module that writes a
// contract, its due entry or the marks could move an entry without flagging it; it must go
// through stageContractUpdate or be added here after a look at that rule.
const DUE_WRITERS = new Set([
  "services/contracts.ts",
  "services/due_marks.ts",
  "services/due_marks_upkeep.ts",
  "scripts/bench_scale.ts", // the raw-import baseline, a store of its own
]);
const DUE_WRITE = /\.set\(keys\.contract\(|keys\.contractsByDue\(|keys\.contractDueMark\(/;

Deno.test("contracts, due entries and due marks are written only by the modules that keep the marks true", async () => {
  const offenders: string[] = [];
  for (const d of DIRS) {
    for await (const file of sources(new URL(d, ROOT))) {
      const path = file.href.slice(ROOT.href.length);
      if (path === "services/keys.ts" || DUE_WRITERS.has(path)) continue;
      const lines = (await Deno.readTextFile(file)).split("\n");
      lines.forEach((l, i) => {
        if (DUE_WRITE.test(l)) offenders.push(`${path}:${i + 1}`);
      });
    }
  }
  assert.deepEqual(offenders, []);
});
