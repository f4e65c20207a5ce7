// Over 400 lines on purpose: the default contract text (legal prose in pt-BR) is most of the file; the code around it is small.
// The renewal contract's text as versioned templates an admin can edit. A template is a list of
// sections (title + pt-BR body with {{placeholders}}); every save is a new version and versions
// are never edited or deleted, so a signed contract can always be rendered again with the
// version it was signed with. Version 1 is the default below: the clauses terms.ts built in code.
//
// Body format: paragraphs are separated by a blank line; a single line break inside a
// paragraph becomes a space (the page, the PDF and the hash all see the same text). A line
// `{{tabela_multa}}` alone, as the last paragraph of its section, is where the fine table goes.
//
// Placeholders (formatted exactly as terms.ts formats them):
//   {{operadora.nome}}          provider's legal name
//   {{operadora.cnpj}}          provider's CNPJ, 11.444.777/0001-61
//   {{operadora.telefone}}      provider's phone, +55 (11) 4000-1234
//   {{operadora.email}}         provider's e-mail
//   {{operadora.site}}          provider's site
//   {{cliente.nome}}            customer's name
//   {{cliente.cpf}}             customer's CPF, 403.644.788-29
//   {{cliente.endereco}}        "Rua, número, bairro, Cidade/UF, CEP 00000-000"
//   {{cliente.telefones}}       customer's phones, comma separated
//   {{cliente.email}}           customer's e-mail
//   {{plano.nome}}              plan name
//   {{plano.download}}          download speed in Mbps (number only)
//   {{plano.upload}}            upload speed in Mbps (number only)
//   {{plano.preco}}             monthly price, R$ 119,90
//   {{plano.codigo_oferta}}     offer code
//   {{plano.beneficio}}         the loyalty benefit (text)
//   {{plano.valor_beneficio}}   the benefit's value, R$ 600,00
//   {{plano.meses_fidelidade}}  loyalty months (number only)
//   {{data}}                    contract date, 05/03/2026
//   {{cidade}}                  customer's city and state, "Ribeirão Preto/SP"
//   {{versao}}                  this template's version number
//   {{tabela_multa}}            (alone in a paragraph) the fine table
//
// KV (built in services/keys.ts): ["contract_templates", version] → ContractTemplate;
// ["meta", "contract_template_current"] → the current version number.
import type { Db } from "../db.ts";
import { keys } from "../keys.ts";
import { commitOrConflict } from "../db.ts";
import { addAudit } from "../audit.ts";
import { type Actor, SYSTEM } from "../../domain/actor.ts";
import { ConflictError, NotFoundError, ValidationError } from "../errors.ts";
import {
  formatCnpj,
  formatCpf,
  formatDate,
  formatMoney,
  formatPhone,
} from "../../domain/format.ts";
import { fineTable } from "../plans.ts";
import type { ContractData, ContractSection } from "./terms.ts";

export interface TemplateSection {
  title: string;
  body: string;
}

export interface ContractTemplate {
  version: number;
  /** ISO instant the version was saved. */
  createdAt: string;
  /** Name of who saved it (the audit event holds the full actor). */
  createdBy: string;
  note: string;
  sections: TemplateSection[];
}

/** A version without its text, for the history list. */
export type TemplateVersionSummary = Omit<ContractTemplate, "sections"> & {
  sectionCount: number;
};

export const AUDIT_SUBJECT = "contract_template";

export const TABLE_PLACEHOLDER = "tabela_multa";

/** Placeholder → how it is filled from the contract data (the order shown to admins). */
const FILL: Record<string, (d: ContractData, version: number) => string> = {
  "operadora.nome": (d) => d.provider.name,
  "operadora.cnpj": (d) => formatCnpj(d.provider.cnpj),
  "operadora.telefone": (d) => formatPhone(d.provider.phone),
  "operadora.email": (d) => d.provider.email,
  "operadora.site": (d) => d.provider.site,
  "cliente.nome": (d) => d.customer.name,
  "cliente.cpf": (d) => formatCpf(d.customer.cpf),
  "cliente.endereco": (d) => {
    const a = d.customer.address;
    return `${a.street}, ${a.number}, ${a.district}, ${a.city}/${a.state}, CEP ${a.zip}`;
  },
  "cliente.telefones": (d) => d.customer.phones.map(formatPhone).join(", "),
  "cliente.email": (d) => d.customer.email || "não informado",
  "plano.nome": (d) => d.plan.name,
  "plano.download": (d) => String(d.plan.downMbps),
  "plano.upload": (d) => String(d.plan.upMbps),
  "plano.preco": (d) => formatMoney(d.plan.priceCents),
  "plano.codigo_oferta": (d) => d.plan.offerCode,
  "plano.beneficio": (d) => d.plan.benefit,
  "plano.valor_beneficio": (d) => formatMoney(d.plan.benefitValueCents),
  "plano.meses_fidelidade": (d) => String(d.plan.loyaltyMonths),
  "data": (d) => formatDate(d.date),
  "cidade": (d) => `${d.customer.address.city}/${d.customer.address.state}`,
  "versao": (_d, version) => String(version),
};

/** Every placeholder with a pt-BR description, for the admin page. */
export const PLACEHOLDERS: ReadonlyArray<{ name: string; description: string }> = [
  { name: "operadora.nome", description: "Razão social da operadora" },
  { name: "operadora.cnpj", description: "CNPJ da operadora (00.000.000/0000-00)" },
  { name: "operadora.telefone", description: "Telefone de atendimento da operadora" },
  { name: "operadora.email", description: "E-mail de atendimento da operadora" },
  { name: "operadora.site", description: "Site da operadora" },
  { name: "cliente.nome", description: "Nome do cliente" },
  { name: "cliente.cpf", description: "CPF do cliente (000.000.000-00)" },
  { name: "cliente.endereco", description: "Endereço completo, com cidade/UF e CEP" },
  { name: "cliente.telefones", description: "Telefones do cliente, separados por vírgula" },
  { name: "cliente.email", description: "E-mail do cliente" },
  { name: "plano.nome", description: "Nome do plano" },
  { name: "plano.download", description: "Velocidade de download em Mbps (só o número)" },
  { name: "plano.upload", description: "Velocidade de upload em Mbps (só o número)" },
  { name: "plano.preco", description: "Mensalidade (R$ 0,00)" },
  { name: "plano.codigo_oferta", description: "Código da oferta (obrigatório)" },
  { name: "plano.beneficio", description: "Benefício dado pela fidelidade" },
  { name: "plano.valor_beneficio", description: "Valor do benefício (R$ 0,00)" },
  { name: "plano.meses_fidelidade", description: "Meses de fidelidade (obrigatório)" },
  { name: "data", description: "Data do contrato (dd/mm/aaaa)" },
  { name: "cidade", description: "Cidade/UF do cliente" },
  { name: "versao", description: "Número da versão deste texto" },
  {
    name: TABLE_PLACEHOLDER,
    description:
      "Tabela de multa por meses restantes; sozinha, no último parágrafo da seção (obrigatória)",
  },
];

/** Placeholders a template must use: the law requires them on the contract. */
export const REQUIRED_PLACEHOLDERS = [
  TABLE_PLACEHOLDER,
  "plano.codigo_oferta",
  "plano.meses_fidelidade",
  "cliente.cpf",
  "operadora.cnpj",
] as const;

export const REQUIRED_SIGNATURE_PHRASE = "assinatura eletrônica";

export const LIMITS = {
  titleMax: 120,
  bodyMax: 8000,
  noteMax: 300,
  sectionsMax: 40,
  /** Titles + bodies + note: keeps one version well inside KV's 64 KiB value limit. */
  totalMax: 28000,
} as const;

/** The clauses of terms.ts with placeholders: rendering this gives terms.ts's text. */
export const DEFAULT_TEMPLATE_SECTIONS: readonly TemplateSection[] = Object.freeze([
  {
    title: "1. Partes",
    body:
      "CONTRATADA: {{operadora.nome}}, CNPJ {{operadora.cnpj}}, atendimento {{operadora.telefone}}, {{operadora.email}}, {{operadora.site}}.\n\n" +
      "CONTRATANTE: {{cliente.nome}}, CPF {{cliente.cpf}}, residente em {{cliente.endereco}}; telefones {{cliente.telefones}}; e-mail {{cliente.email}}.",
  },
  {
    title: "2. Plano contratado",
    body:
      "{{plano.nome}}: {{plano.download}} Mbps de download e {{plano.upload}} Mbps de upload, por fibra óptica, pelo valor mensal de {{plano.preco}}. Código da oferta: {{plano.codigo_oferta}}.",
  },
  {
    title: "3. Fidelidade e benefício",
    body:
      'Em troca do benefício "{{plano.beneficio}}", no valor de {{plano.valor_beneficio}}, o CONTRATANTE aceita permanecer por {{plano.meses_fidelidade}} meses contados da data da assinatura.\n\n' +
      "Se cancelar antes do fim da fidelidade, pagará multa proporcional aos meses que faltarem, conforme a tabela abaixo (Resolução ANATEL nº 765/2023). Não há multa após o fim da fidelidade, nem quando o cancelamento decorrer de falha da CONTRATADA.\n\n" +
      "{{tabela_multa}}",
  },
  {
    title: "4. Cobrança",
    body:
      "As mensalidades são cobradas por boleto bancário ou PIX, com vencimento mensal. As novas faturas são enviadas ao CONTRATANTE após a assinatura.",
  },
  {
    title: "5. Cancelamento e atendimento",
    body:
      "O CONTRATANTE pode cancelar a qualquer momento, inclusive pela internet em {{operadora.site}}, pelo telefone {{operadora.telefone}} ou pelo e-mail {{operadora.email}}. Toda interação recebe um número de protocolo.",
  },
  {
    title: "6. Assinatura eletrônica",
    body:
      "As partes aceitam a assinatura eletrônica deste contrato (MP 2.200-2/2001, art. 10, § 2º; Lei 14.063/2020), feita por link pessoal enviado ao CONTRATANTE, após a verificação de titularidade por foto com documento. São registrados data, hora, endereço IP, navegador e o resumo criptográfico (SHA-256) deste documento.",
  },
  {
    title: "7. Dados pessoais",
    body:
      "Os dados pessoais são tratados para a execução deste contrato (LGPD, art. 7º, V). A foto com documento serve apenas para prevenir fraude e é apagada após o prazo de guarda.",
  },
  {
    title: "8. Data",
    body: "{{cidade}}, {{data}}. Versão do contrato: {{versao}}.",
  },
].map((s) => Object.freeze(s)));

// ---------------------------------------------------------------------------------------------
// Pure parts: parsing, rendering, validation.

/** `{{ name }}`: a placeholder; the name is everything between the braces, trimmed. */
// The name is trimmed in code: `\s*([^{}]*?)\s*` let the regex engine try every split of the
// blanks between the braces — cubic, a minute for 4,000 spaces (issue #14). This is linear.
const PLACEHOLDER_RE = /\{\{([^{}]*)\}\}/g;
const TABLE_PARAGRAPH_RE = /^\{\{\s*tabela_multa\s*\}\}$/;
// deno-lint-ignore no-control-regex
const CONTROL_RE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

/** Line endings to \n and surrounding blanks trimmed: how bodies are stored. */
export function normalizeBody(body: string): string {
  return body.replace(/\r\n?/g, "\n").trim();
}

/** Paragraphs of a body: split at blank lines; single line breaks become spaces. */
export function paragraphsOf(body: string): string[] {
  return normalizeBody(body)
    .split(/\n[ \t]*\n/)
    .map((p) =>
      p.split("\n")
        .map((line) => line.trim())
        .filter(Boolean)
        .join(" ")
    )
    .filter(Boolean);
}

/** Placeholder names used in a text, in order, duplicates kept. */
export function placeholdersIn(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER_RE)].map((m) => m[1].trim());
}

/** Renders a template with the contract data. Pure: same input, same sections. */
export function renderTemplate(
  t: { version: number; sections: readonly TemplateSection[] },
  data: ContractData,
): ContractSection[] {
  const fill = (text: string) =>
    // One pass with a callback: values (a customer's name…) are never scanned again.
    text.replace(PLACEHOLDER_RE, (whole, inner: string) => {
      const f = FILL[inner.trim()];
      return f ? f(data, t.version) : whole;
    });
  return t.sections.map((s) => {
    const out: ContractSection = { title: s.title.trim(), paragraphs: [] };
    for (const p of paragraphsOf(s.body)) {
      if (TABLE_PARAGRAPH_RE.test(p)) {
        out.table = {
          head: ["Meses restantes", "Multa"],
          rows: fineTable(data.plan).map((r) => [String(r.monthsLeft), formatMoney(r.fineCents)]),
        };
      } else {
        out.paragraphs.push(fill(p));
      }
    }
    return out;
  });
}

function lower(s: string): string {
  return s.normalize("NFC").toLocaleLowerCase("pt-BR");
}

/**
 * Checks a template and returns it normalized (titles trimmed, bodies with \n line endings).
 * Throws ValidationError with pt-BR messages keyed `title_N` / `body_N` (N = index in
 * `sections`), `sections`, `required`, `signature`, `note`.
 */
export function validateTemplate(
  sections: readonly Partial<TemplateSection>[],
  note = "",
): TemplateSection[] {
  const f: Record<string, string> = {};
  const out: TemplateSection[] = sections.map((s) => ({
    title: (s.title ?? "").trim(),
    body: normalizeBody(s.body ?? ""),
  }));
  if (!out.length) f.sections = "O contrato precisa de pelo menos uma seção.";
  if (out.length > LIMITS.sectionsMax) {
    f.sections = `O contrato pode ter no máximo ${LIMITS.sectionsMax} seções.`;
  }

  const used = new Set<string>();
  let tables = 0;
  out.forEach((s, i) => {
    const n = i + 1;
    if (s.title.length < 1 || s.title.length > LIMITS.titleMax) {
      f[`title_${i}`] = `Seção ${n}: informe o título (1 a ${LIMITS.titleMax} caracteres).`;
    } else if (s.title.includes("{{") || s.title.includes("}}")) {
      f[`title_${i}`] = `Seção ${n}: o título não aceita campos {{…}}; use-os no texto.`;
    } else if (CONTROL_RE.test(s.title)) {
      f[`title_${i}`] = `Seção ${n}: o título tem caracteres inválidos.`;
    }

    const problems: string[] = [];
    if (s.body.length < 1 || s.body.length > LIMITS.bodyMax) {
      problems.push(`informe o texto (1 a ${LIMITS.bodyMax} caracteres).`);
    }
    if (CONTROL_RE.test(s.body)) problems.push("o texto tem caracteres inválidos.");
    const unknown = new Set<string>();
    for (const name of placeholdersIn(s.body)) {
      if (name in FILL || name === TABLE_PLACEHOLDER) used.add(name);
      else unknown.add(name);
    }
    for (const name of unknown) problems.push(`Campo desconhecido: {{${name}}}.`);
    // Braces left after taking out well-formed placeholders: a typo such as "{{cliente.nome}".
    if (/\{\{|\}\}/.test(s.body.replace(PLACEHOLDER_RE, ""))) {
      problems.push("há chaves {{ }} incompletas; escreva os campos como {{cliente.nome}}.");
    }
    const paras = paragraphsOf(s.body);
    paras.forEach((p, j) => {
      const inline = placeholdersIn(p).includes(TABLE_PLACEHOLDER);
      if (!inline) return;
      tables++;
      if (!TABLE_PARAGRAPH_RE.test(p)) {
        problems.push(
          "{{tabela_multa}} deve ficar sozinho em um parágrafo (com uma linha em branco antes).",
        );
      } else if (j !== paras.length - 1) {
        problems.push("{{tabela_multa}} deve ser o último parágrafo da seção.");
      }
    });
    if (problems.length) f[`body_${i}`] = `Seção ${n}: ${problems.join(" ")}`;
  });
  if (tables > 1) f.table = "Use {{tabela_multa}} uma única vez no contrato.";

  if (out.length) {
    const missing = REQUIRED_PLACEHOLDERS.filter((name) => !used.has(name));
    if (missing.length) {
      f.required = `Conteúdo obrigatório ausente: ${
        missing.map((m) => `{{${m}}}`).join(", ")
      }. A lei exige a tabela de multa, o código da oferta, os meses de fidelidade, o CPF do cliente e o CNPJ da operadora no contrato.`;
    }
    const phrase = lower(REQUIRED_SIGNATURE_PHRASE);
    if (!out.some((s) => lower(`${s.title}\n${s.body}`).includes(phrase))) {
      f.signature =
        'O contrato precisa de uma seção sobre a "assinatura eletrônica" (como o cliente assina).';
    }
  }

  const trimmedNote = note.trim();
  if (trimmedNote.length > LIMITS.noteMax) {
    f.note = `A nota pode ter no máximo ${LIMITS.noteMax} caracteres.`;
  } else if (CONTROL_RE.test(trimmedNote)) {
    f.note = "A nota tem caracteres inválidos.";
  }
  const total = trimmedNote.length + out.reduce((n, s) => n + s.title.length + s.body.length, 0);
  if (total > LIMITS.totalMax && !f.sections) {
    f.sections = `O contrato inteiro pode ter no máximo ${LIMITS.totalMax} caracteres.`;
  }

  if (Object.keys(f).length) throw new ValidationError(f);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Storage.

async function readCurrentPointer(db: Db): Promise<Deno.KvEntryMaybe<number>> {
  return await db.kv.get<number>(keys.contractTemplateCurrent());
}

/** The current template; on an empty store, stores the default as version 1 first. */
export async function getCurrentTemplate(db: Db): Promise<ContractTemplate> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const pointer = await readCurrentPointer(db);
    if (pointer.value !== null) {
      const t = await getTemplateVersion(db, pointer.value);
      if (!t) throw new Error(`contract template ${pointer.value} is missing`);
      return t;
    }
    const first: ContractTemplate = {
      version: 1,
      createdAt: db.now().toISOString(),
      createdBy: SYSTEM.name,
      note: "Texto padrão",
      sections: DEFAULT_TEMPLATE_SECTIONS.map((s) => ({ ...s })),
    };
    const op = db.kv.atomic()
      .check({ key: keys.contractTemplateCurrent(), versionstamp: null })
      .check({ key: keys.contractTemplate(1), versionstamp: null })
      .set(keys.contractTemplate(1), first)
      .set(keys.contractTemplateCurrent(), 1);
    addAudit(db, op, AUDIT_SUBJECT, "contract_template.saved", SYSTEM, {
      version: 1,
      default: true,
    });
    if ((await op.commit()).ok) return first;
    // Someone else created it at the same moment: read theirs.
  }
  throw new ConflictError("O texto do contrato está sendo criado; tente de novo.");
}

export async function getTemplateVersion(
  db: Db,
  version: number,
): Promise<ContractTemplate | null> {
  if (!Number.isSafeInteger(version) || version < 1) return null;
  return (await db.kv.get<ContractTemplate>(keys.contractTemplate(version))).value;
}

/** Versions, newest first, without their text. */
export async function listTemplateVersions(
  db: Db,
  opts: { limit?: number } = {},
): Promise<TemplateVersionSummary[]> {
  const out: TemplateVersionSummary[] = [];
  const iter = db.kv.list<ContractTemplate>(
    { prefix: keys.contractTemplates() },
    { reverse: true, limit: opts.limit ?? 100 },
  );
  for await (const e of iter) {
    const { sections, ...rest } = e.value;
    out.push({ ...rest, sectionCount: sections.length });
  }
  return out;
}

/**
 * Saves a new version (current + 1) and makes it current, with its audit event, in one atomic.
 * `baseVersion`, when given, is the version the editor started from: if another version was
 * saved since, the save is refused (ConflictError) instead of silently replacing it.
 */
export async function saveTemplateVersion(
  db: Db,
  sections: readonly Partial<TemplateSection>[],
  note: string,
  actor: Actor,
  opts: { baseVersion?: number } = {},
): Promise<ContractTemplate> {
  const clean = validateTemplate(sections, note);
  // Version 1 is always the default text, so the history starts where terms.ts left off.
  await getCurrentTemplate(db);
  const pointer = await readCurrentPointer(db);
  const current = pointer.value ?? 0;
  if (opts.baseVersion !== undefined && opts.baseVersion !== current) {
    throw new ConflictError(
      `O texto do contrato foi alterado por outra pessoa (versão ${current}); recarregue a página.`,
    );
  }
  const version = current + 1;
  const template: ContractTemplate = {
    version,
    createdAt: db.now().toISOString(),
    createdBy: actor.name,
    note: note.trim(),
    sections: clean,
  };
  const op = db.kv.atomic()
    .check(pointer)
    .check({ key: keys.contractTemplate(version), versionstamp: null })
    .set(keys.contractTemplate(version), template)
    .set(keys.contractTemplateCurrent(), version);
  addAudit(db, op, AUDIT_SUBJECT, "contract_template.saved", actor, { version });
  await commitOrConflict(
    op,
    "O texto do contrato foi alterado por outra pessoa ao mesmo tempo; recarregue a página.",
  );
  return template;
}

/** The contract's sections with the given version's text, or the current one's. */
export async function sectionsForContract(
  db: Db,
  data: ContractData,
  version?: number,
): Promise<{ version: number; sections: ContractSection[] }> {
  const t = version === undefined
    ? await getCurrentTemplate(db)
    : await getTemplateVersion(db, version);
  if (!t) throw new NotFoundError(`Versão ${version} do contrato não encontrada.`);
  return { version: t.version, sections: renderTemplate(t, data) };
}
