// The renewal through the service verbs, one behaviour per test, on a seeded :memory: store.
// Each test starts at its step with tests/factories.ts (`caseAt`).
import { customerActor } from "../../domain/actor.ts";
import assert from "node:assert/strict";
import { testDb } from "../helpers.ts";
import { caseAt, customerCtx, lastLinkToken, staffCtx } from "../factories.ts";
import { seedIfEmpty } from "../../services/seed.ts";
import { getContract, listDue } from "../../services/contracts.ts";
import { listPlans } from "../../services/plans.ts";
import { getCustomer } from "../../services/customers.ts";
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
import type { Db } from "../../services/db.ts";
import { PNG } from "../fixtures/images/mod.ts";

async function dueContracts(db: Db) {
  await seedIfEmpty(db, {});
  const today = todayInBrazil(db.now());
  return (await listDue(db, today, addDays(today, 60))).items;
}

const me = (ctx: staff.StaffCtx) => ({
  id: ctx.actor.id.slice("user:".length),
  name: ctx.actor.name,
});

Deno.test("claim: a contract from the list opens a case at contact, the contract's open case", async () => {
  await using db = await testDb();
  const due = await dueContracts(db);
  const ctx = await staffCtx(db);
  const c0 = await staff.claimContract(ctx, due[0].contractId, me(ctx));
  assert.equal(c0.step, "contact");
  assert.equal(await openCaseOfContract(db, due[0].contractId), c0.id);
});

Deno.test("contact: an unanswered call keeps the step and counts one failure", async () => {
  await using db = await testDb();
  const { id, ctx } = await caseAt(db, "contact");
  await staff.recordContact(ctx, id, { channel: "phone", outcome: "no_answer" });
  const c = (await getCase(db, id))!;
  assert.equal(c.step, "contact");
  assert.equal(c.failedContacts, 1);
  await staff.recordContact(ctx, id, {
    channel: "phone",
    outcome: "answered",
    note: "Quer ver os planos",
  }, c.rev);
});

Deno.test("link: sending it again gives a new link and revokes the old one", async () => {
  await using db = await testDb();
  const { id, ctx, token: first } = await caseAt(db, "offer");
  await staff.sendLink(ctx, id, "email"); // re-send: a new link, the old one revoked
  const token = await lastLinkToken(db);
  assert.notEqual(token, first);
  await assert.rejects(() => resolveLink(db, first!), /substituído/);
  assert.equal(await resolveLink(db, token), id);
});

Deno.test("plan: choosing without consent is refused", async () => {
  await using db = await testDb();
  const { id, cu } = await caseAt(db, "offer");
  const plans = await listPlans(db);
  await assert.rejects(() => customer.choosePlan(cu, id, plans[5].id, false), ValidationError);
});

Deno.test("photo: a rejected photo asks for another, with the live link", async () => {
  await using db = await testDb();
  const { id, token } = await caseAt(db, "photo_rejected");
  assert.equal((await getCase(db, id))!.step, "photo_rejected");
  assert.equal(
    await lastLinkToken(db),
    token,
    "follow-ups carry the live link, so open pages keep working",
  );
  const actions = (await auditOf(db, `case:${id}`)).map((e) => e.action);
  assert.ok(actions.includes("reject_photo"), `audit has reject_photo`);
});

Deno.test("photo: after a rejection, a new photo approved verifies the holder", async () => {
  await using db = await testDb();
  const { id, ctx, cu } = await caseAt(db, "photo_rejected");
  await customer.uploadPhoto(cu, id, new File([PNG], "foto2.png", { type: "image/png" }));
  await staff.reviewPhoto(ctx, id, { approve: true });
  assert.equal((await getCase(db, id))!.step, "holder_verified");
});

Deno.test("contacts: a new e-mail is saved only when its code comes back", async () => {
  await using db = await testDb();
  const { id, cu, customerId } = await caseAt(db, "holder_verified");
  const before = (await getCustomer(db, customerId))!;
  await customer.submitContacts(
    cu,
    id,
    before.phones.map((p) => p.slice(2)),
    "novo.email@exemplo.com",
  );
  assert.equal((await getCustomer(db, customerId))!.email, before.email);
  const [codeMsg] = await readOutbox(db, 1);
  assert.equal(codeMsg.to, "novo.email@exemplo.com");
  const code = codeMsg.body.match(/\d{6}/)![0];
  const wrong = code === "000000" ? "111111" : "000000";
  await assert.rejects(
    () => customer.verifyContactCodes(cu, id, { code_0: wrong }),
    ValidationError,
  );
  await customer.verifyContactCodes(cu, id, { code_0: code });
  assert.equal((await getCustomer(db, customerId))!.email, "novo.email@exemplo.com");
  assert.equal((await getCase(db, id))!.step, "data_confirmed");
});

Deno.test("plan change: the contract moves to the chosen plan", async () => {
  await using db = await testDb();
  const { contractId } = await caseAt(db, "plan_changed", { planIndex: 5 });
  assert.equal((await getContract(db, contractId))!.planId, (await listPlans(db))[5].id);
});

async function signer(db: Db) {
  const { id, cu, customerId } = await caseAt(db, "signature_sent");
  const hash = (await getCase(db, id))!.contractDoc!.sha256;
  const holder = (await getCustomer(db, customerId))!;
  const sign = (over: Partial<signing.SignInput>) =>
    signing.signContract(cu, id, {
      code: "",
      typedName: holder.name.toUpperCase(),
      consent: true,
      documentSha256: hash,
      ip: "10.0.0.9",
      userAgent: "Teste",
      ...over,
    });
  const sendCode = () => signing.sendSigningCode(cu, id, "whatsapp");
  const lastCode = async () => (await readOutbox(db, 1))[0].body.match(/\d{6}/)![0];
  return { sign, sendCode, lastCode };
}

Deno.test("signing: a code typed before one was asked for is refused", async () => {
  await using db = await testDb();
  const { sign } = await signer(db);
  await assert.rejects(() => sign({ code: "123456" }), /Peça o código/);
});

Deno.test("signing: a second code within a minute is refused", async () => {
  await using db = await testDb();
  const { sendCode } = await signer(db);
  await sendCode();
  await assert.rejects(sendCode, /Aguarde um minuto/);
});

Deno.test("signing: a typed name that is not the holder's is refused", async () => {
  await using db = await testDb();
  const { sign, sendCode, lastCode } = await signer(db);
  await sendCode();
  await assert.rejects(
    async () => sign({ code: await lastCode(), typedName: "Outra Pessoa" }),
    ValidationError,
  );
});

Deno.test("signing: signing twice is harmless", async () => {
  await using db = await testDb();
  const { sign, sendCode, lastCode } = await signer(db);
  await sendCode();
  const code = await lastCode();
  await sign({ code });
  const again = await sign({ code });
  assert.equal(again.changed, false, "signing twice is harmless");
});

Deno.test("closing: the contract's loyalty restarts on the signing day", async () => {
  await using db = await testDb();
  const { id, ctx, contractId } = await caseAt(db, "notified");
  await staff.closeCase(ctx, id);
  const done = (await getCase(db, id))!;
  assert.equal(done.step, "closed");
  const signedOn = todayInBrazil(new Date(done.signature!.at));
  const contract = (await getContract(db, contractId))!;
  assert.equal(contract.loyaltyStart, signedOn);
  assert.equal(contract.loyaltyEnd, addMonths(signedOn, 12));
  assert.equal(contract.nextRenewalDue, addMonths(signedOn, 12));
});

Deno.test("closing: the ticket is closed with its protocol and the renewal date", async () => {
  await using db = await testDb();
  const { id, ctx } = await caseAt(db, "notified");
  await staff.closeCase(ctx, id);
  const done = (await getCase(db, id))!;
  const signedOn = todayInBrazil(new Date(done.signature!.at));
  const ticket = (await getTicket(db, done.ticket!.id)).value!;
  assert.match(ticket.protocol, /^\d{14}$/);
  assert.equal(ticket.status, "closed");
  assert.equal(ticket.renewalDate, signedOn);
});

Deno.test("closing: twelve invoices with boleto line and PIX, and the carnê stored", async () => {
  await using db = await testDb();
  const { id, ctx } = await caseAt(db, "notified");
  await staff.closeCase(ctx, id);
  const done = (await getCase(db, id))!;
  assert.equal(done.invoices!.length, 12);
  assert.match(done.invoices![0].linha!, /^\d{5}\.\d{5} \d{5}\.\d{6} \d{5}\.\d{6} \d \d{14}$/);
  assert.ok(done.invoices![0].pixPayload!.startsWith("000201"));
  assert.ok(done.carneBlobId, "the carnê was stored");
});

Deno.test("closing: the contract is free again and the customer's link stays, read-only", async () => {
  await using db = await testDb();
  const { id, ctx, contractId, token } = await caseAt(db, "notified");
  await staff.closeCase(ctx, id);
  assert.equal(await openCaseOfContract(db, contractId), null);
  // Issue #16: the final message's link keeps the invoices and contract (links.ts).
  assert.equal(await resolveLink(db, token!), id);
});

Deno.test("closing: the all-set message tells to restart the router and lists the invoices", async () => {
  await using db = await testDb();
  const { id, ctx } = await caseAt(db, "notified");
  await staff.closeCase(ctx, id);
  const outbox = await readOutbox(db, 50);
  const allSet = outbox.find((m) => m.template === "all_set")!;
  assert.match(allSet.body, /desligue o roteador/);
  assert.match(allSet.body, /12\. vencimento/);
});

Deno.test("closing: every step of the walk is in the case's audit", async () => {
  await using db = await testDb();
  const { id, ctx } = await caseAt(db, "notified");
  await staff.closeCase(ctx, id);
  const actions: string[] = (await auditOf(db, `case:${id}`)).map((e) => e.action);
  for (
    const a of [
      "case.opened",
      "contact_answered",
      "choose_plan",
      "upload_photo",
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
});

Deno.test("claims are atomic: two attendants racing for one contract, one wins", async () => {
  await using db = await testDb();
  const due = await dueContracts(db);
  const [a, b] = [await staffCtx(db, "atendente1"), await staffCtx(db, "atendente2")];
  const results = await Promise.allSettled([
    staff.claimContract(a, due[1].contractId, me(a)),
    staff.claimContract(b, due[1].contractId, me(b)),
  ]);
  const won = results.filter((r) => r.status === "fulfilled");
  assert.equal(won.length, 1);
  const lost = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
  assert.ok(lost.reason instanceof ConflictError);
});

Deno.test("claims: another attendant cannot act on a claimed case", async () => {
  await using db = await testDb();
  const { contractId } = await caseAt(db, "contact", { attendant: "atendente1" });
  const c = (await getCaseEntry(db, (await openCaseOfContract(db, contractId))!)).value;
  const loser = await staffCtx(db, "atendente2");
  await assert.rejects(
    () => staff.recordContact(loser, c.id, { channel: "phone", outcome: "answered" }),
    ForbiddenError,
  );
});

const answered = { channel: "phone", outcome: "answered", note: "ok" } as const;

Deno.test("versions: a repeated step (double click) changes nothing", async () => {
  await using db = await testDb();
  const { id, ctx, case: c } = await caseAt(db, "contact");
  const r1 = await staff.recordContact(ctx, id, answered, c.rev);
  const r2 = await staff.recordContact(ctx, id, answered, c.rev); // double click
  assert.equal(r1.changed, true);
  assert.equal(r2.changed, false);
  assert.equal((await getCase(db, id))!.rev, r1.case.rev);
});

Deno.test("versions: a different change on a stale version is a 409 asking to reload", async () => {
  await using db = await testDb();
  const { id, ctx, case: c } = await caseAt(db, "contact");
  await staff.recordContact(ctx, id, answered, c.rev);
  await assert.rejects(
    () => staff.recordContact(ctx, id, { ...answered, note: "outra" }, c.rev),
    (e) => e instanceof ConflictError && /recarregue/.test(e.message),
  );
});

Deno.test("versions: a step out of order is refused and changes nothing", async () => {
  await using db = await testDb();
  const { id, ctx } = await caseAt(db, "offer");
  await assert.rejects(
    () => staff.changePlan(ctx, id),
    /O cliente ainda não escolheu|etapa atual/,
  );
  const before = (await getCase(db, id))!;
  await assert.rejects(() => staff.closeCase(ctx, id), /etapa atual/);
  assert.deepEqual(await getCase(db, id), before, "nothing changed");
});

Deno.test("five failed contacts make the case unreachable and free the contract", async () => {
  await using db = await testDb();
  const { id, ctx, contractId } = await caseAt(db, "contact");
  await staff.recordContact(ctx, id, {
    channel: "phone",
    outcome: "callback",
    callbackAt: new Date(Date.now() + 3600_000).toISOString(),
  });
  for (let i = 0; i < 5; i++) {
    await staff.recordContact(ctx, id, {
      channel: "phone",
      outcome: "no_answer",
      note: `tentativa ${i}`,
    });
  }
  const end = (await getCase(db, id))!;
  assert.equal(end.step, "unreachable");
  assert.equal(end.failedContacts, 5, "the call-back did not count as a failure");
  assert.equal(await openCaseOfContract(db, contractId), null);
});

Deno.test("photo: none is taken before a plan is chosen, and the refused step stores no file", async () => {
  await using db = await testDb();
  const { id } = await caseAt(db, "contact");
  const cu = { ...customerCtx(db, id), actor: customerActor(id) };
  await assert.rejects(
    () => customer.uploadPhoto(cu, id, new File([PNG], "f.png")),
    /etapa atual/,
    "no photo before a plan is chosen",
  );
  let blobs = 0;
  for await (const _ of db.kv.list({ prefix: ["blobs"] })) blobs++;
  assert.equal(blobs, 0, "the failed step took its photo with it");
});

Deno.test("photo: a file that is not really an image is refused whatever its name", async () => {
  await using db = await testDb();
  const { id, cu } = await caseAt(db, "plan_chosen", { planIndex: 0 });
  const pdf = new File([new TextEncoder().encode("%PDF-1.7")], "doc.png", { type: "image/png" });
  await assert.rejects(() => customer.uploadPhoto(cu, id, pdf), /JPG, PNG ou WEBP/);
  assert.equal((await getCase(db, id))!.step, "plan_chosen");
});

Deno.test("photo: a file over 8 MB is refused", async () => {
  await using db = await testDb();
  const { id, cu } = await caseAt(db, "plan_chosen", { planIndex: 0 });
  const big = new File([new Uint8Array(10 * 1024 * 1024)], "big.jpg", { type: "image/jpeg" });
  await assert.rejects(() => customer.uploadPhoto(cu, id, big), /8 MB/);
  assert.equal((await getCase(db, id))!.step, "plan_chosen");
});

Deno.test("declining after the plan change gives the contract its old plan back", async () => {
  await using db = await testDb();
  const due = await dueContracts(db);
  const original = (await getContract(db, due[5].contractId))!.planId;
  const { id, cu, contractId } = await caseAt(db, "signature_sent", { planIndex: 5, due: 5 });
  assert.equal((await getContract(db, contractId))!.planId, (await listPlans(db))[5].id);
  await customer.declineOffer(cu, id, "Mudei de ideia");
  assert.equal((await getCase(db, id))!.step, "declined");
  assert.equal((await getContract(db, contractId))!.planId, original);
});
