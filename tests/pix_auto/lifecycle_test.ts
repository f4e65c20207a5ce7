// Pix Automático after the choice: the all-set page, case page and message, the payer's
// cancellation message, the dashboard counts (with their rebuild) and expiry with a new offer.
import assert from "node:assert/strict";
import { makeUser, ORIGIN, signInAs } from "../helpers.ts";
import { pixCase } from "./fixture.ts";
import { chargeTxid, getPixAuto, runPixAutoCharges } from "../../services/pix_auto/mod.ts";
import { checkCounters } from "../../services/renewals/counters_rebuild.ts";
import { keys } from "../../services/keys.ts";

type S = Awaited<ReturnType<typeof pixCase>>;
const page = async (s: S) => await (await s.app.request(`/r/${s.h.token}`)).text();
const staffPage = async (s: S, path: string) => {
  const sup = await makeUser(s.db, "supervisor");
  const b = await signInAs(s.app, sup.username);
  return await (await s.app.request(path, { headers: { cookie: b.cookie } })).text();
};

Deno.test("all-set page: an approved customer's installments show as 'Débito via Pix Automático'", async () => {
  await using s = await pixCase("notified");
  s.setNow("2027-02-01T12:00:00Z");
  await runPixAutoCharges(s.db, s.client, s.notice);
  const html = await page(s);
  const lines = [...html.matchAll(/data-testid="pix-auto-installment"[^>]*>([^<]*)</g)]
    .map((m) => m[1]);
  assert.equal(lines.length, 12);
  assert.match(lines[0], /Débito via Pix Automático — agendado no seu banco/);
  assert.match(lines[1], /será enviado ao seu banco perto do vencimento/);
  assert.doesNotMatch(html, /data-testid="pix-next"/, "no boleto/PIX QR to pay by hand");
});

Deno.test("all-set page: a month whose debit failed shows its boleto + PIX again", async () => {
  await using s = await pixCase("notified");
  s.setNow("2027-02-01T12:00:00Z");
  s.psp.refuseCobr = true;
  await runPixAutoCharges(s.db, s.client, s.notice);
  const html = await page(s);
  assert.match(html, /data-testid="pix-auto-fallback"/);
  assert.match(html, /data-testid="pix-next"[\s\S]*Próxima fatura: 10\/02\/2027/);
  assert.equal([...html.matchAll(/data-testid="pix-auto-installment"/g)].length, 11);
});

Deno.test("case page lists each installment's Pix Automático charge status", async () => {
  await using s = await pixCase("registered");
  s.setNow("2027-02-01T12:00:00Z");
  await runPixAutoCharges(s.db, s.client, s.notice);
  await s.psp.settle(await chargeTxid(s.h.id, 1), "CONCLUIDA");
  const html = await staffPage(s, `/app/cases/${s.h.id}`);
  assert.match(html, /data-testid="pix-auto-charges"/);
  assert.match(html, /1\. 10\/02\/2027 — Débito via Pix Automático: paga/);
  assert.match(html, /2\. 10\/03\/2027 — Débito via Pix Automático: a enviar/);
});

Deno.test("all-set message while pending carries the authorization copia-e-cola", async () => {
  await using s = await pixCase("notified", { approve: false });
  const [msg] = await s.sent("all_set");
  const code = (await getPixAuto(s.db, s.h.id))!.copiaECola!;
  assert.match(msg, /Falta autorizar o Pix Automático/);
  assert.ok(msg.includes(code), "the copia-e-cola is in the message");
});

Deno.test("all-set message once approved says the bills are debited by Pix Automático", async () => {
  await using s = await pixCase("notified");
  const [msg] = await s.sent("all_set");
  assert.match(msg, /Suas mensalidades serão debitadas por Pix Automático/);
  assert.doesNotMatch(msg, /Falta autorizar/);
});

Deno.test("payer cancels: back to boleto + PIX and the customer gets one message with the link", async () => {
  await using s = await pixCase("notified");
  await s.psp.payer(s.idRec, "CANCELADA");
  await s.psp.notify([s.idRec]); // the PSP repeats its callback
  const msgs = await s.sent("pix_auto_cancelled");
  assert.equal(msgs.length, 1);
  assert.match(msgs[0], /foi cancelado no aplicativo do seu banco/);
  assert.ok(msgs[0].includes(`${ORIGIN}/r/${s.h.token}`));
  assert.doesNotMatch(await page(s), /data-testid="pix-auto-installment"/);
});

Deno.test("dashboard counts each Pix Automático status in the status change's atomic; the rebuild agrees", async () => {
  await using s = await pixCase("plan_chosen"); // pending, then approved
  await s.psp.payer(s.idRec, "CANCELADA");
  const month = (st: string) =>
    s.db.kv.get<Deno.KvU64>(keys.counter("m", "2027-01", ["pix_auto", st]));
  assert.equal((await month("pending")).value?.value, 1n);
  assert.equal((await month("approved")).value?.value, 1n);
  assert.equal((await month("cancelled")).value?.value, 1n);
  assert.deepEqual((await checkCounters(s.db)).mismatches, []);
  const html = await staffPage(s, "/app/painel?de=2027-01-01&ate=2027-01-31");
  assert.match(html, /data-testid="pix-auto-approved"[^>]*>1</);
  assert.match(html, /data-testid="pix-auto-cancelled"[^>]*>1</);
  assert.match(html, /data-testid="pix-auto-rejected"[^>]*>0</);
  const csv = await staffPage(s, "/app/painel.csv?de=2027-01-01&ate=2027-01-31");
  assert.match(csv, /pix_automatico;Autorizados;autorizacoes;1\r\n/);
  assert.match(csv, /pix_automatico;Cancelados pelo pagador;autorizacoes;1\r\n/);
});

Deno.test("an authorization not approved in time expires, and the page offers Pix Automático again", async () => {
  await using s = await pixCase("plan_chosen", { approve: false });
  s.setNow("2027-01-26T12:00:00Z");
  assert.equal((await runPixAutoCharges(s.db, s.client, s.notice)).expired, 0, "still in time");
  s.setNow("2027-01-28T12:00:00Z");
  assert.equal((await runPixAutoCharges(s.db, s.client, s.notice)).expired, 1);
  assert.equal((await getPixAuto(s.db, s.h.id))!.status, "expired");
  const html = await page(s);
  assert.match(html, /data-testid="pix-auto-expired"/);
  assert.match(html, /Pix Automático \(recomendado\)/);
  // Chosen again: a new recurrence; a late callback for the old one changes nothing.
  const r = await s.app.request(`/r/${s.h.token}/payment_method`, {
    method: "POST",
    headers: { origin: ORIGIN, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ method: "pix_auto" }).toString(),
  });
  assert.equal(r.status, 303);
  const fresh = (await getPixAuto(s.db, s.h.id))!;
  assert.equal(fresh.status, "pending");
  assert.notEqual(fresh.idRec, s.idRec);
  await s.psp.payer(s.idRec, "APROVADA");
  assert.equal((await getPixAuto(s.db, s.h.id))!.status, "pending");
  assert.match(await page(s), /data-testid="pix-auto-qr"/);
});
