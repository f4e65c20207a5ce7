// Pix Automático against the stand-in PSP over real HTTP: journeys 2 and 3, rejection, payer
// cancellation, outage and slowness, repeated, reordered and forged webhooks, crash recovery.
import assert from "node:assert/strict";
import { ORIGIN } from "../helpers.ts";
import { appWithPsp, SECRET } from "./fixture.ts";
import type { StandinPsp } from "./standin_psp.ts";
import { parsePix } from "../../services/billing/mod.ts";
import { getPixAuto, offerPixAuto, PspClient } from "../../services/pix_auto/mod.ts";
import { auditOf } from "../../services/audit.ts";
import type { Db } from "../../services/db.ts";

async function setup(
  over: Record<string, string> = {},
  opts: ConstructorParameters<typeof StandinPsp>[0] = {},
) {
  const { t, psp, settings } = await appWithPsp(
    { PIX_AUTO_PIX_KEY: "cobranca@fibraexemplo.com.br", ...over },
    opts,
  );
  const client = new PspClient(settings);
  await client.putWebhookRec(`${ORIGIN}/webhooks/pix-auto/${SECRET}`);
  return {
    db: t.db as Db,
    app: t.app,
    psp,
    client,
    [Symbol.asyncDispose]: async () => {
      client.close();
      await psp.close();
      await t[Symbol.asyncDispose]();
    },
  };
}

const offer = (db: Db, client: PspClient, caseId = "case1") =>
  offerPixAuto(db, client, {
    caseId,
    contractId: "CT-2027-0001",
    payer: { cpf: "52998224725", name: "Maria Silva" },
    receiver: { name: "Fibra Exemplo Telecom", city: "Campinas" },
    terms: { amountCents: 9990, dueDay: 10, start: "2027-02-10", end: "2028-01-10" },
  });

Deno.test("journey 2: the authorization QR holds only the recurrence; approval arrives by webhook", async () => {
  await using s = await setup();
  const rec = await offer(s.db, s.client);
  assert.equal(rec.status, "pending");
  const code = parsePix(rec.copiaECola!);
  assert.equal(code.key, undefined);
  assert.equal(code.url, undefined);
  assert.equal(code.recurrenceUrl, s.psp.locs.get(rec.locId!)!.location);
  const sent = s.psp.recs.get(rec.idRec!)!.body as Record<string, Record<string, unknown>>;
  assert.deepEqual(sent.calendario, {
    dataInicial: "2027-02-10",
    dataFinal: "2028-01-10",
    periodicidade: "MENSAL",
  });
  assert.deepEqual(sent.valor, { valorRec: "99.90" });

  const res = await s.psp.payer(rec.idRec!, "APROVADA");
  assert.equal(res?.status, 200);
  assert.equal((await getPixAuto(s.db, "case1"))?.status, "approved");
});

Deno.test("journey 3: first invoice as a cob by our txid, recurrence activated by that txid", async () => {
  await using s = await setup({ PIX_AUTO_JOURNEY: "3" });
  const rec = await offer(s.db, s.client);
  assert.equal(rec.status, "pending");
  assert.match(rec.txid!, /^RNV[0-9a-f]{32}$/);
  const cob = s.psp.cobs.get(rec.txid!)!;
  assert.deepEqual(cob.valor, { original: "99.90" });
  assert.equal(cob.chave, "cobranca@fibraexemplo.com.br");
  const sent = s.psp.recs.get(rec.idRec!)!.body as { ativacao?: unknown };
  assert.deepEqual(sent.ativacao, { dadosJornada: { txid: rec.txid } });
  const code = parsePix(rec.copiaECola!);
  assert.equal(code.url, `psp.example.com/cob/${rec.txid}`);
  assert.equal(code.recurrenceUrl, s.psp.locs.get(rec.locId!)!.location);
});

Deno.test("without the PSP's copia-e-cola, Renova builds the composite code from the locations", async () => {
  await using s = await setup({ PIX_AUTO_JOURNEY: "3" }, { omitCopiaECola: true });
  const rec = await offer(s.db, s.client);
  const code = parsePix(rec.copiaECola!);
  assert.equal(code.url, `psp.example.com/cob/${rec.txid}`);
  assert.equal(code.recurrenceUrl, s.psp.locs.get(rec.locId!)!.location);
  assert.equal(code.name, "Fibra Exemplo Telecom");
});

Deno.test("a rejected authorization is recorded with a plain pt-BR explanation", async () => {
  await using s = await setup();
  const rec = await offer(s.db, s.client);
  await s.psp.payer(rec.idRec!, "REJEITADA");
  const after = await getPixAuto(s.db, "case1");
  assert.equal(after?.status, "rejected");
  assert.match(after!.reason!, /recusada.*boleto \+ PIX/);
});

Deno.test("a cancellation by the payer after approval reverts to boleto + PIX", async () => {
  await using s = await setup();
  const rec = await offer(s.db, s.client);
  await s.psp.payer(rec.idRec!, "APROVADA");
  await s.psp.payer(rec.idRec!, "CANCELADA");
  const after = await getPixAuto(s.db, "case1");
  assert.equal(after?.status, "cancelled");
  assert.match(after!.reason!, /voltam a ser enviadas por boleto \+ PIX/);
});

Deno.test("PSP down: the offer returns at once as unavailable and succeeds later, once", async () => {
  await using s = await setup();
  s.psp.mode = "down";
  const down = await offer(s.db, s.client);
  assert.equal(down.status, "unavailable");
  assert.equal(down.copiaECola, undefined);
  s.psp.mode = "up";
  const later = await offer(s.db, s.client);
  assert.equal(later.status, "pending");
  assert.equal(s.psp.recs.size, 1);
});

Deno.test("PSP slow: the offer gives up at the timeout instead of waiting", async () => {
  await using s = await setup();
  s.psp.mode = "slow";
  const rec = await offer(s.db, s.client);
  assert.equal(rec.status, "unavailable");
  assert.equal(s.psp.answeredWhileSlow, 0, "returned while the PSP had not answered");
  s.psp.release();
});

Deno.test("a fault after the recurrence was created: the retry reuses it (one rec per case)", async () => {
  await using s = await setup();
  s.psp.failNext.set("GET /rec", 1);
  const first = await offer(s.db, s.client);
  assert.equal(first.status, "unavailable");
  assert.equal(s.psp.recs.size, 1, "the PSP holds the recurrence already");
  const again = await offer(s.db, s.client);
  assert.equal(again.status, "pending");
  assert.equal(s.psp.recs.size, 1);
  assert.equal(again.idRec, [...s.psp.recs.keys()][0]);
});

Deno.test("offering twice returns the same authorization without calling the PSP again", async () => {
  await using s = await setup();
  const a = await offer(s.db, s.client);
  const calls = s.psp.calls.length;
  const b = await offer(s.db, s.client);
  assert.deepEqual(b, a);
  assert.equal(s.psp.calls.length, calls);
});

Deno.test("a repeated webhook changes nothing the second time", async () => {
  await using s = await setup();
  const rec = await offer(s.db, s.client);
  await s.psp.payer(rec.idRec!, "APROVADA");
  const events = (await auditOf(s.db, "case:case1")).length;
  const res = await s.psp.notify([rec.idRec!]);
  assert.deepEqual(await res!.json(), { ok: true, changed: 0 });
  assert.equal((await auditOf(s.db, "case:case1")).length, events);
});

Deno.test("webhooks out of order: a late 'approved' callback cannot undo a cancellation", async () => {
  await using s = await setup();
  const rec = await offer(s.db, s.client);
  // The payer approved then cancelled; the cancellation's callback arrives first.
  s.psp.recs.get(rec.idRec!)!.status = "APROVADA";
  s.psp.recs.get(rec.idRec!)!.status = "CANCELADA";
  await s.psp.notify([rec.idRec!], "CANCELADA");
  await s.psp.notify([rec.idRec!], "APROVADA");
  assert.equal((await getPixAuto(s.db, "case1"))?.status, "cancelled");
});

Deno.test("a forged webhook moves nothing: wrong secret is 404, a false claim is re-checked", async () => {
  await using s = await setup();
  const rec = await offer(s.db, s.client);
  const wrong = await s.app.request(`/webhooks/pix-auto/${"x".repeat(32)}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ recs: [{ idRec: rec.idRec, status: "APROVADA" }] }),
  });
  assert.equal(wrong.status, 404);
  // The right path but a body that lies: the PSP still says CRIADA.
  const lie = await s.psp.notify([rec.idRec!], "APROVADA");
  assert.equal(lie?.status, 200);
  assert.equal((await getPixAuto(s.db, "case1"))?.status, "pending");
});

Deno.test("webhook while the PSP cannot be asked: 503 so the PSP retries, nothing changes", async () => {
  await using s = await setup();
  const rec = await offer(s.db, s.client);
  s.psp.recs.get(rec.idRec!)!.status = "APROVADA";
  s.psp.failNext.set("GET /rec", 1);
  const res = await s.psp.notify([rec.idRec!]);
  assert.equal(res?.status, 503);
  assert.equal((await getPixAuto(s.db, "case1"))?.status, "pending");
  assert.equal((await s.psp.notify([rec.idRec!]))?.status, 200);
  assert.equal((await getPixAuto(s.db, "case1"))?.status, "approved");
});

Deno.test("OAuth2: one token serves many calls; a wrong client secret means unavailable", async () => {
  await using s = await setup();
  await offer(s.db, s.client, "caseA");
  await offer(s.db, s.client, "caseB");
  assert.equal(s.psp.tokensIssued, 1);
  const wrong = new PspClient({ ...s.client.settings, clientSecret: "errado" });
  assert.equal((await offer(s.db, wrong, "caseC")).status, "unavailable");
  assert.equal(s.psp.recs.size, 2);
});
