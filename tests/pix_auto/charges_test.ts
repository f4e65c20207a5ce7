// Monthly cobr charges of approved Pix Automático authorizations, against the stand-in PSP:
// the 10-to-2-day window, idempotent reruns and crashes, refusals and late authorizations
// falling back to boleto + PIX with a message, and webhookcobr re-read from the PSP.
import assert from "node:assert/strict";
import { pixCase, SECRET } from "./fixture.ts";
import { chargeTxid, getPixAuto, runPixAutoCharges } from "../../services/pix_auto/mod.ts";
import { dailyJobs } from "../../services/ops/daily_jobs.ts";

const run = (s: Awaited<ReturnType<typeof pixCase>>) => runPixAutoCharges(s.db, s.client, s.notice);

Deno.test("monthly charge: sent once inside the 10-to-2-day window, txid from case + installment", async () => {
  await using s = await pixCase();
  assert.equal((await run(s)).sent, 0, "21 days before the first due date: not yet");
  assert.equal(s.psp.cobrs.size, 0);
  s.setNow("2027-02-01T12:00:00Z");
  assert.equal((await run(s)).sent, 1);
  const txid = await chargeTxid(s.h.id, 1);
  const cobr = s.psp.cobrs.get(txid)! as Record<string, unknown>;
  assert.equal(cobr.idRec, s.idRec);
  assert.deepEqual(cobr.calendario, { dataDeVencimento: "2027-02-10" });
  assert.equal((await getPixAuto(s.db, s.h.id))!.charges!["1"].status, "sent");
  // A rerun the same day (or the next) sends nothing new.
  await run(s);
  s.setNow("2027-02-02T12:00:00Z");
  await run(s);
  assert.equal(s.psp.cobrs.size, 1);
  assert.equal(s.psp.calls.filter((c) => c.startsWith("PUT /cobr")).length, 1);
});

Deno.test("a reply lost after the PSP created the charge: the rerun repeats the same txid, one charge", async () => {
  await using s = await pixCase();
  s.setNow("2027-02-01T12:00:00Z");
  s.psp.loseReply.set("PUT /cobr", 1);
  const first = await run(s);
  assert.equal(first.retry, 1);
  assert.equal((await getPixAuto(s.db, s.h.id))!.charges!["1"].status, "sending");
  s.setNow("2027-02-02T12:00:00Z");
  await run(s);
  assert.equal(s.psp.cobrs.size, 1);
  assert.equal((await getPixAuto(s.db, s.h.id))!.charges!["1"].status, "sent");
});

Deno.test("the PSP refuses the charge: that month falls back to boleto + PIX and the customer is told", async () => {
  await using s = await pixCase();
  s.setNow("2027-02-01T12:00:00Z");
  s.psp.refuseCobr = true;
  assert.equal((await run(s)).fellBack, 1);
  assert.equal((await getPixAuto(s.db, s.h.id))!.charges!["1"].status, "failed");
  const [msg, ...more] = await s.sent("pix_auto_charge_failed");
  assert.equal(more.length, 0);
  assert.match(msg, /vencimento em 10\/02\/2027 não pôde ser debitada/);
  assert.match(msg, /http:\/\/localhost\/r\/[A-Za-z0-9_-]{43}/);
  await run(s);
  assert.equal((await s.sent("pix_auto_charge_failed")).length, 1, "told once");
});

Deno.test("PSP down all week: the installment falls back once too late for the debit", async () => {
  await using s = await pixCase();
  s.psp.mode = "down";
  s.setNow("2027-02-01T12:00:00Z");
  assert.equal((await run(s)).retry, 1);
  assert.equal((await s.sent("pix_auto_charge_failed")).length, 0);
  s.setNow("2027-02-09T12:00:00Z"); // one day before the due date: under the 2-day minimum
  assert.equal((await run(s)).fellBack, 1);
  assert.equal((await getPixAuto(s.db, s.h.id))!.charges!["1"].status, "failed");
  assert.equal((await s.sent("pix_auto_charge_failed")).length, 1);
});

Deno.test("webhookcobr: a paid charge is re-read from the PSP; a repeat changes nothing", async () => {
  await using s = await pixCase();
  s.setNow("2027-02-01T12:00:00Z");
  await run(s);
  const txid = await chargeTxid(s.h.id, 1);
  const res = await s.psp.settle(txid, "CONCLUIDA");
  assert.deepEqual(await res!.json(), { ok: true, changed: 1 });
  assert.equal((await getPixAuto(s.db, s.h.id))!.charges!["1"].status, "paid");
  const again = await s.psp.notifyCobr([txid]);
  assert.deepEqual(await again!.json(), { ok: true, changed: 0 });
});

Deno.test("webhookcobr: a forged 'paid' claim is checked with the PSP and moves nothing", async () => {
  await using s = await pixCase();
  s.setNow("2027-02-01T12:00:00Z");
  await run(s);
  const txid = await chargeTxid(s.h.id, 1);
  await s.psp.notifyCobr([txid], "CONCLUIDA"); // the PSP still holds ATIVA
  assert.equal((await getPixAuto(s.db, s.h.id))!.charges!["1"].status, "sent");
  const wrong = await s.app.request(`/webhooks/pix-auto/${"x".repeat(32)}/cobr`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ cobsr: [{ txid, status: "CONCLUIDA" }] }),
  });
  assert.equal(wrong.status, 404);
  assert.ok(SECRET);
});

Deno.test("webhookcobr: a debit the payer's bank could not make falls back with one message", async () => {
  await using s = await pixCase();
  s.setNow("2027-02-01T12:00:00Z");
  await run(s);
  const txid = await chargeTxid(s.h.id, 1);
  await s.psp.settle(txid, "EXPIRADA");
  await s.psp.notifyCobr([txid]);
  assert.equal((await getPixAuto(s.db, s.h.id))!.charges!["1"].status, "failed");
  assert.equal((await s.sent("pix_auto_charge_failed")).length, 1);
});

Deno.test("the daily jobs include the monthly charges when Pix Automático is configured", () => {
  const base = {
    photoRetentionDays: 90,
    caseExpireDays: 30,
    messageRetentionDays: 90,
    codeRetentionDays: 1,
    auditPiiRetentionDays: 365,
  };
  assert.ok(!dailyJobs(base).some((j) => j.name === "pix_auto_charges"));
  const settings = {} as never;
  const names = dailyJobs({ ...base, pixAuto: { settings, baseUrl: "http://x" } }).map((j) =>
    j.name
  );
  assert.ok(names.includes("pix_auto_charges"));
});
