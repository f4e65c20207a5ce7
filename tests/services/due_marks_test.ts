// Open-case and refusal marks kept under the due entries (issue #21, services/due_marks.ts):
// the renewal list reads them with the page; an entry whose marks are unknown is checked the
// old way, and the daily job brings its marks back.
import assert from "node:assert/strict";
import { testDb } from "../helpers.ts";
import { claimCase, walkTo } from "../factories.ts";
import * as staff from "../../services/renewals/staff_actions.ts";
import { renewalList } from "../../services/due_list.ts";
import { findUserByUsername } from "../../services/users.ts";
import { keys } from "../../services/keys.ts";
import { type Contract, type DueSummary, listDue } from "../../services/contracts.ts";
import { groupDuePage } from "../../services/due_marks.ts";
import { backfillDueMarks, refreshDueMarks } from "../../services/due_marks_upkeep.ts";
import type { Db } from "../../services/db.ts";

const NOW = new Date("2026-12-03T15:00:00Z");

async function marksOf(db: Db, contractId: string) {
  const c = (await db.kv.get<Contract>(keys.contract(contractId))).value!;
  const [open, decline, entry] = await db.kv.getMany([
    keys.contractDueMark(c.loyaltyEnd, contractId, "open"),
    keys.contractDueMark(c.loyaltyEnd, contractId, "decline"),
    keys.contractsByDue(c.loyaltyEnd, contractId),
  ]);
  return {
    open: open.value,
    decline: decline.value,
    stale: !!(entry.value as DueSummary).marksStale,
    contract: c,
  };
}

/** A store as it was before the marks: no marks, no flags (what migration 9 finds). */
async function forgetMarks(db: Db) {
  for await (const e of db.kv.list({ prefix: keys.contractsDue() })) {
    if (e.key.length === 4) await db.kv.delete(e.key);
  }
}

async function dueRowsOf(db: Db, filters = {}) {
  const att = (await findUserByUsername(db, "atendente1"))!;
  return await renewalList(db, att, { step: "new", ...filters }, 60, 90);
}

Deno.test("due marks: an open case's mark hides its contract from the due rows until it ends", async () => {
  await using db = await testDb(() => NOW);
  const h = await claimCase(db);
  const m = await marksOf(db, h.contractId);
  assert.equal(m.open, h.id);
  assert.equal(m.stale, false);
  assert.ok(!(await dueRowsOf(db)).dueRows.some((r) => r.contractId === h.contractId));

  await staff.recordRefusal(h.ctx, h.id, "Sem interesse");
  const after = await marksOf(db, h.contractId);
  assert.equal(after.open, null, "the case ended: its mark went in the same atomic");
  assert.deepEqual(after.decline, { caseId: h.id, at: NOW.toISOString() });
  const list = await dueRowsOf(db);
  assert.ok(!list.dueRows.some((r) => r.contractId === h.contractId));
  assert.equal(
    list.declinedRows.find((r) => r.contractId === h.contractId)?.reason,
    "Sem interesse",
  );
});

Deno.test("due marks: a page reads no per-row check when every entry's marks are trusted", async () => {
  await using db = await testDb(() => NOW);
  await claimCase(db);
  const checks = new Set<Deno.KvKeyPart>([
    keys.openCaseByContract("x")[0],
    keys.contractDeclined("x")[0],
  ]);
  const asked: string[] = [];
  const getMany = db.kv.getMany.bind(db.kv);
  const kv = new Proxy(db.kv, {
    get: (t, p) =>
      p === "getMany"
        ? (ks: Deno.KvKey[]) => {
          for (const k of ks) if (checks.has(k[0])) asked.push(String(k[1]));
          return getMany(ks);
        }
        : ((v) => typeof v === "function" ? v.bind(t) : v)(Reflect.get(t, p)),
  });
  const att = (await findUserByUsername(db, "atendente1"))!;
  const list = await renewalList({ ...db, kv }, att, { step: "new" }, 60, 90);
  assert.equal(list.dueRows.length, 25);
  // Not even the last entry of the cut index page (its marks may be on the next page): the
  // page had its 26 rows (25 and one that says a next page exists) before reaching it.
  assert.deepEqual(asked, []);
});

Deno.test("due marks: a contract whose loyalty end moves is stale at the new place and checked the old way", async () => {
  await using db = await testDb(() => NOW);
  const h = await claimCase(db);
  const entry = await db.kv.get<Contract>(keys.contract(h.contractId));
  const old = entry.value!.loyaltyEnd;
  const { stageContractUpdate } = await import("../../services/contracts.ts");
  const op = db.kv.atomic();
  stageContractUpdate(db, op, entry as Deno.KvEntry<Contract>, {
    ...entry.value!,
    loyaltyEnd: "2026-12-20",
  });
  assert.ok((await op.commit()).ok);
  assert.equal((await db.kv.get(keys.contractDueMark(old, h.contractId, "open"))).value, null);
  const m = await marksOf(db, h.contractId);
  assert.equal(m.stale, true);
  assert.equal(m.open, null, "no mark at the new place");
  // The case is still open: the stale entry is checked against open_case_by_contract.
  assert.ok(!(await dueRowsOf(db)).dueRows.some((r) => r.contractId === h.contractId));
});

Deno.test("due marks: migration 9 trusts no contract with an open case and copies refusals", async () => {
  await using db = await testDb(() => NOW);
  const open = await claimCase(db);
  const refused = await claimCase(db);
  await staff.recordRefusal(refused.ctx, refused.id, "Caro demais");
  await forgetMarks(db);

  assert.deepEqual(await backfillDueMarks(db), { stale: 1, declines: 1 });
  assert.equal((await marksOf(db, open.contractId)).stale, true);
  const r = await marksOf(db, refused.contractId);
  assert.equal(r.stale, false);
  assert.equal((r.decline as { caseId: string }).caseId, refused.id);
  const list = await dueRowsOf(db);
  const ids = list.dueRows.map((x) => x.contractId);
  assert.ok(!ids.includes(open.contractId) && !ids.includes(refused.contractId));
  assert.ok(list.declinedRows.some((x) => x.contractId === refused.contractId));
  assert.deepEqual(
    await backfillDueMarks(db),
    { stale: 0, declines: 1 },
    "a rerun changes nothing",
  );
});

Deno.test("due marks: the daily job gives a stale entry its marks back, not while its case is open", async () => {
  await using db = await testDb(() => NOW);
  const h = await claimCase(db);
  await forgetMarks(db);
  await backfillDueMarks(db);
  assert.deepEqual(await refreshDueMarks(db), { refreshed: 0, open: 1, conflicts: 0 });
  assert.equal((await marksOf(db, h.contractId)).stale, true, "left stale while the case is open");

  await staff.recordRefusal(h.ctx, h.id, "Vai mudar");
  assert.deepEqual(await refreshDueMarks(db), { refreshed: 1, open: 0, conflicts: 0 });
  const m = await marksOf(db, h.contractId);
  assert.equal(m.stale, false);
  assert.equal(m.contract.dueMarksStale, undefined);
  assert.equal((m.decline as { caseId: string }).caseId, h.id);
  assert.ok((await dueRowsOf(db)).declinedRows.some((r) => r.contractId === h.contractId));
});

Deno.test("due marks: a renewed contract is due again a year on, with no stale mark hiding it", async () => {
  let now = NOW;
  await using db = await testDb(() => now);
  const h = await claimCase(db);
  await walkTo(h, "closed");
  const m = await marksOf(db, h.contractId);
  assert.equal(m.stale, true, "moved by the renewal");
  now = new Date(Date.parse(m.contract.loyaltyEnd + "T12:00:00Z") - 30 * 86_400_000);
  assert.equal((await refreshDueMarks(db)).refreshed, 1);
  assert.equal((await marksOf(db, h.contractId)).open, null);
  const rows = (await dueRowsOf(db, { from: m.contract.loyaltyEnd, to: m.contract.loyaltyEnd }))
    .dueRows;
  assert.ok(rows.some((r) => r.contractId === h.contractId));
});

Deno.test("due marks: marks past a cut page, and orphans without their entry, are not trusted", () => {
  const e = (key: Deno.KvKey, value: unknown) => ({ key, value, versionstamp: "1" });
  const s = { customerId: "u", planId: "p", city: "c" };
  const page = [
    e(["contracts_by_due", "2027-01-01", "a", "open"], "orphan"),
    e(["contracts_by_due", "2027-01-01", "b"], s),
    e(["contracts_by_due", "2027-01-01", "b", "decline"], { caseId: "k", at: "t" }),
    e(["contracts_by_due", "2027-01-02", "c"], { ...s, marksStale: true }),
    e(["contracts_by_due", "2027-01-02", "c", "open"], "x"),
    e(["contracts_by_due", "2027-01-03", "d"], s),
  ];
  const items = groupDuePage<DueSummary>(page, true);
  assert.deepEqual(items.map((i) => i.contractId), ["b", "c", "d"]);
  assert.deepEqual(items[0].marks, { decline: { caseId: "k", at: "t" } });
  assert.equal(items[1].marks, undefined, "stale entry");
  assert.equal(items[2].marks, undefined, "the page was cut after it");
  assert.deepEqual(groupDuePage<DueSummary>(page, false)[2].marks, {});
});

Deno.test("due marks: listDue and a month's enumeration count entries, never marks", async () => {
  await using db = await testDb(() => NOW);
  const h = await claimCase(db);
  await staff.recordRefusal(h.ctx, h.id, "Não");
  const c = (await marksOf(db, h.contractId)).contract;
  const items = (await listDue(db, c.loyaltyEnd, c.loyaltyEnd, { limit: 500 })).items;
  assert.equal(items.filter((i) => i.contractId === h.contractId).length, 1);
  assert.ok(items.every((i) => typeof i.customerId === "string" && i.customerId.length > 0));
});
