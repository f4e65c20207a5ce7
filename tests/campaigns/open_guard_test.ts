// The planner's one check per contract: the versionstamp of the contract's openings counter
// (keys.caseOpens). It must catch a case opened after the planner's reads even when that case
// has already ended (its open-case key deleted again), and it lets ten contracts share one
// atomic within KV's 10 checks.
import assert from "node:assert/strict";
import { activeWave, campaignDb, holder } from "./fixtures.ts";
import { keys } from "../../services/keys.ts";
import { newCase, openCase, stageOpenCase, transition } from "../../services/renewals/cases.ts";
import { planWave } from "../../services/campaigns/planner.ts";
import { customerActor, SYSTEM, systemActor } from "../../domain/actor.ts";

/** The number of checks of every atomic committed until disposed (all stores of the test). */
function checksPerCommit() {
  const seen: number[] = [];
  const proto = Deno.AtomicOperation.prototype;
  const { check, commit } = proto;
  const checks = new WeakMap<Deno.AtomicOperation, number>();
  proto.check = function (this: Deno.AtomicOperation, ...c: Deno.AtomicCheck[]) {
    checks.set(this, (checks.get(this) ?? 0) + c.length);
    return check.apply(this, c);
  };
  proto.commit = function (this: Deno.AtomicOperation) {
    seen.push(checks.get(this) ?? 0);
    return commit.apply(this);
  };
  return {
    seen,
    [Symbol.dispose]: () => Object.assign(proto, { check, commit }),
  };
}

Deno.test("planner: ten contracts share one atomic, one check each", async () => {
  const { db, env } = await campaignDb();
  await using _ = db;
  for (let i = 0; i < 10; i++) await holder(db, 30);
  const w = await activeWave(db, 30);
  using counted = checksPerCommit();
  const r = await planWave(env, w);
  assert.equal(r.contact, 10);
  assert.deepEqual(counted.seen.filter((n) => n > 0), [10], "one atomic of ten contracts");
});

Deno.test("planner's guard: a case opened and ended since the read fails the commit", async () => {
  const { db } = await campaignDb();
  await using _ = db;
  const h = await holder(db, 30);
  const seenByPlanner = await db.kv.get(keys.caseOpens(h.contract.id));
  // Meanwhile a case is opened and the customer declines it at once: the open-case key is gone
  // again, as it was when the planner read it.
  const opened = await openCase(db, { contractId: h.contract.id, origin: "list" }, SYSTEM);
  await transition(db, { caseId: opened.id, action: "decline", actor: customerActor(opened.id) });
  assert.equal((await db.kv.get(keys.openCaseByContract(h.contract.id))).value, null);

  const stale = db.kv.atomic();
  await stageOpenCase(db, stale, newCase(db, h.contract, { origin: "campaign" }), SYSTEM, {
    versionstamp: seenByPlanner.versionstamp,
  });
  assert.equal((await stale.commit()).ok, false, "a second case from a stale read");

  const fresh = db.kv.atomic();
  await stageOpenCase(db, fresh, newCase(db, h.contract, { origin: "campaign" }), SYSTEM, {
    versionstamp: (await db.kv.get(keys.caseOpens(h.contract.id))).versionstamp,
  });
  assert.equal((await fresh.commit()).ok, true, "read again, the contract may be planned");
});

Deno.test("planner's guard: an open case blocks the planner even with a fresh read", async () => {
  const { db } = await campaignDb();
  await using _ = db;
  const h = await holder(db, 30);
  await openCase(db, { contractId: h.contract.id, origin: "list" }, SYSTEM);
  // The planner never stages a contract it saw open; an attendant's opening keeps its own
  // check on the open-case key, so two openings at once still leave one case.
  const op = db.kv.atomic();
  await stageOpenCase(db, op, newCase(db, h.contract, { origin: "list" }), systemActor("x"));
  assert.equal((await op.commit()).ok, false);
});
