/**
 * PIX "BR Code" (EMV QRCPS merchant-presented mode, Banco Central layout): static, dynamic and
 * composite (Pix Automático) codes.
 *
 * Every field is TLV: 2-digit ID, 2-digit length, value. buildPix emits, in this order:
 *   00 "01" · 01 "12" (dynamic only) · 26 {00 "br.gov.bcb.pix", 01 key | 25 charge URL,
 *   02 description?} · 52 "0000" · 53 "986" · 54 amount? · 58 "BR" · 59 name (≤ 25) ·
 *   60 city (≤ 15) · 62 {05 txid or "***"} · 80 {00 "br.gov.bcb.pix", 25 recurrence URL}? ·
 *   63 CRC16-CCITT-FALSE (poly 0x1021, init 0xFFFF) over everything including "6304".
 * A Pix Automático code with the recurrence only (journey 2) has a GUI-only field 26: EMV
 * requires at least one merchant account, and the payer's bank reads the recurrence from 80
 * (Manual de Padrões para Iniciação do Pix, 2.8 "QR Code composto").
 */
import { BillingError } from "./errors.ts";

export interface PixInput {
  /** PIX key: CPF/CNPJ digits, e-mail, +55 phone or random key (EVP). Optional when a charge
   * URL or a recurrence URL is given. */
  key?: string;
  /** Location of a dynamic charge (cob/cobv, field 26-25), without https://. */
  url?: string;
  /** Location of a Pix Automático recurrence (field 80-25), without https://. */
  recurrenceUrl?: string;
  /** Merchant name; accents removed, cut to 25 characters. */
  name: string;
  /** Merchant city; accents removed, cut to 15 characters. */
  city: string;
  /** Fixed amount in centavos; omitted or 0 lets the payer type the amount. */
  amountCents?: number;
  /** Up to 25 letters/digits; "***" when absent (BCB rule for static codes). */
  txid?: string;
  /** Free text shown to the payer (merchant account field 02). */
  description?: string;
}

export interface ParsedPix {
  key?: string;
  /** Location of a dynamic charge (merchant account field 25), without https://. */
  url?: string;
  /** Location of a Pix Automático recurrence (template 80, field 25), without https://. */
  recurrenceUrl?: string;
  name: string;
  city: string;
  amountCents?: number;
  txid: string;
  description?: string;
}

const GUI = "br.gov.bcb.pix";
const MAX_NAME = 25;
const MAX_CITY = 15;
const MAX_TXID = 25;

/** CRC16-CCITT-FALSE over the UTF-8 bytes, as 4 uppercase hex digits. */
export function crc16(data: string): string {
  let crc = 0xffff;
  for (const byte of new TextEncoder().encode(data)) {
    crc ^= byte << 8;
    for (let bit = 0; bit < 8; bit++) {
      crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
    }
  }
  return crc.toString(16).toUpperCase().padStart(4, "0");
}

/** One TLV field; lengths above 99 cannot be encoded. */
export function emvField(id: string, value: string): string {
  if (value.length > 99) {
    throw new BillingError(`pix.${id}`, `Campo ${id} do PIX excede 99 caracteres.`);
  }
  return `${id}${String(value.length).padStart(2, "0")}${value}`;
}

/** Strips accents and rejects what is left outside printable ASCII (EMV "ans" charset). */
function toAscii(value: string, field: string, label: string): string {
  const s = value.normalize("NFKD").replace(/\p{M}/gu, "").replace(/\s+/g, " ").trim();
  if (!/^[\x20-\x7E]*$/.test(s)) {
    throw new BillingError(field, `${label} contém caracteres não permitidos no PIX.`);
  }
  return s;
}

function formatAmount(cents: number): string {
  return `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, "0")}`;
}

export function buildPix(input: PixInput): string {
  if (!input || typeof input !== "object") {
    throw new BillingError("pix", "Dados do PIX ausentes.");
  }
  const key = typeof input.key === "string" ? input.key.trim() : "";
  const url = locationUrl(input.url, "url", "URL da cobrança");
  const recurrenceUrl = locationUrl(input.recurrenceUrl, "recurrenceUrl", "URL da recorrência");
  if (key && url) {
    throw new BillingError("key", "Use a chave PIX ou a URL da cobrança, não as duas.");
  }
  if (!key && !url && !recurrenceUrl) throw new BillingError("key", "Informe a chave PIX.");
  if (key && !/^[\x21-\x7E]+$/.test(key)) {
    throw new BillingError("key", "Chave PIX contém caracteres inválidos.");
  }
  const name = toAscii(String(input.name ?? ""), "name", "Nome do recebedor")
    .slice(0, MAX_NAME).trim();
  if (!name) throw new BillingError("name", "Informe o nome do recebedor do PIX.");
  const city = toAscii(String(input.city ?? ""), "city", "Cidade do recebedor")
    .slice(0, MAX_CITY).trim();
  if (!city) throw new BillingError("city", "Informe a cidade do recebedor do PIX.");

  let txid = "***";
  if (input.txid !== undefined && input.txid !== "" && input.txid !== "***") {
    if (!/^[A-Za-z0-9]{1,25}$/.test(input.txid)) {
      throw new BillingError("txid", "O txid do PIX deve ter de 1 a 25 letras ou dígitos.");
    }
    txid = input.txid;
  }

  let account = emvField("00", GUI);
  if (key) account += emvField("01", key);
  if (url) account += emvField("25", url);
  if (input.description) {
    account += emvField("02", toAscii(input.description, "description", "Descrição"));
  }
  if (account.length > 99) {
    throw new BillingError(
      input.description ? "description" : "key",
      "Chave PIX e descrição somadas excedem o tamanho permitido (99 caracteres).",
    );
  }

  let amount = "";
  if (input.amountCents !== undefined && input.amountCents !== 0) {
    const c = input.amountCents;
    if (!Number.isSafeInteger(c) || c < 0 || c > 999_999_999_999) {
      throw new BillingError("amountCents", "Valor do PIX inválido (centavos inteiros).");
    }
    amount = emvField("54", formatAmount(c));
  }

  // A dynamic code is for one payment: "12" lets the payer's app skip one already paid.
  const poi = url ? emvField("01", "12") : "";
  const recurrence = recurrenceUrl
    ? emvField("80", emvField("00", GUI) + emvField("25", recurrenceUrl))
    : "";
  const body = emvField("00", "01") + poi + emvField("26", account) + emvField("52", "0000") +
    emvField("53", "986") + amount + emvField("58", "BR") + emvField("59", name) +
    emvField("60", city) + emvField("62", emvField("05", txid)) + recurrence + "6304";
  return body + crc16(body);
}

/** A PSP location ("host/path"); a leading https:// is dropped, as the BR Code omits it. */
function locationUrl(value: unknown, field: string, label: string): string {
  if (value === undefined || value === null || value === "") return "";
  const s = String(value).trim().replace(/^https:\/\//i, "");
  // The location is fetched by the payer's bank over HTTPS: a host, a path, nothing else.
  if (!/^[A-Za-z0-9.-]+\.[A-Za-z]{2,}(:\d{1,5})?\/[\x21-\x7E]+$/.test(s)) {
    throw new BillingError(field, `${label} inválida: esperado "host/caminho" do PSP.`);
  }
  if (s.length > 77) {
    throw new BillingError(field, `${label} excede 77 caracteres.`);
  }
  return s;
}

interface Tlv {
  id: string;
  value: string;
}

function parseTlv(s: string, where: string): Tlv[] {
  const out: Tlv[] = [];
  let i = 0;
  while (i < s.length) {
    const head = s.slice(i, i + 4);
    if (!/^\d{4}$/.test(head)) {
      throw new BillingError("payload", `Código PIX malformado: TLV inválido em ${where}.`);
    }
    const len = Number(head.slice(2));
    if (i + 4 + len > s.length) {
      throw new BillingError(
        "payload",
        `Código PIX malformado: campo ${head.slice(0, 2)} em ${where} ultrapassa o fim.`,
      );
    }
    out.push({ id: head.slice(0, 2), value: s.slice(i + 4, i + 4 + len) });
    i += 4 + len;
  }
  return out;
}

function toMap(fields: Tlv[], where: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const f of fields) {
    if (map.has(f.id)) {
      throw new BillingError(
        "payload",
        `Código PIX malformado: campo ${f.id} repetido em ${where}.`,
      );
    }
    map.set(f.id, f.value);
  }
  return map;
}

function required(map: Map<string, string>, id: string, label: string, max: number): string {
  const v = map.get(id);
  if (v === undefined || v === "") {
    throw new BillingError(`pix.${id}`, `Código PIX sem o campo obrigatório ${id} (${label}).`);
  }
  if (v.length > max) {
    throw new BillingError(
      `pix.${id}`,
      `Campo ${id} (${label}) do PIX excede ${max} caracteres.`,
    );
  }
  return v;
}

/** Parses and validates a BR Code; throws BillingError (pt-BR) on any violation. */
export function parsePix(payload: string): ParsedPix {
  if (typeof payload !== "string" || payload.trim() === "") {
    throw new BillingError("payload", "Informe o código PIX.");
  }
  const p = payload.trim();
  const fields = parseTlv(p, "nível principal");
  if (fields[0]?.id !== "00" || fields[0].value !== "01") {
    throw new BillingError("payload", "Código PIX malformado: deve começar com 000201.");
  }
  const last = fields[fields.length - 1];
  if (last.id !== "63" || !/^[0-9A-Fa-f]{4}$/.test(last.value)) {
    throw new BillingError("payload", "Código PIX sem CRC (campo 63) no final.");
  }
  const expected = crc16(p.slice(0, -4));
  if (expected !== last.value.toUpperCase()) {
    throw new BillingError(
      "crc",
      `CRC do código PIX não confere (informado ${last.value}, calculado ${expected}).`,
    );
  }
  const map = toMap(fields, "nível principal");

  const poi = map.get("01");
  if (poi !== undefined && poi !== "11" && poi !== "12") {
    throw new BillingError("pix.01", "Campo 01 (método de iniciação) do PIX inválido.");
  }

  // Merchant account information may sit in any ID 26-51; PIX is the one with the BCB GUI.
  let account: Map<string, string> | undefined;
  for (const f of fields) {
    const n = Number(f.id);
    if (n < 26 || n > 51) continue;
    const sub = toMap(parseTlv(f.value, `campo ${f.id}`), `campo ${f.id}`);
    if (sub.get("00")?.toLowerCase() === GUI) {
      account = sub;
      break;
    }
  }
  if (!account) {
    throw new BillingError("pix.26", "Código PIX sem conta do recebedor (GUI br.gov.bcb.pix).");
  }
  const recurrenceUrl = recurrenceTemplate(fields);
  const key = account.get("01");
  const url = account.get("25");
  if (!key && !url && !recurrenceUrl) {
    throw new BillingError("pix.26", "Código PIX sem chave (26-01) nem URL (26-25).");
  }

  const mcc = required(map, "52", "categoria", 4);
  if (!/^\d{4}$/.test(mcc)) throw new BillingError("pix.52", "Campo 52 (categoria) inválido.");
  const currency = required(map, "53", "moeda", 3);
  if (currency !== "986") {
    throw new BillingError("pix.53", `Moeda ${currency} não suportada: o PIX exige 986 (Real).`);
  }
  const country = required(map, "58", "país", 2);
  if (country !== "BR") {
    throw new BillingError("pix.58", `País ${country} inválido: o PIX exige BR.`);
  }
  const name = required(map, "59", "nome do recebedor", MAX_NAME);
  const city = required(map, "60", "cidade do recebedor", MAX_CITY);

  let amountCents: number | undefined;
  const amount = map.get("54");
  if (amount !== undefined) {
    const m = /^(\d{1,10})(?:\.(\d{1,2}))?$/.exec(amount);
    if (!m || amount.length > 13) {
      throw new BillingError("pix.54", `Valor do PIX inválido: "${amount}".`);
    }
    amountCents = Number(m[1]) * 100 + Number((m[2] ?? "0").padEnd(2, "0"));
  }

  const extra = map.get("62");
  if (extra === undefined) {
    throw new BillingError("pix.62", "Código PIX sem o campo obrigatório 62 (dados adicionais).");
  }
  const txid = required(toMap(parseTlv(extra, "campo 62"), "campo 62"), "05", "txid", MAX_TXID);

  const out: ParsedPix = { name, city, txid };
  if (key) out.key = key;
  if (url) out.url = url;
  if (recurrenceUrl) out.recurrenceUrl = recurrenceUrl;
  if (amountCents !== undefined) out.amountCents = amountCents;
  const description = account.get("02");
  if (description) out.description = description;
  return out;
}

/** The Pix Automático recurrence location: the unreserved template (80-99) with the BCB GUI. */
function recurrenceTemplate(fields: Tlv[]): string | undefined {
  for (const f of fields) {
    const n = Number(f.id);
    if (n < 80 || n > 99) continue;
    const sub = toMap(parseTlv(f.value, `campo ${f.id}`), `campo ${f.id}`);
    if (sub.get("00")?.toLowerCase() !== GUI) continue;
    const url = sub.get("25");
    if (!url) {
      throw new BillingError(
        `pix.${f.id}`,
        `Código PIX com recorrência (campo ${f.id}) sem a URL da recorrência (${f.id}-25).`,
      );
    }
    return url;
  }
  return undefined;
}
