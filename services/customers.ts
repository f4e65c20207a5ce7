// Customers (account holders). Personal data (name, CPF, phones, e-mail, address) is sealed
// with AES-GCM inside the record; the CPF is findable through a keyed blind index only.
import type { Db } from "./db.ts";
import { commitOrConflict, getManyBatched, listPage } from "./db.ts";
import { keys } from "./keys.ts";
import { ulid } from "./ulid.ts";
import { blindIndex, openJson, sealJson } from "./crypto.ts";
import { NotFoundError, ValidationError } from "./errors.ts";
import { type Actor, addAudit } from "./audit.ts";
import { isValidCpf } from "./billing/documents.ts";

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
  cpf: string; // 11 digits
  phones: string[]; // E.164 digits, e.g. 5511912345678
  email: string;
  address: Address;
}

/** What KV holds: only non-personal fields in clear. */
interface StoredCustomer {
  id: string;
  erpId?: string;
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
  let d = onlyDigits(input);
  if (d.length === 10 || d.length === 11) d = "55" + d;
  if (!/^55[1-9][1-9]9?\d{8}$/.test(d)) return null;
  if (d.length === 13 && d[4] !== "9") return null; // 9-digit numbers are mobiles
  return d;
}

export function normalizeEmail(input: string): string | null {
  const e = input.trim().toLowerCase();
  return /^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/.test(e) && e.length <= 254 ? e : null;
}

export function validateCustomer(input: Partial<CustomerPii>): CustomerPii {
  const f: Record<string, string> = {};
  const name = (input.name ?? "").trim().replace(/\s+/g, " ");
  if (name.length < 3 || name.length > 120) f.name = "Informe o nome completo.";
  const cpf = onlyDigits(input.cpf ?? "");
  if (!isValidCpf(cpf)) f.cpf = "CPF inválido.";
  const phones = (input.phones ?? []).map(normalizePhone);
  if (!phones.length || phones.some((p) => p === null)) {
    f.phones = "Informe telefones válidos com DDD.";
  }
  const email = normalizeEmail(input.email ?? "");
  if (!email) f.email = "E-mail inválido.";
  const a = input.address;
  if (!a || !a.street || !a.city || !/^[A-Z]{2}$/.test(a.state ?? "")) {
    f.address = "Endereço incompleto.";
  }
  if (Object.keys(f).length) throw new ValidationError(f);
  return { name, cpf, phones: phones as string[], email: email!, address: a! };
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
  const out = new Map<string, Customer>();
  for (const e of entries) if (e.value) out.set(e.value.id, await unseal(db, e.value));
  return out;
}

export async function findCustomerByCpf(db: Db, cpf: string): Promise<Customer | null> {
  const idx = await db.kv.get<string>(
    keys.customerByCpf(await blindIndex(db.crypto.hmac, "cpf", onlyDigits(cpf))),
  );
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
  const pii = validateCustomer({ ...current, ...contacts });
  const next: StoredCustomer = {
    ...entry.value,
    pii: await seal(db, id, pii),
    updatedAt: db.now().toISOString(),
  };
  const atomic = (op ?? db.kv.atomic()).check(entry).set(keys.customer(id), next);
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
