// The work queues' index (keys.queueDue): open cases nobody holds, by the instant they need a
// person. Every case write moves it, so handing out the queues reads the entries due by now
// instead of every open case — a case that needs someone is found however many campaign
// cases wait on the customer before it.
import assert from "node:assert/strict";
import { makeUser, testDb } from "../helpers.ts";
import { caseAt, staffCtx, testEnv } from "../factories.ts";
import { keys } from "../../services/keys.ts";
import { migrate } from "../../services/migrations.ts";
import { needsPersonFrom } from "../../domain/person_due.ts";
import { needsPerson, queueOf } from "../../services/renewals/queues.ts";
import {
  getCase,
  type QueueDueEntry,
  type RenewalCase,
  setAssignee,
  updateCase,
} from "../../services/renewals/cases.ts";
import { distributeQueue, saveQueueRules } from "../../services/renewals/queues.ts";
import { customerActor, staffActor, systemActor } from "../../domain/actor.ts";
import { planWave } from "../../services/campaigns/planner.ts";
import { activeWave, campaignDb, holder } from "../campaigns/fixtures.ts";
import type { Db } from "../../services/db.ts";

const H = 3600_000;

async function dueEntries(db: Db) {
  const out: { at: string; caseId: string }[] = [];
  for await (const e of db.kv.list<QueueDueEntry>({ prefix: keys.queueDues() })) {
    out.push({ at: String(e.key[1]), caseId: e.value.caseId });
  }
  return out;
}

Deno.test("queue index: needsPersonFrom agrees with queueOf at every step and time", async () => {
  await using db = await testDb();
  const cases: RenewalCase[] = [];
  for (const step of ["contact", "offer", "plan_chosen", "photo_sent", "data_confirmed"] as const) {
    cases.push((await caseAt(db, step)).case);
  }
  const now = db.now().getTime();
  const c0 = cases[1];
  cases.push({ ...c0, callbackAt: new Date(now + H).toISOString() });
  cases.push({ ...c0, customerReply: { at: new Date(now).toISOString(), text: "" } });
  for (const c of cases) {
    for (const dt of [0, H, 3 * 24 * H, 40 * 24 * H]) {
      const t = new Date(now + dt);
      const from = needsPersonFrom(c);
      assert.equal(
        from !== null && from <= t.toISOString(),
        needsPerson(c, t),
        `${c.step} at +${dt / H} h (${queueOf(c, t)})`,
      );
    }
  }
});

Deno.test("queue index: a reply behind many waiting campaign cases is handed out first", async () => {
  const { db, env } = await campaignDb();
  await using _ = db;
  for (let i = 0; i < 12; i++) await holder(db, 30);
  const w = await activeWave(db, 30);
  await planWave(env, w);
  assert.equal((await dueEntries(db)).length, 12, "each waits until its link expires");
  // The newest case (last in every id order) gets a WhatsApp reply: it needs a call now.
  const last = (await dueEntries(db)).map((x) => x.caseId).sort().at(-1)!;
  await updateCase(db, {
    caseId: last,
    actor: customerActor(last),
    action: "customer.replied",
    auditData: { via: "whatsapp", optOut: false },
    apply: (next) => void (next.customerReply = { at: db.now().toISOString(), text: "me liga" }),
  });
  const a1 = await makeUser(db, "attendant");
  const sup = await makeUser(db, "supervisor");
  await saveQueueRules({ ...testEnv(db), actor: staffActor(sup) }, {
    cap: 40,
    attendants: { [a1.id]: { onShift: true, cities: [] } },
  });
  const r = await distributeQueue(db, systemActor("Filas"), 1);
  assert.equal(r.assigned, 1);
  assert.equal((await getCase(db, last))!.assigneeId, a1.id);
  assert.ok(!(await dueEntries(db)).some((x) => x.caseId === last), "held now: out of the index");
});

Deno.test("queue index: releasing a case puts it back, ending it takes it out", async () => {
  await using db = await testDb();
  const h = await caseAt(db, "photo_sent");
  assert.deepEqual(await dueEntries(db), [], "held by its attendant");
  await setAssignee(db, h.case.id, null, systemActor("t"));
  const [e] = await dueEntries(db);
  assert.equal(e.caseId, h.case.id);
  const ctx = await staffCtx(db, "supervisora");
  const { cancelCase } = await import("../../services/renewals/staff_actions.ts");
  await cancelCase(ctx, h.case.id, "teste");
  assert.deepEqual(await dueEntries(db), []);
});

Deno.test("migration 8: open cases from before the index get their entries", async () => {
  await using db = await testDb();
  const h = await caseAt(db, "photo_sent");
  await setAssignee(db, h.case.id, null, systemActor("t"));
  for (const e of await dueEntries(db)) await db.kv.delete(keys.queueDue(e.at, e.caseId));
  await db.kv.set(keys.schemaVersion(), 7);
  await migrate(db);
  assert.deepEqual((await dueEntries(db)).map((x) => x.caseId), [h.case.id]);
});

Deno.test("queue index: cases of a city nobody can take now do not hold back the others", async () => {
  await using db = await testDb();
  const cases: RenewalCase[] = [];
  for (let i = 0; i < 5; i++) cases.push((await caseAt(db, "photo_sent")).case);
  for (const c of cases) await setAssignee(db, c.id, null, systemActor("t"));
  const last = cases.at(-1)!;
  assert.notEqual(cases[0].city, last.city, "older entries of another city come first");
  const a = await makeUser(db, "attendant");
  const sup = await makeUser(db, "supervisor");
  await saveQueueRules({ ...testEnv(db), actor: staffActor(sup) }, {
    cap: 40,
    attendants: { [a.id]: { onShift: true, cities: [last.city] } },
  });
  const r = await distributeQueue(db, systemActor("Filas"), 1);
  assert.equal(r.assigned, 1);
  assert.equal((await getCase(db, last.id))!.assigneeId, a.id);
  assert.ok(r.waiting >= 1, "the others are counted as waiting");
});
