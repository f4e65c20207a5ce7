import assert from "node:assert/strict";
import { testDb } from "../helpers.ts";
import type { Db } from "../../services/db.ts";
import { DATA } from "../contract/fixtures.ts";
import { contractSections, contractText } from "../../services/contract/terms.ts";
import {
  type ContractTemplate,
  DEFAULT_TEMPLATE_SECTIONS,
  getCurrentTemplate,
  getTemplateVersion,
  LIMITS,
  listTemplateVersions,
  PLACEHOLDERS,
  renderTemplate,
  saveTemplateVersion,
  sectionsForContract,
  type TemplateSection,
  validateTemplate,
} from "../../services/contract/templates.ts";
import { keys } from "../../services/keys.ts";
import { auditOf } from "../../services/audit.ts";
import { staffActor, SYSTEM } from "../../domain/actor.ts";
import { ConflictError, NotFoundError, ValidationError } from "../../services/errors.ts";

const ADMIN = staffActor({ id: "01ADMIN", name: "Ana Admin", role: "admin" }, { ip: "127.0.0.1" });

function defaults(): TemplateSection[] {
  return DEFAULT_TEMPLATE_SECTIONS.map((s) => ({ ...s }));
}

function fieldsOf(fn: () => unknown): Record<string, string> {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof ValidationError, String(e));
    return e.fields;
  }
  assert.fail("expected a ValidationError");
}

async function rejectsWithFields(p: Promise<unknown>): Promise<Record<string, string>> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof ValidationError, String(e));
    return e.fields;
  }
  assert.fail("expected a ValidationError");
}

/** Every key the store holds, to prove a refused save wrote nothing. */
async function dump(db: Awaited<ReturnType<typeof testDb>>) {
  const out: string[] = [];
  for await (const e of db.kv.list({ prefix: [] })) {
    out.push(JSON.stringify([e.key, e.versionstamp]));
  }
  return out;
}

/**
 * The same store, but the first `n` atomics wait for each other before committing: every
 * caller has done its reads by then, so the race is real on every run, not by luck.
 */
function racingDb(db: Db, n: number): Db {
  let waiting = 0;
  let release!: () => void;
  const all = new Promise<void>((r) => (release = r));
  const atomic = () => {
    const op = db.kv.atomic();
    const commit = op.commit.bind(op);
    op.commit = async () => {
      if (waiting < n) {
        if (++waiting === n) release();
        await all;
      }
      return await commit();
    };
    return op;
  };
  const kv = new Proxy(db.kv, {
    get: (target, prop) => {
      if (prop === "atomic") return atomic;
      const v = Reflect.get(target, prop);
      return typeof v === "function" ? v.bind(target) : v;
    },
  });
  return { ...db, kv };
}

Deno.test("the default template renders the same text terms.ts builds", () => {
  const legacy = contractSections(DATA);
  const rendered = renderTemplate({ version: 1, sections: DEFAULT_TEMPLATE_SECTIONS }, DATA);
  // Identical except the version label: terms.ts printed its constant "2026.1", templates
  // print their own version number.
  const last = legacy.length - 1;
  assert.deepEqual(rendered.slice(0, last), legacy.slice(0, last));
  assert.deepEqual(rendered[last], {
    ...legacy[last],
    paragraphs: [
      legacy[last].paragraphs[0].replace("Versão do contrato: 2026.1.", "Versão do contrato: 1."),
    ],
  });
  assert.equal(
    rendered[last].paragraphs[0],
    "Ribeirão Preto/SP, 05/03/2026. Versão do contrato: 1.",
  );
  // With the legacy label as the version, even the canonical text (what the hash covers) matches.
  const same = renderTemplate({ version: 2026.1, sections: DEFAULT_TEMPLATE_SECTIONS }, DATA);
  assert.equal(contractText(same), contractText(legacy));
  // The fine table is the section's table, with terms.ts's head and rows.
  assert.deepEqual(rendered[2].table?.head, ["Meses restantes", "Multa"]);
  assert.equal(rendered[2].table?.rows.length, 12);
  assert.deepEqual(rendered[2].table?.rows[0], ["12", "R$ 600,00"]);
});

Deno.test("a customer without an e-mail reads 'e-mail não informado', never 'e-mail .'", () => {
  const d = { ...DATA, customer: { ...DATA.customer, email: "" } };
  for (
    const text of [
      contractText(contractSections(d)),
      contractText(renderTemplate({ version: 1, sections: DEFAULT_TEMPLATE_SECTIONS }, d)),
    ]
  ) {
    assert.match(text, /e-mail não informado\./);
    assert.doesNotMatch(text, /e-mail \./);
  }
});

Deno.test("every placeholder is replaced; values are not scanned again", () => {
  const body = PLACEHOLDERS.filter((p) => p.name !== "tabela_multa")
    .map((p) => `${p.name}=[{{${p.name}}}]`).join("\n\n");
  const data = {
    ...DATA,
    customer: {
      ...DATA.customer,
      name: "Zé {{cliente.cpf}}",
      phones: ["5516991234567", "551633334444"],
    },
  };
  const [s] = renderTemplate({ version: 7, sections: [{ title: "Tudo", body }] }, data);
  const text = s.paragraphs.join("\n");
  assert.doesNotMatch(text.replace("Zé {{cliente.cpf}}", ""), /\{\{|\}\}/);
  assert.match(text, /^operadora\.cnpj=\[11\.444\.777\/0001-61\]$/m);
  assert.match(text, /^operadora\.telefone=\[\+55 \(11\) 4000-1234\]$/m);
  assert.match(text, /^cliente\.nome=\[Zé \{\{cliente\.cpf\}\}\]$/m);
  assert.match(text, /^cliente\.cpf=\[403\.644\.788-29\]$/m);
  assert.match(
    text,
    /^cliente\.endereco=\[Rua das Acácias, 1200, Jardim São Luís, Ribeirão Preto\/SP, CEP 14020-260\]$/m,
  );
  assert.match(text, /^cliente\.telefones=\[\+55 \(16\) 99123-4567, \+55 \(16\) 3333-4444\]$/m);
  assert.match(text, /^plano\.preco=\[R\$ 119,90\]$/m);
  assert.match(text, /^plano\.valor_beneficio=\[R\$ 600,00\]$/m);
  assert.match(text, /^plano\.meses_fidelidade=\[12\]$/m);
  assert.match(text, /^plano\.download=\[600\]$/m);
  assert.match(text, /^data=\[05\/03\/2026\]$/m);
  assert.match(text, /^cidade=\[Ribeirão Preto\/SP\]$/m);
  assert.match(text, /^versao=\[7\]$/m);
  assert.equal(s.table, undefined);
});

Deno.test("paragraphs split at blank lines; CRLF and single line breaks are normalized", () => {
  const [s] = renderTemplate({
    version: 1,
    sections: [{ title: " T ", body: "um\r\ndois\r\n\r\n  \r\ntrês\r\n\r\n{{tabela_multa}}" }],
  }, DATA);
  assert.deepEqual(s.title, "T");
  assert.deepEqual(s.paragraphs, ["um dois", "três"]);
  assert.ok(s.table);
});

Deno.test("unknown placeholders and missing required content are refused in pt-BR", () => {
  const unknown = defaults();
  unknown[1] = { ...unknown[1], body: unknown[1].body + " Vendedor: {{vendedor.nome}}." };
  const f1 = fieldsOf(() => validateTemplate(unknown));
  assert.match(f1.body_1, /Campo desconhecido: \{\{vendedor\.nome\}\}/);

  const typo = defaults();
  typo[0] = { ...typo[0], body: typo[0].body + " {{cliente.nome}" };
  assert.match(fieldsOf(() => validateTemplate(typo)).body_0, /chaves \{\{ \}\} incompletas/);

  // Each required item, taken out alone, is named in the message.
  for (
    const name of [
      "tabela_multa",
      "plano.codigo_oferta",
      "plano.meses_fidelidade",
      "cliente.cpf",
      "operadora.cnpj",
    ]
  ) {
    const s = defaults().map((x) => ({ ...x, body: x.body.replaceAll(`{{${name}}}`, "X") }));
    const f = fieldsOf(() => validateTemplate(s));
    assert.match(
      f.required,
      new RegExp(`Conteúdo obrigatório ausente: .*\\{\\{${name.replace(".", "\\.")}\\}\\}`),
    );
  }

  const noSig = defaults().filter((s) => !/assinatura eletrônica/i.test(s.title + s.body));
  assert.equal(noSig.length, 7);
  assert.match(fieldsOf(() => validateTemplate(noSig)).signature, /assinatura eletrônica/);
  // Case-insensitive, in the title or the body.
  const upper = [...noSig, { title: "ASSINATURA ELETRÔNICA", body: "Vale a assinatura por link." }];
  assert.equal(validateTemplate(upper).length, 8);

  assert.match(fieldsOf(() => validateTemplate([])).sections, /pelo menos uma seção/);
  const lengths = defaults();
  lengths[0] = { title: "", body: "x".repeat(LIMITS.bodyMax + 1) };
  lengths[3] = { title: "t".repeat(121), body: "  " };
  const f2 = fieldsOf(() => validateTemplate(lengths));
  assert.match(f2.title_0, /Seção 1: informe o título \(1 a 120 caracteres\)/);
  assert.match(f2.body_0, /informe o texto \(1 a 8000 caracteres\)/);
  assert.match(f2.title_3, /Seção 4/);
  assert.match(f2.body_3, /Seção 4: informe o texto/);

  const inline = defaults();
  inline[2] = {
    ...inline[2],
    body: inline[2].body.replace("\n\n{{tabela_multa}}", " {{tabela_multa}}"),
  };
  assert.match(fieldsOf(() => validateTemplate(inline)).body_2, /sozinho em um parágrafo/);
  const notLast = defaults();
  notLast[2] = { ...notLast[2], body: notLast[2].body + "\n\nDepois da tabela." };
  assert.match(fieldsOf(() => validateTemplate(notLast)).body_2, /último parágrafo/);
  const twice = defaults();
  twice[3] = { ...twice[3], body: twice[3].body + "\n\n{{tabela_multa}}" };
  assert.match(fieldsOf(() => validateTemplate(twice)).table, /uma única vez/);

  assert.deepEqual(validateTemplate(defaults()), defaults());
});

Deno.test("refused saves write nothing", async () => {
  await using db = await testDb();
  await getCurrentTemplate(db);
  const before = await dump(db);
  const bad = defaults();
  bad[5] = { title: "6. Assinatura", body: "Assinatura com {{x}}." };
  const f = await rejectsWithFields(saveTemplateVersion(db, bad, "", ADMIN));
  assert.match(f.body_5, /Campo desconhecido: \{\{x\}\}/);
  assert.match(f.signature, /assinatura eletrônica/);
  const missing = defaults().map((s) => ({
    ...s,
    body: s.body.replaceAll("{{cliente.cpf}}", ""),
  }));
  await rejectsWithFields(saveTemplateVersion(db, missing, "", ADMIN));
  assert.deepEqual(await dump(db), before);
  assert.equal((await getCurrentTemplate(db)).version, 1);
});

Deno.test("versions increment; old versions stay readable and unchanged", async () => {
  let clock = new Date("2026-03-01T12:00:00Z");
  await using db = await testDb(() => clock);
  const v1 = await getCurrentTemplate(db);
  assert.equal(v1.version, 1);
  assert.equal(v1.createdBy, SYSTEM.name);
  assert.deepEqual(v1.sections, defaults());
  const v1Raw = await db.kv.get(keys.contractTemplate(1));

  clock = new Date("2026-03-02T12:00:00Z");
  const edited = defaults();
  edited[3] = { title: "4. Cobrança", body: "Cobrança por PIX, boleto ou débito automático." };
  const v2 = await saveTemplateVersion(db, edited, "  Débito automático  ", ADMIN);
  assert.equal(v2.version, 2);
  assert.equal(v2.note, "Débito automático");
  assert.equal(v2.createdBy, "Ana Admin");
  assert.equal(v2.createdAt, "2026-03-02T12:00:00.000Z");

  clock = new Date("2026-03-03T12:00:00Z");
  const v3 = await saveTemplateVersion(
    db,
    [...edited, { title: "9. Foro", body: "Foro da comarca do CONTRATANTE." }],
    "Foro",
    ADMIN,
    { baseVersion: 2 },
  );
  assert.equal(v3.version, 3);
  assert.equal((await getCurrentTemplate(db)).version, 3);

  // Old versions: same stored entry (never rewritten), same text.
  const again = await db.kv.get(keys.contractTemplate(1));
  assert.equal(again.versionstamp, v1Raw.versionstamp);
  assert.deepEqual(await getTemplateVersion(db, 1), v1);
  assert.deepEqual((await getTemplateVersion(db, 2))?.sections, edited);
  assert.equal(await getTemplateVersion(db, 4), null);
  assert.equal(await getTemplateVersion(db, 0), null);

  const list = await listTemplateVersions(db);
  assert.deepEqual(list.map((v) => v.version), [3, 2, 1]);
  assert.deepEqual(list.map((v) => v.note), ["Foro", "Débito automático", "Texto padrão"]);
  assert.equal(list[0].sectionCount, 9);
  assert.equal("sections" in list[0], false);

  // A contract keeps its version's text; without a version, the current one is used.
  const old = await sectionsForContract(db, DATA, 1);
  assert.equal(old.version, 1);
  assert.deepEqual(old.sections.slice(0, 7), contractSections(DATA).slice(0, 7));
  const cur = await sectionsForContract(db, DATA);
  assert.equal(cur.version, 3);
  assert.equal(cur.sections.length, 9);
  assert.equal(cur.sections[3].paragraphs[0], "Cobrança por PIX, boleto ou débito automático.");
  assert.match(cur.sections[7].paragraphs[0], /Versão do contrato: 3\.$/);
  await assert.rejects(sectionsForContract(db, DATA, 99), NotFoundError);

  // A stale editor (started from version 2) is refused instead of replacing version 3.
  await assert.rejects(
    saveTemplateVersion(db, edited, "", ADMIN, { baseVersion: 2 }),
    ConflictError,
  );

  const events = await auditOf(db, "contract_template");
  assert.deepEqual(events.map((e) => e.data?.version), [1, 2, 3]);
  assert.ok(events.every((e) => e.action === "contract_template.saved"));
  assert.equal(events[1].actor.id, ADMIN.id);
});

Deno.test("concurrent saves: exactly one wins, the other gets ConflictError", async () => {
  await using db = await testDb();
  await getCurrentTemplate(db);
  const a = defaults();
  a[6] = { ...a[6], body: a[6].body + " (A)" };
  const b = defaults();
  b[6] = { ...b[6], body: b[6].body + " (B)" };
  const racing = racingDb(db, 2);
  const results = await Promise.allSettled([
    saveTemplateVersion(racing, a, "A", ADMIN),
    saveTemplateVersion(racing, b, "B", { ...ADMIN, id: "user:02", name: "Bruno" }),
  ]);
  const won = results.filter((r) => r.status === "fulfilled");
  const lost = results.filter((r) => r.status === "rejected");
  assert.equal(won.length, 1);
  assert.equal(lost.length, 1);
  assert.ok((lost[0] as PromiseRejectedResult).reason instanceof ConflictError);
  const winner = (won[0] as PromiseFulfilledResult<ContractTemplate>).value;
  assert.equal(winner.version, 2);
  assert.deepEqual(await listTemplateVersions(db).then((l) => l.map((v) => v.version)), [2, 1]);
  assert.deepEqual(await getCurrentTemplate(db), winner);
  assert.equal((await auditOf(db, "contract_template")).length, 2);
});

Deno.test("getCurrentTemplate on an empty store creates version 1 once, even concurrently", async () => {
  await using db = await testDb();
  assert.equal((await db.kv.get(keys.contractTemplateCurrent())).value, null);
  const racing = racingDb(db, 8);
  const all = await Promise.all(Array.from({ length: 8 }, () => getCurrentTemplate(racing)));
  assert.ok(all.every((t) => t.version === 1));
  assert.deepEqual((await listTemplateVersions(db)).map((v) => v.version), [1]);
  assert.equal((await db.kv.get(keys.contractTemplateCurrent())).value, 1);
  assert.equal((await auditOf(db, "contract_template")).length, 1);
  // A save on an empty store keeps version 1 as the default text.
  const db2 = await testDb();
  try {
    const first = await saveTemplateVersion(db2, defaults(), "Primeira edição", ADMIN);
    assert.equal(first.version, 2);
    assert.deepEqual((await getTemplateVersion(db2, 1))?.sections, defaults());
  } finally {
    db2.kv.close();
  }
});

Deno.test("the largest template validation accepts still fits in one KV value", async () => {
  await using db = await testDb();
  // Two-byte characters (em dash) so V8 stores the strings as UTF-16: the worst case.
  const sections = defaults();
  const used = sections.reduce((n, s) => n + s.title.length + s.body.length, 0);
  const room = LIMITS.totalMax - used - LIMITS.noteMax;
  for (let i = 0; i * LIMITS.bodyMax < room; i++) {
    const len = Math.min(LIMITS.bodyMax, room - i * LIMITS.bodyMax);
    sections.push({ title: `Anexo ${i + 1} —`, body: "—".repeat(len - 9) });
  }
  const note = "—".repeat(LIMITS.noteMax);
  const saved = await saveTemplateVersion(db, sections, note, ADMIN);
  assert.equal((await getTemplateVersion(db, saved.version))?.sections.length, sections.length);
  // One more character is refused with a message, not a KV error.
  sections.push({ title: "Mais", body: "—".repeat(50) });
  const f = await rejectsWithFields(saveTemplateVersion(db, sections, note, ADMIN));
  assert.match(f.sections, /no máximo 28000 caracteres/);
});
