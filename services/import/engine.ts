// The import pipeline: stream → CSV records → validation and in-file duplicates → batches of
// rows decided against the store (decide.ts) → packed into atomics and committed. Batch k+1 is
// read, hashed and looked up while batch k commits.
//
// Checks per atomic (the strictest KV limit is 10): each atomic checks the job's progress
// record (rewritten by every atomic, so a second runner of the same job fails at once) and the
// import lock (one writing import at a time), plus the version of every existing record the
// atomic changes (rare: only rows the ERP changed). New rows need no per-row check: their
// ERP-id and document indexes were looked up in the same batch and only the lock holder
// creates import rows. One check per row would allow 10 rows per atomic; this way an atomic
// carries up to ~100 rows, bounded by 1000 mutations, 80 KiB of keys and 800 KiB in all.
import type { Db } from "../db.ts";
import { type Actor } from "../../domain/actor.ts";
import { addAudit } from "../audit.ts";
import { openCsv } from "./csv.ts";
import type { ColumnMapping } from "./presets.ts";
import { FileIndex, type ImportRow, validateRow } from "./validate.ts";
import { decideBatch, type Recent, type RowIssue, type Unit } from "./decide.ts";

export type { RowIssue };

export interface Counts {
  rows: number;
  bad: number;
  created: number;
  updated: number;
  unchanged: number;
  kept: number;
}

export const zeroCounts = (): Counts => ({
  rows: 0,
  bad: 0,
  created: 0,
  updated: 0,
  unchanged: 0,
  kept: 0,
});

export interface Guard {
  /** Checks it adds to every atomic (counted against the 10). */
  checks: number;
  /** Adds its checks and the progress write (`counts` as of the atomic's last row). */
  stage(op: Deno.AtomicOperation, counts: Counts, bytes: number): void;
  committed(versionstamp: string): void;
}

export interface EngineOptions {
  mapping: ColumnMapping;
  resolvePlan: (value: string) => string | null;
  dryRun: boolean;
  jobId: string;
  actor: Actor;
  /** Resume: data rows already committed. They are read again (to rebuild the in-file
   * duplicate checks) but not written; `counts` continues from `initial`. */
  skipRows?: number;
  initial?: Counts;
  guard?: Guard;
  onIssues?: (issues: RowIssue[]) => Promise<void>;
  /** After each batch (committed, in a real run); awaited, and its time is not counted. */
  onBatch?: (counts: Counts, bytes: number) => Promise<void> | void;
  batchRows?: number;
  /** Prepare the next batch while this one commits (default); off for measurements. */
  pipeline?: boolean;
}

export interface EngineResult {
  counts: Counts;
  encoding: string;
  delimiter: string;
  headers: string[];
  seconds: number;
  timings: Record<string, number>;
}

/** A batch atomic failed its checks: another runner, or a record changed under us. */
export class ImportConflict extends Error {
  constructor(readonly committedRows: number) {
    super("Um lote da importação encontrou dados alterados ao mesmo tempo.");
  }
}

// Limits with room for the guard, the audit event and estimation error (bench_scale.ts packs
// its raw baseline with the same ones).
export const MAX_MUTATIONS = 950, MAX_KEY_BYTES = 70_000, MAX_BYTES = 700_000, MAX_CHECKS = 10;

export async function runEngine(
  db: Db,
  input: ReadableStream<Uint8Array>,
  o: EngineOptions,
): Promise<EngineResult> {
  const started = performance.now();
  const timings: Record<string, number> = {
    parse_validate_ms: 0,
    crypto_ms: 0,
    lookup_ms: 0,
    seal_ms: 0,
    commit_ms: 0,
    callbacks_ms: 0,
  };
  const src = await openCsv(input);
  const counts = { ...(o.initial ?? zeroCounts()) };
  const skip = o.skipRows ?? 0;
  const files = new FileIndex();
  const recent: Recent = new Map();
  const batchRows = o.batchRows ?? 500;
  let seen = 0, batchNo = 0;
  let pending: (ImportRow | RowIssue)[] = [];
  let inflight: Promise<void> | null = null;
  let failure: unknown = null;

  const flush = async () => {
    const items = pending;
    pending = [];
    batchNo++;
    for (const [k, v] of recent) if (v.batch < batchNo - 1) recent.delete(k);
    const rows = items.filter((x): x is ImportRow => "pii" in x);
    const decided = rows.length
      ? await decideBatch({ db, dryRun: o.dryRun, recent, batchNo, timings }, rows)
      : { units: [], issues: [] };
    // Merge back into file order: refused rows carry no writes but count toward progress.
    const units: Unit[] = [];
    const issues: RowIssue[] = [];
    let d = 0;
    for (const x of items) {
      if ("pii" in x) units.push(decided.units[d++]);
      else {
        units.push({ line: x.line, outcome: "bad" });
        issues.push(x);
      }
    }
    issues.push(...decided.issues);
    issues.sort((a, b) => a.line - b.line);
    if (inflight) await inflight;
    if (failure) throw failure;
    inflight = commitBatch(units, issues).catch((e) => void (failure = e));
    if (o.pipeline === false) await inflight;
  };

  const commitBatch = async (units: Unit[], issues: RowIssue[]) => {
    let t = performance.now();
    if (issues.length && o.onIssues) await o.onIssues(issues);
    timings.callbacks_ms += performance.now() - t;
    t = performance.now();
    if (o.dryRun || !o.guard) {
      for (const u of units) count(u);
    } else {
      await packAndCommit(db, o, units, counts, src.bytesRead(), count);
    }
    timings.commit_ms += performance.now() - t;
    t = performance.now();
    await o.onBatch?.({ ...counts }, src.bytesRead());
    timings.callbacks_ms += performance.now() - t;
  };
  const count = (u: Unit) => {
    counts.rows++;
    counts[u.outcome === "bad" ? "bad" : u.outcome]++;
  };

  let t = performance.now();
  for await (const records of src.records) {
    for (const rec of records) {
      seen++;
      const v = validateRow(rec.line, rec.fields, o.mapping, o.resolvePlan);
      const dup = v.ok ? files.check(v.row) : null;
      if (seen <= skip) continue;
      const erpId = (rec.fields[o.mapping.customerErpId] ?? "").trim().slice(0, 64);
      if (!v.ok) {
        pending.push({ line: rec.line, erpId, reason: v.reasons.join(" "), level: "error" });
      } else if (dup) pending.push({ line: rec.line, erpId, reason: dup, level: "error" });
      else pending.push(v.row);
      if (pending.length >= batchRows) {
        timings.parse_validate_ms += performance.now() - t;
        await flush();
        t = performance.now();
      }
    }
  }
  timings.parse_validate_ms += performance.now() - t;
  if (pending.length) await flush();
  if (inflight) await inflight;
  if (failure) throw failure;
  const seconds = (performance.now() - started - timings.callbacks_ms) / 1000;
  return {
    counts,
    encoding: src.encoding,
    delimiter: src.delimiter,
    headers: src.headers,
    seconds,
    timings,
  };
}

export function keyBytes(k: Deno.KvKey): number {
  let n = 0;
  for (const p of k) n += typeof p === "string" ? p.length + 2 : 10;
  return n;
}

export function valueBytes(v: unknown): number {
  if (typeof v === "string") return v.length + 4;
  if (v && typeof v === "object") {
    let n = 8;
    for (const [k, x] of Object.entries(v)) n += k.length + 2 + valueBytes(x);
    return n;
  }
  return 10;
}

/** Atomics committed by imports in this process (the benchmark reports rows per atomic). */
export const atomics = { count: 0 };

/** Packs the batch's rows, in order and never split, into as few atomics as the limits allow. */
async function packAndCommit(
  db: Db,
  o: EngineOptions,
  units: Unit[],
  counts: Counts,
  bytes: number,
  count: (u: Unit) => void,
) {
  const guard = o.guard!;
  let op = db.kv.atomic();
  let muts = 0, kb = 0, vb = 0, checks = guard.checks, rows = 0;
  let first = units[0]?.line ?? 0, last = first;
  const before = { ...counts };
  const commit = async () => {
    guard.stage(op, counts, bytes);
    addAudit(db, op, `import:${o.jobId}`, "import.batch", o.actor, {
      lines: [first, last],
      created: counts.created - before.created,
      updated: counts.updated - before.updated,
    });
    const res = await op.commit();
    if (!res.ok) throw new ImportConflict(counts.rows - rows);
    guard.committed(res.versionstamp);
    atomics.count++;
    Object.assign(before, counts);
    op = db.kv.atomic();
    muts = 0, kb = 0, vb = 0, checks = guard.checks, rows = 0;
  };
  for (const u of units) {
    const r = u.rec;
    const m = r?.ops.length ?? 0, c = r?.checks.length ?? 0;
    let k = 0, v = 0;
    for (const x of r?.ops ?? []) {
      k += keyBytes(x[1]);
      if (x[0] === "set") v += valueBytes(x[2]);
    }
    if (
      rows > 0 && (muts + m > MAX_MUTATIONS || kb + k > MAX_KEY_BYTES ||
        kb + vb + k + v > MAX_BYTES || checks + c > MAX_CHECKS)
    ) {
      await commit();
      first = u.line;
    }
    if (r) {
      if (c) op.check(...r.checks);
      for (const x of r.ops) x[0] === "set" ? op.set(x[1], x[2]) : op.delete(x[1]);
    }
    muts += m, kb += k, vb += v, checks += c, rows++;
    last = u.line;
    count(u);
  }
  // The last atomic always commits, even without rows: it records the batch's progress.
  await commit();
}
