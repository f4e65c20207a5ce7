// Protocol numbers and nossos números: a register that is refused, fails or repeats uses none,
// so every number of the day is accounted for (auditNumberSequence).
import assert from "node:assert/strict";
import { testDb } from "../helpers.ts";
import { caseAt } from "../factories.ts";
import { seedIfEmpty } from "../../services/seed.ts";
import { listDue } from "../../services/contracts.ts";
import { findUserByUsername } from "../../services/users.ts";
import { getCase, type RenewalCase } from "../../services/renewals/cases.ts";
import { carneOf } from "../../services/renewals/carne.ts";
import { keys } from "../../services/keys.ts";
import * as staff from "../../services/renewals/staff_actions.ts";
import { auditNumberSequence } from "../../services/numbers.ts";
import { defaultBillingSettings, saveBillingSettings } from "../../services/billing_settings.ts";
import { addDays, todayInBrazil } from "../../services/dates.ts";
import { ConflictError } from "../../services/errors.ts";
import { staffActor, SYSTEM } from "../../domain/actor.ts";
import { loadConfig } from "../../app.config.ts";
import type { Db } from "../../services/db.ts";

const provider = loadConfig({}).provider;

async function setup() {
  const db = await testDb();
  await seedIfEmpty(db, {});
  const att = (await findUserByUsername(db, "atendente1"))!;
  const today = todayInBrazil(db.now());
  const due = (await listDue(db, today, addDays(today, 60))).items;
  const ctx = (submission?: string): staff.StaffCtx => ({
    db,
    actor: staffActor(att, { submission }),
    baseUrl: "http://renova.test",
    linkTtlDays: 15,
    providerName: provider.name,
    provider,
  });
  return { db, att, due, ctx, day: today };
}

/** Walks one due contract to "signed" through the verbs; returns the case id. */
async function toSigned(t: Awaited<ReturnType<typeof setup>>, i: number) {
  return (await caseAt(t.db, "signed", { due: i, planIndex: 5 })).id;
}

async function noGaps(db: Db, day: string, protocols: number, nossos: number) {
  const a = await auditNumberSequence(db, day);
  assert.deepEqual(a.protocols.unexplainedGaps, [], "no protocol number unexplained");
  assert.deepEqual(a.nossoNumeros.unexplainedGaps, [], "no nosso número unexplained");
  assert.equal(a.protocols.issued.length, protocols);
  assert.equal(a.nossoNumeros.issued.length, nossos);
  return a;
}

Deno.test("numbers: a refused, a failed and a repeated register use no protocol or nosso número", async () => {
  const t = await setup();
  try {
    const id = await toSigned(t, 0);
    const rev = (await getCase(t.db, id))!.rev;
    // Refused: somebody changed the case since the page was read.
    await assert.rejects(() => staff.registerSignature(t.ctx(), id, rev - 1), ConflictError);
    // Failed: bank fields that build no boleto (saved around the form's own check).
    const bad = { ...defaultBillingSettings(provider), conta: "123456789" };
    await saveBillingSettings(t.db, bad, SYSTEM, async () => {});
    await assert.rejects(() => staff.registerSignature(t.ctx(), id, rev));
    await saveBillingSettings(t.db, defaultBillingSettings(provider), SYSTEM, async () => {});
    // Done, then repeated (double click).
    const first = await staff.registerSignature(t.ctx(), id, rev);
    const again = await staff.registerSignature(t.ctx(), id, rev);
    assert.equal(first.changed, true);
    assert.equal(again.changed, false);
    const a = await noGaps(t.db, t.day, 1, 12);
    assert.equal(a.protocols.issued[0], first.case.ticket!.protocol);
    assert.match(first.case.ticket!.protocol, /000001$/);
  } finally {
    t.db.kv.close();
  }
});

Deno.test("numbers: the same register sent twice at once takes one protocol and one set of nossos números", async () => {
  const t = await setup();
  try {
    const id = await toSigned(t, 0);
    const rev = (await getCase(t.db, id))!.rev;
    const results = await Promise.all([
      staff.registerSignature(t.ctx("sub-aaaaaaaaaaaaaaaa"), id, rev),
      staff.registerSignature(t.ctx("sub-aaaaaaaaaaaaaaaa"), id, rev),
    ]);
    assert.deepEqual(results.map((r) => r.changed).sort(), [false, true]);
    await noGaps(t.db, t.day, 1, 12);
  } finally {
    t.db.kv.close();
  }
});

Deno.test("numbers: two cases registered at once get consecutive numbers, none twice", async () => {
  const t = await setup();
  try {
    const ids = [await toSigned(t, 0), await toSigned(t, 1)];
    const done = await Promise.all(ids.map((id) => staff.registerSignature(t.ctx(), id)));
    const a = await noGaps(t.db, t.day, 2, 24);
    assert.deepEqual(a.protocols.issued, done.map((d) => d.case.ticket!.protocol).sort());
    const nossos = done.flatMap((d) => d.case.invoices!.map((i) => i.nossoNumero));
    assert.equal(new Set(nossos).size, 24, "no nosso número twice");
  } finally {
    t.db.kv.close();
  }
});

Deno.test("carnê: a register cut before its carnê was stored renders it on the first download", async () => {
  const t = await setup();
  try {
    const id = await toSigned(t, 0);
    const done = await staff.registerSignature(t.ctx(), id);
    assert.ok(done.case.carneBlobId, "rendered after the step");
    // As if the process died between the step's atomic and the carnê's.
    const e = await t.db.kv.get<RenewalCase>(keys.case(id));
    await t.db.kv.set(keys.case(id), { ...e.value!, carneBlobId: undefined });
    const pdf = await carneOf(t.db, (await getCase(t.db, id))!, provider);
    assert.equal(new TextDecoder().decode(pdf.data.subarray(0, 5)), "%PDF-");
    const again = await carneOf(t.db, (await getCase(t.db, id))!, provider);
    assert.equal(again.meta.id, pdf.meta.id, "kept: the next download reads the same file");
  } finally {
    t.db.kv.close();
  }
});
