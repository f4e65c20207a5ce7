// Who may release or assign a case are the verbs' rules (assignment.ts), so the case page, the
// due list and the offline outbox cannot disagree: an attendant releases only their own case, a
// supervisor any; only supervisors assign, and only to an active attendant.
import assert from "node:assert/strict";
import { testDb } from "../helpers.ts";
import { claimCase, staffCtx } from "../factories.ts";
import { getCase, openCaseOfContract } from "../../services/renewals/cases.ts";
import { assignContract, releaseCase } from "../../services/renewals/assignment.ts";
import { ForbiddenError, ValidationError } from "../../services/errors.ts";
import { listDue } from "../../services/contracts.ts";
import { findUserByUsername } from "../../services/users.ts";
import { addDays, todayInBrazil } from "../../services/dates.ts";

const meOf = (ctx: Awaited<ReturnType<typeof staffCtx>>) => ({
  id: ctx.actor.id.slice("user:".length),
  name: ctx.actor.name,
});

Deno.test("release: an attendant cannot release a colleague's case, which stays theirs", async () => {
  await using db = await testDb();
  const h = await claimCase(db);
  const other = await staffCtx(db, "atendente2");
  await assert.rejects(
    () => releaseCase(other, h.id, meOf(other), 1),
    (e) => e instanceof ForbiddenError && /Só quem está com o caso/.test(e.message),
  );
  const k = (await getCase(db, h.id))!;
  assert.equal(k.assigneeId, meOf(h.ctx).id);
  assert.equal(k.rev, 1);
});

Deno.test("release: a supervisor releases an attendant's case", async () => {
  await using db = await testDb();
  const h = await claimCase(db);
  const sup = await staffCtx(db, "supervisora");
  await releaseCase(sup, h.id, meOf(sup), 1);
  assert.equal((await getCase(db, h.id))!.assigneeId, undefined);
});

Deno.test("release: the assignee releases their own case", async () => {
  await using db = await testDb();
  const h = await claimCase(db);
  await releaseCase(h.ctx, h.id, meOf(h.ctx), 1);
  assert.equal((await getCase(db, h.id))!.assigneeId, undefined);
});

/** A due contract nobody has opened a case on yet. */
async function freeContract(db: Awaited<ReturnType<typeof testDb>>) {
  const today = todayInBrazil(db.now());
  return (await listDue(db, today, addDays(today, 60))).items[0].contractId;
}

Deno.test("assign: a supervisor hands a due contract to an active attendant", async () => {
  await using db = await testDb();
  const sup = await staffCtx(db, "supervisora");
  const att = (await findUserByUsername(db, "atendente2"))!;
  const r = await assignContract(sup, await freeContract(db), att.id);
  assert.equal((await getCase(db, r.case.id))!.assigneeId, att.id);
});

Deno.test("assign: a case goes only to an active attendant, nothing opened otherwise", async () => {
  await using db = await testDb();
  const sup = await staffCtx(db, "supervisora");
  const contractId = await freeContract(db);
  const admin = (await findUserByUsername(db, "admin"))!;
  await assert.rejects(
    () => assignContract(sup, contractId, admin.id),
    (e) => e instanceof ValidationError && e.fields.userId === "Escolha um atendente ativo.",
  );
  assert.equal(await openCaseOfContract(db, contractId), null);
});

Deno.test("assign: an attendant cannot assign a contract", async () => {
  await using db = await testDb();
  const att = await staffCtx(db, "atendente1");
  const other = (await findUserByUsername(db, "atendente2"))!;
  const contractId = await freeContract(db);
  await assert.rejects(() => assignContract(att, contractId, other.id), ForbiddenError);
  assert.equal(await openCaseOfContract(db, contractId), null);
});
