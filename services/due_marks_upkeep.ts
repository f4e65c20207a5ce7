// Keeping the due entries' marks (services/due_marks.ts) trustworthy: the migration that first
// writes them, and the daily job that rewrites the marks of stale entries due soon, from the
// truth (open_case_by_contract, contract_declines), version-checked against both.
import type { Db } from "./db.ts";
import { getManyBatched } from "./db.ts";
import { keys } from "./keys.ts";
import { type Contract, type DueSummary, dueSummary } from "./contracts.ts";
import { stageDeclineDueMark, stageOpenMarkEnd } from "./due_marks.ts";
import { addDays, todayInBrazil } from "./dates.ts";

/** Contracts per atomic: three checks each, under KV's ten. */
const PER_ATOMIC = 3;
/** Stale entries due from a month ago to this many days ahead get their marks each day. */
export const MARKS_HORIZON_DAYS = 120;

type Step = (op: Deno.AtomicOperation) => void;

/** Commits steps a few per atomic; a conflicting group is left (the next run retries it). */
async function commitInGroups(db: Db, steps: Step[]): Promise<{ done: number; conflicts: number }> {
  let done = 0, conflicts = 0;
  for (let i = 0; i < steps.length; i += PER_ATOMIC) {
    const group = steps.slice(i, i + PER_ATOMIC);
    const op = db.kv.atomic();
    for (const s of group) s(op);
    if ((await op.commit()).ok) done += group.length;
    else conflicts += group.length;
  }
  return { done, conflicts };
}

async function* keysIn(db: Db, prefix: Deno.KvKey, size = 300) {
  let batch: Deno.KvEntry<unknown>[] = [];
  for await (const e of db.kv.list({ prefix }, { batchSize: size })) {
    batch.push(e);
    if (batch.length === size) yield batch, batch = [];
  }
  if (batch.length) yield batch;
}

/**
 * Migration 9. Contracts with an open case become stale (the case ends its mark at its own
 * loyalty end, which a registered renewal has already moved); every other active contract
 * with a refusal gets the refusal's copy under its due entry. Stores without cases: no writes.
 */
export async function backfillDueMarks(db: Db): Promise<{ stale: number; declines: number }> {
  let stale = 0, declines = 0;
  for await (const batch of keysIn(db, keys.openCasesByContract())) {
    const ids = batch.map((e) => String(e.key[1]));
    const cs = await getManyBatched<Contract>(db.kv, ids.map((id) => keys.contract(id)));
    const steps: Step[] = [];
    for (const c of cs) {
      const v = c.value;
      if (!v || v.status !== "active" || v.dueMarksStale) continue;
      steps.push((op) => {
        const next: Contract = { ...v, dueMarksStale: true };
        op.check(c).set(keys.contract(v.id), next)
          .set(keys.contractsByDue(v.loyaltyEnd, v.id), dueSummary(next));
      });
    }
    stale += (await commitInGroups(db, steps)).done;
  }
  for await (const batch of keysIn(db, keys.contractDeclines())) {
    const ids = batch.map((e) => String(e.key[1]));
    const cs = await getManyBatched<Contract>(db.kv, ids.map((id) => keys.contract(id)));
    const steps: Step[] = [];
    cs.forEach((c, i) => {
      const v = c.value;
      if (!v || v.status !== "active" || v.dueMarksStale) return;
      const mark = batch[i] as Deno.KvEntry<{ caseId: string; at: string }>;
      steps.push((op) => {
        op.check(c).check(mark);
        stageDeclineDueMark(op, { contractId: v.id, loyaltyEnd: v.loyaltyEnd }, mark.value);
      });
    });
    declines += (await commitInGroups(db, steps)).done;
  }
  return { stale, declines };
}

/**
 * The daily job: stale due entries from 30 days ago to MARKS_HORIZON_DAYS ahead get their
 * marks rewritten from the truth and lose the flag, checked against the contract, its open
 * case (none, or it is skipped: the case would end its mark elsewhere) and its refusal.
 */
export async function refreshDueMarks(db: Db, horizonDays = MARKS_HORIZON_DAYS) {
  const today = todayInBrazil(db.now());
  let refreshed = 0, open = 0, conflicts = 0;
  const stale: string[] = [];
  const flush = async () => {
    const ids = stale.splice(0);
    const [cs, opens, declines] = await Promise.all([
      getManyBatched<Contract>(db.kv, ids.map((id) => keys.contract(id))),
      getManyBatched<string>(db.kv, ids.map((id) => keys.openCaseByContract(id))),
      getManyBatched<{ caseId: string; at: string }>(
        db.kv,
        ids.map((id) => keys.contractDeclined(id)),
      ),
    ]);
    const steps: Step[] = [];
    cs.forEach((c, i) => {
      const v = c.value;
      if (!v || v.status !== "active" || !v.dueMarksStale) return;
      if (opens[i].value) return void open++;
      steps.push((op) => {
        const { dueMarksStale: _, ...next } = v;
        op.check(c).check(opens[i]).check(declines[i])
          .set(keys.contract(v.id), next)
          .set(keys.contractsByDue(v.loyaltyEnd, v.id), dueSummary(next));
        const at = { contractId: v.id, loyaltyEnd: v.loyaltyEnd };
        stageOpenMarkEnd(op, at);
        const d = declines[i].value;
        if (d) stageDeclineDueMark(op, at, d);
        else op.delete(keys.contractDueMark(v.loyaltyEnd, v.id, "decline"));
      });
    });
    const r = await commitInGroups(db, steps);
    refreshed += r.done;
    conflicts += r.conflicts;
  };
  const it = db.kv.list<DueSummary>({
    start: [...keys.contractsDue(), addDays(today, -30)],
    end: [...keys.contractsDue(), addDays(today, horizonDays + 1)],
  }, { batchSize: 500 });
  for await (const e of it) {
    if (e.key.length !== 3 || !e.value.marksStale) continue;
    stale.push(String(e.key[2]));
    if (stale.length === 300) await flush();
  }
  if (stale.length) await flush();
  return { refreshed, open, conflicts };
}
