// The payment-method choice on the customer's page, over in-process HTTP with the stand-in PSP.
import assert from "node:assert/strict";
import { makeUser, ORIGIN, signInAs, testApp } from "../helpers.ts";
import { caseAt } from "../factories.ts";
import { StandinPsp } from "./standin_psp.ts";
import { parsePix } from "../../services/billing/mod.ts";
import { getPixAuto } from "../../services/pix_auto/mod.ts";
import { auditOf } from "../../services/audit.ts";
import type { Db } from "../../services/db.ts";

const SECRET = "p".repeat(32);

async function setup(withPix = true) {
  // deno-lint-ignore prefer-const
  let t: Awaited<ReturnType<typeof testApp>>;
  const psp = new StandinPsp({
    deliver: (url, body) =>
      t.app.request(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      }),
  });
  t = await testApp(
    withPix
      ? {
        PIX_AUTO_API_URL: psp.url,
        PIX_AUTO_CLIENT_ID: psp.clientId,
        PIX_AUTO_CLIENT_SECRET: psp.clientSecret,
        PIX_AUTO_WEBHOOK_SECRET: SECRET,
        PIX_AUTO_TIMEOUT_MS: "500",
      }
      : {},
  );
  psp.webhookRec = `${ORIGIN}/webhooks/pix-auto/${SECRET}`;
  const h = await caseAt(t.db as Db, "plan_chosen");
  const post = (method: string) =>
    t.app.request(`/r/${h.token}/payment_method`, {
      method: "POST",
      headers: { origin: ORIGIN, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ method }).toString(),
    });
  const html = async () => await (await t.app.request(`/r/${h.token}`)).text();
  return {
    db: t.db as Db,
    app: t.app,
    psp,
    h,
    post,
    html,
    [Symbol.asyncDispose]: async () => {
      await psp.close();
      await t[Symbol.asyncDispose]();
    },
  };
}

const textarea = (html: string, id: string) =>
  html.match(new RegExp(`data-testid="${id}"[^>]*>([^<]*)<`))?.[1].trim();

Deno.test("after the plan, the page offers Pix Automático (recommended) with its terms", async () => {
  await using s = await setup();
  const html = await s.html();
  assert.match(html, /Pix Automático \(recomendado\)/);
  assert.match(html, /Boleto \+ PIX todo mês/);
  assert.match(html, /data-testid="pix-auto-terms"/);
  assert.match(html, /por mês \(valor máximo\)/);
  assert.match(html, /fim da fidelidade/);
});

Deno.test("without PSP settings the page offers no payment choice", async () => {
  await using s = await setup(false);
  assert.doesNotMatch(await s.html(), /Pix Automático/);
});

Deno.test("choosing Pix Automático shows the authorization QR and copia-e-cola; approval shows on the page", async () => {
  await using s = await setup();
  const r = await s.post("pix_auto");
  assert.equal(r.status, 303);
  const html = await s.html();
  assert.match(html, /data-testid="pix-auto-qr"/);
  const code = parsePix(textarea(html, "pix-auto-code")!.replaceAll("&amp;", "&"));
  const rec = (await getPixAuto(s.db, s.h.id))!;
  assert.equal(code.recurrenceUrl, s.psp.locs.get(rec.locId!)!.location);
  const audit = (await auditOf(s.db, `case:${s.h.id}`)).map((e) => e.action);
  assert.ok(audit.includes("payment.method_chosen"));

  await s.psp.payer(rec.idRec!, "APROVADA");
  assert.match(await s.html(), /Pix Automático autorizado/);
});

Deno.test("PSP down: the choice returns at once and the page goes on with boleto + PIX", async () => {
  await using s = await setup();
  s.psp.mode = "down";
  assert.equal((await s.post("pix_auto")).status, 303);
  const html = await s.html();
  assert.match(html, /data-testid="pix-auto-unavailable"/);
  assert.match(html, /seguem por boleto \+ PIX/);
  // Offered again: once the PSP is back, the same choice produces the QR.
  s.psp.mode = "up";
  await s.post("pix_auto");
  assert.match(await s.html(), /data-testid="pix-auto-qr"/);
});

Deno.test("a rejection is explained plainly on the page", async () => {
  await using s = await setup();
  await s.post("pix_auto");
  const rec = (await getPixAuto(s.db, s.h.id))!;
  await s.psp.payer(rec.idRec!, "REJEITADA");
  assert.match(await s.html(), /foi recusada no aplicativo do banco/);
});

Deno.test("a bad method is refused with a pt-BR message and records nothing", async () => {
  await using s = await setup();
  const r = await s.post("cheque");
  assert.equal(r.status, 400);
  assert.match(await r.text(), /Escolha uma forma de pagamento/);
  assert.equal(await getPixAuto(s.db, s.h.id), null);
  const audit = (await auditOf(s.db, `case:${s.h.id}`)).map((e) => e.action);
  assert.ok(!audit.includes("payment.method_chosen"));
});

Deno.test("boleto + PIX is recorded without calling the PSP", async () => {
  await using s = await setup();
  assert.equal((await s.post("boleto_pix")).status, 303);
  assert.match(await s.html(), /Forma de pagamento: boleto \+ PIX/);
  assert.equal(s.psp.calls.length, 0);
});

Deno.test("the staff case page shows the payment method and the Pix Automático status", async () => {
  await using s = await setup();
  await s.post("pix_auto");
  const rec = (await getPixAuto(s.db, s.h.id))!;
  await s.psp.payer(rec.idRec!, "APROVADA");
  const sup = await makeUser(s.db, "supervisor");
  const att = await signInAs(s.app, sup.username);
  const html = await (await s.app.request(`/app/cases/${s.h.id}`, {
    headers: { cookie: att.cookie },
  })).text();
  assert.match(html, /Forma de pagamento/);
  assert.match(html, /data-testid="pix-auto-staff-status"[^>]*>Pix Automático: autorizado/);
  assert.match(html, /Pix Automático: situação atualizada/);
});
