// Who may release a case is the release verb's rule (assignment.ts), so the case page and the
// offline outbox cannot disagree: an attendant releases only their own case, a supervisor any.
import assert from "node:assert/strict";
import { testDb } from "../helpers.ts";
import { claimCase, staffCtx } from "../factories.ts";
import { getCase } from "../../services/renewals/cases.ts";
import { releaseCase } from "../../services/renewals/assignment.ts";
import { ForbiddenError } from "../../services/errors.ts";

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
  const sup = { ...(await staffCtx(db, "supervisora")), kind: "supervisor" as const };
  await releaseCase(sup, h.id, meOf(sup), 1);
  assert.equal((await getCase(db, h.id))!.assigneeId, undefined);
});

Deno.test("release: the assignee releases their own case", async () => {
  await using db = await testDb();
  const h = await claimCase(db);
  await releaseCase(h.ctx, h.id, meOf(h.ctx), 1);
  assert.equal((await getCase(db, h.id))!.assigneeId, undefined);
});
