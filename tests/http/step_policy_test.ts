// The step policy (domain/policy.ts) as the case page and the service verbs apply it: both
// offer "send link" at the same steps, the ones where the customer's page still asks them
// something before signing.
import assert from "node:assert/strict";
import { postForm } from "../helpers.ts";
import { setup } from "./renewal_fixtures.ts";
import { walker } from "../services/renewal_walk.ts";
import { getCase } from "../../services/renewals/cases.ts";
import * as staff from "../../services/renewals/staff_actions.ts";
import * as customer from "../../services/renewals/customer_actions.ts";
import { getCustomer } from "../../services/customers.ts";
import { PNG } from "../fixtures/images/mod.ts";

type T = Awaited<ReturnType<typeof setup>>;

/** A case of atendente1's walked to "data confirmed" (the customer did their part). */
async function dataConfirmed(t: T) {
  const w = await walker(t.db);
  await w.steps.toPlanChosen();
  await customer.uploadPhoto(w.cu, w.id, new File([PNG], "eu.png", { type: "image/png" }));
  await staff.reviewPhoto(w.ctx, w.id, { approve: true });
  const c = (await getCase(t.db, w.id))!;
  const person = (await getCustomer(t.db, c.customerId))!;
  await customer.submitContacts(w.cu, w.id, person.phones.map((p) => p.slice(2)), person.email);
  assert.equal((await getCase(t.db, w.id))!.step, "data_confirmed");
  return w;
}

async function casePage(t: T, id: string) {
  return await (await t.app.request(`/app/cases/${id}`, { headers: { cookie: t.att.cookie } }))
    .text();
}

Deno.test("send link: while the customer waits on staff, no button and the verb refuses", async () => {
  const t = await setup();
  try {
    const { id } = await dataConfirmed(t);
    assert.doesNotMatch(await casePage(t, id), /Reenviar link do cliente/);
    const before = await getCase(t.db, id);
    const res = await postForm(t.app, `/app/cases/${id}/send_link`, {
      rev: String(before!.rev),
      channel: "whatsapp",
    }, t.att);
    assert.equal(res.status, 400);
    assert.match(await res.text(), /Este caso não aceita novo link/);
    assert.deepEqual(await getCase(t.db, id), before, "nothing changed");
  } finally {
    t.close();
  }
});

Deno.test("send link: awaiting the signature, the page offers a new link and it goes out", async () => {
  const t = await setup();
  try {
    const w = await dataConfirmed(t);
    await staff.changePlan(w.ctx, w.id);
    await staff.sendSignature(w.ctx, w.id);
    const before = (await getCase(t.db, w.id))!;
    assert.equal(before.step, "signature_sent");
    assert.match(await casePage(t, w.id), /Reenviar link do cliente/);
    const res = await postForm(t.app, `/app/cases/${w.id}/send_link`, {
      rev: String(before.rev),
      channel: "whatsapp",
    }, t.att);
    assert.equal(res.status, 303);
    const after = (await getCase(t.db, w.id))!;
    assert.equal(after.link!.gen, before.link!.gen + 1, "a new link; the old one stops working");
  } finally {
    t.close();
  }
});
