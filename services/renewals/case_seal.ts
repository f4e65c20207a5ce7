// The case row's personal data, sealed at rest. The rendered contract (name, CPF, address,
// phones, e-mail), the name typed at signing, the customer's WhatsApp reply and the free-text
// reasons are moved into one AES-GCM sealed field (bound to the case id) on every write and put
// back on every read, so services and pages keep working on the plain shape. Rows written before
// sealing (clear fields, no `pii`) still read as they are; migration 4 re-writes them sealed.
import type { Db } from "../db.ts";
import { keys } from "../keys.ts";
import { openJson, sealJson } from "../crypto.ts";
import type { ContractSection } from "../contract/terms.ts";

/**
 * The case fields this module moves, described structurally (RenewalCase has them) so that this
 * module does not import cases.ts, which imports it.
 */
export interface SealableCase {
  id: string;
  contractDoc?: { sections: ContractSection[] };
  signature?: { typedName: string };
  customerReply?: { text: string };
  declined?: { reason: string };
  photo?: { reason?: string };
}

/** What is taken out of the row and sealed; every field optional. */
interface CasePii {
  sections?: ContractSection[];
  typedName?: string;
  replyText?: string;
  declinedReason?: string;
  photoReason?: string;
}

/** The row as stored: the plain case without those fields, plus the sealed part. */
export type StoredCase<C extends SealableCase = SealableCase> = C & { pii?: string };

const aad = (id: string) => `case:${id}:pii`;

function take(c: SealableCase): CasePii {
  const p: CasePii = {};
  if (c.contractDoc?.sections) p.sections = c.contractDoc.sections;
  if (c.signature?.typedName) p.typedName = c.signature.typedName;
  if (c.customerReply?.text) p.replyText = c.customerReply.text;
  if (c.declined?.reason) p.declinedReason = c.declined.reason;
  if (c.photo?.reason) p.photoReason = c.photo.reason;
  return p;
}

/** The row to write: personal fields blanked, sealed into `pii` (absent when there are none). */
export async function sealCase<C extends SealableCase>(db: Db, c: C): Promise<StoredCase<C>> {
  const p = take(c);
  const { pii: _old, ...rest } = c as StoredCase<C>;
  const plain = rest as C;
  if (!Object.keys(p).length) return plain;
  const out: StoredCase<C> = { ...plain, pii: await sealJson(db.crypto.aes, p, aad(c.id)) };
  if (c.contractDoc) out.contractDoc = { ...c.contractDoc, sections: [] };
  if (c.signature) out.signature = { ...c.signature, typedName: "" };
  if (c.customerReply) out.customerReply = { ...c.customerReply, text: "" };
  if (c.declined) out.declined = { ...c.declined, reason: "" };
  if (c.photo?.reason) out.photo = { ...c.photo, reason: "" };
  return out;
}

/** The plain case from a stored row; a row without `pii` (written before sealing) as it is. */
export async function openCaseRow<C extends SealableCase>(db: Db, s: StoredCase<C>): Promise<C> {
  if (!s.pii) return s;
  const p = await openJson<CasePii>(db.crypto.aes, s.pii, aad(s.id));
  const { pii: _pii, ...rest } = s;
  const c = rest as C;
  if (c.contractDoc) c.contractDoc = { ...c.contractDoc, sections: p.sections ?? [] };
  if (c.signature) c.signature = { ...c.signature, typedName: p.typedName ?? "" };
  if (c.customerReply) c.customerReply = { ...c.customerReply, text: p.replyText ?? "" };
  if (c.declined) c.declined = { ...c.declined, reason: p.declinedReason ?? "" };
  if (c.photo && p.photoReason) c.photo = { ...c.photo, reason: p.photoReason };
  return c;
}

/** Reads an entry and opens it (the versionstamp is kept for the caller's check). */
export async function openCaseEntry<T extends Deno.KvEntryMaybe<SealableCase>>(
  db: Db,
  e: T,
): Promise<T> {
  return e.value ? { ...e, value: await openCaseRow(db, e.value as SealableCase) } : e;
}

/** Migration 4: re-writes rows stored before sealing (clear personal fields, no `pii`). */
export async function sealLegacyCaseRows(db: Db): Promise<number> {
  let n = 0;
  for await (const e of db.kv.list<StoredCase>({ prefix: keys.cases() })) {
    if (e.value.pii || !Object.keys(take(e.value)).length) continue;
    const sealed = await sealCase(db, e.value);
    // A row changed meanwhile was written by new code, hence already sealed.
    if ((await db.kv.atomic().check(e).set(e.key, sealed).commit()).ok) n++;
  }
  return n;
}
