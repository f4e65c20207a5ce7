// Issue #16 item 9: the list sorts by urgency within each queue.
import assert from "node:assert/strict";
import { testDb } from "../helpers.ts";
import { caseAt } from "../factories.ts";
import { renewalList } from "../../services/due_list.ts";
import { findUserByUsername } from "../../services/users.ts";

Deno.test("queues: waiting on the customer, the nearest loyalty end comes first", async () => {
  await using db = await testDb();
  const later = await caseAt(db, "offer", { due: 9 });
  const sooner = await caseAt(db, "offer", { due: 2 });
  const att = (await findUserByUsername(db, "atendente1"))!;
  const list = await renewalList(db, att, {}, 60);
  const ids = list.caseRows.filter((r) => r.queue === "customer").map((r) => r.case.id);
  assert.deepEqual(ids, [sooner.id, later.id]);
  assert.ok(list.caseRows[0].daysLeft <= list.caseRows[1].daysLeft);
});

Deno.test("queues: on staff's side, the customer waiting longest comes first", async () => {
  let now = new Date("2026-12-03T12:00:00Z");
  await using db = await testDb(() => now);
  const first = await caseAt(db, "photo_sent", { due: 9 }); // photo at 12:00
  now = new Date("2026-12-03T15:00:00Z");
  const second = await caseAt(db, "photo_sent", { due: 1 }); // photo at 15:00, ends sooner
  const att = (await findUserByUsername(db, "atendente1"))!;
  const list = await renewalList(db, att, {}, 60);
  const staff = list.caseRows.filter((r) => r.queue === "staff");
  assert.deepEqual(staff.map((r) => r.case.id), [first.id, second.id]);
  assert.equal(list.counts.staff, 2);
});
