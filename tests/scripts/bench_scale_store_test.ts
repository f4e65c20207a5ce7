// bench:scale --store DIR (issue #21): the imported store is kept with what reopens it, and a
// second run measures on it without importing again. Figures are never asserted.
import assert from "node:assert/strict";

const ROOT = new URL("../../", import.meta.url).pathname;

async function benchScale(store: string) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      "scripts/bench_scale.ts",
      "--contracts",
      "100",
      "--seconds",
      "1",
      "--store",
      store,
    ],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  assert.equal(out.code, 0, dec.decode(out.stderr));
  return JSON.parse(dec.decode(out.stdout).trim().split("\n").pop()!);
}

Deno.test("bench:scale --store keeps the imported store and the next run reopens it", async () => {
  const store = await Deno.makeTempDir({ prefix: "renova-bench-store-" });
  try {
    const first = await benchScale(store);
    assert.equal(first.import_from_kept_store, false);
    const meta = await Deno.stat(`${store}/store.json`);
    assert.equal((meta.mode ?? 0) & 0o077, 0, "store.json (the data key) is owner-only");

    const second = await benchScale(store);
    assert.equal(second.import_from_kept_store, true);
    assert.equal(second.contracts, 100);
    assert.equal(second.import_s, first.import_s, "the kept run's import figures");
    assert.equal(second.month_contracts, first.month_contracts, "the same store measured");
  } finally {
    await Deno.remove(store, { recursive: true });
  }
});
