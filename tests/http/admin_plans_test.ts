// The provider's offers: admins publish and retire plans; customers see the change at once.
import assert from "node:assert/strict";
import { makeUser, postForm, signInAs } from "../helpers.ts";
import { caseWithLink, setup } from "./renewal_fixtures.ts";
import { centsFromText, listPlans } from "../../services/plans.ts";
import { auditOf } from "../../services/audit.ts";

const NEW_PLAN = {
  name: "Fibra 700 Mega",
  downMbps: "700",
  upMbps: "350",
  price: "R$ 139,90",
  loyaltyMonths: "12",
  benefit: "Instalação grátis",
  benefitValue: "300",
  offerCode: "fibra700-26",
};

Deno.test("plans: money as people type it", () => {
  assert.equal(centsFromText("R$ 1.099,90"), 109990);
  assert.equal(centsFromText("139,9"), 13990);
  assert.equal(centsFromText("300"), 30000);
  assert.equal(centsFromText("139.90"), 13990, "a phone's decimal key");
  assert.equal(centsFromText("1.099"), 109900, "three digits after a dot group thousands");
  for (const bad of ["", "abc", "1,999", "12.345,6,7", "-5", "1.00,00", "1 0 0", "9".repeat(20)]) {
    assert.ok(Number.isNaN(centsFromText(bad)), bad);
  }
});

Deno.test("plans: admins publish and retire; customers see it at once; others may not", async () => {
  await using t = await setup();
  const admin = await makeUser(t.db, "admin");
  const who = await signInAs(t.app, admin.username);
  const { token } = await caseWithLink(t);
  const before = await (await t.app.request(`/r/${token}`)).text(); // cached now
  assert.doesNotMatch(before, /Fibra 700 Mega/);

  // Attendants can neither see nor change the offers.
  assert.equal(
    (await t.app.request("/admin/plans", { headers: { cookie: t.att.cookie } }))
      .status,
    403,
  );
  assert.equal((await postForm(t.app, "/admin/plans", NEW_PLAN, t.att)).status, 403);

  // Bad input: pt-BR per field, nothing written.
  const count = (await listPlans(t.db)).length;
  const bad = await postForm(t.app, "/admin/plans", {
    ...NEW_PLAN,
    price: "cento e trinta",
    loyaltyMonths: "24",
    benefit: "",
  }, who);
  assert.equal(bad.status, 400);
  const html = await bad.text();
  assert.match(html, /Preço inválido\. Use vírgula nos centavos/);
  assert.match(html, /A fidelidade vai de 1 a 12 meses \(ANATEL\)/);
  assert.match(html, /Descreva o benefício da fidelidade/);
  assert.match(html, /value="Fibra 700 Mega"/, "what was typed is kept");
  assert.equal((await listPlans(t.db)).length, count);

  const huge = await postForm(
    t.app,
    "/admin/plans",
    { ...NEW_PLAN, downMbps: "1".repeat(25) },
    who,
  );
  assert.equal(huge.status, 400);
  assert.match(await huge.text(), /Velocidade inválida: um número de 1 a 100000 Mbps/);
  const ok = await postForm(t.app, "/admin/plans", NEW_PLAN, who);
  assert.equal(ok.status, 303);
  const plan = (await listPlans(t.db)).find((p) => p.offerCode === "FIBRA700-26")!;
  assert.equal(plan.priceCents, 13990);
  assert.equal(plan.benefitValueCents, 30000);
  assert.match(await (await t.app.request(`/r/${token}`)).text(), /Fibra 700 Mega/);
  const dup = await postForm(t.app, "/admin/plans", { ...NEW_PLAN, name: "Outro" }, who);
  assert.equal(dup.status, 400);
  assert.match(await dup.text(), /Já existe um plano com este código/);

  // Retired: no longer offered; offered again: back.
  const retire = await postForm(t.app, `/admin/plans/${plan.id}`, { action: "retire" }, who);
  assert.equal(retire.status, 303);
  assert.doesNotMatch(await (await t.app.request(`/r/${token}`)).text(), /Fibra 700 Mega/);
  const list = await (await t.app.request("/admin/plans", { headers: { cookie: who.cookie } }))
    .text();
  assert.match(list, /Retirado/);
  await postForm(t.app, `/admin/plans/${plan.id}`, { action: "offer" }, who);
  assert.match(await (await t.app.request(`/r/${token}`)).text(), /Fibra 700 Mega/);
  const events = (await auditOf(t.db, `plan:${plan.id}`)).map((e) => e.action);
  assert.deepEqual(events, ["plan.created", "plan.retired", "plan.offered"]);
  assert.equal(
    (await postForm(t.app, "/admin/plans/nope", { action: "retire" }, who)).status,
    404,
  );
});
