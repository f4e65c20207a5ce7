// Imported customers may have no e-mail: nothing offers or queues an e-mail to nobody, and
// they can finish the renewal without one.
import assert from "node:assert/strict";
import { postForm } from "../helpers.ts";
import { caseWithLink, customerPost, setup, toHolderVerified } from "./renewal_fixtures.ts";
import type { Db } from "../../services/db.ts";
import { getCase } from "../../services/renewals/cases.ts";
import { keys } from "../../services/keys.ts";
import { readOutbox } from "../../services/messaging/messages.ts";
import {
  getCustomer,
  sealCustomerPii,
  type StoredCustomer,
  unsealCustomer,
} from "../../services/customers.ts";

/** As an ERP import leaves it: the record without an e-mail. Returns the customer before. */
async function dropEmail(db: Db, customerId: string) {
  const e = await db.kv.get<StoredCustomer>(keys.customer(customerId));
  const current = await unsealCustomer(db, e.value!);
  await db.kv.set(keys.customer(customerId), {
    ...e.value!,
    pii: await sealCustomerPii(db, customerId, { ...current, email: "" }),
  });
  return current;
}

Deno.test("no e-mail on record: the e-mail option is gone and a forged e-mail send is refused", async () => {
  await using t = await setup();
  const { caseId } = await caseWithLink(t);
  const c = (await getCase(t.db, caseId))!;
  await dropEmail(t.db, c.customerId);

  const page = await (await t.app.request(`/app/cases/${caseId}`, {
    headers: { cookie: t.att.cookie },
  })).text();
  assert.match(page, /<option value="whatsapp">WhatsApp<\/option>/);
  const linkForm = page.match(/<form[^>]*action="\/app\/cases\/[^"]+\/send_link"[\s\S]*?<\/form>/)!;
  assert.match(linkForm[0], /<option value="whatsapp">WhatsApp<\/option>/);
  assert.doesNotMatch(linkForm[0], /value="email"/);

  const outboxBefore = (await readOutbox(t.db, 50)).length;
  const res = await postForm(
    t.app,
    `/app/cases/${caseId}/send_link`,
    { rev: String(c.rev), channel: "email" },
    t.att,
  );
  assert.equal(res.status, 400);
  assert.match(await res.text(), /não tem e-mail cadastrado/);
  const after = (await getCase(t.db, caseId))!;
  assert.equal(after.rev, c.rev, "nothing changed");
  assert.equal(after.link!.gen, c.link!.gen, "the customer's link still works");
  assert.equal((await readOutbox(t.db, 50)).length, outboxBefore, "nothing queued");
});

Deno.test("no e-mail on record: the customer may confirm contacts without one", async () => {
  await using t = await setup();
  const { caseId, token } = await caseWithLink(t);
  const c = (await getCase(t.db, caseId))!;
  const current = await dropEmail(t.db, c.customerId);
  await toHolderVerified(t, caseId, token);

  const form = await (await t.app.request(`/r/${token}`)).text();
  assert.match(form, /E-mail \(opcional\)/);
  // A malformed e-mail is still refused; an empty one is accepted as "none".
  const bad = await customerPost(t, token, "submit_contacts", {
    phone: current.phones[0].slice(2),
    email: "x@",
  });
  assert.equal(bad.status, 400);
  assert.match(await bad.text(), /e-mail válido/);
  const ok = await customerPost(t, token, "submit_contacts", {
    phone: current.phones[0].slice(2),
    email: "",
  });
  assert.equal(ok.status, 303);
  // Confirmed: Renova then changes the plan and sends the signing link itself (policy.ts `auto`).
  assert.equal((await getCase(t.db, caseId))!.step, "signature_sent");
  const after = (await getCustomer(t.db, c.customerId))!;
  assert.equal(after.email, "");
  assert.deepEqual(after.phones, [current.phones[0]], "the phones as confirmed");
});

Deno.test("e-mail on record: it cannot be blanked from the customer's page", async () => {
  await using t = await setup();
  const { caseId, token } = await caseWithLink(t);
  await toHolderVerified(t, caseId, token);
  const customer = (await getCustomer(t.db, (await getCase(t.db, caseId))!.customerId))!;
  const res = await customerPost(t, token, "submit_contacts", {
    phone: customer.phones[0].slice(2),
    email: "",
  });
  assert.equal(res.status, 400);
  assert.match(await res.text(), /e-mail válido/);
  assert.equal((await getCase(t.db, caseId))!.step, "holder_verified", "nothing changed");
});
