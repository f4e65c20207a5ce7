// Issue #16 item 12: staff moves that need nobody are taken at once (policy.ts `auto`), each as
// its own step with its own audit event: after the customer confirms their data, Renova changes
// the plan (its own record) and sends the signing link; an attendant's click that lands on such
// a step takes the moves after it too.
import assert from "node:assert/strict";
import { caseWithLink, customerPost, setup, toHolderVerified } from "./renewal_fixtures.ts";
import { postForm } from "../helpers.ts";
import { getCase } from "../../services/renewals/cases.ts";
import { getContract } from "../../services/contracts.ts";
import { getCustomer } from "../../services/customers.ts";
import { auditOf } from "../../services/audit.ts";
import { readOutbox } from "../../services/messaging/messages.ts";
import { customerCtx } from "../factories.ts";
import * as customer from "../../services/renewals/customer_actions.ts";

type T = Awaited<ReturnType<typeof setup>>;

async function stepEvents(t: T, caseId: string) {
  return (await auditOf(t.db, `case:${caseId}`)).filter((e) =>
    e.action === "change_plan" || e.action === "send_signature"
  );
}

Deno.test("auto steps: the customer's confirmed data leads straight to the signing link", async () => {
  const t = await setup();
  try {
    const { caseId, token } = await caseWithLink(t);
    await toHolderVerified(t, caseId, token);
    const who = (await getCustomer(t.db, (await getCase(t.db, caseId))!.customerId))!;
    const res = await customerPost(t, token, "submit_contacts", {
      phone: who.phones[0].slice(2),
      email: who.email ?? "",
    });
    assert.equal(res.status, 303);
    const c = (await getCase(t.db, caseId))!;
    assert.equal(c.step, "signature_sent");
    assert.equal((await getContract(t.db, c.contractId))!.planId, c.choice!.planId);
    assert.match(c.contractDoc!.sha256, /^[0-9a-f]{64}$/, "the exact PDF to sign is kept");
    const events = await stepEvents(t, caseId);
    assert.deepEqual(events.map((e) => [e.action, e.actor.id]).sort(), [
      ["change_plan", "system"],
      ["send_signature", "system"],
    ]);
    const sent = (await readOutbox(t.db, 20)).filter((m) => m.template === "signing_link");
    assert.equal(sent.length, 1);
  } finally {
    await t.db.kv.close();
  }
});

Deno.test("auto steps: one attendant click at 'data confirmed' changes the plan and sends the link", async () => {
  const t = await setup();
  try {
    const { caseId, token } = await caseWithLink(t);
    await toHolderVerified(t, caseId, token);
    // Confirmed through the service alone (no route): the case waits at data_confirmed, as it
    // does when Renova's own move was refused.
    const who = (await getCustomer(t.db, (await getCase(t.db, caseId))!.customerId))!;
    await customer.submitContacts(customerCtx(t.db, caseId), caseId, who.phones, who.email ?? "");
    const before = (await getCase(t.db, caseId))!;
    assert.equal(before.step, "data_confirmed");
    const res = await postForm(t.app, `/app/cases/${caseId}/change_plan`, {
      rev: String(before.rev),
    }, t.att);
    assert.equal(res.status, 303);
    assert.equal((await getCase(t.db, caseId))!.step, "signature_sent");
    const events = await stepEvents(t, caseId);
    assert.equal(events.length, 2, "each step keeps its own audit event");
    assert.ok(events.every((e) => e.actor.id.startsWith("user:")), "both by the attendant");
  } finally {
    await t.db.kv.close();
  }
});
