// The whole renewal through the service verbs, on a seeded :memory: store.
import assert from "node:assert/strict";
import { testDb } from "../helpers.ts";
import { seedIfEmpty } from "../../services/seed.ts";
import { getContract, listDue } from "../../services/contracts.ts";
import { listPlans } from "../../services/plans.ts";
import { getCustomer } from "../../services/customers.ts";
import { findUserByUsername } from "../../services/users.ts";
import { getCase, getCaseEntry, openCaseOfContract } from "../../services/renewals/cases.ts";
import * as staff from "../../services/renewals/staff_actions.ts";
import * as customer from "../../services/renewals/customer_actions.ts";
import { resolveLink } from "../../services/renewals/links.ts";
import { readOutbox } from "../../services/messaging/messages.ts";
import { getTicket } from "../../services/tickets.ts";
import * as signing from "../../services/renewals/signing.ts";
import { auditOf } from "../../services/audit.ts";
import { ConflictError, ForbiddenError, ValidationError } from "../../services/errors.ts";
import { addDays, addMonths, todayInBrazil } from "../../services/dates.ts";
import { loadConfig } from "../../app.config.ts";
import type { Db } from "../../services/db.ts";
import { PNG } from "../fixtures/images/mod.ts";

const provider = loadConfig({}).provider;

async function setup() {
  const db = await testDb();
  await seedIfEmpty(db, {});
  const att = (await findUserByUsername(db, "atendente1"))!;
  const other = (await findUserByUsername(db, "atendente2"))!;
  const sup = (await findUserByUsername(db, "supervisora"))!;
  const today = todayInBrazil(db.now());
  const due = (await listDue(db, today, addDays(today, 60))).items;
  const ctx = (u: typeof att, kind: "staff" | "supervisor" = "staff"): staff.StaffCtx => ({
    db,
    actor: { id: `user:${u.id}`, name: u.name, ip: "10.0.0.1" },
    kind,
    baseUrl: "http://renova.test",
    linkTtlDays: 15,
    providerName: provider.name,
    provider,
  });
  return { db, att, other, sup, due, ctx };
}

async function lastLinkToken(db: Db): Promise<string> {
  const [m] = await readOutbox(db, 1);
  return m.body.match(/\/r\/([A-Za-z0-9_-]{43})/)![1];
}

Deno.test("renewal service flow: from the list to the closed ticket", async () => {
  const { db, att, due, ctx } = await setup();
  try {
    const me = { id: att.id, name: att.name };
    const c0 = await staff.claimContract(ctx(att), due[0].contractId, me);
    assert.equal(c0.step, "contact");
    assert.equal(await openCaseOfContract(db, due[0].contractId), c0.id);

    await staff.recordContact(ctx(att), c0.id, { channel: "phone", outcome: "no_answer" });
    const c = (await getCase(db, c0.id))!;
    assert.equal(c.step, "contact");
    assert.equal(c.failedContacts, 1);
    await staff.recordContact(ctx(att), c0.id, {
      channel: "phone",
      outcome: "answered",
      note: "Quer ver os planos",
    }, c.rev);
    await staff.sendLink(ctx(att), c0.id, "whatsapp");
    const first = await lastLinkToken(db);
    await staff.sendLink(ctx(att), c0.id, "email"); // re-send: a new link, the old one revoked
    const token = await lastLinkToken(db);
    assert.notEqual(token, first);
    await assert.rejects(() => resolveLink(db, first), /substituído/);
    assert.equal(await resolveLink(db, token), c0.id);

    const cu = {
      db,
      actor: { id: `customer:${c0.id}`, name: "Cliente", ip: "10.0.0.9" },
      provider,
    };
    const plans = await listPlans(db);
    await assert.rejects(() => customer.choosePlan(cu, c0.id, plans[5].id, false), ValidationError);
    await customer.choosePlan(cu, c0.id, plans[5].id, true);
    await customer.uploadPhoto(cu, c0.id, new File([PNG], "foto.png", { type: "image/png" }));
    await staff.reviewPhoto(ctx(att), c0.id, { approve: false, reason: "Documento ilegível" });
    assert.equal((await getCase(db, c0.id))!.step, "photo_rejected");
    assert.equal(
      await lastLinkToken(db),
      token,
      "follow-ups carry the live link, so open pages keep working",
    );
    await customer.uploadPhoto(cu, c0.id, new File([PNG], "foto2.png", { type: "image/png" }));
    await staff.reviewPhoto(ctx(att), c0.id, { approve: true });

    // Change the e-mail: nothing saved until the code comes back.
    const before = (await getCustomer(db, c0.customerId))!;
    await customer.submitContacts(
      cu,
      c0.id,
      before.phones.map((p) => p.slice(2)),
      "novo.email@exemplo.com",
    );
    assert.equal((await getCustomer(db, c0.customerId))!.email, before.email);
    const [codeMsg] = await readOutbox(db, 1);
    assert.equal(codeMsg.to, "novo.email@exemplo.com");
    const code = codeMsg.body.match(/\d{6}/)![0];
    const wrong = code === "000000" ? "111111" : "000000";
    await assert.rejects(
      () => customer.verifyContactCodes(cu, c0.id, { code_0: wrong }),
      ValidationError,
    );
    await customer.verifyContactCodes(cu, c0.id, { code_0: code });
    assert.equal((await getCustomer(db, c0.customerId))!.email, "novo.email@exemplo.com");
    assert.equal((await getCase(db, c0.id))!.step, "data_confirmed");

    await staff.changePlan(ctx(att), c0.id);
    assert.equal((await getContract(db, c0.contractId))!.planId, plans[5].id);
    await staff.sendSignature(ctx(att), c0.id);
    const c1 = (await getCase(db, c0.id))!;
    const hash = c1.contractDoc!.sha256;
    const holder = (await getCustomer(db, c0.customerId))!;
    const env = { db, provider, baseUrl: "http://renova.test" };
    const sign = (over: Partial<signing.SignInput>) =>
      signing.signContract(env, cu.actor, c0.id, {
        code: "",
        typedName: holder.name.toUpperCase(),
        consent: true,
        documentSha256: hash,
        ip: "10.0.0.9",
        userAgent: "Teste",
        ...over,
      });
    await assert.rejects(() => sign({ code: "123456" }), /Peça o código/);
    await signing.sendSigningCode(env, cu.actor, c0.id, "whatsapp");
    await assert.rejects(
      () => signing.sendSigningCode(env, cu.actor, c0.id, "whatsapp"),
      /Aguarde um minuto/,
    );
    const signCode = (await readOutbox(db, 1))[0].body.match(/\d{6}/)![0];
    await assert.rejects(
      () => sign({ code: signCode, typedName: "Outra Pessoa" }),
      ValidationError,
    );
    await sign({ code: signCode });
    const again = await sign({ code: signCode });
    assert.equal(again.changed, false, "signing twice is harmless");
    await staff.registerSignature(ctx(att), c0.id);
    await staff.notifyCustomer(ctx(att), c0.id);
    await staff.closeCase(ctx(att), c0.id);

    const done = (await getCase(db, c0.id))!;
    assert.equal(done.step, "closed");
    const signedOn = todayInBrazil(new Date(done.signature!.at));
    const contract = (await getContract(db, c0.contractId))!;
    assert.equal(contract.loyaltyStart, signedOn);
    assert.equal(contract.loyaltyEnd, addMonths(signedOn, 12));
    assert.equal(contract.nextRenewalDue, addMonths(signedOn, 12));
    const ticket = (await getTicket(db, done.ticket!.id)).value!;
    assert.match(ticket.protocol, /^\d{14}$/);
    assert.equal(ticket.status, "closed");
    assert.equal(ticket.renewalDate, signedOn);
    assert.equal(done.invoices!.length, 12);
    assert.match(done.invoices![0].linha!, /^\d{5}\.\d{5} \d{5}\.\d{6} \d{5}\.\d{6} \d \d{14}$/);
    assert.ok(done.invoices![0].pixPayload!.startsWith("000201"));
    assert.ok(done.carneBlobId, "the carnê was stored");
    assert.equal(await openCaseOfContract(db, c0.contractId), null);
    const outbox = await readOutbox(db, 50);
    const allSet = outbox.find((m) => m.template === "all_set")!;
    assert.match(allSet.body, /desligue o roteador/);
    assert.match(allSet.body, /12\. vencimento/);
    await assert.rejects(
      () => resolveLink(db, token),
      /substituído|não é válido/,
      "closing revokes the link",
    );
    const actions: string[] = (await auditOf(db, `case:${c0.id}`)).map((e) => e.action);
    for (
      const a of [
        "case.opened",
        "contact_answered",
        "choose_plan",
        "upload_photo",
        "reject_photo",
        "approve_photo",
        "confirm_data",
        "change_plan",
        "send_signature",
        "sign",
        "register",
        "notify",
        "close",
      ]
    ) {
      assert.ok(actions.includes(a), `audit has ${a}`);
    }
  } finally {
    db.kv.close();
  }
});

Deno.test("claims are atomic: two attendants never hold the same case", async () => {
  const { db, att, other, due, ctx } = await setup();
  try {
    const results = await Promise.allSettled([
      staff.claimContract(ctx(att), due[1].contractId, { id: att.id, name: att.name }),
      staff.claimContract(ctx(other), due[1].contractId, { id: other.id, name: other.name }),
    ]);
    const won = results.filter((r) => r.status === "fulfilled");
    assert.equal(won.length, 1);
    const lost = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    assert.ok(lost.reason instanceof ConflictError);
    const c = (await getCaseEntry(db, (await openCaseOfContract(db, due[1].contractId))!)).value;
    // The loser cannot act on the winner's case.
    const loser = c.assigneeId === att.id ? other : att;
    await assert.rejects(
      () => staff.recordContact(ctx(loser), c.id, { channel: "phone", outcome: "answered" }),
      ForbiddenError,
    );
  } finally {
    db.kv.close();
  }
});

Deno.test("stale versions get 409, repeats are harmless, illegal steps are refused", async () => {
  const { db, att, due, ctx } = await setup();
  try {
    const c = await staff.claimContract(ctx(att), due[2].contractId, {
      id: att.id,
      name: att.name,
    });
    const form = { channel: "phone", outcome: "answered", note: "ok" };
    const r1 = await staff.recordContact(ctx(att), c.id, form, c.rev);
    const r2 = await staff.recordContact(ctx(att), c.id, form, c.rev); // double click
    assert.equal(r1.changed, true);
    assert.equal(r2.changed, false);
    assert.equal((await getCase(db, c.id))!.rev, r1.case.rev);
    await assert.rejects(
      () => staff.recordContact(ctx(att), c.id, { ...form, note: "outra" }, c.rev),
      (e) => e instanceof ConflictError && /recarregue/.test(e.message),
    );
    await assert.rejects(
      () => staff.changePlan(ctx(att), c.id),
      /O cliente ainda não escolheu|etapa atual/,
    );
    const before = (await getCase(db, c.id))!;
    await assert.rejects(() => staff.closeCase(ctx(att), c.id), /etapa atual/);
    assert.deepEqual(await getCase(db, c.id), before, "nothing changed");
  } finally {
    db.kv.close();
  }
});

Deno.test("five failed contacts make the case unreachable and free the contract", async () => {
  const { db, att, due, ctx } = await setup();
  try {
    const c = await staff.claimContract(ctx(att), due[3].contractId, {
      id: att.id,
      name: att.name,
    });
    await staff.recordContact(ctx(att), c.id, {
      channel: "phone",
      outcome: "callback",
      callbackAt: new Date(Date.now() + 3600_000).toISOString(),
    });
    for (let i = 0; i < 5; i++) {
      await staff.recordContact(ctx(att), c.id, {
        channel: "phone",
        outcome: "no_answer",
        note: `tentativa ${i}`,
      });
    }
    const end = (await getCase(db, c.id))!;
    assert.equal(end.step, "unreachable");
    assert.equal(end.failedContacts, 5, "the call-back did not count as a failure");
    assert.equal(await openCaseOfContract(db, due[3].contractId), null);
  } finally {
    db.kv.close();
  }
});

Deno.test("photo upload checks the real file type and size; a refused upload leaves nothing", async () => {
  const { db, att, due, ctx } = await setup();
  try {
    const c = await staff.claimContract(ctx(att), due[4].contractId, {
      id: att.id,
      name: att.name,
    });
    const cu = { db, actor: { id: `customer:${c.id}`, name: "Cliente" }, provider };
    await assert.rejects(
      () => customer.uploadPhoto(cu, c.id, new File([PNG], "f.png")),
      /etapa atual/,
      "no photo before a plan is chosen",
    );
    let blobs = 0;
    for await (const _ of db.kv.list({ prefix: ["blobs"] })) blobs++;
    assert.equal(blobs, 0, "the failed step took its photo with it");
    await customer.choosePlan(cu, c.id, (await listPlans(db))[0].id, true);
    const pdf = new File([new TextEncoder().encode("%PDF-1.7")], "doc.png", { type: "image/png" });
    await assert.rejects(() => customer.uploadPhoto(cu, c.id, pdf), /JPG, PNG ou WEBP/);
    const big = new File([new Uint8Array(10 * 1024 * 1024)], "big.jpg", { type: "image/jpeg" });
    await assert.rejects(() => customer.uploadPhoto(cu, c.id, big), /8 MB/);
    assert.equal((await getCase(db, c.id))!.step, "plan_chosen");
  } finally {
    db.kv.close();
  }
});

Deno.test("declining after the plan change gives the contract its old plan back", async () => {
  const { db, att, due, ctx } = await setup();
  try {
    const c = await staff.claimContract(ctx(att), due[5].contractId, {
      id: att.id,
      name: att.name,
    });
    const original = (await getContract(db, c.contractId))!.planId;
    const cu = { db, actor: { id: `customer:${c.id}`, name: "Cliente" }, provider };
    const giga = (await listPlans(db))[5].id;
    await customer.choosePlan(cu, c.id, giga, true);
    await customer.uploadPhoto(cu, c.id, new File([PNG], "f.png"));
    await staff.reviewPhoto(ctx(att), c.id, { approve: true });
    const cust = (await getCustomer(db, c.customerId))!;
    await customer.submitContacts(cu, c.id, cust.phones, cust.email);
    await staff.changePlan(ctx(att), c.id);
    assert.equal((await getContract(db, c.contractId))!.planId, giga);
    await staff.sendSignature(ctx(att), c.id);
    await customer.declineOffer(cu, c.id, "Mudei de ideia");
    assert.equal((await getCase(db, c.id))!.step, "declined");
    assert.equal((await getContract(db, c.contractId))!.planId, original);
  } finally {
    db.kv.close();
  }
});
