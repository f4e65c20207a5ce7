// Shared stamp reads: callers share reads, but never one that started before they arrived.
import { DEFAULT_PLAN_ORDER } from "../../domain/plan_order.ts";
import assert from "node:assert/strict";
import { testDb } from "../helpers.ts";
import { currentStamps, FreshReads, sameStamps } from "../../services/stamps.ts";
import { observeWrites } from "../../services/local_writes.ts";
import { createPlan, plansWithStamp } from "../../services/plans.ts";
import { DEMO_PLANS } from "../../services/seed.ts";

Deno.test("currentStamps: a caller after a write sees it, even with a read of before in flight", async () => {
  await using db = await testDb();
  const ks = [["cases", "A"], ["customers", "X"]];
  await db.kv.set(ks[0], 1);
  for (let i = 0; i < 20; i++) {
    const before = currentStamps(db, ks); // a read under way
    const w = await db.kv.set(ks[1], i);
    const after = await currentStamps(db, ks);
    assert.equal(after[1], w.versionstamp, `round ${i}: the write is seen`);
    assert.ok((await before)[0]);
  }
  // Many callers at once get the same answer.
  const all = await Promise.all(Array.from({ length: 16 }, () => currentStamps(db, ks)));
  for (const s of all) assert.ok(sameStamps(s, all[0]));
  assert.equal(all[0][0], (await db.kv.get(ks[0])).versionstamp);
  assert.equal((await currentStamps(db, [["nothing"]]))[0], null);
  assert.throws(() => currentStamps(db, Array.from({ length: 11 }, (_, i) => ["k", i])));
});

Deno.test("local writes: listeners hear every committed key, and only committed ones", async () => {
  const { kv, onWrite } = observeWrites(await Deno.openKv(":memory:"));
  try {
    const heard: string[] = [];
    const off = onWrite((ks) => heard.push(...ks.map((k) => k.join("/"))));
    await kv.atomic().set(["a", 1], "x").delete(["b"]).sum(["n"], 1n).commit();
    await kv.atomic().mutate({ type: "set", key: ["m"], value: 1 }).commit();
    await kv.set(["s"], 1);
    await kv.delete(["s"]);
    const failed = await kv.atomic().check({ key: ["a", 1], versionstamp: null }).set(["z"], 1)
      .commit();
    assert.equal(failed.ok, false);
    assert.deepEqual(heard, ["a/1", "b", "n", "m", "s", "s"]);
    off();
    await kv.set(["after"], 1);
    assert.equal(heard.length, 6, "removed listener hears nothing");
    assert.equal((await kv.get(["a", 1])).value, "x", "reads pass through");
  } finally {
    kv.close();
  }
});

Deno.test("FreshReads: callers share reads but never one that began before they arrived", async () => {
  const reads = new FreshReads<number>();
  const started: ((n: number) => void)[] = [];
  const fn = () => new Promise<number>((r) => started.push(r));
  const a = reads.read("k", fn); // read 1 starts
  const b = reads.read("k", fn); // arrives during read 1: must get read 2
  const c = reads.read("k", fn); // shares read 2 with b
  const other = reads.read("other", fn); // another id: its own read
  assert.equal(started.length, 2, "read 1 of k and the read of other");
  started[0](1);
  assert.equal(await a, 1);
  await new Promise((r) => setTimeout(r, 0));
  assert.equal(started.length, 3, "read 2 began after read 1 ended");
  const d = reads.read("k", fn); // arrives during read 2: waits for read 3
  started[2](2);
  assert.equal(await b, 2);
  assert.equal(await c, 2);
  await new Promise((r) => setTimeout(r, 0));
  assert.equal(started.length, 4);
  started[3](3);
  assert.equal(await d, 3);
  started[1](9);
  assert.equal(await other, 9);
  // A failed read fails its callers; the next caller starts a new one.
  const e = reads.read("k", () => Promise.reject(new Error("boom")));
  await assert.rejects(e, /boom/);
  assert.equal(await reads.read("k", () => Promise.resolve(4)), 4);
});

Deno.test("plansWithStamp: the memo follows the plan list's version key", async () => {
  await using db = await testDb();
  const empty = await plansWithStamp(db);
  assert.deepEqual(empty, { plans: [], stamp: null, order: DEFAULT_PLAN_ORDER });
  await createPlan(db, { ...DEMO_PLANS[0] });
  const one = await plansWithStamp(db);
  assert.equal(one.plans.length, 1);
  assert.ok(one.stamp);
  assert.equal((await plansWithStamp(db)).plans, one.plans, "unchanged stamp: same list");
  await createPlan(db, { ...DEMO_PLANS[1] });
  const two = await plansWithStamp(db);
  assert.equal(two.plans.length, 2);
  assert.notEqual(two.stamp, one.stamp);
});
