// Issue #16 item 2: declining asks once ("Tem certeza?"), optionally why, then a calm page with
// the provider's contacts that stays on the link; the attendant sees the reason.
import assert from "node:assert/strict";
import { caseWithLink, customerPost, setup } from "./renewal_fixtures.ts";
import { getCase } from "../../services/renewals/cases.ts";
import { keys } from "../../services/keys.ts";

Deno.test("decline: the page offers 'Não quero renovar' as a question, never a one-tap refusal", async () => {
  await using t = await setup();
  const { caseId, token } = await caseWithLink(t);
  const html = await (await t.app.request(`/r/${token}`)).text();
  assert.match(html, new RegExp(`href="/r/${token}\\?recusar=1"`));
  assert.doesNotMatch(html, /action="[^"]*\/decline"/, "no refusal form on the plan page");
  const ask = await t.app.request(`/r/${token}?recusar=1`);
  assert.equal(ask.status, 200);
  const askHtml = await ask.text();
  assert.match(askHtml, /Tem certeza que não quer renovar\?/);
  assert.match(askHtml, /action="[^"]*\/decline"/);
  assert.match(askHtml, /name="reasonCode" value="price"/);
  assert.equal((await getCase(t.db, caseId))!.step, "contact", "asking changes nothing");
});

Deno.test("decline: after confirming, the link shows a calm page with the provider's contacts", async () => {
  await using t = await setup();
  const { caseId, token } = await caseWithLink(t);
  const rev = String((await getCase(t.db, caseId))!.rev);
  const res = await customerPost(t, token, "decline", { rev, reasonCode: "moving" });
  assert.equal(res.status, 303);
  const page = await t.app.request(`/r/${token}`);
  assert.equal(page.status, 200);
  const html = await page.text();
  assert.match(html, /Tudo bem/);
  assert.match(html, /data-testid="provider-contacts"/);
  assert.match(html, /href="tel:\+551140001234"/);
  assert.match(html, /href="https:\/\/wa\.me\/551140001234"/);
  // The address may wrap after its "@" on a narrow phone, not inside the domain.
  assert.match(html, /href="mailto:atendimento@fibraexemplo\.com\.br"/);
  assert.match(html, />atendimento@<wbr\/>fibraexemplo\.com\.br</);
  assert.doesNotMatch(html, /Link inválido/);
});

Deno.test("decline: the reason from the list and the typed text reach the case page, sealed at rest", async () => {
  await using t = await setup();
  const { caseId, token } = await caseWithLink(t);
  const rev = String((await getCase(t.db, caseId))!.rev);
  const typed = "achei caro demais xyzzy";
  await customerPost(t, token, "decline", { rev, reasonCode: "price", reason: typed });
  const c = (await getCase(t.db, caseId))!;
  assert.equal(c.declined!.reason, `O preço não cabe no meu orçamento: ${typed}`);
  const staff = await (await t.app.request(`/app/cases/${caseId}`, {
    headers: { cookie: t.att.cookie },
  })).text();
  assert.match(staff, /O preço não cabe no meu orçamento: achei caro demais xyzzy/);
  const raw = JSON.stringify((await t.db.kv.get(keys.case(caseId))).value);
  assert.ok(!raw.includes("xyzzy"), "free text sealed in the stored row");
});

Deno.test("decline: an unknown reason is refused in pt-BR on the same question and changes nothing", async () => {
  await using t = await setup();
  const { caseId, token } = await caseWithLink(t);
  const before = (await getCase(t.db, caseId))!;
  const res = await customerPost(t, token, "decline", {
    rev: String(before.rev),
    reasonCode: "hack",
    reason: "texto",
  });
  assert.equal(res.status, 400);
  const html = await res.text();
  assert.match(html, /Escolha um dos motivos da lista/);
  assert.match(html, /Tem certeza que não quer renovar\?/);
  assert.match(html, />texto<\/textarea>/, "what was typed is kept");
  const after = (await getCase(t.db, caseId))!;
  assert.equal(after.rev, before.rev);
  assert.equal(after.step, "contact");
});

Deno.test("decline: a declined link refuses further forms and keeps the calm page", async () => {
  await using t = await setup();
  const { caseId, token } = await caseWithLink(t);
  const rev = String((await getCase(t.db, caseId))!.rev);
  await customerPost(t, token, "decline", { rev });
  const after = (await getCase(t.db, caseId))!;
  const again = await customerPost(t, token, "choose_plan", {
    rev: String(after.rev),
    planId: "x",
    consent: "on",
  });
  assert.equal(again.status, 409);
  const html = await again.text();
  assert.match(html, /Você já recusou esta renovação/);
  assert.match(html, /Tudo bem/);
  assert.equal((await getCase(t.db, caseId))!.rev, after.rev);
});
