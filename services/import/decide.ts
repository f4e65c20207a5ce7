// One batch of valid rows → what to write: blind indexes and hashes (crypto in parallel),
// batched lookups of the ERP-id and document indexes, then per row create / update / nothing,
// staged through the same functions the services use (stageCustomerWrite, stageContract*).
import type { Db } from "../db.ts";
import { getManyBatched } from "../db.ts";
import { keys } from "../keys.ts";
import { ulid } from "../ulid.ts";
import { blindIndex } from "../crypto.ts";
import {
  type CustomerWrite,
  documentIndex,
  nameIndexes,
  phoneIndex,
  sealCustomerPii,
  stageCustomerWrite,
  type StoredCustomer,
  unsealCustomer,
} from "../customers.ts";
import { type Contract, stageContractCreate, stageContractImportUpdate } from "../contracts.ts";
import { contractFingerprint, customerFingerprint, type ImportRow } from "./validate.ts";

export type Outcome = "created" | "updated" | "unchanged" | "kept" | "bad";

export interface RowIssue {
  line: number;
  erpId: string;
  reason: string;
  level: "error" | "warning";
}

type Op = ["set", Deno.KvKey, unknown] | ["delete", Deno.KvKey];

/** Records what the staging functions do, so rows can be packed into atomics afterwards. */
export class Recorder {
  ops: Op[] = [];
  checks: Deno.AtomicCheck[] = [];
  set(key: Deno.KvKey, value: unknown) {
    this.ops.push(["set", key, value]);
    return this;
  }
  delete(key: Deno.KvKey) {
    this.ops.push(["delete", key]);
    return this;
  }
  check(...c: Deno.AtomicCheck[]) {
    this.checks.push(...c);
    return this;
  }
  get op(): Deno.AtomicOperation {
    return this as unknown as Deno.AtomicOperation;
  }
}

export interface Unit {
  line: number;
  outcome: Outcome;
  rec?: Recorder;
}

/** Customers written by the previous batch, whose commit may still be in flight. */
export type Recent = Map<string, { write: CustomerWrite; batch: number }>;

interface CustState {
  id: string;
  hash: string;
  write?: CustomerWrite;
}

export interface DecideContext {
  db: Db;
  dryRun: boolean;
  recent: Recent;
  batchNo: number;
  /** Nanoseconds are not needed: wall-clock milliseconds per phase, for the benchmark. */
  timings: Record<string, number>;
}

const ms = () => performance.now();

/** Decides a batch. Rows are in file order; the result has one unit per row, same order. */
export async function decideBatch(
  ctx: DecideContext,
  rows: ImportRow[],
): Promise<{ units: Unit[]; issues: RowIssue[] }> {
  const { db, timings } = ctx;
  let t = ms();
  const crypto = await Promise.all(rows.map(async (r) => ({
    cpf: await documentIndex(db, r.pii.cpf),
    phones: await Promise.all(r.pii.phones.map((p) => phoneIndex(db, p))),
    names: await nameIndexes(db, r.pii.name),
    // Keyed, so the hash of a person's data in clear reveals nothing without the data key.
    hash: await blindIndex(db.crypto.hmac, "import-customer", customerFingerprint(r)),
  })));
  timings.crypto_ms += ms() - t;

  t = ms();
  const idx = await getMany<string>(db, [
    ...rows.map((r) => keys.customerByErpId(r.customerErpId)),
    ...rows.map((r) => keys.contractByErpId(r.contractErpId)),
    ...crypto.map((c) => keys.customerByCpf(c.cpf)),
  ]);
  const n = rows.length;
  const byErp = (i: number) => idx[i], byContract = (i: number) => idx[n + i];
  const byDoc = (i: number) => idx[2 * n + i];
  const custIds = new Set<string>(), contractIds = new Set<string>();
  for (let i = 0; i < n; i++) {
    if (byErp(i)) custIds.add(byErp(i)!);
    if (byDoc(i)) custIds.add(byDoc(i)!);
    if (byContract(i)) contractIds.add(byContract(i)!);
  }
  // A fresh import finds nothing here and skips the second round trip.
  const custEntries = new Map<string, Deno.KvEntry<StoredCustomer>>();
  const contractEntries = new Map<string, Deno.KvEntry<Contract>>();
  if (custIds.size || contractIds.size) {
    const ks = [...custIds].map((id) => keys.customer(id));
    const es = await getManyBatched<unknown>(db.kv, [
      ...ks,
      ...[...contractIds].map((id) => keys.contract(id)),
    ]);
    es.forEach((e, i) => {
      if (e.versionstamp === null) return;
      if (i < ks.length) custEntries.set(String(e.key[1]), e as Deno.KvEntry<StoredCustomer>);
      else contractEntries.set(String(e.key[1]), e as Deno.KvEntry<Contract>);
    });
  }
  timings.lookup_ms += ms() - t;

  const now = db.now().toISOString();
  const units: Unit[] = [];
  const issues: RowIssue[] = [];
  const inBatch = new Map<string, CustState>();
  const toSeal: { write: CustomerWrite; row: ImportRow }[] = [];
  const changedContracts: { unit: Unit; row: ImportRow; entry: Deno.KvEntry<Contract> }[] = [];
  const bad = (r: ImportRow, reason: string) => {
    issues.push({ line: r.line, erpId: r.customerErpId, reason, level: "error" });
    units.push({ line: r.line, outcome: "bad" });
  };

  for (let i = 0; i < n; i++) {
    const r = rows[i], c = crypto[i];
    const rec = new Recorder();
    let outcome: Outcome = "unchanged";
    let cust = inBatch.get(r.customerErpId);
    if (!cust) {
      const recent = ctx.recent.get(r.customerErpId);
      const entry = byErp(i) ? custEntries.get(byErp(i)!) : undefined;
      const docOwner = byDoc(i) ? custEntries.get(byDoc(i)!) : undefined;
      // Recent first: the previous batch's commit may not be visible to our reads yet.
      let prev:
        | { stored: StoredCustomer; write?: CustomerWrite; entry?: Deno.KvEntry<StoredCustomer> }
        | undefined;
      if (recent) prev = { stored: recent.write.stored, write: recent.write };
      else if (entry) prev = { stored: entry.value, entry };
      else if (docOwner && (!docOwner.value.erpId || docOwner.value.erpId === r.customerErpId)) {
        // Created in Renova before any import (no ERP id): this row adopts it.
        prev = { stored: docOwner.value, entry: docOwner };
      }
      const id = prev?.stored.id;
      // The document already belongs to another customer (a dangling index is overwritten).
      if (docOwner && docOwner.value.id !== id) {
        const other = docOwner?.value.erpId;
        bad(
          r,
          `Duplicado: CPF/CNPJ já cadastrado para ${
            other ? `o cliente ${other}` : "outro cliente"
          }.`,
        );
        continue;
      }
      cust = { id: id ?? ulid(), hash: c.hash };
      if (!prev || prev.stored.erpHash !== c.hash) {
        // Only a changed customer needs its old indexes (decrypt + HMAC): unchanged rows of a
        // re-import cost no more than the lookups.
        const before = prev && (prev.write ?? await writeOf(db, prev.stored));
        const stored: StoredCustomer = {
          ...(prev?.stored ?? { id: cust.id, createdAt: now }),
          erpId: r.customerErpId,
          erpHash: c.hash,
          city: r.pii.address.city,
          state: r.pii.address.state,
          pii: "",
          updatedAt: now,
        };
        cust.write = {
          stored,
          cpfIndex: c.cpf,
          phoneIndexes: [...new Set(c.phones)],
          nameIndexes: c.names,
        };
        if (prev?.entry) rec.check(prev.entry);
        stageCustomerWrite(rec.op, cust.write, before);
        toSeal.push({ write: cust.write, row: r });
        outcome = prev ? "updated" : "created";
      }
      inBatch.set(r.customerErpId, cust);
    }

    const contractId = byContract(i);
    const entry = contractId ? contractEntries.get(contractId) : undefined;
    const unit: Unit = { line: r.line, outcome, rec };
    if (!entry) {
      const erpHash = contractFingerprint(r);
      stageContractCreate(rec.op, {
        id: ulid(),
        customerId: cust.id,
        planId: r.planId,
        city: r.pii.address.city,
        status: r.status,
        startDate: r.startDate,
        loyaltyStart: r.loyaltyStart,
        loyaltyEnd: r.loyaltyEnd,
        nextRenewalDue: r.loyaltyEnd,
        erpId: r.contractErpId,
        erpHash,
        createdAt: now,
        updatedAt: now,
      });
      unit.outcome = "created";
    } else if (
      entry.value.erpHash !== contractFingerprint(r) || entry.value.customerId !== cust.id
    ) {
      changedContracts.push({ unit, row: r, entry });
    }
    units.push(unit);
    if (cust.write) ctx.recent.set(r.customerErpId, { write: cust.write, batch: ctx.batchNo });
  }

  if (changedContracts.length) await stageContractChanges(ctx, changedContracts, issues, inBatch);
  if (!ctx.dryRun && toSeal.length) {
    t = ms();
    await Promise.all(toSeal.map(async ({ write, row }) => {
      write.stored.pii = await sealCustomerPii(db, write.stored.id, row.pii);
    }));
    timings.seal_ms += ms() - t;
  }
  return { units, issues };
}

/**
 * ERP-side changes to known contracts. Two are kept as they are, with a warning: a contract with
 * a renewal in progress, and one renewed in Renova that the ERP still shows with the old term.
 */
async function stageContractChanges(
  ctx: DecideContext,
  list: { unit: Unit; row: ImportRow; entry: Deno.KvEntry<Contract> }[],
  issues: RowIssue[],
  customers: Map<string, CustState>,
) {
  const open = await getMany<string>(
    ctx.db,
    list.map((x) => keys.openCaseByContract(x.entry.value.id)),
  );
  list.forEach(({ unit, row, entry }, i) => {
    const warn = (reason: string) => {
      issues.push({ line: row.line, erpId: row.customerErpId, reason, level: "warning" });
      if (unit.outcome === "unchanged") unit.outcome = "kept";
    };
    const c = entry.value;
    if (open[i]) return warn("Contrato com renovação em andamento: não foi alterado.");
    if (c.signedAt && row.loyaltyEnd < c.loyaltyEnd) {
      return warn("Contrato renovado no Renova; o ERP ainda mostra a fidelidade antiga.");
    }
    stageContractImportUpdate(ctx.db, unit.rec!.op, entry, {
      ...c,
      customerId: customers.get(row.customerErpId)!.id,
      planId: row.planId,
      city: row.pii.address.city,
      status: row.status,
      startDate: row.startDate,
      loyaltyStart: row.loyaltyStart,
      loyaltyEnd: row.loyaltyEnd,
      nextRenewalDue: row.loyaltyEnd,
      erpHash: contractFingerprint(row),
    });
    if (unit.outcome !== "created") unit.outcome = "updated";
  });
}

/** The write a stored customer corresponds to (its indexes need the data in clear). */
async function writeOf(db: Db, s: StoredCustomer): Promise<CustomerWrite> {
  const c = await unsealCustomer(db, s);
  return {
    stored: s,
    cpfIndex: await documentIndex(db, c.cpf),
    phoneIndexes: await Promise.all([...new Set(c.phones)].map((p) => phoneIndex(db, p))),
    nameIndexes: await nameIndexes(db, c.name),
  };
}

/** Values of many keys, 10 per getMany (the strictest limit), the calls in parallel. */
async function getMany<T>(db: Db, ks: Deno.KvKey[]): Promise<(T | null)[]> {
  const calls: Promise<Deno.KvEntryMaybe<T>[]>[] = [];
  for (let i = 0; i < ks.length; i += 10) calls.push(db.kv.getMany<T[]>(ks.slice(i, i + 10)));
  return (await Promise.all(calls)).flat().map((e) => e.value);
}
