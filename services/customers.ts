// Customers (account holders). Personal data (name, CPF, phones, e-mail, address) is sealed
// with AES-GCM inside the record; the CPF, phones and the words of the name are findable
// through keyed blind indexes only (HMAC with a key derived from the data key): no plaintext
// personal data is ever part of a KV key.
import type { Db } from "./db.ts";
import { commitOrConflict, getManyBatched, listPage } from "./db.ts";
import { keys } from "./keys.ts";
import { ulid } from "./ulid.ts";
import { blindIndex, openJson, sealJson } from "./crypto.ts";
import { NotFoundError, ValidationError } from "./errors.ts";
import { addAudit } from "./audit.ts";
import { type Actor } from "../domain/actor.ts";
import { isValidCnpj, isValidCpf } from "./billing/documents.ts";
import { assertBounded, TEXT_MAX, tooLong, tooLongMessage } from "./text.ts";

export interface Address {
  street: string;
  number: string;
  district: string;
  city: string;
  state: string;
  zip: string;
}

export interface CustomerPii {
  name: string;
  cpf: string; // 11 digits, or a company's 14-character CNPJ
  phones: string[]; // E.164 digits, e.g. 5511912345678
  email: string;
  address: Address;
}

/** What KV holds: only non-personal fields in clear. */
export interface StoredCustomer {
  id: string;
  erpId?: string;
  /** ERP import: keyed hash of the row last imported, so a re-import spots ERP-side changes. */
  erpHash?: string;
  city: string;
  state: string;
  pii: string;
  createdAt: string;
  updatedAt: string;
}

export interface Customer extends CustomerPii {
  id: string;
  erpId?: string;
  createdAt: string;
  updatedAt: string;
}

const onlyDigits = (s: string) => s.replace(/\D/g, "");

/** Brazilian phone to E.164 digits (55 + DDD + number); null when it cannot be one. */
export function normalizePhone(input: string): string | null {
  if (tooLong(input, TEXT_MAX.phone)) return null; // bounded before any pattern runs
  let d = onlyDigits(input);
  if (d.length === 10 || d.length === 11) d = "55" + d;
  if (!/^55[1-9][1-9]9?\d{8}$/.test(d)) return null;
  if (d.length === 13 && d[4] !== "9") return null; // 9-digit numbers are mobiles
  return d;
}

/**
 * The e-mail shape the old pattern `^[^\s@]+@[^\s@]+\.[^\s@]{2,}$` accepted — no spaces, one
 * "@" after at least one character, a dot in the domain with at least one character before it
 * and two after — checked with a few linear scans. That regex retried every dot of the domain
 * against the rest of the text: quadratic, seconds on a long e-mail (issue #14).
 */
export function isEmailShape(e: string): boolean {
  const at = e.indexOf("@");
  if (at < 1 || e.includes("@", at + 1) || /\s/.test(e)) return false;
  const dot = e.indexOf(".", at + 2); // the first dot leaves the most characters after it
  return dot >= 0 && dot <= e.length - 3;
}

export const EMAIL_INVALID = "E-mail inválido.";

/** The pt-BR reason an e-mail is refused — its length first, then its shape — or null. */
export function emailProblem(input: string): string | null {
  // Measured before trim or any pattern: a megabyte is refused at once.
  const e = input.length > TEXT_MAX.email + 100 ? null : input.trim().toLowerCase();
  if (e === null || e.length > TEXT_MAX.email) return tooLongMessage("E-mail", TEXT_MAX.email);
  return isEmailShape(e) ? null : EMAIL_INVALID;
}

export function normalizeEmail(input: string): string | null {
  return emailProblem(input) ? null : input.trim().toLowerCase();
}

/**
 * Checks and normalizes a customer's personal data. `emailOptional`: an empty e-mail is kept
 * empty (ERP imports bring customers without one; they may go on without one).
 */
export function validateCustomer(
  input: Partial<CustomerPii>,
  opts: { emailOptional?: boolean } = {},
): CustomerPii {
  const a = input.address;
  // Lengths first: no pattern below ever sees an unbounded text.
  assertBounded({
    name: [input.name, TEXT_MAX.name * 2, "Nome"],
    cpf: [input.cpf, TEXT_MAX.document, "CPF"],
    phones: [input.phones, TEXT_MAX.phone, "Telefone"],
    email: [input.email, TEXT_MAX.email + 100, "E-mail"],
    address: [
      [a?.street ?? "", a?.number ?? "", a?.district ?? "", a?.city ?? "", a?.zip ?? ""],
      TEXT_MAX.street,
      "Endereço",
    ],
  });
  const f: Record<string, string> = {};
  const name = (input.name ?? "").trim().replace(/\s+/g, " ");
  if (name.length < 3 || name.length > TEXT_MAX.name) f.name = "Informe o nome completo.";
  const cpf = normalizeDocument(input.cpf ?? "");
  if (!cpf) f.cpf = "CPF inválido.";
  const phones = (input.phones ?? []).map(normalizePhone);
  if (!phones.length || phones.some((p) => p === null)) {
    f.phones = "Informe telefones válidos com DDD.";
  }
  const noEmail = opts.emailOptional && !(input.email ?? "").trim();
  const emailError = noEmail ? null : emailProblem(input.email ?? "");
  if (emailError) f.email = emailError;
  if (!a || !a.street || !a.city || !/^[A-Z]{2}$/.test(a.state ?? "")) {
    f.address = "Endereço incompleto.";
  }
  if (Object.keys(f).length) throw new ValidationError(f);
  const email = noEmail ? "" : input.email!.trim().toLowerCase();
  return { name, cpf: cpf!, phones: phones as string[], email, address: a! };
}

async function seal(db: Db, id: string, pii: CustomerPii) {
  return await sealJson(db.crypto.aes, pii, `customer:${id}`);
}

async function unseal(db: Db, s: StoredCustomer): Promise<Customer> {
  const pii = await openJson<CustomerPii>(db.crypto.aes, s.pii, `customer:${s.id}`);
  return { ...pii, id: s.id, erpId: s.erpId, createdAt: s.createdAt, updatedAt: s.updatedAt };
}

export async function createCustomer(
  db: Db,
  input: Partial<CustomerPii> & { erpId?: string },
  actor: Actor,
): Promise<Customer> {
  const pii = validateCustomer(input);
  const id = ulid();
  const now = db.now().toISOString();
  const stored: StoredCustomer = {
    id,
    erpId: input.erpId,
    city: pii.address.city,
    state: pii.address.state,
    pii: await seal(db, id, pii),
    createdAt: now,
    updatedAt: now,
  };
  const cpfKey = keys.customerByCpf(await blindIndex(db.crypto.hmac, "cpf", pii.cpf));
  const op = db.kv.atomic()
    .check({ key: keys.customer(id), versionstamp: null })
    .check({ key: cpfKey, versionstamp: null })
    .set(keys.customer(id), stored)
    .set(cpfKey, id);
  if (input.erpId) {
    op.check({ key: keys.customerByErpId(input.erpId), versionstamp: null })
      .set(keys.customerByErpId(input.erpId), id);
  }
  for (const phone of new Set(pii.phones)) {
    op.set(keys.customerByPhone(await phoneIndex(db, phone), id), id);
  }
  for (const t of await nameIndexes(db, pii.name)) op.set(keys.customerByNameToken(t, id), id);
  addAudit(db, op, `customer:${id}`, "customer.created", actor);
  const res = await op.commit();
  if (!res.ok) throw new ValidationError({ cpf: "Já existe um cliente com este CPF." });
  return await unseal(db, stored);
}

export async function getCustomer(db: Db, id: string): Promise<Customer | null> {
  const s = (await db.kv.get<StoredCustomer>(keys.customer(id))).value;
  return s ? await unseal(db, s) : null;
}

export async function getCustomers(db: Db, ids: string[]): Promise<Map<string, Customer>> {
  const entries = await getManyBatched<StoredCustomer>(db.kv, ids.map((id) => keys.customer(id)));
  // Decrypt in parallel: WebCrypto runs each off the main thread.
  const found = entries.flatMap((e) => (e.value ? [e.value] : []));
  const customers = await Promise.all(found.map((s) => unseal(db, s)));
  return new Map(customers.map((c) => [c.id, c]));
}

/**
 * The customer holding a CPF or CNPJ (numeric or the alphanumeric form issued from July 2026),
 * typed with or without punctuation; null when none does or the document is not valid.
 */
export async function findCustomerByDocument(db: Db, doc: string): Promise<Customer | null> {
  const normalized = normalizeDocument(doc);
  if (!normalized) return null;
  const idx = await db.kv.get<string>(keys.customerByCpf(await documentIndex(db, normalized)));
  return idx.value ? await getCustomer(db, idx.value) : null;
}

/** Changes contacts (phones, e-mail) with a version check; the CPF never changes here. */
export async function updateCustomerContacts(
  db: Db,
  id: string,
  contacts: { phones: string[]; email: string },
  actor: Actor,
  op?: Deno.AtomicOperation,
): Promise<Customer> {
  const entry = await db.kv.get<StoredCustomer>(keys.customer(id));
  if (!entry.value) throw new NotFoundError("Cliente não encontrado.");
  const current = await unseal(db, entry.value);
  // A record without an e-mail may stay without one; one that has an e-mail keeps one.
  const pii = validateCustomer({ ...current, ...contacts }, { emailOptional: !current.email });
  const next: StoredCustomer = {
    ...entry.value,
    pii: await seal(db, id, pii),
    updatedAt: db.now().toISOString(),
  };
  const atomic = (op ?? db.kv.atomic()).check(entry).set(keys.customer(id), next);
  // Move the phone index: inbound WhatsApp messages find the customer by it.
  const before = new Set(current.phones), after = new Set(pii.phones);
  for (const p of before) {
    if (!after.has(p)) atomic.delete(keys.customerByPhone(await phoneIndex(db, p), id));
  }
  for (const p of after) {
    if (!before.has(p)) atomic.set(keys.customerByPhone(await phoneIndex(db, p), id), id);
  }
  addAudit(db, atomic, `customer:${id}`, "customer.contacts_updated", actor);
  if (!op) await commitOrConflict(atomic);
  return await unseal(db, next);
}

export async function listCustomers(db: Db, opts: { cursor?: string; limit?: number } = {}) {
  const page = await listPage<StoredCustomer>(db.kv, { prefix: keys.customers() }, opts);
  return {
    items: await Promise.all(page.items.map((e) => unseal(db, e.value))),
    cursor: page.cursor,
  };
}

/** The phone's blind index (E.164 digits in, keyed hash out): the number is never a key. */
export async function phoneIndex(db: Db, phone: string): Promise<string> {
  return await blindIndex(db.crypto.hmac, "phone", onlyDigits(phone));
}

/** Ids of the customers with this phone (E.164 digits); several when a family shares one. */
export async function customerIdsByPhone(db: Db, phone: string): Promise<string[]> {
  const out: string[] = [];
  const prefix = keys.customersWithPhone(await phoneIndex(db, phone));
  for await (const e of db.kv.list<string>({ prefix })) out.push(e.value);
  return out;
}

/** Words too common in Brazilian names to search by on their own. */
const NAME_STOPWORDS = new Set(["de", "da", "do", "das", "dos", "e", "di", "du", "del"]);

/** The searchable words of a name: accents folded, lower case, particles and initials dropped. */
export function nameTokens(name: string): string[] {
  const folded = name.slice(0, 200).normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  const words = folded.split(/[^a-z0-9]+/).filter((w) => w.length >= 2 && !NAME_STOPWORDS.has(w));
  return [...new Set(words)].slice(0, 12);
}

/** Blind indexes of a name's words (keys of customers_by_name_token). */
export async function nameIndexes(db: Db, name: string): Promise<string[]> {
  return await Promise.all(nameTokens(name).map((t) => blindIndex(db.crypto.hmac, "name", t)));
}

/** Ids of the customers whose name has every word of `query` (whole words), up to `limit`. */
export async function customerIdsByName(db: Db, query: string, limit = 20): Promise<string[]> {
  const idx = await nameIndexes(db, query);
  if (!idx.length) return [];
  // Each word's ids; the rarest first would be ideal, the first word bounds the scan here.
  const sets: Set<string>[] = [];
  for (const t of idx) {
    const ids = new Set<string>();
    for await (
      const e of db.kv.list<string>({ prefix: keys.customersWithNameToken(t) }, { limit: 2000 })
    ) ids.add(e.value);
    sets.push(ids);
  }
  const [first, ...rest] = sets.sort((a, b) => a.size - b.size);
  return [...first].filter((id) => rest.every((s) => s.has(id))).slice(0, limit);
}

/** Migration: index the names of customers created before the name index existed. */
export async function backfillNameIndex(db: Db): Promise<number> {
  let n = 0, pending = 0;
  let op = db.kv.atomic();
  for await (const e of db.kv.list<StoredCustomer>({ prefix: keys.customers() })) {
    const c = await unseal(db, e.value);
    for (const t of await nameIndexes(db, c.name)) {
      op.set(keys.customerByNameToken(t, c.id), c.id);
      n++;
      if (++pending >= 200) {
        await commitOrConflict(op);
        op = db.kv.atomic();
        pending = 0;
      }
    }
  }
  if (pending) await commitOrConflict(op);
  return n;
}

/** Migration: index the phones of customers created before the phone index existed. */
export async function backfillPhoneIndex(db: Db): Promise<number> {
  let n = 0;
  let op = db.kv.atomic();
  let pending = 0;
  for await (const e of db.kv.list<StoredCustomer>({ prefix: keys.customers() })) {
    const c = await unseal(db, e.value);
    for (const phone of new Set(c.phones)) {
      op.set(keys.customerByPhone(await phoneIndex(db, phone), c.id), c.id);
      n++;
      // Plain sets, no checks: re-running is harmless; 200 per atomic stays far below limits.
      if (++pending >= 200) {
        await commitOrConflict(op);
        op = db.kv.atomic();
        pending = 0;
      }
    }
  }
  if (pending) await commitOrConflict(op);
  return n;
}

/** CPF (11 digits) or CNPJ (14 characters, numeric or the alphanumeric form), unformatted;
 * null when it is neither. The customer's `cpf` field holds either. */
export function normalizeDocument(input: string): string | null {
  const digits = onlyDigits(input);
  if (isValidCpf(digits)) return digits;
  const cnpj = input.replace(/[\s.\-/]/g, "").toUpperCase();
  return isValidCnpj(cnpj) ? cnpj : null;
}

/** Seals personal data bound to the customer id (the same sealing createCustomer uses). */
export async function sealCustomerPii(db: Db, id: string, pii: CustomerPii): Promise<string> {
  return await seal(db, id, pii);
}

export async function unsealCustomer(db: Db, s: StoredCustomer): Promise<Customer> {
  return await unseal(db, s);
}

/** The document's blind index (the key of customers_by_cpf). */
export async function documentIndex(db: Db, doc: string): Promise<string> {
  return await blindIndex(db.crypto.hmac, "cpf", doc);
}

/** A customer record with its index keys, ready to stage (bulk import). */
export interface CustomerWrite {
  stored: StoredCustomer;
  /** Blind indexes of the document and of each distinct phone. */
  cpfIndex: string;
  phoneIndexes: string[];
  /** Blind indexes of the name's words (nameIndexes). */
  nameIndexes: string[];
}

/**
 * Stages a customer's create (no `prev`) or update into `op`: the record, the CPF, ERP-id and
 * phone indexes, moving the ones that changed. It adds no checks and no audit event: the bulk
 * import guards whole batches (see services/import/engine.ts) and audits per batch.
 */
export function stageCustomerWrite(
  op: Deno.AtomicOperation,
  next: CustomerWrite,
  prev?: CustomerWrite,
): void {
  const id = next.stored.id;
  op.set(keys.customer(id), next.stored);
  if (prev?.cpfIndex !== next.cpfIndex) {
    if (prev) op.delete(keys.customerByCpf(prev.cpfIndex));
    op.set(keys.customerByCpf(next.cpfIndex), id);
  }
  const prevErp = prev?.stored.erpId, nextErp = next.stored.erpId;
  if (prevErp !== nextErp) {
    if (prevErp) op.delete(keys.customerByErpId(prevErp));
    if (nextErp) op.set(keys.customerByErpId(nextErp), id);
  }
  const before = new Set(prev?.phoneIndexes ?? []), after = new Set(next.phoneIndexes);
  for (const p of before) if (!after.has(p)) op.delete(keys.customerByPhone(p, id));
  for (const p of after) if (!before.has(p)) op.set(keys.customerByPhone(p, id), id);
  const namesBefore = new Set(prev?.nameIndexes ?? []), namesAfter = new Set(next.nameIndexes);
  for (const t of namesBefore) if (!namesAfter.has(t)) op.delete(keys.customerByNameToken(t, id));
  for (const t of namesAfter) if (!namesBefore.has(t)) op.set(keys.customerByNameToken(t, id), id);
}
