// The campaign planner on a real in-memory KV: the first contact happens with no attendant
// click, exactly once per wave, loyalty end and contract (reruns, two planners at once), and
// the exclusions, the daily cap and the sending hours hold.
import assert from "node:assert/strict";
import { activeWave, campaignDb, holder, sendsOf } from "./fixtures.ts";
import type { Db } from "../../services/db.ts";
import { keys } from "../../services/keys.ts";
import { getCase, openCase, type RenewalCase, transition } from "../../services/renewals/cases.ts";
import type { Message } from "../../services/messaging/mod.ts";
import { recordOptOut } from "../../services/messaging/replies.ts";
import { planWave } from "../../services/campaigns/planner.ts";
import { customerActor, SYSTEM } from "../../domain/actor.ts";
import { addDays, todayInBrazil } from "../../services/dates.ts";
import { auditOf } from "../../services/audit.ts";

async function firstContacts(db: Db): Promise<Message[]> {
  const out: Message[] = [];
  for await (const e of db.kv.list<Message>({ prefix: keys.messages() })) {
    if (e.value.template === "first_contact") out.push(e.value);
  }
  return out;
}

async function campaignCases(db: Db): Promise<RenewalCase[]> {
  const out: RenewalCase[] = [];
  for await (const e of db.kv.list<RenewalCase>({ prefix: keys.cases() })) {
    const c = await getCase(db, e.value.id);
    if (c?.origin === "campaign") out.push(c);
  }
  return out;
}

Deno.test("planner: opens the day's cases with link and first message, no click, once", async () => {
  const { db, env } = await campaignDb();
  await using _ = db;
  const due = [];
  for (let i = 0; i < 6; i++) due.push(await holder(db, 30));
  await holder(db, 45); // another wave's day
  const w = await activeWave(db, 30);

  const r = await planWave(env, w);
  assert.equal(r.contact, 6);
  assert.equal(r.messages, 6);
  const cases = await campaignCases(db);
  assert.equal(cases.length, 6);
  for (const c of cases) {
    assert.equal(c.step, "contact");
    assert.ok(c.link, "the case has a live personal link");
    assert.equal(c.assigneeId, undefined, "nobody had to claim it");
    assert.deepEqual(c.campaign, { waveId: w.id, loyaltyEnd: c.loyaltyEnd });
    const trail = (await auditOf(db, `case:${c.id}`)).map((e) => e.action);
    assert.deepEqual(trail.sort(), ["case.opened", "link.sent"]);
  }
  const msgs = await firstContacts(db);
  assert.equal(msgs.length, 6);
  assert.ok(msgs.every((m) => m.kind === "campaign" && m.channel === "whatsapp"));

  const again = await planWave(env, w);
  assert.equal(again.contact, 0);
  assert.equal(again.already, 6);
  assert.equal((await firstContacts(db)).length, 6, "a rerun stages nothing");
  assert.equal(await sendsOf(db, w), 6);
});

Deno.test("planner: two planners at once open each contract once", async () => {
  const { db, env } = await campaignDb();
  await using _ = db;
  for (let i = 0; i < 23; i++) await holder(db, 30);
  const w = await activeWave(db, 30);
  const [a, b] = await Promise.all([planWave(env, w), planWave(env, w)]);
  assert.equal(a.contact + b.contact, 23);
  assert.equal((await campaignCases(db)).length, 23);
  assert.equal((await firstContacts(db)).length, 23);
  assert.equal(await sendsOf(db, w), 23);
});

Deno.test("planner: a run cut off midway is finished by the next one, exactly once", async () => {
  const { db, env } = await campaignDb();
  await using _ = db;
  for (let i = 0; i < 12; i++) await holder(db, 30);
  const w = await activeWave(db, 30);
  const cut = await planWave(env, w, { stopAfter: 5 });
  assert.ok(cut.contact >= 5 && cut.contact < 12, `cut at ${cut.contact}`);
  const rest = await planWave(env, w);
  assert.equal(cut.contact + rest.contact, 12);
  assert.equal(rest.already, cut.contact);
  assert.equal((await firstContacts(db)).length, 12);
});

Deno.test("planner: skips opt-outs, open cases and recent declines; the preview says so", async () => {
  const { db, env } = await campaignDb();
  await using _ = db;
  const ok = await holder(db, 30);
  const optedOut = await holder(db, 30);
  const busy = await holder(db, 30);
  const declinedHolder = await holder(db, 30);
  await recordOptOut(db, optedOut.customer.id, {
    at: db.now().toISOString(),
    word: "SAIR",
    via: "whatsapp",
  });
  await openCase(db, { contractId: busy.contract.id, origin: "list" }, SYSTEM);
  // A second contract of the declining customer, declined last week (a different loyalty end).
  const other = await holder(db, 200);
  const old = await openCase(db, { contractId: other.contract.id, origin: "list" }, SYSTEM);
  await db.kv.set(keys.contract(other.contract.id), {
    ...other.contract,
    customerId: declinedHolder.customer.id,
  });
  const oc = (await getCase(db, old.id))!;
  await db.kv.set(keys.case(old.id), { ...oc, customerId: declinedHolder.customer.id });
  await transition(db, {
    caseId: old.id,
    action: "decline",
    actor: customerActor(old.id),
    apply: (next) => {
      next.declined = { reason: "caro", at: db.now().toISOString(), by: "Cliente" };
    },
  });
  const w = await activeWave(db, 30, { declineDays: 30 });

  const preview = await planWave(env, w, { dryRun: true });
  assert.equal(preview.contact, 1);
  assert.deepEqual(preview.excluded, { opt_out: 1, open_case: 1, declined: 1, no_contact: 0 });
  assert.equal((await campaignCases(db)).length, 0, "the preview writes nothing");

  const r = await planWave(env, w);
  assert.equal(r.contact, 1);
  assert.deepEqual(r.excluded, preview.excluded);
  const [c] = await campaignCases(db);
  assert.equal(c.contractId, ok.contract.id);
});

Deno.test("planner: filters by city, price and e-mail presence; e-mail wave needs an e-mail", async () => {
  const { db, env } = await campaignDb();
  await using _ = db;
  await holder(db, 30, { city: "Campinas", plan: 0 }); // R$ 99,90
  const pricey = await holder(db, 30, { city: "Campinas", plan: 5 }); // R$ 179,90
  await holder(db, 30, { city: "Londrina", plan: 5 });
  const w = await activeWave(db, 30, {
    channel: "email",
    filter: {
      cities: ["campinas"],
      planIds: [],
      priceMinCents: 15000,
      email: "any",
      whatsapp: "any",
    },
  });
  const r = await planWave(env, w);
  assert.equal(r.contact, 1);
  assert.equal(r.filtered, 2);
  const [c] = await campaignCases(db);
  assert.equal(c.contractId, pricey.contract.id);
  assert.equal((await firstContacts(db))[0].channel, "email");
});

Deno.test("planner: daily cap leaves the rest for the next day; messages wait for sending hours", async () => {
  const { db, env, clock } = await campaignDb();
  await using _ = db;
  for (let i = 0; i < 5; i++) await holder(db, 30);
  const w = await activeWave(db, 30, { dailyCap: 3, fromHour: 9, toHour: 20 });
  const r = await planWave(env, w);
  assert.equal(r.contact, 3);
  assert.equal(r.deferred, 2);
  // Run at 03:00 in Brasília: the first contacts are due at 09:00 (12:00 UTC).
  for (const m of await firstContacts(db)) {
    assert.equal(m.nextAttemptAt, "2026-03-02T12:00:00.000Z");
  }
  assert.equal((await planWave(env, w)).contact, 0, "the cap holds for the day");
  clock.now += 86400_000; // next day: the loyalty ends are inside the catch-up range
  const next = await planWave(env, w);
  assert.equal(next.contact, 2);
  assert.equal(next.from, addDays(todayInBrazil(db.now()), 23));
});

Deno.test("planner: a paused wave contacts nobody", async () => {
  const { db, env } = await campaignDb();
  await using _ = db;
  await holder(db, 30);
  const w = await activeWave(db, 30);
  const paused = { ...w, status: "paused" as const };
  assert.equal((await planWave(env, paused)).contact, 0);
  assert.equal((await planWave(env, paused, { dryRun: true })).contact, 1, "preview still counts");
});
