import assert from "node:assert/strict";
import { makeUser, postForm, signInAs, testApp } from "../helpers.ts";
import {
  DEFAULT_TEMPLATE_SECTIONS,
  getCurrentTemplate,
  getTemplateVersion,
  listTemplateVersions,
} from "../../services/contract/templates.ts";
import { createPlan } from "../../services/plans.ts";
import { auditOf } from "../../services/audit.ts";

/** The form as the page submits it: the default sections, the empty slot and a note. */
function defaultForm(over: Record<string, string> = {}): Record<string, string> {
  const f: Record<string, string> = {};
  DEFAULT_TEMPLATE_SECTIONS.forEach((s, i) => {
    f[`title_${i}`] = s.title;
    f[`body_${i}`] = s.body;
  });
  f[`title_${DEFAULT_TEMPLATE_SECTIONS.length}`] = "";
  f[`body_${DEFAULT_TEMPLATE_SECTIONS.length}`] = "";
  f.note = "";
  return { ...f, ...over };
}

function unescape(html: string) {
  return html.replaceAll("&quot;", '"').replaceAll("&amp;", "&").replaceAll("&#39;", "'");
}

Deno.test("attendants and supervisors cannot see or change the contract text", async () => {
  const { app, db, close } = await testApp();
  try {
    for (const role of ["attendant", "supervisor"] as const) {
      const u = await makeUser(db, role);
      const b = await signInAs(app, u.username);
      const get = await app.request("/admin/contract", { headers: { cookie: b.cookie } });
      assert.equal(get.status, 403);
      await get.body?.cancel();
      const post = await postForm(app, "/admin/contract", defaultForm({ note: "x" }), b);
      assert.equal(post.status, 403);
      await post.body?.cancel();
    }
    assert.equal((await listTemplateVersions(db)).length, 0);
  } finally {
    close();
  }
});

Deno.test("the admin page shows the form, placeholders, a demo preview and the history", async () => {
  const { app, db, close } = await testApp();
  try {
    await createPlan(db, {
      name: "Fibra 300 Mega",
      downMbps: 300,
      upMbps: 150,
      priceCents: 9990,
      loyaltyMonths: 12,
      benefit: "Instalação grátis",
      benefitValueCents: 48000,
      offerCode: "FIBRA-300",
    });
    const admin = await makeUser(db, "admin");
    const b = await signInAs(app, admin.username);
    const res = await app.request("/admin/contract", { headers: { cookie: b.cookie } });
    assert.equal(res.status, 200);
    const html = unescape(await res.text());
    // One title + one body per section, plus the empty slot, each with a label.
    for (let i = 0; i <= DEFAULT_TEMPLATE_SECTIONS.length; i++) {
      assert.match(html, new RegExp(`<label for="f-title_${i}"`));
      assert.match(html, new RegExp(`<input id="f-title_${i}" name="title_${i}"`));
      assert.match(html, new RegExp(`<label for="f-body_${i}"`));
      assert.match(html, new RegExp(`<textarea id="f-body_${i}" name="body_${i}"`));
    }
    assert.doesNotMatch(html, /name="title_9"/);
    assert.match(html, /value="6\. Assinatura eletrônica"/);
    assert.match(html, /Código da oferta: \{\{plano\.codigo_oferta\}\}\.<\/textarea>/);
    assert.match(html, /<label for="f-note"/);
    assert.match(html, /name="_csrf" value="[^"]+"/);
    // Placeholders listed.
    for (
      const p of ["{{operadora.cnpj}}", "{{cliente.endereco}}", "{{versao}}", "{{tabela_multa}}"]
    ) {
      assert.ok(html.includes(p), p);
    }
    // Preview: the first plan and the sample customer, never anything unreplaced.
    const preview = html.slice(html.indexOf('data-testid="preview"'));
    assert.match(preview, /Fibra 300 Mega: 300 Mbps de download/);
    assert.match(preview, /Código da oferta: FIBRA-300/);
    assert.match(preview, /Maria Exemplo da Silva, CPF 529\.982\.247-25/);
    assert.match(preview, /<th scope="col">Meses restantes<\/th>/);
    assert.doesNotMatch(preview.slice(0, preview.indexOf("</article>")), /\{\{/);
    // History: version 1, the default text, by the system.
    assert.match(html, /data-testid="version-row"[^]*Sistema[^]*Texto padrão/);
  } finally {
    close();
  }
});

Deno.test("admin saves a new version; the old one stays and is shown in the history", async () => {
  const { app, db, close } = await testApp();
  try {
    const admin = await makeUser(db, "admin");
    const b = await signInAs(app, admin.username);
    const v1 = await getCurrentTemplate(db);
    const res = await postForm(
      app,
      "/admin/contract",
      defaultForm({
        body_3: "Cobrança mensal por PIX,\r\nboleto ou débito automático.",
        title_8: "9. Foro",
        body_8: "Fica eleito o foro da comarca do CONTRATANTE.",
        note: "Débito automático e foro",
        base: "1",
      }),
      b,
    );
    assert.equal(res.status, 303);
    assert.equal(res.headers.get("location"), "/admin/contract?ok=1");
    const v2 = await getCurrentTemplate(db);
    assert.equal(v2.version, 2);
    assert.equal(v2.sections.length, 9);
    assert.equal(v2.sections[3].body, "Cobrança mensal por PIX,\nboleto ou débito automático.");
    assert.equal(v2.sections[8].title, "9. Foro");
    assert.equal(v2.note, "Débito automático e foro");
    assert.equal(v2.createdBy, admin.name);
    assert.deepEqual(await getTemplateVersion(db, 1), v1);
    const events = await auditOf(db, "contract_template");
    assert.equal(events.at(-1)?.actor.id, `user:${admin.id}`);
    assert.deepEqual(events.at(-1)?.data, { version: 2 });

    // Clearing a section's title and body removes it from the next version.
    const drop = await postForm(
      app,
      "/admin/contract",
      defaultForm({ title_6: "", body_6: "", note: "Sem seção 7" }),
      b,
    );
    assert.equal(drop.status, 303);
    const v3 = await getCurrentTemplate(db);
    assert.equal(v3.version, 3);
    assert.deepEqual(v3.sections.map((s) => s.title).includes("7. Dados pessoais"), false);
    assert.equal(v3.sections.length, 7);

    const page = await app.request("/admin/contract?ok=1", { headers: { cookie: b.cookie } });
    const html = unescape(await page.text());
    assert.match(html, /Nova versão salva \(versão 3\)/);
    assert.equal(html.match(/data-testid="version-row"/g)?.length, 3);
    assert.match(html, /Sem seção 7[^]*Débito automático e foro[^]*Texto padrão/);
    // An old version can still be previewed.
    const old = unescape(
      await (await app.request("/admin/contract?versao=1", { headers: { cookie: b.cookie } }))
        .text(),
    );
    assert.match(old, /Pré-visualização da versão 1/);
    assert.match(old, /<h3 class="[^"]*">7\. Dados pessoais<\/h3>/);

    // A form opened before someone else's save is refused, keeping what was typed.
    const stale = await postForm(
      app,
      "/admin/contract",
      defaultForm({ body_3: "Texto antigo da cobrança.", base: "1" }),
      b,
    );
    assert.equal(stale.status, 409);
    assert.match(await stale.text(), /alterado por outra pessoa[^]*Texto antigo da cobrança\./);
    assert.equal((await getCurrentTemplate(db)).version, 3);
  } finally {
    close();
  }
});

Deno.test("bad input: 400 with pt-BR messages and the typed values; nothing is written", async () => {
  const { app, db, close } = await testApp();
  try {
    const admin = await makeUser(db, "admin");
    const b = await signInAs(app, admin.username);
    await getCurrentTemplate(db);
    const eventsBefore = (await auditOf(db, "contract_template")).length;
    const res = await postForm(
      app,
      "/admin/contract",
      defaultForm({
        body_1: "{{plano.nome}} por {{plano.preco}}; vendedor {{vendedor.nome}}.",
        title_5: "6. Assinatura",
        body_5: "O contrato é assinado pelo link.",
        title_8: "",
        body_8: "Seção sem título",
        note: "Tentativa ruim",
      }),
      b,
    );
    assert.equal(res.status, 400);
    const html = unescape(await res.text());
    assert.match(html, /Campo desconhecido: \{\{vendedor\.nome\}\}/);
    assert.match(html, /Conteúdo obrigatório ausente: \{\{plano\.codigo_oferta\}\}/);
    assert.match(html, /seção sobre a "assinatura eletrônica"/);
    assert.match(html, /Seção 9: informe o título/);
    // The message is tied to its field, and what was typed is shown again.
    assert.match(html, /aria-describedby="f-body_1-err"/);
    assert.match(html, /id="f-body_1-err"[^>]*>Seção 2: Campo desconhecido/);
    assert.match(html, /vendedor \{\{vendedor\.nome\}\}\.<\/textarea>/);
    assert.match(html, /value="Tentativa ruim"/);
    assert.match(html, /O texto não foi salvo/);

    const empty = await postForm(
      app,
      "/admin/contract",
      { title_0: " ", body_0: "", note: "" },
      b,
    );
    assert.equal(empty.status, 400);
    assert.match(await empty.text(), /pelo menos uma seção/);

    assert.deepEqual((await listTemplateVersions(db)).map((v) => v.version), [1]);
    assert.equal((await auditOf(db, "contract_template")).length, eventsBefore);
  } finally {
    close();
  }
});
