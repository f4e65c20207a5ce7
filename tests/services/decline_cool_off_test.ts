// Issue #16 item 8: a customer who refused does not come back to the due list with Assumir; a
// claim never picks them during the cool-off.
import assert from "node:assert/strict";
import { testDb } from "../helpers.ts";
import { claimCase } from "../factories.ts";
import * as staff from "../../services/renewals/staff_actions.ts";
import { renewalList } from "../../services/due_list.ts";
import { findUserByUsername } from "../../services/users.ts";
import { ConflictError } from "../../services/errors.ts";
import { keys } from "../../services/keys.ts";
import { backfillDeclineMarks } from "../../services/renewals/cool_off.ts";

async function declinedCase(db: Awaited<ReturnType<typeof testDb>>) {
  const h = await claimCase(db);
  await staff.recordRefusal(h.ctx, h.id, "Vai mudar de cidade");
  return h;
}

Deno.test("cool-off: a refused customer leaves the due rows and is listed with reason and date", async () => {
  await using db = await testDb(() => new Date("2026-12-03T15:00:00Z"));
  const h = await declinedCase(db);
  const att = (await findUserByUsername(db, "atendente1"))!;
  const list = await renewalList(db, att, {}, 60, 90);
  assert.ok(!list.dueRows.some((r) => r.contractId === h.contractId), "no Assumir row");
  const row = list.declinedRows.find((r) => r.contractId === h.contractId);
  assert.ok(row, "listed apart as declined");
  assert.equal(row.reason, "Vai mudar de cidade");
  assert.equal(row.contactFrom, "2027-03-03");
  assert.equal(list.counts.declined, 1);
});

Deno.test("cool-off: claiming the refused contract is refused until the date", async () => {
  let now = new Date("2026-12-03T15:00:00Z");
  await using db = await testDb(() => now);
  const h = await declinedCase(db);
  const ctx = { ...h.ctx, declineCoolOffDays: 5 };
  const me = { id: h.ctx.actor.id.slice(5), name: h.ctx.actor.name };
  await assert.rejects(
    () => staff.claimContract(ctx, h.contractId, me),
    (e) => e instanceof ConflictError && /a partir de 08\/12\/2026/.test(e.message),
  );
  assert.equal((await db.kv.get(keys.openCaseByContract(h.contractId))).value, null);
  now = new Date("2026-12-08T15:00:00Z");
  const c = await staff.claimContract(ctx, h.contractId, me);
  assert.equal(c.step, "contact");
});

Deno.test("cool-off: after the cool-off the contract is due again with Assumir", async () => {
  let now = new Date("2026-12-03T15:00:00Z");
  await using db = await testDb(() => now);
  const h = await declinedCase(db);
  const att = (await findUserByUsername(db, "atendente1"))!;
  now = new Date("2026-12-09T15:00:00Z");
  const list = await renewalList(db, att, { from: "2026-12-01" }, 60, 5);
  assert.ok(list.dueRows.some((r) => r.contractId === h.contractId));
  assert.ok(!list.declinedRows.some((r) => r.contractId === h.contractId));
});

Deno.test("cool-off: the migration marks cases declined before the mark existed", async () => {
  await using db = await testDb(() => new Date("2026-12-03T15:00:00Z"));
  const h = await declinedCase(db);
  await db.kv.delete(keys.contractDeclined(h.contractId)); // as stored before this release
  assert.equal(await backfillDeclineMarks(db), 1);
  const att = (await findUserByUsername(db, "atendente1"))!;
  const list = await renewalList(db, att, {}, 60, 90);
  assert.ok(!list.dueRows.some((r) => r.contractId === h.contractId));
});
