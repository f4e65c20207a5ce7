import assert from "node:assert/strict";
import { testDb } from "../helpers.ts";
import { seedIfEmpty } from "../../services/seed.ts";
import { listDue } from "../../services/contracts.ts";
import { findUserByUsername } from "../../services/users.ts";
import { addDays, todayInBrazil } from "../../services/dates.ts";
import { openCase, updateCase } from "../../services/renewals/cases.ts";
import { renewalList } from "../../services/due_list.ts";
import { SYSTEM } from "../../domain/actor.ts";

Deno.test("renewal list: a customer who replied goes to the top; due rows exclude open cases", async () => {
  await using db = await testDb();
  await seedIfEmpty(db, {});
  const att = (await findUserByUsername(db, "atendente1"))!;
  const today = todayInBrazil(db.now());
  const due = (await listDue(db, today, addDays(today, 60))).items;
  const a = await openCase(
    db,
    { contractId: due[0].contractId, assignee: att, origin: "list" },
    SYSTEM,
  );
  const b = await openCase(
    db,
    { contractId: due[1].contractId, assignee: att, origin: "list" },
    SYSTEM,
  );
  await updateCase(db, {
    caseId: a.id,
    actor: SYSTEM,
    action: "customer.replied",
    apply: (next) => {
      next.customerReply = { at: db.now().toISOString(), text: "Quero renovar" };
    },
  });
  const list = await renewalList(db, att, {}, 60);
  assert.deepEqual(list.caseRows.map((r) => r.case.id), [a.id, b.id]);
  assert.ok(
    !list.dueRows.some((r) =>
      r.contractId === due[0].contractId || r.contractId === due[1].contractId
    ),
  );
  const other = (await findUserByUsername(db, "atendente2"))!;
  assert.equal(
    (await renewalList(db, other, {}, 60)).caseRows.length,
    0,
    "attendants see only their own cases",
  );
});

Deno.test("renewal list pages: every due contract without a case shows once, none skipped", async () => {
  await using db = await testDb();
  await seedIfEmpty(db, {});
  const att = (await findUserByUsername(db, "atendente1"))!;
  const today = todayInBrazil(db.now());
  const all = (await listDue(db, today, addDays(today, 60))).items;
  await openCase(db, { contractId: all[3].contractId, assignee: att, origin: "list" }, SYSTEM);
  const expected = all.filter((_, i) => i !== 3).map((i) => i.contractId);
  assert.ok(expected.length > 25, "more than one page in the window");

  const seen: string[] = [];
  let cursor = "";
  for (let i = 0; i < 10; i++) {
    const page = await renewalList(db, att, { step: "new", cursor }, 60);
    assert.ok(page.dueRows.length <= 25);
    seen.push(...page.dueRows.map((r) => r.contractId));
    cursor = page.cursor;
    if (!cursor) break;
  }
  assert.deepEqual(seen, expected, "in due order, each once, nothing lost between pages");

  // A made-up cursor is ignored (first page), never an error.
  const odd = await renewalList(db, att, { step: "new", cursor: "x~<script>" }, 60);
  assert.deepEqual(odd.dueRows.map((r) => r.contractId), expected.slice(0, 25));
  // A cursor past the window (kept while "até" was narrowed): an empty page, not a 500.
  const late = await renewalList(db, att, {
    step: "new",
    to: addDays(today, 10),
    cursor: `${addDays(today, 40)}~${all[0].contractId}`,
  }, 60);
  assert.deepEqual(late.dueRows, []);
  assert.equal(late.cursor, "");
  // Filters page the same way.
  const city = all[0].city;
  const inCity = expected.filter((id) => all.find((a) => a.contractId === id)!.city === city);
  const got: string[] = [];
  cursor = "";
  for (let i = 0; i < 10; i++) {
    const page = await renewalList(db, att, { step: "new", city, cursor }, 60);
    got.push(...page.dueRows.map((r) => r.contractId));
    cursor = page.cursor;
    if (!cursor) break;
  }
  assert.deepEqual(got, inCity);
});
