// Work queues: which cases need a person, and the rules that hand them out (round robin among
// attendants on shift, by city, under a cap); supervisors rebalance and reassign in bulk.
import assert from "node:assert/strict";
import { testDb } from "../helpers.ts";
import { caseAt, claimCase, staffCtx } from "../factories.ts";
import { listDue } from "../../services/contracts.ts";
import { addDays, todayInBrazil } from "../../services/dates.ts";
import { getCase, openCase, type RenewalCase } from "../../services/renewals/cases.ts";
import { systemActor } from "../../domain/actor.ts";
import {
  distributeQueue,
  queueOf,
  type QueueRules,
  queuesOf,
  reassignCases,
  rebalanceQueues,
  saveQueueRules,
} from "../../services/renewals/queues.ts";
import { findUserByUsername } from "../../services/users.ts";
import { ForbiddenError } from "../../services/errors.ts";
import type { Db } from "../../services/db.ts";

const H = 3600_000;

/** `n` cases opened by the system with nobody on them (at "contact", no link: to call). */
async function unassigned(db: Db, n: number): Promise<RenewalCase[]> {
  await staffCtx(db); // seeds
  const today = todayInBrazil(db.now());
  const due = (await listDue(db, today, addDays(today, 60))).items.slice(0, n);
  const out = [];
  for (const d of due) {
    out.push(await openCase(db, { contractId: d.contractId, origin: "list" }, systemActor("t")));
  }
  return out;
}

async function ids(db: Db) {
  const a1 = (await findUserByUsername(db, "atendente1"))!.id;
  const a2 = (await findUserByUsername(db, "atendente2"))!.id;
  return { a1, a2 };
}

async function rules(db: Db, r: QueueRules) {
  await saveQueueRules(await staffCtx(db, "supervisora"), r);
}

Deno.test("queues: a photo is to review, a case without contact to call, a live link waiting", async () => {
  await using db = await testDb();
  const now = db.now();
  assert.equal(queueOf((await caseAt(db, "photo_sent")).case, now), "review");
  assert.equal(queueOf((await caseAt(db, "contact")).case, now), "call");
  assert.equal(queueOf((await caseAt(db, "offer")).case, now), "waiting");
});

Deno.test("queues: an expired link with no answer and a passed call-back are overdue", async () => {
  await using db = await testDb();
  const offer = (await caseAt(db, "offer")).case;
  assert.equal(queueOf(offer, new Date(Date.parse(offer.link!.expiresAt) + 1)), "overdue");
  const called = { ...(await caseAt(db, "contact")).case, callbackAt: db.now().toISOString() };
  assert.equal(queueOf(called, new Date(db.now().getTime() + H)), "overdue");
  const review = (await caseAt(db, "photo_sent")).case;
  assert.equal(queueOf(review, new Date(db.now().getTime() + 49 * H)), "overdue");
});

Deno.test("queues: cases needing a person go round robin to attendants on shift, under the cap", async () => {
  await using db = await testDb();
  const cases = await unassigned(db, 5);
  const { a1, a2 } = await ids(db);
  await rules(db, {
    cap: 2,
    attendants: { [a1]: { onShift: true, cities: [] }, [a2]: { onShift: true, cities: [] } },
  });
  const r = await distributeQueue(db, systemActor("Filas"));
  assert.deepEqual(r, { assigned: 4, waiting: 1 });
  const got = await Promise.all(cases.map(async (c) => (await getCase(db, c.id))!.assigneeId));
  assert.equal(got.filter((x) => x === a1).length, 2);
  assert.equal(got.filter((x) => x === a2).length, 2);
  assert.notEqual(got[0], got[1], "alternating");
});

Deno.test("queues: an attendant off shift or serving other cities gets nothing", async () => {
  await using db = await testDb();
  const cases = await unassigned(db, 3);
  const { a1, a2 } = await ids(db);
  await rules(db, {
    cap: 10,
    attendants: {
      [a1]: { onShift: true, cities: ["Cidade Nenhuma"] },
      [a2]: { onShift: false, cities: [] },
    },
  });
  assert.deepEqual(await distributeQueue(db, systemActor("Filas")), { assigned: 0, waiting: 3 });
  await rules(db, {
    cap: 10,
    attendants: { [a1]: { onShift: true, cities: [cases[0].city.toUpperCase()] } },
  });
  const r = await distributeQueue(db, systemActor("Filas"));
  assert.equal(r.assigned, cases.filter((c) => c.city === cases[0].city).length);
  assert.equal((await getCase(db, cases[0].id))!.assigneeId, a1);
});

Deno.test("queues: rebalance moves cases needing a person off an attendant who left the shift", async () => {
  await using db = await testDb();
  const h1 = await claimCase(db, { attendant: "atendente1" });
  const h2 = await claimCase(db, { attendant: "atendente1" });
  const { a1, a2 } = await ids(db);
  await rules(db, {
    cap: 10,
    attendants: { [a1]: { onShift: false, cities: [] }, [a2]: { onShift: true, cities: [] } },
  });
  const r = await rebalanceQueues(await staffCtx(db, "supervisora"));
  assert.equal(r.moved, 2);
  for (const h of [h1, h2]) assert.equal((await getCase(db, h.id))!.assigneeId, a2);
  assert.equal((await queuesOf(db, a2)).counts.call, 2);
});

Deno.test("queues: a supervisor reassigns in bulk; an attendant may not", async () => {
  await using db = await testDb();
  const cases = await unassigned(db, 3);
  const { a2 } = await ids(db);
  const sup = await staffCtx(db, "supervisora");
  // One form, one submission id, three cases: each one still moves.
  sup.actor.submission = "s".repeat(20);
  assert.deepEqual(await reassignCases(sup, cases.map((c) => c.id), a2), { moved: 3, skipped: 0 });
  for (const c of cases) assert.equal((await getCase(db, c.id))!.assigneeId, a2);
  await assert.rejects(
    async () => reassignCases(await staffCtx(db, "atendente1"), [cases[0].id], a2),
    ForbiddenError,
  );
});
