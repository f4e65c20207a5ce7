// bench:scale --store DIR (issue #21): the imported store is kept with what reopens it, and a
// second run measures on it without importing again. Figures are never asserted.
import assert from "node:assert/strict";
import { importedStore } from "../../scripts/bench/scale_store.ts";

const ROOT = new URL("../../", import.meta.url).pathname;

async function benchScale(store: string, more: string[] = []) {
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
      ...more,
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

    // --ceilings adds the page's ceilings (scripts/bench/ceilings.ts) to the same report.
    const second = await benchScale(store, ["--ceilings"]);
    assert.equal(second.import_from_kept_store, true);
    for (const cut of ["fixed", "link", "data"]) {
      assert.equal(typeof second[`ceiling_${cut}_ratio_vs_hello`], "number", cut);
    }
    assert.equal(second.load_errors, 0);
    assert.equal(second.contracts, 100);
    assert.equal(second.import_s, first.import_s, "the kept run's import figures");
    assert.equal(second.month_contracts, first.month_contracts, "the same store measured");
  } finally {
    await Deno.remove(store, { recursive: true });
  }
});

const sha = async (path: string) =>
  Array.from(new Uint8Array(await crypto.subtle.digest("SHA-256", await Deno.readFile(path))))
    .map((b) => b.toString(16).padStart(2, "0")).join("");

Deno.test("bench:scale --store DIR with DIR/pristine-N measures a copy; the kept store is unchanged", async () => {
  const root = await Deno.makeTempDir({ prefix: "renova-bench-pristine-" });
  try {
    const store = `${root}/store`, run = `${root}/run`;
    const { db } = await importedStore(`${root}`, 100, { storeDir: store });
    db.kv.close();
    const kept = `${store}/pristine-100/renova.sqlite`;
    const before = await sha(kept);

    const out = await benchScale(store, ["--dir", run]);
    assert.equal(out.store_copied_from_pristine, true);
    assert.equal(out.import_from_kept_store, true);
    assert.equal(out.contracts, 100);
    assert.equal(await sha(kept), before, "the kept store was only read");
    assert.deepEqual(
      [...Deno.readDirSync(run)].map((e) => e.name),
      [],
      "the copy is deleted at the end",
    );
    assert.ok(typeof out.page_uncached_cpu_us === "number", "CPU per request is reported");
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
