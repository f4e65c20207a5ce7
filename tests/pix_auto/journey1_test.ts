// Journey 1 of Pix Automático: the request pushed to the payer's bank app (POST /rec, then
// POST /solicrec), with the stand-in PSP over real HTTP and the app in-process.
import assert from "node:assert/strict";
import { ORIGIN } from "../helpers.ts";
import { caseAt } from "../factories.ts";
import { appWithPsp, SECRET } from "./fixture.ts";
import type { StandinPsp } from "./standin_psp.ts";
import {
  getPixAuto,
  parsePixAutoEnv,
  type PixAutoSettings,
  PspError,
  pspFor,
} from "../../services/pix_auto/mod.ts";
import { requestInBankApp } from "../../services/pix_auto/journey1.ts";
import { getCustomer } from "../../services/customers.ts";
import { keys } from "../../services/keys.ts";
import { ValidationError } from "../../services/errors.ts";
import type { RenewalCase } from "../../services/renewals/cases.ts";

const ITAU = "60701190";
const FORM = { bank: ITAU, agencia: "0341", conta: "98765-0", tipoConta: "corrente" };

async function setup(journey1 = true) {
  const { t, psp, db } = await appWithPsp(journey1 ? { PIX_AUTO_JOURNEY1: "true" } : {});
  psp.webhookRec = `${ORIGIN}/webhooks/pix-auto/${SECRET}`;
  const h = await caseAt(db, "plan_chosen");
  const env = { provider: t.config.provider, settings: t.config.pixAuto as PixAutoSettings };
  return {
    db,
    app: t.app,
    psp,
    h,
    settings: env.settings,
    request: (form: Record<string, string> = FORM) =>
      requestInBankApp(db, h.cu.actor, h.id, form, env),
    post: (form: Record<string, string>) =>
      t.app.request(`/r/${h.token}/payment_bank_request`, {
        method: "POST",
        headers: { origin: ORIGIN, "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams(form).toString(),
      }),
    html: async () => await (await t.app.request(`/r/${h.token}`)).text(),
    [Symbol.asyncDispose]: async () => {
      await psp.close();
      await t[Symbol.asyncDispose]();
    },
  };
}

const solicPosts = (psp: StandinPsp) => psp.calls.filter((c) => c === "POST /solicrec").length;

Deno.test("PIX_AUTO_JOURNEY1: off by default, true turns it on, anything else stops the start", () => {
  const base = {
    PIX_AUTO_API_URL: "https://psp.example/api/v2",
    PIX_AUTO_CLIENT_ID: "id",
    PIX_AUTO_CLIENT_SECRET: "s",
    PIX_AUTO_WEBHOOK_SECRET: "w".repeat(24),
  };
  const fail = (m: string): never => {
    throw new Error(m);
  };
  assert.equal(parsePixAutoEnv(base, fail)!.journey1, false);
  assert.equal(parsePixAutoEnv({ ...base, PIX_AUTO_JOURNEY1: "true" }, fail)!.journey1, true);
  assert.throws(
    () => parsePixAutoEnv({ ...base, PIX_AUTO_JOURNEY1: "sim" }, fail),
    /PIX_AUTO_JOURNEY1 precisa ser true ou false/,
  );
});

Deno.test("journey 1: POST /rec then POST /solicrec naming the payer's account; pending", async () => {
  await using s = await setup();
  const rec = (await s.request())!;
  assert.equal(rec.status, "pending");
  assert.equal(rec.solicRec?.status, "sent");
  const [sr] = [...s.psp.solicrecs.values()];
  assert.equal(rec.solicRec?.idSolicRec, sr.idSolicRec);
  assert.equal(sr.idRec, rec.idRec);
  const c = (await s.db.kv.get<RenewalCase>(keys.case(s.h.id))).value!;
  const customer = (await getCustomer(s.db, c.customerId))!;
  assert.deepEqual(sr.destinatario, {
    cpf: customer.cpf,
    agencia: "0341",
    conta: "987650",
    ispbParticipante: ITAU,
  });
  assert.ok(s.psp.calls.indexOf("POST /rec") < s.psp.calls.indexOf("POST /solicrec"));
});

Deno.test("journey 1: the payer's account is not kept in clear (dropped once the PSP holds it)", async () => {
  await using s = await setup();
  await s.request();
  const raw = JSON.stringify((await s.db.kv.get(keys.pixAutoOfCase(s.h.id))).value);
  assert.doesNotMatch(raw, /987650|0341|60701190/);
});

Deno.test("journey 1: the payer accepts in the bank app; the rec webhook approves the case", async () => {
  await using s = await setup();
  const rec = (await s.request())!;
  const res = await s.psp.payerAcceptsRequest(rec.solicRec!.idSolicRec!);
  assert.equal(res?.status, 200);
  assert.equal((await getPixAuto(s.db, s.h.id))!.status, "approved");
});

Deno.test("journey 1: asking again sends no second request", async () => {
  await using s = await setup();
  await s.request();
  await s.request();
  assert.equal(solicPosts(s.psp), 1);
  assert.equal(s.psp.solicrecs.size, 1);
});

Deno.test("journey 1: a lost reply, then a retry: still one request at the PSP, case pending", async () => {
  await using s = await setup();
  s.psp.loseReply.set("POST /solicrec", 1);
  assert.equal((await s.request())!.status, "unavailable");
  assert.equal(s.psp.solicrecs.size, 1);
  const again = (await s.request())!;
  assert.equal(again.status, "pending");
  assert.equal(again.solicRec?.status, "sent");
  assert.equal(s.psp.solicrecs.size, 1);
  assert.equal(again.solicRec?.account, undefined);
});

Deno.test("journey 1: PSP down falls back to boleto + PIX and is offered again", async () => {
  await using s = await setup();
  s.psp.mode = "down";
  assert.equal((await s.request())!.status, "unavailable");
  assert.match(await s.html(), /data-testid="pix-auto-unavailable"/);
  assert.match(await s.html(), /Receber o pedido no app do meu banco/);
  s.psp.mode = "up";
  assert.equal((await s.request())!.status, "pending");
  assert.equal(s.psp.solicrecs.size, 1);
});

Deno.test("journey 1: bad bank data is refused field by field in pt-BR and writes nothing", async () => {
  await using s = await setup();
  const err = await s.request({ bank: "12345678", agencia: "12a", conta: "abc", tipoConta: "x" })
    .then(() => undefined, (e) => e);
  assert.ok(err instanceof ValidationError);
  assert.deepEqual(Object.keys(err.fields).sort(), ["agencia", "bank", "conta", "tipoConta"]);
  assert.match(err.fields.bank, /Escolha o seu banco/);
  assert.equal(await getPixAuto(s.db, s.h.id), null);
  assert.equal((await s.db.kv.get(keys.paymentMethodOfCase(s.h.id))).value, null);
  assert.equal(s.psp.calls.length, 0);
});

Deno.test("journey 1 off: no bank form on the page and the request is refused", async () => {
  await using s = await setup(false);
  assert.doesNotMatch(await s.html(), /Receber o pedido no app do meu banco/);
  await assert.rejects(() => s.request(), ValidationError);
  assert.equal(s.psp.calls.length, 0);
});

Deno.test("page: the bank form lists banks by ISPB with pt-BR labels", async () => {
  await using s = await setup();
  const html = await s.html();
  assert.match(html, /Receber o pedido no app do meu banco/);
  assert.match(html, /<option value="60701190"[^>]*>341 – Itaú Unibanco/);
  for (
    const label of ["Banco", "Agência \\(sem o dígito\\)", "Conta com o dígito", "Tipo de conta"]
  ) {
    assert.match(html, new RegExp(`<label for="j1-[a-zA-Z]+"[^>]*>${label}</label>`));
  }
});

Deno.test("page: a bad form answers 400 with the message next to the field and keeps the input", async () => {
  await using s = await setup();
  const r = await s.post({ ...FORM, conta: "12x" });
  assert.equal(r.status, 400);
  const html = await r.text();
  assert.match(html, /id="j1-conta-err"[^>]*>Informe o número da conta com o dígito/);
  assert.match(html, /aria-describedby="j1-conta-err"/);
  assert.match(html, /<option value="60701190" selected/);
  assert.equal(await getPixAuto(s.db, s.h.id), null);
});

Deno.test("page: sent → 'Abra o app do seu banco'; accepted → 'Pix Automático autorizado'", async () => {
  await using s = await setup();
  assert.equal((await s.post(FORM)).status, 303);
  assert.match(await s.html(), /Abra o app do seu banco para autorizar/);
  const id = (await getPixAuto(s.db, s.h.id))!.solicRec!.idSolicRec!;
  await s.psp.payerAcceptsRequest(id);
  assert.match(await s.html(), /Pix Automático autorizado/);
});

Deno.test("stand-in PSP: POST /solicrec checks the body shape of the OpenAPI; GET returns it", async () => {
  await using s = await setup();
  const rec = (await s.request())!;
  const psp = pspFor(s.settings);
  const body = {
    idRec: rec.idRec!,
    calendario: { dataExpiracaoSolicitacao: "2030-01-01T00:00:00Z" },
    destinatario: { cpf: "12345678909", agencia: "1", conta: "12", ispbParticipante: "123" },
  };
  await assert.rejects(
    () => psp.createSolicRec(body),
    (e) => e instanceof PspError && e.status === 400,
  );
  const held = await psp.getSolicRec(rec.solicRec!.idSolicRec!);
  assert.equal(held.idRec, rec.idRec);
  assert.equal(held.status, "CRIADA");
});
