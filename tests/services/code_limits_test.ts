// One-time code limits (#14 item 5): contact codes go to numbers the customer typed, so sends
// are capped per case and per destination; a resend buys no new guesses; a double tap on
// "send signing code" sends one code, and that code keeps working.
import { staffActor } from "../../domain/actor.ts";
import assert from "node:assert/strict";
import { testDb } from "../helpers.ts";
import { caseAt } from "../factories.ts";
import { seedIfEmpty } from "../../services/seed.ts";
import { getCustomer } from "../../services/customers.ts";
import { findUserByUsername } from "../../services/users.ts";
import { getCase } from "../../services/renewals/cases.ts";
import { readOutbox } from "../../services/messaging/messages.ts";
import * as staff from "../../services/renewals/staff_actions.ts";
import * as customer from "../../services/renewals/customer_actions.ts";
import * as signing from "../../services/renewals/signing.ts";
import { RateLimitError, ValidationError } from "../../services/errors.ts";
import { checkCode } from "../../services/codes.ts";
import { loadConfig } from "../../app.config.ts";
import { keys } from "../../services/keys.ts";

const provider = loadConfig({}).provider;
const H = 3600_000;

/** A seeded store with a clock, and cases walked to "holder verified" on demand. */
async function setup() {
  const clock = { now: Date.now() };
  const db = await testDb(() => new Date(clock.now));
  await seedIfEmpty(db, {});
  const att = (await findUserByUsername(db, "atendente1"))!;
  const ctx: staff.StaffCtx = {
    db,
    actor: staffActor(att, { ip: "10.0.0.1" }),
    baseUrl: "http://renova.test",
    linkTtlDays: 15,
    providerName: provider.name,
    provider,
  };
  async function holderVerified() {
    const { id, cu, customerId } = await caseAt(db, "holder_verified", { planIndex: 5 });
    const who = (await getCustomer(db, customerId))!;
    return { id, cu, who };
  }
  const codesTo = async (to: string) =>
    (await readOutbox(db, 200)).filter((m) => m.template === "contact_code" && m.to === to);
  return { db, clock, ctx, holderVerified, codesTo };
}

Deno.test("contact codes: a case sends at most 3 batches an hour and 6 a day", async () => {
  const { db, clock, holderVerified, codesTo } = await setup();
  try {
    const c = await holderVerified();
    const phones = c.who.phones.map((p) => p.slice(2));
    const submit = (i: number) =>
      customer.submitContacts(c.cu, c.id, phones, `novo${i}@exemplo.com`);
    for (let i = 0; i < 3; i++) await submit(i);
    await assert.rejects(() => submit(3), RateLimitError);
    assert.equal((await codesTo("novo3@exemplo.com")).length, 0, "the refused batch sent nothing");
    clock.now += H;
    for (let i = 4; i < 7; i++) await submit(i);
    clock.now += H;
    await assert.rejects(() => submit(7), /Muitos códigos pedidos/, "the daily cap");
    clock.now += 24 * H;
    await submit(8);
    assert.equal((await codesTo("novo8@exemplo.com")).length, 1);
  } finally {
    db.kv.close();
  }
});

Deno.test("contact codes: one destination gets at most 3 codes an hour, across cases", async () => {
  const { db, holderVerified, codesTo } = await setup();
  try {
    const a = await holderVerified();
    const b = await holderVerified();
    const target = "alvo@exemplo.com";
    const submit = (c: typeof a) =>
      customer.submitContacts(c.cu, c.id, c.who.phones.map((p) => p.slice(2)), target);
    await submit(a);
    await submit(a);
    await submit(b);
    await assert.rejects(() => submit(b), RateLimitError);
    assert.equal((await codesTo(target)).length, 3);
  } finally {
    db.kv.close();
  }
});

Deno.test("contact codes: asking for a new code does not reset the guess counter", async () => {
  const { db, holderVerified, codesTo } = await setup();
  try {
    const c = await holderVerified();
    const phones = c.who.phones.map((p) => p.slice(2));
    const target = "palpite@exemplo.com";
    await customer.submitContacts(c.cu, c.id, phones, target);
    const first = (await codesTo(target))[0].body.match(/\d{6}/)![0];
    const wrong = first === "000000" ? "111111" : "000000";
    for (let i = 0; i < 5; i++) {
      await assert.rejects(
        () => customer.verifyContactCodes(c.cu, c.id, { code_0: wrong }),
        ValidationError,
      );
    }
    await customer.submitContacts(c.cu, c.id, phones, target); // a resend: a fresh code
    const [latest] = await codesTo(target);
    const code = latest.body.match(/\d{6}/)![0];
    await assert.rejects(
      () => customer.verifyContactCodes(c.cu, c.id, { code_0: code }),
      (e: ValidationError) => /Tentativas esgotadas/.test(e.fields.code_0 ?? ""),
    );
    assert.equal((await getCustomer(db, c.who.id))!.email, c.who.email, "nothing saved");
  } finally {
    db.kv.close();
  }
});

Deno.test("signing code: a double tap sends one code, and that code stays the valid one", async () => {
  const { db, ctx, holderVerified } = await setup();
  try {
    // Several cases, each tapped twice with a growing gap: some gap lands the second request
    // between the first one's read and its commit.
    for (const gap of [0, 1, 3]) {
      const c = await holderVerified();
      await customer.submitContacts(c.cu, c.id, c.who.phones, c.who.email);
      await staff.changePlan(ctx, c.id);
      await staff.sendSignature(ctx, c.id);
      const tap = () => signing.sendSigningCode(c.cu, c.id, "whatsapp");
      const later = async () => {
        for (let i = 0; i < gap; i++) await new Promise((r) => setTimeout(r, 0));
        return await tap();
      };
      const results = await Promise.allSettled([tap(), later()]);
      const sent = (await readOutbox(db, 200)).filter((m) =>
        m.template === "sign_code" && m.caseId === c.id
      );
      assert.equal(sent.length, 1, `gap ${gap}: one code sent`);
      assert.equal(results.filter((r) => r.status === "fulfilled").length, 1);
      const refused = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
      assert.match(String(refused.reason?.message), /Aguarde um minuto/);
      const code = sent[0].body.match(/\d{6}/)![0];
      const pending = (await getCase(db, c.id))!.signCode!;
      assert.equal(await checkCode(pending, code, `${c.id}:sign`, db.now().getTime()), "ok");
    }
  } finally {
    db.kv.close();
  }
});

Deno.test("signing code: a new code does not reset the guess counter", async () => {
  const { db, clock, ctx, holderVerified } = await setup();
  try {
    const c = await holderVerified();
    await customer.submitContacts(c.cu, c.id, c.who.phones, c.who.email);
    await staff.changePlan(ctx, c.id);
    await staff.sendSignature(ctx, c.id);
    const hash = (await getCase(db, c.id))!.contractDoc!.sha256;
    const sign = (code: string) =>
      signing.signContract(c.cu, c.id, {
        code,
        typedName: c.who.name,
        consent: true,
        documentSha256: hash,
        ip: "10.0.0.9",
        userAgent: "Teste",
      });
    const lastCode = async () =>
      (await readOutbox(db, 200)).find((m) => m.template === "sign_code" && m.caseId === c.id)!
        .body.match(/\d{6}/)![0];
    await signing.sendSigningCode(c.cu, c.id, "whatsapp");
    const first = await lastCode();
    const wrong = first === "000000" ? "111111" : "000000";
    for (let i = 0; i < 5; i++) await assert.rejects(() => sign(wrong), ValidationError);
    clock.now += 61_000;
    await signing.sendSigningCode(c.cu, c.id, "whatsapp");
    const fresh = await lastCode();
    await assert.rejects(
      () => sign(fresh),
      (e: ValidationError) => /Tentativas esgotadas/.test(e.fields.code ?? ""),
    );
    assert.equal((await getCase(db, c.id))!.step, "signature_sent", "nothing signed");
  } finally {
    db.kv.close();
  }
});

Deno.test("signing code: a request refused by the step costs no send from the quota", async () => {
  const { db, holderVerified } = await setup();
  try {
    const c = await holderVerified(); // not yet at "signature sent"
    for (let i = 0; i < 6; i++) {
      await assert.rejects(() => signing.sendSigningCode(c.cu, c.id, "whatsapp"));
    }
    assert.equal((await db.kv.get(keys.rateLimit("sign_code", c.id))).value, null);
  } finally {
    db.kv.close();
  }
});
