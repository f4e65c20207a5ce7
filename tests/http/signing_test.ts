// Contract signing through HTTP: the one-time code, the sealed PDF with its evidence page,
// pdfsig's verdict, and the public /verificar page.
import { testEnv } from "../factories.ts";
import { customerActor, staffActor } from "../../domain/actor.ts";
import assert from "node:assert/strict";
import { ORIGIN, testApp } from "../helpers.ts";
import { seedIfEmpty } from "../../services/seed.ts";
import { listDue } from "../../services/contracts.ts";
import { listPlans } from "../../services/plans.ts";
import { getCustomer } from "../../services/customers.ts";
import { findUserByUsername } from "../../services/users.ts";
import { addDays, todayInBrazil } from "../../services/dates.ts";
import { getCase } from "../../services/renewals/cases.ts";
import { readOutbox } from "../../services/messaging/messages.ts";
import { getBlob } from "../../services/blobs.ts";
import * as staff from "../../services/renewals/staff_actions.ts";
import * as customer from "../../services/renewals/customer_actions.ts";

import { PNG } from "../fixtures/images/mod.ts";

async function run(cmd: string, args: string[], input?: Uint8Array) {
  const dir = await Deno.makeTempDir();
  const file = `${dir}/in.pdf`;
  if (input) await Deno.writeFile(file, input);
  const out = await new Deno.Command(cmd, {
    args: [...args, file, ...(cmd === "pdftotext" ? ["-"] : [])],
    stdout: "piped",
    stderr: "piped",
  })
    .output();
  await Deno.remove(dir, { recursive: true });
  return new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
}

/** A case at "signature_sent", reached through the service verbs; returns its link token. */
async function toSignature(now: { t: number }) {
  const t = await testApp({}, () => new Date(now.t));
  await seedIfEmpty(t.db, {});
  const att = (await findUserByUsername(t.db, "atendente1"))!;
  const provider = t.config.provider;
  const ctx: staff.StaffCtx = {
    db: t.db,
    actor: staffActor(att),
    baseUrl: ORIGIN,
    linkTtlDays: 15,
    providerName: provider.name,
    provider,
  };
  const today = todayInBrazil(t.db.now());
  const due = (await listDue(t.db, today, addDays(today, 60))).items;
  const c = await staff.claimContract(ctx, due[0].contractId, { id: att.id, name: att.name });
  await staff.sendLink(ctx, c.id, "whatsapp");
  const token = (await readOutbox(t.db, 1))[0].body.match(/\/r\/([A-Za-z0-9_-]{43})/)![1];
  const cu = { ...testEnv(t.db), actor: customerActor(c.id) };
  await customer.choosePlan(cu, c.id, (await listPlans(t.db))[5].id, true);
  await customer.uploadPhoto(cu, c.id, new File([PNG], "f.png"));
  await staff.reviewPhoto(ctx, c.id, { approve: true });
  const who = (await getCustomer(t.db, c.customerId))!;
  await customer.submitContacts(cu, c.id, who.phones, who.email);
  await staff.changePlan(ctx, c.id);
  await staff.sendSignature(ctx, c.id);
  return { ...t, caseId: c.id, token, name: who.name };
}

function post(
  app: Awaited<ReturnType<typeof testApp>>["app"],
  path: string,
  body: Record<string, string> | FormData,
) {
  const form = body instanceof FormData;
  return app.request(path, {
    method: "POST",
    headers: form
      ? { origin: ORIGIN }
      : { origin: ORIGIN, "content-type": "application/x-www-form-urlencoded" },
    body: form ? body : new URLSearchParams(body),
  }, { remoteAddr: { hostname: "10.0.0.8" } });
}

async function lastCode(t: { db: Parameters<typeof readOutbox>[0] }) {
  const m = (await readOutbox(t.db, 5)).find((x) => x.template === "sign_code")!;
  return m.body.match(/\d{6}/)![0];
}

Deno.test("signing: code, sealed PDF with evidence, pdfsig valid, /verificar accepts it and refuses a changed copy", async () => {
  const now = { t: Date.now() };
  const t = await toSignature(now);
  try {
    const kase = (await getCase(t.db, t.caseId))!;
    const shown = await t.app.request(`/r/${t.token}/contrato.pdf`);
    assert.equal(shown.headers.get("content-type"), "application/pdf");
    const shownBytes = new Uint8Array(await shown.arrayBuffer());
    const text = await run("pdftotext", ["-q"], shownBytes);
    for (
      const must of [
        "fidelidade",
        "12 meses",
        "Multa",
        "assinatura eletrônica",
        "protocolo",
        "Código da oferta",
      ]
    ) {
      assert.ok(text.includes(must), `contract mentions ${must}`);
    }
    assert.equal(
      (await getBlob(t.db, kase.contractDoc!.blobId)).meta.sha256,
      kase.contractDoc!.sha256,
    );

    assert.equal(
      (await post(t.app, `/r/${t.token}/send_code`, { channel: "whatsapp" })).status,
      303,
    );
    const resend = await post(t.app, `/r/${t.token}/send_code`, { channel: "whatsapp" });
    assert.equal(resend.status, 429, "re-send is rate-limited");
    assert.match(await resend.text(), /Aguarde um minuto/);
    const code = await lastCode(t);
    const rev = String((await getCase(t.db, t.caseId))!.rev); // the page reloads after the code is sent
    const form = {
      code,
      typedName: t.name,
      consent: "on",
      documentSha256: kase.contractDoc!.sha256,
      rev,
    };
    const signed = await post(t.app, `/r/${t.token}/sign`, form);
    assert.equal(signed.status, 303);
    const twice = await post(t.app, `/r/${t.token}/sign`, form);
    assert.equal(twice.status, 303, "signing twice is harmless");
    const after = (await getCase(t.db, t.caseId))!;
    // Renova registers the signature and sends the final message itself (policy.ts `auto`).
    assert.equal(after.step, "notified");

    const final = new Uint8Array(
      await (await t.app.request(`/r/${t.token}/contrato.pdf`)).arrayBuffer(),
    );
    const finalText = await run("pdftotext", ["-q"], final);
    assert.ok(
      finalText.includes(after.contractDoc!.sha256),
      "the evidence page shows the hash of the document shown",
    );
    assert.match(finalText, /SHA-256/);
    assert.match(finalText, /Código de assinatura aceito/);
    assert.match(finalText, /autoassinado|demonstração/i, "the demo certificate is disclosed");
    const sig = await run("pdfsig", [], final);
    assert.match(sig, /Signature is Valid/);
    assert.match(sig, /ETSI\.CAdES\.detached/);

    const good = new FormData();
    good.set("file", new File([final], "contrato.pdf", { type: "application/pdf" }));
    const ok = await post(t.app, "/verificar", good);
    assert.equal(ok.status, 200);
    assert.match(await ok.text(), /Verificado: este é um contrato assinado neste sistema/);

    const changed = final.slice();
    changed[Math.floor(changed.length / 3)] ^= 0x01;
    assert.doesNotMatch(await run("pdfsig", [], changed), /Signature is Valid/);
    const bad = new FormData();
    bad.set("file", new File([changed], "contrato.pdf", { type: "application/pdf" }));
    const refused = await post(t.app, "/verificar", bad);
    assert.equal(refused.status, 200, "never an error page");
    assert.match(await refused.text(), /Não verificado/);
    const notPdf = new FormData();
    notPdf.set("file", new File([new TextEncoder().encode("olá")], "x.pdf"));
    assert.match(await (await post(t.app, "/verificar", notPdf)).text(), /não é um PDF/);

    const qr = await t.app.request(`/verificar/${after.signature!.signatureId}`);
    assert.equal(qr.status, 200);
    assert.match(await qr.text(), new RegExp(after.signature!.finalSha256!));
  } finally {
    t.close();
  }
});

Deno.test("signing code: expires after 5 minutes and locks after 5 wrong attempts", async () => {
  const now = { t: Date.now() };
  const t = await toSignature(now);
  try {
    const kase = (await getCase(t.db, t.caseId))!;
    const form = (code: string) => ({
      code,
      typedName: t.name,
      consent: "on",
      documentSha256: kase.contractDoc!.sha256,
    });
    await post(t.app, `/r/${t.token}/send_code`, { channel: "email" });
    const code = await lastCode(t);
    now.t += 5 * 60_000 + 1000;
    const late = await post(t.app, `/r/${t.token}/sign`, form(code));
    assert.equal(late.status, 400);
    assert.match(await late.text(), /Este código expirou/);

    await post(t.app, `/r/${t.token}/send_code`, { channel: "email" });
    const fresh = await lastCode(t);
    const wrong = fresh === "000000" ? "111111" : "000000";
    for (let i = 0; i < 5; i++) {
      const r = await post(t.app, `/r/${t.token}/sign`, form(wrong));
      assert.match(await r.text(), /Código incorreto/);
    }
    const locked = await post(t.app, `/r/${t.token}/sign`, form(fresh));
    assert.equal(locked.status, 400);
    assert.match(await locked.text(), /Tentativas esgotadas/);
    assert.equal((await getCase(t.db, t.caseId))!.step, "signature_sent", "nothing signed");
  } finally {
    t.close();
  }
});

Deno.test("PDF downloads answer inline, named, and never cached", async () => {
  const t = await toSignature({ t: Date.now() });
  try {
    const res = await t.app.request(`/r/${t.token}/contrato.pdf`);
    await res.body?.cancel();
    assert.equal(res.headers.get("content-type"), "application/pdf");
    assert.equal(
      res.headers.get("content-disposition"),
      'inline; filename="contrato-para-assinar.pdf"',
    );
    assert.match(res.headers.get("cache-control") ?? "", /no-store/);
  } finally {
    t.close();
  }
});

Deno.test("signing code: 30 parallel wrong codes get at most 5 compared, the rest refused as used up, no 500", async () => {
  const now = { t: Date.now() };
  const t = await toSignature(now);
  try {
    const kase = (await getCase(t.db, t.caseId))!;
    await post(t.app, `/r/${t.token}/send_code`, { channel: "email" });
    const code = await lastCode(t);
    const wrong = code === "000000" ? "111111" : "000000";
    const answers = await Promise.all(Array.from({ length: 30 }, async () => {
      const r = await post(t.app, `/r/${t.token}/sign`, {
        code: wrong,
        typedName: t.name,
        consent: "on",
        documentSha256: kase.contractDoc!.sha256,
      });
      return { status: r.status, text: await r.text() };
    }));
    assert.equal(answers.filter((a) => a.status >= 500).length, 0, "no 500");
    // Every answer but "used up" passed the guess gate, i.e. had its code compared.
    const compared = answers.filter((a) => !/Tentativas esgotadas/.test(a.text)).length;
    assert.ok(compared <= 5, `${compared} codes compared`);
    // The right code afterwards is refused too: the case's guesses are spent.
    const late = await post(t.app, `/r/${t.token}/sign`, {
      code,
      typedName: t.name,
      consent: "on",
      documentSha256: kase.contractDoc!.sha256,
    });
    assert.match(await late.text(), /Tentativas esgotadas/);
  } finally {
    t.close();
  }
});
