// Message templates: the defaults reproduce today's texts exactly, validation speaks pt-BR,
// saved versions are what renderMessage uses, and the admin page previews and saves.
import assert from "node:assert/strict";
import { makeUser, postForm, signInAs, testApp, testDb } from "../helpers.ts";
import { notices } from "./legacy_texts.ts";
import { SYSTEM } from "../../domain/actor.ts";
import { ConflictError, ValidationError } from "../../services/errors.ts";
import type { Invoice } from "../../services/invoices.ts";
import {
  activationText,
  DEFAULT_TEMPLATES,
  invoiceLines,
  renderMessage,
  saveMessageTemplate,
  TEMPLATE_NAMES,
  validateMessageTemplate,
} from "../../services/messaging/templates.ts";

const URL_ = "https://renova.test/r/" + "k".repeat(43);
const INVOICES: Invoice[] = [
  { seq: 1, dueDate: "2026-04-10", amountCents: 9990, description: "x", linha: "00190.00009 1" },
  { seq: 2, dueDate: "2026-05-10", amountCents: 9990, description: "x" },
];

Deno.test("defaults render exactly the texts of notices.ts and signing.ts", async () => {
  await using db = await testDb();
  const same = async (name: (typeof TEMPLATE_NAMES)[number], vars: Record<string, string>, want: {
    subject: string;
    body: string;
  }) => assert.deepEqual(await renderMessage(db, name, vars), want, name);
  await same(
    "first_contact",
    { nome: "Ana", operadora: "Fibra X", link: URL_ },
    notices.firstContact("Ana", "Fibra X", URL_),
  );
  await same(
    "photo_rejected",
    { nome: "Ana", motivo: "está escura", link: URL_ },
    notices.photoRejected("Ana", "está escura", URL_),
  );
  await same("contact_code", { codigo: "123456" }, notices.contactCode("123456"));
  await same("signing_link", { nome: "Ana", link: URL_ }, notices.signingLink("Ana", URL_));
  await same(
    "protocol",
    { protocolo: "20260305000001", data: "05/03/2026" },
    notices.protocol("20260305000001", "2026-03-05"),
  );
  for (const invoices of [INVOICES, []]) {
    await same(
      "all_set",
      {
        nome: "Ana",
        protocolo: "20260305000001",
        faturas: invoiceLines(invoices),
        link: URL_,
        // Without a NAS the customer restarts the router, as before CoA existed.
        ativacao: activationText(undefined),
        // No Pix Automático: its line is dropped and the text is the one shipped before it.
        pagamento: "",
      },
      notices.allSet("Ana", "20260305000001", invoices, URL_),
    );
  }
  // The two texts signing.ts still writes inline.
  await same("sign_code", { codigo: "654321" }, {
    subject: "Código para assinar o contrato",
    body:
      "Seu código para assinar o contrato é 654321. Ele vale por 5 minutos. Não compartilhe este código.",
  });
  await same("signed_contract", {
    nome: "Ana",
    link: URL_,
    sha256: "ab".repeat(32),
    verificacao: "https://renova.test/verificar/01X",
  }, {
    subject: "Seu contrato assinado",
    body: `Olá, Ana! Seu contrato foi assinado. Baixe sua via em PDF: ${URL_}/contrato.pdf\n` +
      `Resumo SHA-256 do arquivo: ${
        "ab".repeat(32)
      }. Confira a autenticidade em https://renova.test/verificar/01X`,
  });
  for (const name of TEMPLATE_NAMES) {
    const d = DEFAULT_TEMPLATES[name];
    assert.doesNotThrow(() => validateMessageTemplate(name, d), `${name} default is valid`);
  }
});

Deno.test("validation: unknown fields, missing link, broken braces, lengths — in pt-BR", () => {
  const err = (f: () => unknown) => {
    try {
      f();
    } catch (e) {
      assert.ok(e instanceof ValidationError);
      return e.fields;
    }
    assert.fail("expected a ValidationError");
  };
  const a = err(() =>
    validateMessageTemplate("first_contact", { subject: "Oi", body: "Olá {{cpf}}, {{link}}" })
  );
  assert.match(a.body, /Campo que esta mensagem não tem: \{\{cpf\}\}/);
  const b = err(() => validateMessageTemplate("first_contact", { subject: "Oi", body: "Olá" }));
  assert.equal(b.body, "A mensagem precisa conter {{link}}.");
  const c = err(() =>
    validateMessageTemplate("contact_code", { subject: "", body: "Código {{codigo}" })
  );
  assert.match(c.subject, /Escreva de 1 a 150 caracteres/);
  assert.match(c.body, /chaves \{\{ \}\} incompletas/);
  const d = err(() =>
    validateMessageTemplate("sign_code", { subject: "x", body: "{{codigo}}".padEnd(2001, "!") })
  );
  assert.match(d.body, /de 1 a 2000 caracteres/);
});

Deno.test("saving: a new version is what renderMessage uses; a stale base is refused", async () => {
  await using db = await testDb();
  const v1 = await saveMessageTemplate(
    db,
    "first_contact",
    {
      subject: "{{operadora}} tem planos novos",
      body: "Oi {{nome}}! Escolha aqui: {{link}}",
      note: "mais curto",
    },
    SYSTEM,
    { baseVersion: 0 },
  );
  assert.equal(v1.version, 1);
  assert.deepEqual(
    await renderMessage(db, "first_contact", { nome: "Ana", operadora: "Fibra X", link: URL_ }),
    { subject: "Fibra X tem planos novos", body: `Oi Ana! Escolha aqui: ${URL_}` },
  );
  await assert.rejects(
    () =>
      saveMessageTemplate(db, "first_contact", { subject: "x", body: "{{link}}" }, SYSTEM, {
        baseVersion: 0,
      }),
    ConflictError,
  );
  await assert.rejects(
    () => renderMessage(db, "first_contact", { nome: "Ana" }),
    /falta \{\{operadora\}\}/,
  );
});

Deno.test("admin page: preview with sample data, errors re-shown, save, admins only", async () => {
  await using t = await testApp();
  const admin = await signInAs(t.app, (await makeUser(t.db, "admin")).username);
  const page = await t.app.request("/admin/messages?modelo=reminder_1", {
    headers: { cookie: admin.cookie },
  });
  assert.equal(page.status, 200);
  const html = await page.text();
  assert.match(html, /Olá, Maria! Você ainda não escolheu seu novo plano/);
  assert.match(html, /\{\{validade\}\}/);
  assert.equal(
    (await t.app.request("/admin/messages?modelo=nada", {
      headers: { cookie: admin.cookie },
    })).status,
    404,
  );

  const bad = await postForm(t.app, "/admin/messages", {
    modelo: "reminder_1",
    subject: "Lembrete",
    body: "Oi {{cpf}}",
    base: "0",
  }, admin);
  assert.equal(bad.status, 400);
  const badHtml = await bad.text();
  assert.match(badHtml, /Campo que esta mensagem não tem: \{\{cpf\}\}/);
  assert.match(badHtml, /Oi \{\{cpf\}\}<\/textarea>/, "what was typed stays");

  const preview = await postForm(t.app, "/admin/messages", {
    modelo: "reminder_1",
    subject: "Lembrete",
    body: "Oi {{nome}}, falta pouco: {{link}}",
    base: "0",
    acao: "previa",
  }, admin);
  assert.equal(preview.status, 200);
  assert.match(await preview.text(), /Oi Maria, falta pouco: https:\/\/renova\.exemplo/);

  const save = await postForm(t.app, "/admin/messages", {
    modelo: "reminder_1",
    subject: "Lembrete",
    body: "Oi {{nome}}, falta pouco: {{link}}",
    base: "0",
  }, admin);
  assert.equal(save.status, 303);
  assert.equal(save.headers.get("location"), "/admin/messages?modelo=reminder_1&ok=1");
  const rendered = await renderMessage(t.db, "reminder_1", {
    nome: "Ana",
    operadora: "X",
    link: URL_,
    validade: "01/01/2027",
  });
  assert.equal(rendered.body, `Oi Ana, falta pouco: ${URL_}`);

  const att = await signInAs(t.app, (await makeUser(t.db, "attendant")).username);
  assert.equal(
    (await t.app.request("/admin/messages", { headers: { cookie: att.cookie } })).status,
    403,
  );
});
