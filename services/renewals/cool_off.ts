// Customers who refused a renewal are not contacted again at once (issue #16, item 8): the
// atomic that declines a case also writes a small mark on the contract (case id + when), and
// the due list and claims honour a cool-off counted from it. The reason stays sealed in the
// case; the mark holds no personal data.
import type { Db } from "../db.ts";
import { commitOrConflict, getManyBatched } from "../db.ts";
import { keys } from "../keys.ts";
import { addDays, todayInBrazil } from "../dates.ts";
import { ConflictError } from "../errors.ts";
import { stageDeclineDueMark } from "../due_marks.ts";

/** The fields of a case this module reads (cases.ts imports this module: no import back). */
interface DeclinedCase {
  id: string;
  contractId: string;
  step: string;
  loyaltyEnd: string;
  updatedAt: string;
  declined?: { at: string };
}

/** Days a refusal keeps the customer out of the due list unless configured otherwise. */
export const DEFAULT_DECLINE_COOLOFF_DAYS = 90;

export interface DeclineMark {
  caseId: string;
  /** When the case was declined (ISO instant). */
  at: string;
}

/** Stages the mark in the atomic that moves the case to "declined". */
export function stageDeclineMark(op: Deno.AtomicOperation, c: DeclinedCase, at: string) {
  const mark: DeclineMark = { caseId: c.id, at };
  op.set(keys.contractDeclined(c.contractId), mark);
  stageDeclineDueMark(op, c, mark); // the copy the renewal list reads with the due page
}

/** The first day the customer may be contacted again (YYYY-MM-DD, Brazil's calendar). */
export function contactAgainFrom(mark: DeclineMark, days: number): string {
  return addDays(todayInBrazil(new Date(mark.at)), days);
}

/** Whether the mark still keeps the contract out on `now`. 0 days turns the cool-off off. */
export function coolingOff(mark: DeclineMark | null | undefined, days: number, now: Date) {
  return !!mark && days > 0 && todayInBrazil(now) < contactAgainFrom(mark, days);
}

/** The refusal marks of these contracts (absent when none), in batched reads. */
export async function declineMarksOf(db: Db, contractIds: string[]) {
  const es = await getManyBatched<DeclineMark>(
    db.kv,
    contractIds.map((id) => keys.contractDeclined(id)),
  );
  const out = new Map<string, DeclineMark>();
  es.forEach((e, i) => e.value && out.set(contractIds[i], e.value));
  return out;
}

/** A claim never picks a customer inside the cool-off (a 409 with the date to come back). */
export async function assertNotCoolingOff(db: Db, contractId: string, days: number) {
  const mark = (await db.kv.get<DeclineMark>(keys.contractDeclined(contractId))).value;
  if (coolingOff(mark, days, db.now())) {
    const [y, m, d] = contactAgainFrom(mark!, days).split("-");
    throw new ConflictError(
      `Este cliente recusou a renovação. Contatar de novo a partir de ${d}/${m}/${y}.`,
    );
  }
}

/** Migration: marks for cases declined before the mark existed (the latest per contract). */
export async function backfillDeclineMarks(db: Db): Promise<number> {
  const latest = new Map<string, DeclineMark>();
  for await (const e of db.kv.list({ prefix: keys.casesInStep("declined") })) {
    const c = (await db.kv.get<DeclinedCase>(keys.case(String(e.key[2])))).value;
    if (!c || c.step !== "declined") continue;
    const at = c.declined?.at ?? c.updatedAt;
    const prev = latest.get(c.contractId);
    if (!prev || prev.at < at) latest.set(c.contractId, { caseId: c.id, at });
  }
  let op = db.kv.atomic(), n = 0;
  for (const [contractId, mark] of latest) {
    op.set(keys.contractDeclined(contractId), mark);
    if (++n % 200 === 0) {
      await commitOrConflict(op);
      op = db.kv.atomic();
    }
  }
  if (n % 200) await commitOrConflict(op);
  return n;
}
