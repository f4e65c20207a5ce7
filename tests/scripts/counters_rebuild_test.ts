// deno task counters:rebuild on a store file: --check reports a damaged counter (exit 1),
// the rebuild repairs it, and a second check finds nothing.
import assert from "node:assert/strict";
import { TEST_KEY, testDb } from "../helpers.ts";
import { caseAt } from "../factories.ts";
import { keys } from "../../services/keys.ts";
import { periodsOf } from "../../services/renewals/counters.ts";

const ROOT = new URL("../../", import.meta.url).pathname;

async function run(path: string, ...args: string[]) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "scripts/counters_rebuild.ts", ...args],
    cwd: ROOT,
    env: { KV_PATH: path, RENOVA_DATA_KEY: TEST_KEY },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const lines = new TextDecoder().decode(out.stdout).trim().split("\n");
  return { code: out.code, r: JSON.parse(lines[lines.length - 1]) };
}

Deno.test("counters:rebuild: a damaged counter is found by --check and repaired", async () => {
  const dir = await Deno.makeTempDir({ prefix: "renova-counters-" });
  const path = `${dir}/store.kv`;
  try {
    {
      await using db = await testDb(undefined, path);
      await caseAt(db, "plan_chosen");
      const [[grain, period]] = periodsOf(db.now().toISOString());
      await db.kv.set(keys.counter(grain, period, ["step", "offer"]), new Deno.KvU64(9n));
    }
    const bad = await run(path, "--check");
    assert.equal(bad.code, 1);
    assert.equal(bad.r.mismatches, 1);
    const fixed = await run(path);
    assert.equal(fixed.code, 0);
    assert.equal(fixed.r.mode, "rebuild");
    const good = await run(path, "--check");
    assert.equal(good.code, 0);
    assert.equal(good.r.mismatches, 0);
    assert.ok(good.r.keys > 5);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
