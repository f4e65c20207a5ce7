// Issue #17: the customer stops or resumes campaign reminders from their own link (the opt-in
// "from a link" next to replying VOLTAR); the planner and reminders read the same record.
import assert from "node:assert/strict";
import { caseWithLink, customerPost, setup } from "./renewal_fixtures.ts";
import { getCase } from "../../services/renewals/cases.ts";
import { getOptOut } from "../../services/messaging/replies.ts";
import { auditOf } from "../../services/audit.ts";

async function withLink() {
  const t = await setup();
  const { caseId, token } = await caseWithLink(t);
  const customerId = (await getCase(t.db, caseId))!.customerId;
  return { t, token, customerId };
}

Deno.test("message preferences: the customer page links to them; the page says reminders are on", async () => {
  const { t, token } = await withLink();
  await using _ = t;
  const home = await (await t.app.request(`/r/${token}`)).text();
  assert.match(home, new RegExp(`href="/r/${token}/mensagens"`));
  const res = await t.app.request(`/r/${token}/mensagens`);
  assert.equal(res.status, 200);
  const html = await res.text();
  assert.match(html, /Você recebe lembretes da Fibra Exemplo Telecom/);
  assert.match(html, />Parar de receber lembretes</);
});

Deno.test("message preferences: stopping records the opt-out, audited on the customer", async () => {
  const { t, token, customerId } = await withLink();
  await using _ = t;
  const res = await customerPost(t, token, "mensagens", { want: "off" });
  assert.equal(res.status, 200);
  assert.match(await res.text(), /Pronto: você não vai mais receber lembretes/);
  const o = await getOptOut(t.db, customerId);
  assert.equal(o?.via, "link");
  const events = await auditOf(t.db, `customer:${customerId}`);
  assert.ok(
    events.some((e) => e.action === "customer.opted_out" && e.actor.name === "Cliente (link)"),
  );
});

Deno.test("message preferences: after a stop, the link opts back in (audited)", async () => {
  const { t, token, customerId } = await withLink();
  await using _ = t;
  await customerPost(t, token, "mensagens", { want: "off" });
  const page = await (await t.app.request(`/r/${token}/mensagens`)).text();
  assert.match(page, />Voltar a receber lembretes</);
  const res = await customerPost(t, token, "mensagens", { want: "on" });
  assert.match(await res.text(), /Pronto: você volta a receber os lembretes/);
  assert.equal(await getOptOut(t.db, customerId), null);
  const events = await auditOf(t.db, `customer:${customerId}`);
  const optIn = events.find((e) => e.action === "customer.opted_in");
  assert.deepEqual(optIn?.data, { via: "link" });
});

Deno.test("message preferences: an unknown choice is refused in pt-BR and changes nothing", async () => {
  const { t, token, customerId } = await withLink();
  await using _ = t;
  const res = await customerPost(t, token, "mensagens", { want: "talvez" });
  assert.equal(res.status, 400);
  assert.match(await res.text(), /Escolha se quer ou não receber os lembretes/);
  assert.equal(await getOptOut(t.db, customerId), null);
});

Deno.test("message preferences: a post from another site is refused", async () => {
  const { t, token, customerId } = await withLink();
  await using _ = t;
  const res = await t.app.request(`/r/${token}/mensagens`, {
    method: "POST",
    headers: {
      origin: "https://evil.example",
      "content-type": "application/x-www-form-urlencoded",
    },
    body: "want=off",
  });
  assert.equal(res.status, 403);
  assert.equal(await getOptOut(t.db, customerId), null);
});

Deno.test("message preferences: a made-up token opens nothing", async () => {
  await using t = await setup();
  const res = await t.app.request(`/r/${"A".repeat(43)}/mensagens`);
  assert.equal(res.status, 404);
});
