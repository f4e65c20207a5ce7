// Tests must run from a fresh clone: nothing under tests/ may read files outside the repository
// (e.g. the shared/ folder that sits beside the working tree on developers' machines).
import assert from "node:assert/strict";

const TESTS = new URL("../", import.meta.url);

async function* sources(dir: URL): AsyncGenerator<URL> {
  for await (const e of Deno.readDir(dir)) {
    const url = new URL(e.name + (e.isDirectory ? "/" : ""), dir);
    if (e.isDirectory && e.name !== "fixtures") yield* sources(url);
    else if (e.isFile && /\.tsx?$/.test(e.name)) yield url;
  }
}

Deno.test("tests read no file outside the repository", async () => {
  const offenders: string[] = [];
  for await (const file of sources(TESTS)) {
    const text = await Deno.readTextFile(file);
    // Three "../" from tests/<dir>/ leave the repository; shared/ is the usual culprit.
    if (/["'`](\.\.\/){3,}|["'`/]shared\/vectors/.test(text)) offenders.push(file.pathname);
  }
  assert.deepEqual(offenders.filter((f) => !f.endsWith("self_contained_test.ts")), []);
});
