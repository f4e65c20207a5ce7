// Billing settings page and the invoices a renewal issues from them.
import assert from "node:assert/strict";
import { makeUser, postForm, SAMPLE_ADDRESS, signInAs, testApp } from "../helpers.ts";
import { getBillingSettings } from "../../services/billing_settings.ts";
import { invoiceSchedule, issueInvoices, storeCarne } from "../../services/invoices.ts";
import { parseBoleto, parsePix } from "../../services/billing/mod.ts";
import { getBlob } from "../../services/blobs.ts";
import { PDFDocument } from "pdf-lib";

const form = {
  name: "Fibra Sul Telecom Ltda.",
  cnpj: "11.222.333/0001-81",
  address: "Rua das Palmeiras, 100 — Londrina/PR",
  bank: "237",
  agencia: "1172",
  conta: "0403005",
  carteira: "06",
  convenio: "",
  beneficiario: "",
  pixKey: "financeiro@fibrasul.com.br",
  pixCity: "LONDRINA",
  dueDay: "15",
  count: "6",
};

Deno.test("billing settings: admin only; bad input refused in pt-BR and nothing saved", async () => {
  const { app, db, config, close } = await testApp();
  try {
    const att = await signInAs(app, (await makeUser(db, "attendant")).username);
    assert.equal(
      (await app.request("/admin/billing", { headers: { cookie: att.cookie } })).status,
      403,
    );
    const admin = await signInAs(app, (await makeUser(db, "admin")).username);
    const bad = await postForm(app, "/admin/billing", {
      ...form,
      cnpj: "11.222.333/0001-00",
      dueDay: "31",
      pixCity: "",
    }, admin);
    assert.equal(bad.status, 400);
    const html = await bad.text();
    assert.match(html, /CNPJ inválido/);
    assert.match(html, /vencimento vai de 1 a 28/);
    const badBank = await postForm(app, "/admin/billing", {
      ...form,
      bank: "341",
      carteira: "109",
      conta: "123456789",
    }, admin);
    assert.equal(badBank.status, 400);
    assert.match(await badBank.text(), /não geram um boleto válido/);
    assert.equal(
      (await getBillingSettings(db, config.provider)).versionstamp,
      null,
      "nothing saved",
    );

    const ok = await postForm(app, "/admin/billing", form, admin);
    assert.equal(ok.status, 303);
    const { settings } = await getBillingSettings(db, config.provider);
    assert.equal(settings.bank, "237");
    assert.equal(settings.count, 6);
    assert.equal(settings.beneficiary.cnpj, "11222333000181");
  } finally {
    close();
  }
});

Deno.test("invoices: each has a boleto that parses back and a valid PIX; the carnê has one page each", async () => {
  const { db, config, close } = await testApp();
  try {
    for (const bank of ["341", "237", "001", "104"] as const) {
      const { settings: base } = await getBillingSettings(db, config.provider);
      const settings = bank === "341"
        ? base
        : bank === "237"
        ? { ...base, bank, agencia: "1172", conta: "0403005", carteira: "06" }
        : bank === "001"
        ? { ...base, bank, convenio: "1474166", carteira: "17" }
        : { ...base, bank, beneficiario: "005507" };
      const list = invoiceSchedule({
        signedOn: "2026-11-28",
        amountCents: 17990,
        planName: "Fibra 1 Giga",
        dueDay: 10,
        count: 3,
      });
      const issued = issueInvoices(settings, list, "RNVTESTE", 1);
      assert.deepEqual(issued.map((i) => i.dueDate), ["2026-12-10", "2027-01-10", "2027-02-10"]);
      for (const inv of issued) {
        const back = parseBoleto(inv.linha!, { today: "2026-11-28" });
        assert.equal(back.bank, bank);
        assert.equal(back.dueDate, inv.dueDate);
        assert.equal(back.amountCents, 17990);
        const pix = parsePix(inv.pixPayload!);
        assert.equal(pix.amountCents, 17990);
        assert.equal(pix.key, settings.pixKey);
      }
      assert.equal(new Set(issued.map((i) => i.nossoNumero)).size, 3, "nosso número never repeats");
      if (bank === "341") {
        const { id } = await storeCarne(db, settings, {
          id: "x",
          name: "João Conceição",
          cpf: "52998224725",
          phones: ["5511912345678"],
          email: "joao@exemplo.com",
          address: SAMPLE_ADDRESS,
          createdAt: "",
          updatedAt: "",
        }, issued);
        const pdf = await PDFDocument.load((await getBlob(db, id)).data);
        assert.equal(pdf.getPageCount(), 3);
      }
    }
  } finally {
    close();
  }
});
