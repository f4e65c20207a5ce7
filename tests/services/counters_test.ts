// Dashboard counters are KV sums written in the atomic of each opening and step move; a rebuild
// from the cases and their audit trail gives exactly the same sums.
import assert from "node:assert/strict";
import { testDb } from "../helpers.ts";
import { caseAt, claimCase, walkTo } from "../factories.ts";
import { keys } from "../../services/keys.ts";
import { declineCategory, durationBucket, periodsOf } from "../../services/renewals/counters.ts";
import {
  checkCounters,
  rebuildCounters,
  storedCounters,
} from "../../services/renewals/counters_rebuild.ts";
import { recordRefusal } from "../../services/renewals/offer.ts";
import { getCase, transition } from "../../services/renewals/cases.ts";
import type { Db } from "../../services/db.ts";

async function sum(db: Db, metric: string[]) {
  const [[grain, period]] = periodsOf(db.now().toISOString());
  const e = await db.kv.get<Deno.KvU64>(keys.counter(grain, period, metric));
  return e.value ? Number(e.value.value) : 0;
}

Deno.test("counters: each step entered is summed for the day and the month", async () => {
  await using db = await testDb();
  await caseAt(db, "plan_chosen");
  await caseAt(db, "offer");
  assert.equal(await sum(db, ["step", "contact"]), 2);
  assert.equal(await sum(db, ["step", "offer"]), 2);
  assert.equal(await sum(db, ["step", "plan_chosen"]), 1);
  assert.equal(await sum(db, ["src", "list", "opened"]), 2);
  const month = periodsOf(db.now().toISOString())[1][1];
  const m = await db.kv.get<Deno.KvU64>(keys.counter("m", month, ["step", "contact"]));
  assert.equal(m.value?.value, 2n);
});

Deno.test("counters: a signed and closed renewal counts revenue, link→signature and its attendant", async () => {
  await using db = await testDb();
  const h = await caseAt(db, "notified");
  await walkTo(h, "closed");
  const c = (await getCase(db, h.id))!;
  assert.equal(await sum(db, ["step", "signed"]), 1);
  assert.equal(await sum(db, ["l2s", durationBucket(0)]), 1, "signed in the same instant");
  assert.equal(await sum(db, ["att", c.assigneeId!, "handled"]), 1);
  assert.equal(await sum(db, ["att", c.assigneeId!, "closed"]), 1);
  assert.ok(await sum(db, ["rev", "after"]) > 0);
  assert.equal(
    await sum(db, ["rev", "up"]) + await sum(db, ["rev", "down"]) + await sum(db, ["rev", "same"]),
    1,
  );
});

Deno.test("counters: a decline is counted under its reason's category, never its text", async () => {
  await using db = await testDb();
  const h = await claimCase(db);
  await recordRefusal(h.ctx, h.id, "Achou caro, vai para outra operadora", 1);
  assert.equal(await sum(db, ["decl", "concorrente"]), 1);
  assert.equal(await sum(db, ["step", "declined"]), 1);
  for (const k of (await storedCounters(db)).keys()) assert.ok(!/caro/.test(k));
});

Deno.test("counters: a repeated submission and a lost race add nothing", async () => {
  await using db = await testDb();
  const h = await caseAt(db, "contact");
  const input = {
    caseId: h.id,
    action: "contact_answered" as const,
    actor: h.ctx.actor,
    rev: 1,
    auditData: { channel: "phone", outcome: "answered" },
  };
  const results = await Promise.allSettled([transition(db, input), transition(db, input)]);
  assert.ok(results.some((r) => r.status === "fulfilled"));
  await transition(db, input); // the same form again
  assert.equal(await sum(db, ["step", "offer"]), 1);
});

Deno.test("counters: the live sums match a rebuild from the cases exactly", async () => {
  await using db = await testDb();
  const a = await caseAt(db, "notified");
  await walkTo(a, "closed");
  await caseAt(db, "photo_rejected");
  const d = await claimCase(db);
  await recordRefusal(d.ctx, d.id, "Vou me mudar", 1);
  await caseAt(db, "signature_sent");
  const r = await checkCounters(db);
  assert.ok(r.keys > 20);
  assert.deepEqual(r.mismatches, []);
});

Deno.test("counters: a rebuild restores lost and corrupted sums", async () => {
  await using db = await testDb();
  await caseAt(db, "holder_verified");
  const before = await storedCounters(db);
  const [[grain, period]] = periodsOf(db.now().toISOString());
  await db.kv.delete(keys.counter(grain, period, ["step", "offer"]));
  await db.kv.set(keys.counter(grain, period, ["step", "bogus"]), new Deno.KvU64(7n));
  assert.equal((await checkCounters(db)).mismatches.length, 2);
  const fixed = await rebuildCounters(db);
  assert.equal(fixed.mismatches.length, 2);
  assert.deepEqual(await storedCounters(db), before);
});

Deno.test("counters: duration buckets and decline categories", () => {
  assert.equal(durationBucket(10 * 60_000), "b00");
  assert.equal(durationBucket(2 * 3600_000), "b02");
  assert.equal(durationBucket(90 * 86400_000), "b10");
  assert.equal(declineCategory(""), "nao_informado");
  assert.equal(declineCategory("Não informado"), "nao_informado");
  assert.equal(declineCategory("Muito caro"), "preco");
  assert.equal(declineCategory("internet lenta"), "qualidade");
  assert.equal(declineCategory("sei lá"), "outro");
});
