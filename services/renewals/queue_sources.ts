// Where the work queues' cases come from: writes to the ERP stopped on a conflict
// (case_erp_conflicts, kept by services/erp in the write's own atomics), and the queue index of
// open cases nobody holds by the instant they need a person (queue_due, moved by every case
// write: cases.ts stageQueueDue). queues.ts decides the queue of each and hands them out.
import type { Db } from "../db.ts";
import { keys } from "../keys.ts";
import { isTerminal, OPEN_STEPS } from "../../domain/steps.ts";
import {
  getCaseEntry,
  getCases,
  type QueueDueEntry,
  type RenewalCase,
  stageQueueDue,
} from "./cases.ts";
import type { ErpConflictMark } from "../erp/queue.ts";

/** A write to the ERP stopped on a conflict, with its case (which may have ended since). */
export interface ErpConflictItem extends ErpConflictMark {
  caseId: string;
  writeId: string;
}

/** Conflicts are few (each waits for a person): read whole, capped. */
const CONFLICTS_MAX = 1000;

/** Every write stopped on a conflict, oldest case first. */
export async function erpConflicts(db: Db): Promise<ErpConflictItem[]> {
  const out: ErpConflictItem[] = [];
  const it = db.kv.list<ErpConflictMark>({ prefix: keys.caseErpConflicts() }, {
    limit: CONFLICTS_MAX,
  });
  for await (const e of it) {
    out.push({ ...e.value, caseId: String(e.key[1]), writeId: String(e.key[2]) });
  }
  return out;
}

export const conflictedIds = async (db: Db) =>
  new Set((await erpConflicts(db)).map((x) => x.caseId));

/** The queue index's entries due by now (oldest need first). */
export function dueByNow(db: Db, limit?: number) {
  const now = db.now().toISOString();
  return db.kv.list<QueueDueEntry>({
    start: keys.queueDues(),
    end: [...keys.queueDues(), now + "\uffff"],
  }, { limit, batchSize: 100 });
}

/** Cases from ids that are open and held by nobody (read now: the index may lag a claim). */
export async function freeCases(db: Db, ids: string[]): Promise<RenewalCase[]> {
  return (await getCases(db, ids)).filter((c) => !c.assigneeId && !isTerminal(c.step));
}

/**
 * Open cases nobody holds that need a person now, oldest need first, at most `limit` (those
 * with a conflict first). The queue index (keys.queueDue, moved by every case write) is ordered
 * by the instant each case needs someone, so this reads the entries due by now — at 1M
 * contracts tens of thousands of campaign cases wait on the customer and are not read.
 */
export async function unassignedOpen(
  db: Db,
  limit: number,
  conflicted: Set<string>,
): Promise<RenewalCase[]> {
  const ids: string[] = [...conflicted];
  for await (const e of dueByNow(db, limit)) ids.push(e.value.caseId);
  return await freeCases(db, [...new Set(ids)]);
}

/**
 * Migration: queue index entries for the open cases written before the index existed. Each
 * entry is set with a check on its case's version (a case changed meanwhile has its entry from
 * that change already).
 */
export async function backfillQueueDue(db: Db): Promise<number> {
  let n = 0;
  const one = async (id: string) => {
    const entry = await getCaseEntry(db, id);
    const op = db.kv.atomic().check(entry);
    stageQueueDue(op, null, entry.value);
    if ((await op.commit()).ok) n++;
  };
  for (const step of OPEN_STEPS) {
    const ids: string[] = [];
    for await (const e of db.kv.list({ prefix: keys.casesInStep(step) })) {
      ids.push(String(e.key[2]));
      if (ids.length >= 50) await Promise.all(ids.splice(0).map(one));
    }
    await Promise.all(ids.map(one));
  }
  return n;
}
