// A case is read once per request: a verb that reads the case to prepare its work hands that
// read to transition(), which checks its versionstamp on commit, instead of reading it again
// (or calling transition() a second time only to word a refusal).
import assert from "node:assert/strict";
import { testDb } from "../helpers.ts";
import { caseAt } from "../factories.ts";
import { keys } from "../../services/keys.ts";
import { getCase, StepError } from "../../services/renewals/cases.ts";
import type { Db } from "../../services/db.ts";
import * as staff from "../../services/renewals/staff_actions.ts";

/** The same store, counting the reads of case `id`'s record (the real KV answers them). */
function counting(db: Db, id: string) {
  const key = JSON.stringify(keys.case(id));
  let n = 0;
  const kv = new Proxy(db.kv, {
    get(target, prop) {
      const v = Reflect.get(target, prop, target);
      if (prop !== "get") return typeof v === "function" ? v.bind(target) : v;
      return (k: Deno.KvKey, o?: { consistency?: Deno.KvConsistencyLevel }) => {
        if (JSON.stringify(k) === key) n++;
        return target.get(k, o);
      };
    },
  });
  return { db: { ...db, kv }, reads: () => n };
}

Deno.test("one read: a register refused before the signature reads the case once, changes nothing", async () => {
  await using db = await testDb();
  const h = await caseAt(db, "plan_changed");
  const { db: counted, reads } = counting(db, h.id);
  const ctx = { ...h.ctx, db: counted };
  await assert.rejects(() => staff.registerSignature(ctx, h.id, h.case.rev), StepError);
  assert.equal(reads(), 1);
  assert.equal((await getCase(db, h.id))!.rev, h.case.rev);
});

Deno.test("one read: a signature send refused at the wrong step reads the case once", async () => {
  await using db = await testDb();
  const h = await caseAt(db, "holder_verified");
  const { db: counted, reads } = counting(db, h.id);
  const ctx = { ...h.ctx, db: counted };
  await assert.rejects(() => staff.sendSignature(ctx, h.id, h.case.rev), StepError);
  assert.equal(reads(), 1);
});

Deno.test("one read: changing the plan reads the case once", async () => {
  await using db = await testDb();
  const h = await caseAt(db, "data_confirmed");
  const { db: counted, reads } = counting(db, h.id);
  const r = await staff.changePlan({ ...h.ctx, db: counted }, h.id, h.case.rev);
  assert.equal(r.case.step, "plan_changed");
  assert.equal(reads(), 1);
});
