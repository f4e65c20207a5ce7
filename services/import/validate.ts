// One CSV row → a normalized customer + contract, or the pt-BR reasons it is refused. Pure
// and synchronous (no KV, no crypto), so a dry run and an import judge rows identically; the
// in-file duplicate checks live in FileIndex, the store checks in engine.ts.
import type { CustomerPii } from "../customers.ts";
import { emailProblem, normalizeDocument, normalizeEmail, normalizePhone } from "../customers.ts";
import { TEXT_MAX, tooLong, tooLongMessage } from "../text.ts";
import { addMonths, isValidIsoDate } from "../dates.ts";
import type { ColumnMapping } from "./presets.ts";

export interface ImportRow {
  line: number;
  customerErpId: string;
  contractErpId: string;
  pii: CustomerPii;
  planValue: string;
  planId: string;
  startDate: string;
  loyaltyStart: string;
  loyaltyEnd: string;
  status: "active" | "cancelled";
}

export type RowResult = { ok: true; row: ImportRow } | { ok: false; reasons: string[] };

const UFS = new Set(
  "AC AL AP AM BA CE DF ES GO MA MT MS MG PA PB PR PE PI RJ RN RS RO RR SC SP SE TO".split(" "),
);
const ACTIVE = new Set(["", "a", "ativo", "active", "1", "s", "sim", "n", "negativado"]);
const CANCELLED = new Set(["i", "inativo", "d", "desistiu", "c", "cancelado", "cancelled", "0"]);

/** "2026-03-15", "2026-03-15 10:20:00" or "15/03/2026"; "" and IXC's "0000-00-00" are empty. */
export function parseDate(raw: string): string | null | undefined {
  const s = raw.trim();
  if (!s || s.startsWith("0000-00-00") || s.startsWith("00/00/0000")) return null;
  let iso: string | undefined;
  let m = /^(\d{4})-(\d{2})-(\d{2})(?:[ T][\d:.]+Z?)?$/.exec(s);
  if (m) iso = `${m[1]}-${m[2]}-${m[3]}`;
  m = /^(\d{2})\/(\d{2})\/(\d{4})(?: [\d:]+)?$/.exec(s);
  if (m) iso = `${m[3]}-${m[2]}-${m[1]}`;
  return iso && isValidIsoDate(iso) ? iso : undefined; // undefined = present but invalid
}

const ERP_ID = /^[\p{L}\p{N}._\/-]{1,64}$/u;

/** Validates one record against the mapping; `resolvePlan` maps the ERP plan value. */
export function validateRow(
  line: number,
  fields: string[],
  m: ColumnMapping,
  resolvePlan: (value: string) => string | null,
): RowResult {
  const get = (i: number) => (i >= 0 ? (fields[i] ?? "").trim() : "");
  // Lengths first: no pattern below runs on a cell longer than any real one.
  const long = fields.findIndex((v) => tooLong(v, TEXT_MAX.csvCell));
  if (long >= 0) {
    return { ok: false, reasons: [tooLongMessage(`Coluna ${long + 1}: texto`, TEXT_MAX.csvCell)] };
  }
  const reasons: string[] = [];
  const customerErpId = get(m.customerErpId);
  if (!ERP_ID.test(customerErpId)) reasons.push("ID do cliente no ERP ausente ou inválido.");
  const contractErpId = m.contractErpId >= 0 ? get(m.contractErpId) : customerErpId;
  if (m.contractErpId >= 0 && !ERP_ID.test(contractErpId)) {
    reasons.push("ID do contrato no ERP ausente ou inválido.");
  }
  const name = get(m.name).replace(/\s+/g, " ");
  if (name.length < 3 || name.length > 120) reasons.push("Nome ausente.");
  const docRaw = get(m.document);
  const cpf = normalizeDocument(docRaw);
  if (!cpf) reasons.push(docRaw ? "CPF/CNPJ inválido." : "CPF/CNPJ ausente.");
  const phones: string[] = [];
  for (const raw of [get(m.mobile), get(m.phone)]) {
    // ERPs put two numbers in one cell ("(19) 99999-1111 / 3333-2222"): try each part.
    for (const part of raw.split(/[\/;,|]| e /)) {
      const p = normalizePhone(part);
      if (p && !phones.includes(p)) phones.push(p);
    }
  }
  if (!phones.length) reasons.push("Sem telefone válido com DDD.");
  const emailRaw = get(m.email);
  // E-mail is optional (many ERP records lack one; the renewal asks for it) but never wrong.
  const emailError = emailRaw ? emailProblem(emailRaw) : null;
  if (emailError) reasons.push(emailError);
  const email = emailRaw && !emailError ? normalizeEmail(emailRaw) : "";
  const city = get(m.city).replace(/\s+/g, " ");
  const state = get(m.state).toUpperCase();
  const street = get(m.street);
  if (!street || !city) reasons.push("Endereço incompleto (logradouro e cidade).");
  if (!UFS.has(state)) reasons.push("UF inválida.");
  const planValue = get(m.plan);
  const planId = planValue ? resolvePlan(planValue) : null;
  if (!planValue) reasons.push("Plano ausente.");
  else if (!planId) reasons.push(`Plano desconhecido: ${planValue.slice(0, 40)}.`);

  const end = parseDate(get(m.loyaltyEnd));
  const start = parseDate(get(m.startDate));
  const lstart = parseDate(get(m.loyaltyStart));
  if (end === undefined) reasons.push("Data inválida no fim da fidelidade.");
  else if (end === null) reasons.push("Fim da fidelidade ausente.");
  if (start === undefined) reasons.push("Data de ativação inválida.");
  if (lstart === undefined) reasons.push("Data inválida no início da fidelidade.");
  let loyaltyStart = "", startDate = "";
  if (end) {
    const year = addMonths(end, -12);
    loyaltyStart = lstart ?? (start && start > year ? start : year);
    startDate = start ?? loyaltyStart;
    if (loyaltyStart >= end) reasons.push("Data inválida: a fidelidade termina antes de começar.");
    else if (startDate > end) reasons.push("Data inválida: ativação depois do fim da fidelidade.");
  }
  const statusRaw = get(m.status).toLowerCase();
  const status = ACTIVE.has(statusRaw) ? "active" : CANCELLED.has(statusRaw) ? "cancelled" : null;
  if (!status) reasons.push(`Situação do contrato desconhecida: ${statusRaw.slice(0, 20)}.`);

  if (reasons.length) return { ok: false, reasons };
  return {
    ok: true,
    row: {
      line,
      customerErpId,
      contractErpId,
      pii: {
        name,
        cpf: cpf!,
        phones,
        email: email ?? "",
        address: {
          street,
          number: get(m.number),
          district: get(m.district),
          city,
          state,
          zip: get(m.zip),
        },
      },
      planValue,
      planId: planId!,
      startDate,
      loyaltyStart,
      loyaltyEnd: end!,
      status: status!,
    },
  };
}

/** Fast 53-bit string hash (cyrb53): in-memory comparisons and the contract's ERP hash only;
 * personal data gets a keyed HMAC instead (engine.ts). */
export function hash53(s: string): number {
  let h1 = 0xdeadbeef, h2 = 0x41c6ce57;
  for (let i = 0; i < s.length; i++) {
    const ch = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/** The customer's fields as the ERP sent them, in a fixed order (what the hashes cover). */
export function customerFingerprint(r: ImportRow): string {
  const a = r.pii.address;
  return JSON.stringify([
    r.customerErpId,
    r.pii.name,
    r.pii.cpf,
    r.pii.phones,
    r.pii.email,
    a.street,
    a.number,
    a.district,
    a.city,
    a.state,
    a.zip,
  ]);
}

export function contractFingerprint(r: ImportRow): string {
  return hash53(JSON.stringify([
    r.customerErpId,
    r.planId,
    r.pii.address.city,
    r.startDate,
    r.loyaltyStart,
    r.loyaltyEnd,
    r.status,
  ])).toString(36);
}

// Numeric ids and documents as numbers: a million-row file keeps these maps at tens of MB.
const compact = (s: string): string | number => /^[1-9]\d{0,14}$/.test(s) ? Number(s) : s;

/**
 * Duplicates inside the file: a contract id twice, one document under two customer ids, or a
 * customer repeated with different personal data. Holds ids and hashes only, not rows.
 */
export class FileIndex {
  #contracts = new Set<string | number>();
  #docOwner = new Map<string | number, string | number>();
  #customerHash = new Map<string | number, number>();

  /** The reason this row duplicates an earlier one, or null (and then remembers it). */
  check(r: ImportRow): string | null {
    const contract = compact(r.contractErpId);
    const customer = compact(r.customerErpId);
    const doc = compact(r.pii.cpf);
    if (this.#contracts.has(contract)) {
      return `Duplicado: o contrato ${r.contractErpId} aparece de novo no arquivo.`;
    }
    const owner = this.#docOwner.get(doc);
    if (owner !== undefined && owner !== customer) {
      return `Duplicado: CPF/CNPJ já usado pelo cliente ${owner} neste arquivo.`;
    }
    const h = hash53(customerFingerprint(r));
    const seen = this.#customerHash.get(customer);
    if (seen !== undefined && seen !== h) {
      return `Duplicado: o cliente ${r.customerErpId} aparece de novo com outros dados.`;
    }
    this.#contracts.add(contract);
    this.#docOwner.set(doc, customer);
    this.#customerHash.set(customer, h);
    return null;
  }
}
