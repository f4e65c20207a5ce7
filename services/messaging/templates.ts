// Over 400 lines on purpose: the default texts (130 lines of pt-BR prose) sit next to the renderer and validator that fall back to them.
// The texts customers receive, as admin-editable templates (pt-BR). Each save is a new version
// (kept for history); the current version's full text also sits under one key so rendering a
// message is one read. With nothing saved, the defaults below apply: they reproduce exactly
// the texts the product shipped with (tests/messaging/legacy_texts.ts), so switching call sites to
// renderMessage() changed no message.
//
// Placeholders are {{name}}; each template accepts its own list (the caller supplies all of
// them) and requires the ones without which the message is useless (the link, the code).
// A line made only of placeholders that come out empty is dropped (no invoices → no line).
import type { Db } from "../db.ts";
import { commitOrConflict } from "../db.ts";
import { keys } from "../keys.ts";
import { addAudit } from "../audit.ts";
import { type Actor } from "../../domain/actor.ts";
import { ConflictError, ValidationError } from "../errors.ts";
import { formatDate, formatMoney } from "../../domain/format.ts";
import type { Invoice } from "../invoices.ts";

export const TEMPLATE_NAMES = [
  "first_contact",
  "reminder_1",
  "reminder_2",
  "link_expiring",
  "photo_rejected",
  "contact_code",
  "signing_link",
  "sign_code",
  "signed_contract",
  "protocol",
  "all_set",
  "pix_auto_cancelled",
  "pix_auto_charge_failed",
  "erp_invoices",
] as const;
export type TemplateName = typeof TEMPLATE_NAMES[number];

/** Every placeholder, with what it holds (shown to admins). */
export const VARIABLES: Record<string, string> = {
  nome: "Primeiro nome do cliente",
  operadora: "Nome da operadora",
  link: "Link pessoal do cliente (https://…/r/…)",
  motivo: "Motivo da recusa da foto",
  codigo: "Código de 6 dígitos",
  protocolo: "Número do protocolo do atendimento",
  data: "Data (dd/mm/aaaa)",
  validade: "Data em que o link expira (dd/mm/aaaa)",
  faturas: "Lista das novas faturas, uma por linha",
  sha256: "Resumo SHA-256 do contrato assinado",
  verificacao: "Endereço para conferir a autenticidade do contrato",
  ativacao: "Como o novo plano fica ativo: já ativo, ou desligar e ligar o roteador",
  pagamento: "Pix Automático: o código para autorizar, ou que as mensalidades já são debitadas",
};

/** The all-set message's activation line, from how the new speed reached the network. */
export function activationText(o: { outcome: string } | undefined): string {
  if (o?.outcome === "coa_ack") {
    return "Seu novo plano já está ativo: não precisa desligar o roteador.";
  }
  if (o?.outcome === "disconnect_ack") {
    return "Seu novo plano já está ativo: sua conexão foi reiniciada e volta em instantes.";
  }
  return "Para ativar o novo plano, desligue o roteador da tomada por 5 minutos e ligue de novo.";
}

export interface TemplateSpec {
  label: string;
  /** Placeholders this template may use; callers of renderMessage supply all of them. */
  vars: readonly string[];
  required: readonly string[];
  subject: string;
  body: string;
}

const OPT_OUT = "Para não receber mais lembretes, responda SAIR.";

export const DEFAULT_TEMPLATES: Readonly<Record<TemplateName, TemplateSpec>> = {
  first_contact: {
    label: "Primeiro contato (link pessoal)",
    vars: ["nome", "operadora", "link"],
    required: ["link"],
    subject: "{{operadora}}: renove seu plano",
    body: "Olá, {{nome}}! Sua fidelidade com a {{operadora}} está terminando. Preparamos " +
      "novos planos para você. Veja e escolha pelo seu link pessoal (não compartilhe): {{link}}",
  },
  reminder_1: {
    label: "Lembrete 1 (sem resposta após o link; padrão 24 h)",
    vars: ["nome", "operadora", "link", "validade"],
    required: ["link"],
    subject: "{{operadora}}: seus novos planos esperam por você",
    body: "Olá, {{nome}}! Você ainda não escolheu seu novo plano da {{operadora}}. É rápido: " +
      `veja as opções pelo seu link pessoal: {{link}}\n${OPT_OUT}`,
  },
  reminder_2: {
    label: "Lembrete 2 (padrão 72 h)",
    vars: ["nome", "operadora", "link", "validade"],
    required: ["link"],
    subject: "{{operadora}}: sua renovação continua disponível",
    body: "Olá, {{nome}}! Sua renovação com a {{operadora}} continua disponível até " +
      `{{validade}}. Escolha seu plano pelo seu link pessoal: {{link}}\n${OPT_OUT}`,
  },
  link_expiring: {
    label: "Link perto de expirar",
    vars: ["nome", "operadora", "link", "validade"],
    required: ["link", "validade"],
    subject: "Seu link de renovação expira em {{validade}}",
    body: "Olá, {{nome}}! Seu link pessoal para renovar com a {{operadora}} expira em " +
      `{{validade}}. Conclua antes disso: {{link}}\n${OPT_OUT}`,
  },
  photo_rejected: {
    label: "Foto do titular recusada",
    vars: ["nome", "motivo", "link"],
    required: ["link"],
    subject: "Precisamos de uma nova foto",
    body:
      "Olá, {{nome}}. Não conseguimos confirmar sua foto: {{motivo}}. Envie outra pelo seu link: {{link}}",
  },
  contact_code: {
    label: "Código de confirmação de e-mail/telefone",
    vars: ["codigo"],
    required: ["codigo"],
    subject: "Código de confirmação",
    body:
      "Seu código de confirmação é {{codigo}}. Ele vale por 10 minutos. Não compartilhe este código.",
  },
  signing_link: {
    label: "Link de assinatura",
    vars: ["nome", "link"],
    required: ["link"],
    subject: "Seu contrato está pronto para assinar",
    body:
      "Olá, {{nome}}! Seu novo contrato está pronto. Leia e assine pelo seu link pessoal: {{link}}",
  },
  sign_code: {
    label: "Código de assinatura",
    vars: ["codigo"],
    required: ["codigo"],
    subject: "Código para assinar o contrato",
    body:
      "Seu código para assinar o contrato é {{codigo}}. Ele vale por 5 minutos. Não compartilhe este código.",
  },
  signed_contract: {
    label: "Contrato assinado",
    vars: ["nome", "link", "sha256", "verificacao"],
    required: ["link"],
    subject: "Seu contrato assinado",
    body:
      "Olá, {{nome}}! Seu contrato foi assinado. Baixe sua via em PDF: {{link}}/contrato.pdf\n" +
      "Resumo SHA-256 do arquivo: {{sha256}}. Confira a autenticidade em {{verificacao}}",
  },
  protocol: {
    label: "Número de protocolo",
    vars: ["protocolo", "data"],
    required: ["protocolo"],
    subject: "Protocolo {{protocolo}}",
    body:
      "Recebemos sua assinatura. O protocolo do seu atendimento de renovação é {{protocolo}}, de {{data}}.",
  },
  all_set: {
    label: "Tudo pronto (roteador e faturas)",
    vars: ["nome", "protocolo", "faturas", "link", "ativacao", "pagamento"],
    required: ["link"],
    subject: "Renovação concluída",
    body: [
      "Tudo pronto, {{nome}}! Sua renovação foi concluída (protocolo {{protocolo}}).",
      "{{ativacao}}",
      "{{pagamento}}",
      "Suas novas faturas:",
      "{{faturas}}",
      "Carnê em PDF (boleto e PIX): {{link}}/faturas.pdf",
      "Veja tudo pelo seu link: {{link}}",
    ].join("\n"),
  },
  pix_auto_cancelled: {
    label: "Pix Automático cancelado pelo cliente",
    vars: ["nome", "link"],
    required: ["link"],
    subject: "Pix Automático cancelado",
    body: "Olá, {{nome}}. O Pix Automático das suas mensalidades foi cancelado no aplicativo " +
      "do seu banco. As próximas faturas seguem por boleto + PIX: {{link}}",
  },
  pix_auto_charge_failed: {
    label: "Mensalidade não debitada pelo Pix Automático",
    vars: ["nome", "data", "link"],
    required: ["link"],
    subject: "Pague a fatura de {{data}} por boleto ou PIX",
    body: "Olá, {{nome}}. A fatura com vencimento em {{data}} não pôde ser debitada pelo Pix " +
      "Automático. Pague por boleto ou PIX pelo seu link: {{link}}",
  },
  // ERP_INVOICES=erp: the ERP's boletos arrived after the all-set message (services/erp).
  erp_invoices: {
    label: "Faturas emitidas pelo ERP",
    vars: ["nome", "faturas", "link"],
    required: ["link"],
    subject: "Suas novas faturas",
    body: [
      "Olá, {{nome}}! Suas novas faturas já estão disponíveis:",
      "{{faturas}}",
      "Boletos em PDF: {{link}}/faturas.pdf",
      "Veja tudo pelo seu link: {{link}}",
    ].join("\n"),
  },
};

/** Made-up values for the admin preview: never real customer data. */
export const SAMPLE_VARS: Record<string, string> = {
  nome: "Maria",
  operadora: "Fibra Exemplo Telecom",
  link: "https://renova.exemplo.com.br/r/EXEMPLO-DE-LINK",
  motivo: "o documento está ilegível",
  codigo: "123456",
  protocolo: "20260305000042",
  data: "05/03/2026",
  validade: "20/03/2026",
  faturas: "1. vencimento 10/04/2026 — R$ 99,90\n2. vencimento 10/05/2026 — R$ 99,90",
  sha256: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
  verificacao: "https://renova.exemplo.com.br/verificar/EXEMPLO",
  ativacao: "Seu novo plano já está ativo: não precisa desligar o roteador.",
  pagamento: "Suas mensalidades serão debitadas por Pix Automático.",
};

/** The invoice lines of the all-set message, exactly as notices.allSet writes them. */
export function invoiceLines(invoices: Invoice[]): string {
  return invoices.map((i) =>
    `${i.seq}. vencimento ${formatDate(i.dueDate)} — ${formatMoney(i.amountCents)}${
      i.linha ? ` — boleto ${i.linha}` : ""
    }`
  ).join("\n");
}

export interface MessageTemplate {
  name: TemplateName;
  /** 0 = the built-in default (never stored). */
  version: number;
  subject: string;
  body: string;
  createdAt?: string;
  createdBy?: string;
  note?: string;
}

export const LIMITS = { subjectMax: 150, bodyMax: 2000, noteMax: 300 } as const;

// The name is trimmed in code: `\s*([^{}]*?)\s*` let the regex engine try every split of the
// blanks between the braces — cubic, a minute for 4,000 spaces (issue #14). This is linear.
const PLACEHOLDER_RE = /\{\{([^{}]*)\}\}/g;
// deno-lint-ignore no-control-regex
const CONTROL_RE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

export function isTemplateName(s: string): s is TemplateName {
  return (TEMPLATE_NAMES as readonly string[]).includes(s);
}

/** Fills placeholders in one pass (a value is never scanned again). Throws on a missing var. */
export function renderText(name: string, text: string, vars: Record<string, string>): string {
  const fill = (line: string) =>
    line.replace(PLACEHOLDER_RE, (_whole, inner: string) => {
      const v = inner.trim();
      if (vars[v] === undefined) throw new Error(`renderMessage(${name}): falta {{${v}}}`);
      return vars[v];
    });
  return text.split("\n").flatMap((line) => {
    const out = fill(line);
    const onlyPlaceholders = line.trim() !== "" && line.replace(PLACEHOLDER_RE, "").trim() === "";
    return onlyPlaceholders && out.trim() === "" ? [] : [out];
  }).join("\n");
}

/** Checks an edited template; returns it trimmed. ValidationError fields: subject, body, note. */
export function validateMessageTemplate(
  name: TemplateName,
  input: { subject?: string; body?: string; note?: string },
) {
  const spec = DEFAULT_TEMPLATES[name];
  const subject = (input.subject ?? "").trim();
  const body = (input.body ?? "").replace(/\r\n?/g, "\n").trim();
  const note = (input.note ?? "").trim();
  const f: Record<string, string> = {};
  const check = (field: "subject" | "body", text: string, max: number) => {
    const problems: string[] = [];
    if (text.length < 1 || text.length > max) problems.push(`Escreva de 1 a ${max} caracteres.`);
    if (CONTROL_RE.test(text)) problems.push("Há caracteres inválidos.");
    const unknown = [...text.matchAll(PLACEHOLDER_RE)].map((m) => m[1].trim())
      .filter((v) => !spec.vars.includes(v));
    if (unknown.length) {
      problems.push(
        `Campo que esta mensagem não tem: ${
          [...new Set(unknown)].map((v) => `{{${v}}}`).join(", ")
        }. ` +
          `Use: ${spec.vars.map((v) => `{{${v}}}`).join(", ")}.`,
      );
    }
    if (/\{\{|\}\}/.test(text.replace(PLACEHOLDER_RE, ""))) {
      problems.push("Há chaves {{ }} incompletas; escreva os campos como {{nome}}.");
    }
    if (problems.length) f[field] = problems.join(" ");
  };
  check("subject", subject, LIMITS.subjectMax);
  if (subject.includes("\n")) f.subject = "O assunto precisa caber em uma linha.";
  check("body", body, LIMITS.bodyMax);
  if (!f.body) {
    const used = new Set([...body.matchAll(PLACEHOLDER_RE)].map((m) => m[1].trim()));
    const missing = spec.required.filter((v) => !used.has(v));
    if (missing.length) {
      f.body = `A mensagem precisa conter ${missing.map((v) => `{{${v}}}`).join(" e ")}.`;
    }
  }
  if (note.length > LIMITS.noteMax) f.note = `A nota pode ter até ${LIMITS.noteMax} caracteres.`;
  if (Object.keys(f).length) throw new ValidationError(f);
  return { subject, body, note };
}

function defaultTemplate(name: TemplateName): MessageTemplate {
  const d = DEFAULT_TEMPLATES[name];
  return { name, version: 0, subject: d.subject, body: d.body };
}

export async function getMessageTemplate(db: Db, name: TemplateName): Promise<MessageTemplate> {
  const cur = await db.kv.get<MessageTemplate>(keys.messageTemplateCurrent(name));
  return cur.value ?? defaultTemplate(name);
}

/** Saved versions, newest first (the default, version 0, is not listed). */
export async function listMessageTemplateVersions(db: Db, name: TemplateName, limit = 50) {
  const out: MessageTemplate[] = [];
  const iter = db.kv.list<MessageTemplate>(
    { prefix: keys.messageTemplateVersions(name) },
    { reverse: true, limit },
  );
  for await (const e of iter) out.push(e.value);
  return out;
}

/**
 * Saves a new version and makes it current, with its audit event, in one atomic. A save based
 * on an older version than the current one is refused rather than silently replacing it.
 */
export async function saveMessageTemplate(
  db: Db,
  name: TemplateName,
  input: { subject?: string; body?: string; note?: string },
  actor: Actor,
  opts: { baseVersion?: number } = {},
): Promise<MessageTemplate> {
  const clean = validateMessageTemplate(name, input);
  const cur = await db.kv.get<MessageTemplate>(keys.messageTemplateCurrent(name));
  const currentVersion = cur.value?.version ?? 0;
  if (opts.baseVersion !== undefined && opts.baseVersion !== currentVersion) {
    throw new ConflictError(
      `Esta mensagem foi alterada por outra pessoa (versão ${currentVersion}); recarregue a página.`,
    );
  }
  const t: MessageTemplate = {
    name,
    version: currentVersion + 1,
    subject: clean.subject,
    body: clean.body,
    note: clean.note,
    createdAt: db.now().toISOString(),
    createdBy: actor.name,
  };
  const op = db.kv.atomic().check(cur)
    .check({ key: keys.messageTemplate(name, t.version), versionstamp: null })
    .set(keys.messageTemplate(name, t.version), t)
    .set(keys.messageTemplateCurrent(name), t);
  addAudit(db, op, `message_template:${name}`, "message_template.saved", actor, {
    version: t.version,
  });
  await commitOrConflict(op, "Esta mensagem foi alterada ao mesmo tempo; recarregue a página.");
  return t;
}

/**
 * Current templates read once, for a run that stages thousands of messages (the campaign
 * planner): one read per template instead of one per message. The run then uses the text
 * current when it started, as a single long atomic would.
 */
export type TemplateSet = ReadonlyMap<TemplateName, MessageTemplate>;

export async function loadTemplates(db: Db, names: TemplateName[]): Promise<TemplateSet> {
  const found = await db.kv.getMany<MessageTemplate[]>(
    names.map((n) => keys.messageTemplateCurrent(n)),
  );
  return new Map(names.map((n, i) => [n, found[i].value ?? defaultTemplate(n)]));
}

/** The message text with the current template: what stageMessage takes as subject and body. */
export async function renderMessage(
  db: Db,
  name: TemplateName,
  vars: Record<string, string>,
  /** Templates already read by the caller's run (see loadTemplates). */
  templates?: TemplateSet,
): Promise<{ subject: string; body: string }> {
  const t = templates?.get(name) ?? await getMessageTemplate(db, name);
  return { subject: renderText(name, t.subject, vars), body: renderText(name, t.body, vars) };
}

/** The preview an admin sees: the given (or current) text with the sample values. */
export function previewMessage(name: TemplateName, t: { subject: string; body: string }) {
  const vars = Object.fromEntries(DEFAULT_TEMPLATES[name].vars.map((v) => [v, SAMPLE_VARS[v]]));
  return { subject: renderText(name, t.subject, vars), body: renderText(name, t.body, vars) };
}
