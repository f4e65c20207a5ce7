// Contracts and the due index (contracts_by_due) that the renewal list reads. The index key is
// [loyaltyEnd, contractId] with a tiny summary value, so a month's due list is one range read.
import type { Db } from "./db.ts";
import { commitOrConflict, listPage } from "./db.ts";
import { keys } from "./keys.ts";
import { groupDuePage, stageMarksLeft } from "./due_marks.ts";
import { ulid } from "./ulid.ts";
import { addAudit } from "./audit.ts";
import { type Actor } from "../domain/actor.ts";
import { ValidationError } from "./errors.ts";
import { addDays, isValidIsoDate } from "./dates.ts";

export interface Contract {
  id: string;
  customerId: string;
  planId: string;
  city: string;
  status: "active" | "cancelled";
  startDate: string;
  loyaltyStart: string;
  loyaltyEnd: string;
  /** When the next renewal falls due: the loyalty end. */
  nextRenewalDue: string;
  signedAt?: string;
  erpId?: string;
  /** The customer's access (PPPoE/RADIUS) login, to change the session's speed (CoA). */
  accessLogin?: string;
  /** ERP import: hash of the ERP's fields last imported, so a re-import spots ERP changes. */
  erpHash?: string;
  /**
   * The marks under its due entry (open case, refusal) are not known: its loyalty end or
   * status moved, or it had an open case when marks began (services/due_marks.ts).
   */
  dueMarksStale?: true;
  createdAt: string;
  updatedAt: string;
}

/** What the due index holds: enough to filter without reading the contract. */
export interface DueSummary {
  customerId: string;
  planId: string;
  city: string;
  /** The marks under this entry are not to be trusted (Contract.dueMarksStale). */
  marksStale?: true;
}

export type NewContract = Pick<
  Contract,
  "customerId" | "planId" | "city" | "startDate" | "loyaltyStart" | "loyaltyEnd" | "erpId"
>;

/** The due entry of a contract. */
export function dueSummary(c: Contract): DueSummary {
  const s: DueSummary = { customerId: c.customerId, planId: c.planId, city: c.city };
  if (c.dueMarksStale) s.marksStale = true;
  return s;
}

/** Date checks of a new contract: per-field pt-BR messages (ValidationError). */
export function validateContractDates(
  input: Pick<NewContract, "startDate" | "loyaltyStart" | "loyaltyEnd">,
): void {
  const f: Record<string, string> = {};
  for (const k of ["startDate", "loyaltyStart", "loyaltyEnd"] as const) {
    if (!isValidIsoDate(input[k])) f[k] = "Data inválida.";
  }
  if (!f.loyaltyEnd && !f.loyaltyStart && input.loyaltyEnd <= input.loyaltyStart) {
    f.loyaltyEnd = "O fim da fidelidade precisa ser depois do início.";
  }
  if (Object.keys(f).length) throw new ValidationError(f);
}

export async function createContract(db: Db, input: NewContract, actor: Actor): Promise<Contract> {
  validateContractDates(input);
  const now = db.now().toISOString();
  const c: Contract = {
    ...input,
    id: ulid(),
    status: "active",
    nextRenewalDue: input.loyaltyEnd,
    createdAt: now,
    updatedAt: now,
  };
  const op = db.kv.atomic()
    .check({ key: keys.contract(c.id), versionstamp: null })
    .set(keys.contract(c.id), c)
    .set(keys.contractsByCustomer(c.customerId, c.id), c.id)
    .set(keys.contractsByDue(c.loyaltyEnd, c.id), dueSummary(c));
  // The ERP id is unique, as in the import: a later import of the same contract updates this one.
  if (c.erpId) {
    op.check({ key: keys.contractByErpId(c.erpId), versionstamp: null })
      .set(keys.contractByErpId(c.erpId), c.id);
  }
  addAudit(db, op, `contract:${c.id}`, "contract.created", actor);
  await commitOrConflict(op, "Já existe um contrato com este código do ERP.");
  return c;
}

export async function getContract(db: Db, id: string): Promise<Contract | null> {
  return (await db.kv.get<Contract>(keys.contract(id))).value;
}

export async function contractsOfCustomer(db: Db, customerId: string): Promise<Contract[]> {
  const out: Contract[] = [];
  for await (const e of db.kv.list<string>({ prefix: keys.contractsOfCustomer(customerId) })) {
    const c = await getContract(db, e.value);
    if (c) out.push(c);
  }
  return out;
}

/**
 * Applies a change to a contract inside `op` (the caller commits), moving the due index when
 * the loyalty end moves. `entry` is the version the caller read: a concurrent change fails.
 */
export function stageContractUpdate(
  db: Db,
  op: Deno.AtomicOperation,
  entry: Deno.KvEntry<Contract>,
  next: Contract,
): Contract {
  const prev = entry.value;
  const value: Contract = { ...next, updatedAt: db.now().toISOString() };
  const moved = prev.loyaltyEnd !== value.loyaltyEnd || prev.status !== value.status;
  // Marks do not move with the entry (that would need reads here): the new place is checked
  // the old way until the daily job rewrites its marks (services/due_marks_upkeep.ts).
  if (moved || prev.dueMarksStale) value.dueMarksStale = true;
  op.check(entry).set(keys.contract(prev.id), value);
  if (moved) {
    op.delete(keys.contractsByDue(prev.loyaltyEnd, prev.id));
    stageMarksLeft(op, prev.loyaltyEnd, prev.id);
  }
  if (value.status === "active") {
    op.set(keys.contractsByDue(value.loyaltyEnd, value.id), dueSummary(value));
  }
  return value;
}

/** A place in the due index: the entry after which a page starts. */
export interface DuePosition {
  loyaltyEnd: string;
  contractId: string;
}

/**
 * Contracts whose loyalty ends in [from, to] (inclusive), from the due index only. `after`
 * starts right after that entry (a position the caller may have stopped in mid-page), `cursor`
 * after KV's last page.
 */
export async function listDue(
  db: Db,
  from: string,
  to: string,
  opts: { cursor?: string; limit?: number; after?: DuePosition } = {},
) {
  const a = opts.after;
  // A position past the range (a cursor kept while the window narrowed): nothing is left.
  if (a && a.loyaltyEnd > to) return { items: [], cursor: "" };
  // "\0" sorts right after the id itself and before every longer or greater id.
  const start = a && a.loyaltyEnd >= from
    ? [...keys.contractsDue(), a.loyaltyEnd, `${a.contractId}\0`]
    : [...keys.contractsDue(), from];
  const page = await listPage<unknown>(db.kv, {
    start,
    end: [...keys.contractsDue(), addDays(to, 1)],
  }, { cursor: opts.cursor, limit: opts.limit });
  // The marks under each entry come in the same list (services/due_marks.ts).
  const items = groupDuePage<DueSummary>(page.items, !!page.cursor);
  return {
    items: items.map((i) => ({
      contractId: i.contractId,
      loyaltyEnd: i.loyaltyEnd,
      customerId: i.summary.customerId,
      planId: i.summary.planId,
      city: i.summary.city,
      marks: i.marks,
    })),
    cursor: page.cursor,
  };
}

/**
 * Stages a new contract (bulk import): the record, contracts_by_customer, the due index when
 * active, and the ERP-id index. No checks and no audit event: the import guards and audits
 * whole batches (services/import/engine.ts).
 */
export function stageContractCreate(op: Deno.AtomicOperation, c: Contract): void {
  op.set(keys.contract(c.id), c).set(keys.contractsByCustomer(c.customerId, c.id), c.id);
  if (c.status === "active") op.set(keys.contractsByDue(c.loyaltyEnd, c.id), dueSummary(c));
  if (c.erpId) op.set(keys.contractByErpId(c.erpId), c.id);
}

/**
 * A changed contract from the ERP: stageContractUpdate (version check, due index move) plus the
 * customer index when the ERP moved the contract to another customer.
 */
export function stageContractImportUpdate(
  db: Db,
  op: Deno.AtomicOperation,
  entry: Deno.KvEntry<Contract>,
  next: Contract,
): Contract {
  const value = stageContractUpdate(db, op, entry, next);
  if (entry.value.customerId !== value.customerId) {
    op.delete(keys.contractsByCustomer(entry.value.customerId, value.id));
    op.set(keys.contractsByCustomer(value.customerId, value.id), value.id);
  }
  return value;
}

/** Migration: the ERP-id index for contracts created before createContract wrote it. */
export async function backfillContractErpIndex(db: Db): Promise<number> {
  let n = 0;
  let batch: Contract[] = [];
  const flush = async () => {
    const found = await db.kv.getMany(batch.map((c) => keys.contractByErpId(c.erpId!)));
    const op = db.kv.atomic();
    let writes = 0;
    const staged = new Set<string>();
    batch.forEach((c, i) => {
      // Absent only: an id already taken (a duplicate in old data) keeps its first contract.
      if (found[i].versionstamp === null && !staged.has(c.erpId!)) {
        staged.add(c.erpId!);
        op.check(found[i]).set(keys.contractByErpId(c.erpId!), c.id);
        writes++;
      }
    });
    if (writes) await commitOrConflict(op);
    n += writes;
    batch = [];
  };
  for await (const e of db.kv.list<Contract>({ prefix: keys.contracts() })) {
    if (!e.value.erpId) continue;
    batch.push(e.value);
    if (batch.length === 10) await flush();
  }
  if (batch.length) await flush();
  return n;
}
