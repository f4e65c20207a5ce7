// Imported customers may have no e-mail: nothing offers or queues an e-mail to nobody.
import assert from "node:assert/strict";
import { postForm } from "../helpers.ts";
import { caseWithLink, setup } from "./renewal_fixtures.ts";
import { getCase } from "../../services/renewals/cases.ts";
import { keys } from "../../services/keys.ts";
import { readOutbox } from "../../services/messages.ts";
import { sealCustomerPii, type StoredCustomer, unsealCustomer } from "../../services/customers.ts";

Deno.test("no e-mail on record: the e-mail option is gone and a forged e-mail send is refused", async () => {
  const t = await setup();
  try {
    const { caseId } = await caseWithLink(t);
    const c = (await getCase(t.db, caseId))!;
    // As an ERP import leaves it: the record without an e-mail.
    const e = await t.db.kv.get<StoredCustomer>(keys.customer(c.customerId));
    const pii = { ...(await unsealCustomer(t.db, e.value!)), email: "" };
    await t.db.kv.set(keys.customer(c.customerId), {
      ...e.value!,
      pii: await sealCustomerPii(t.db, c.customerId, pii),
    });

    const page = await (await t.app.request(`/app/cases/${caseId}`, {
      headers: { cookie: t.att.cookie },
    })).text();
    assert.match(page, /<option value="whatsapp">WhatsApp<\/option>/);
    const linkForm = page.match(/<form[^>]*action="\/app\/cases\/[^"]+\/link"[\s\S]*?<\/form>/)!;
    assert.match(linkForm[0], /<option value="whatsapp">WhatsApp<\/option>/);
    assert.doesNotMatch(linkForm[0], /value="email"/);

    const outboxBefore = (await readOutbox(t.db, 50)).length;
    const res = await postForm(
      t.app,
      `/app/cases/${caseId}/link`,
      { rev: String(c.rev), channel: "email" },
      t.att,
    );
    assert.equal(res.status, 400);
    assert.match(await res.text(), /não tem e-mail cadastrado/);
    const after = (await getCase(t.db, caseId))!;
    assert.equal(after.rev, c.rev, "nothing changed");
    assert.equal(after.link!.gen, c.link!.gen, "the customer's link still works");
    assert.equal((await readOutbox(t.db, 50)).length, outboxBefore, "nothing queued");
  } finally {
    t.close();
  }
});
