// Need to know (#14 item 12): attendants read unassigned cases and their own; supervisors and
// admins read all. Every staff read path answers 403 for a colleague's case, and reads of
// personal data are audited once per person, case and kind within a window.
import { testEnv } from "../factories.ts";
import { customerActor, staffActor, SYSTEM } from "../../domain/actor.ts";
import assert from "node:assert/strict";
import { type Browser, ORIGIN, signInAs, testApp } from "../helpers.ts";
import { seedIfEmpty } from "../../services/seed.ts";
import { findUserByUsername } from "../../services/users.ts";
import { listDue } from "../../services/contracts.ts";
import { addDays, todayInBrazil } from "../../services/dates.ts";
import { getCase, openCase } from "../../services/renewals/cases.ts";
import { getCustomer } from "../../services/customers.ts";
import { listPlans } from "../../services/plans.ts";
import { readOutbox } from "../../services/messaging/messages.ts";
import { auditOf } from "../../services/audit.ts";
import * as staff from "../../services/renewals/staff_actions.ts";
import * as customer from "../../services/renewals/customer_actions.ts";
import { PNG } from "./renewal_fixtures.ts";

const PASSWORDS = {
  ATTENDANT1_PASSWORD: "senha-forte-123",
  ATTENDANT2_PASSWORD: "senha-forte-123",
  SUPERVISOR_PASSWORD: "senha-forte-123",
  ADMIN_PASSWORD: "senha-forte-123",
};

/**
 * Case "own" belongs to atendente1 and is signed with invoices (photo, contract and carnê
 * exist); case "free" is unassigned.
 */
async function setup(now: { t: number }) {
  const t = await testApp({}, () => new Date(now.t));
  await seedIfEmpty(t.db, PASSWORDS);
  const att = (await findUserByUsername(t.db, "atendente1"))!;
  const provider = t.config.provider;
  const ctx: staff.StaffCtx = {
    db: t.db,
    actor: staffActor(att),
    baseUrl: ORIGIN,
    linkTtlDays: 15,
    providerName: provider.name,
    provider,
  };
  const today = todayInBrazil(t.db.now());
  const due = (await listDue(t.db, today, addDays(today, 60))).items;
  const c = await staff.claimContract(ctx, due[0].contractId, { id: att.id, name: att.name });
  await staff.sendLink(ctx, c.id, "whatsapp");
  const token = (await readOutbox(t.db, 1))[0].body.match(/\/r\/([A-Za-z0-9_-]{43})/)![1];
  const cu = { ...testEnv(t.db), actor: customerActor(c.id) };
  await customer.choosePlan(cu, c.id, (await listPlans(t.db))[5].id, true);
  await customer.uploadPhoto(cu, c.id, new File([PNG], "f.png"));
  await staff.reviewPhoto(ctx, c.id, { approve: true });
  const who = (await getCustomer(t.db, c.customerId))!;
  await customer.submitContacts(cu, c.id, who.phones, who.email);
  await staff.changePlan(ctx, c.id);
  await staff.sendSignature(ctx, c.id);
  const form = (body: Record<string, string>) =>
    t.app.request(`/r/${token}/${body.action}`, {
      method: "POST",
      headers: { origin: ORIGIN, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(body),
    });
  await form({ action: "send_code", channel: "whatsapp" });
  const code = (await readOutbox(t.db, 5)).find((m) => m.template === "sign_code")!
    .body.match(/\d{6}/)![0];
  const k = (await getCase(t.db, c.id))!;
  const signed = await form({
    action: "sign",
    code,
    typedName: who.name,
    consent: "on",
    documentSha256: k.contractDoc!.sha256,
    rev: String(k.rev),
  });
  assert.equal(signed.status, 303);
  // Renova registered the signature itself (policy.ts `auto`): contract, ticket and invoices;
  // the carnê is rendered on its first download, not in the customer's signing request.
  assert.equal((await getCase(t.db, c.id))!.invoices?.length, 12, "the invoices are issued");

  const free = await openCase(t.db, { contractId: due[1].contractId, origin: "on_demand" }, SYSTEM);
  return { ...t, own: c.id, free: free.id, att1Id: att.id };
}

const PATHS = (id: string) => ({
  page: `/app/cases/${id}`,
  json: `/app/api/case?id=${id}`,
  live: `/app/cases/${id}/events`,
  contract: `/app/cases/${id}/contrato.pdf`,
  carne: `/app/cases/${id}/faturas.pdf`,
  photo: `/app/cases/${id}/photo`,
});

async function get(t: Awaited<ReturnType<typeof setup>>, path: string, who: Browser) {
  const res = await t.app.request(path, { headers: { cookie: who.cookie } });
  const body = path.endsWith("/events") ? "" : await res.text();
  if (path.endsWith("/events")) await res.body?.cancel();
  return { status: res.status, body };
}

Deno.test("need to know: an attendant gets 403 (pt-BR page) on every read path of a colleague's case", async () => {
  await using t = await setup({ t: Date.now() });
  const att2 = await signInAs(t.app, "atendente2");
  for (const [what, path] of Object.entries(PATHS(t.own))) {
    const r = await get(t, path, att2);
    assert.equal(r.status, 403, `${what}: ${path}`);
    if (what === "page") assert.match(r.body, /Este caso está com outro atendente/);
  }
});

Deno.test("need to know: the assignee reads their own case on every path", async () => {
  await using t = await setup({ t: Date.now() });
  const att1 = await signInAs(t.app, "atendente1");
  for (const [what, path] of Object.entries(PATHS(t.own))) {
    assert.equal((await get(t, path, att1)).status, 200, `${what}: ${path}`);
  }
});

Deno.test("need to know: any attendant reads an unassigned case (page, JSON, live)", async () => {
  await using t = await setup({ t: Date.now() });
  assert.equal((await getCase(t.db, t.free))!.assigneeId, undefined);
  const att2 = await signInAs(t.app, "atendente2");
  const p = PATHS(t.free);
  for (const path of [p.page, p.json, p.live]) {
    assert.equal((await get(t, path, att2)).status, 200, path);
  }
});

Deno.test("need to know: supervisors and admins read every case on every path", async () => {
  await using t = await setup({ t: Date.now() });
  for (const who of ["supervisora", "admin"]) {
    const b = await signInAs(t.app, who);
    for (const [what, path] of Object.entries(PATHS(t.own))) {
      if (what === "photo") continue; // the photo has its own review rule (tested elsewhere)
      assert.equal((await get(t, path, b)).status, 200, `${who} ${what}`);
    }
  }
});

Deno.test("need to know: a staff read is audited once per person and kind within the window", async () => {
  const now = { t: Date.now() };
  await using t = await setup(now);
  const sup = await signInAs(t.app, "supervisora");
  const reads = async () =>
    (await auditOf(t.db, `reads:case:${t.own}`)).filter((e) => e.action === "case.read");
  assert.equal((await reads()).length, 0);
  // A visit: the page, the live-update reload, the offline JSON: one event.
  await get(t, `/app/cases/${t.own}`, sup);
  await get(t, `/app/cases/${t.own}`, sup);
  await get(t, `/app/api/case?id=${t.own}`, sup);
  let events = await reads();
  assert.equal(events.length, 1);
  assert.match(events[0].actor.id, /^user:/);
  assert.deepEqual(events[0].data, { kind: "case", via: "page" });
  // A document is another read.
  await get(t, `/app/cases/${t.own}/contrato.pdf`, sup);
  await get(t, `/app/cases/${t.own}/faturas.pdf`, sup);
  events = await reads();
  assert.deepEqual(events.map((e) => e.data?.kind), ["case", "contract_pdf", "carne_pdf"]);
  // Another person, and the same person after the window, are new events.
  await get(t, `/app/cases/${t.own}`, await signInAs(t.app, "atendente1"));
  now.t += 31 * 60_000;
  await get(t, `/app/cases/${t.own}`, await signInAs(t.app, "supervisora"));
  assert.equal((await reads()).filter((e) => e.data?.kind === "case").length, 3);
  // Reads stay out of the case's own trail (timeline, signature evidence).
  const trail = await auditOf(t.db, `case:${t.own}`);
  assert.ok(!trail.some((e) => e.action === "case.read"));
});

Deno.test("need to know: a refused read is not audited as a read", async () => {
  await using t = await setup({ t: Date.now() });
  await get(t, `/app/cases/${t.own}`, await signInAs(t.app, "atendente2"));
  assert.equal((await auditOf(t.db, `reads:case:${t.own}`)).length, 0);
});

Deno.test("need to know: the customer record is open to all staff and each read is audited", async () => {
  await using t = await setup({ t: Date.now() });
  const k = (await getCase(t.db, t.own))!;
  const att2 = await signInAs(t.app, "atendente2");
  const r = await get(t, `/app/customers/${k.customerId}`, att2);
  assert.equal(r.status, 200);
  const events = await auditOf(t.db, `reads:customer:${k.customerId}`);
  assert.equal(events.length, 1);
  assert.equal(events[0].action, "customer.read");
});
