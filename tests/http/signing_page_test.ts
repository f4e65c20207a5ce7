// The signing step on a phone (#16 item 4): a summary first, the full text one tap away, the
// code request landing back at the code field, and a refused signature that keeps what the
// customer typed and says each problem once.
import assert from "node:assert/strict";
import { customerPost, setup } from "./renewal_fixtures.ts";
import { caseAt } from "../factories.ts";
import { getCase } from "../../services/renewals/cases.ts";
import { getCustomer } from "../../services/customers.ts";
import { getPlan } from "../../services/plans.ts";
import { formatMoney } from "../../domain/format.ts";

async function atSignature() {
  const t = await setup();
  const h = await caseAt(t.db, "signature_sent");
  const c = (await getCase(t.db, h.id))!;
  const plan = (await getPlan(t.db, c.choice!.planId))!;
  const person = (await getCustomer(t.db, h.customerId))!;
  return { t, token: h.token!, c, plan, name: person.name };
}

const alerts = (html: string) => html.match(/role="alert"/g)?.length ?? 0;
const count = (html: string, s: string) => html.split(s).length - 1;

Deno.test("signing page: a summary of plan, price, loyalty, benefit, fines and offer code comes before the contract text", async () => {
  const { t, token, plan } = await atSignature();
  await using _ = t;
  const html = await (await t.app.request(`/r/${token}`)).text();
  const summary = html.indexOf('data-testid="sign-summary"');
  assert.ok(summary > 0, "there is a summary");
  const text = html.indexOf('data-testid="contract"');
  assert.ok(summary < text, "the summary comes first");
  const part = html.slice(summary, text);
  for (
    const s of [
      plan.name,
      formatMoney(plan.priceCents),
      `${plan.loyaltyMonths} meses`,
      plan.benefit,
      plan.offerCode,
      "Tabela de multa",
    ]
  ) {
    assert.ok(part.includes(s), `summary shows ${s}`);
  }
  // The full text is one tap away, not four screens before the form.
  const full = html.lastIndexOf("<details", text);
  assert.ok(full > summary && html.slice(full, text).includes("Ler o contrato completo"));
});

Deno.test("signing page: asking for the code lands back at the code field", async () => {
  const { t, token } = await atSignature();
  await using _ = t;
  const html = await (await t.app.request(`/r/${token}`)).text();
  const button = html.match(/<button[^>]*formaction="([^"]+)"[^>]*>\s*Enviar código/);
  assert.ok(button, "the code button posts the signing form to send_code");
  const anchor = button[1].split("#")[1];
  assert.equal(button[1], `/r/${token}/send_code#${anchor}`);
  assert.ok(html.includes(`id="${anchor}"`), "the anchor exists");
  const at = html.indexOf(`id="${anchor}"`);
  assert.ok(html.indexOf('id="code"', at) > at, "the anchor holds the code field");
  // The redirect keeps the request's fragment (no Location fragment of its own).
  const r = await customerPost(t, token, "send_code", { channel: "whatsapp" });
  assert.equal(r.status, 303);
  assert.equal(r.headers.get("location"), `/r/${token}`);
});

Deno.test("signing page: a wrong code keeps the typed name and the consent tick", async () => {
  const { t, token, c, name } = await atSignature();
  await using _ = t;
  await customerPost(t, token, "send_code", { channel: "whatsapp" });
  const rev = String((await getCase(t.db, c.id))!.rev);
  const r = await customerPost(t, token, "sign", {
    rev,
    code: "000000",
    typedName: name,
    consent: "on",
    documentSha256: c.contractDoc!.sha256,
  });
  assert.equal(r.status, 400);
  const html = await r.text();
  assert.match(html, /Código incorreto/);
  const typed = html.match(/<input[^>]*name="typedName"[^>]*>/)![0];
  assert.ok(typed.includes(`value="${name}"`), "the typed name is back");
  const tick = html.match(/<input[^>]*name="consent"[^>]*>/)![0];
  assert.match(tick, /checked/, "the consent tick is back");
  const codeField = html.match(/<input[^>]*name="code"[^>]*>/)![0];
  assert.doesNotMatch(codeField, /value=/, "the code is never sent back");
});

Deno.test("signing page: a wrong code is said once, in one alert", async () => {
  const { t, token, c, name } = await atSignature();
  await using _ = t;
  await customerPost(t, token, "send_code", { channel: "whatsapp" });
  const rev = String((await getCase(t.db, c.id))!.rev);
  const html = await (await customerPost(t, token, "sign", {
    rev,
    code: "000000",
    typedName: name,
    consent: "on",
    documentSha256: c.contractDoc!.sha256,
  })).text();
  assert.equal(count(html, "Código incorreto"), 1);
  assert.equal(alerts(html), 1);
});

Deno.test("signing page: two problems are two messages, each once", async () => {
  const { t, token, c } = await atSignature();
  await using _ = t;
  await customerPost(t, token, "send_code", { channel: "whatsapp" });
  const rev = String((await getCase(t.db, c.id))!.rev);
  const html = await (await customerPost(t, token, "sign", {
    rev,
    code: "000000",
    typedName: "Outra Pessoa",
    documentSha256: c.contractDoc!.sha256,
  })).text();
  assert.equal(alerts(html), 2);
  assert.equal(count(html, "Verifique os campos destacados"), 0);
  assert.equal(count(html, "Digite seu nome completo exatamente"), 1);
  assert.equal(count(html, "Marque que você leu e concorda"), 1);
});

Deno.test("signing page: the refused form lands back at the signing form", async () => {
  const { t, token } = await atSignature();
  await using _ = t;
  const html = await (await t.app.request(`/r/${token}`)).text();
  const action = html.match(/<form[^>]*action="(\/r\/[^"]+\/sign[^"]*)"/)![1];
  const anchor = action.split("#")[1];
  assert.ok(anchor && html.includes(`id="${anchor}"`));
});

Deno.test("signing page: a code asked again too soon is said once, at the code field", async () => {
  const { t, token } = await atSignature();
  await using _ = t;
  assert.equal((await customerPost(t, token, "send_code", { channel: "whatsapp" })).status, 303);
  const r = await customerPost(t, token, "send_code", { channel: "whatsapp" });
  assert.equal(r.status, 429);
  const html = await r.text();
  assert.equal(count(html, "Aguarde um minuto"), 1);
  assert.equal(alerts(html), 1);
  const at = html.indexOf('id="codigo"');
  const msg = html.indexOf("Aguarde um minuto");
  assert.ok(at > 0 && msg > at && msg < html.indexOf('id="code"'), "inside the code block");
});
