// Open-case and refusal marks kept right under each due entry (issue #21). A page of the due
// index then tells, in the same list, which contracts have an open case or a recent refusal:
// the renewal list no longer pays two batched reads per page (8 KV reads for 33 rows).
//
//   contracts_by_due/<end>/<contract>            the entry (DueSummary)
//   contracts_by_due/<end>/<contract>/decline    { caseId, at }  (copy of contract_declines)
//   contracts_by_due/<end>/<contract>/open       case id         (copy of open_case_by_contract)
//
// The copies are hints the list trusts; open_case_by_contract and contract_declines stay the
// truth every write checks. An entry flagged `marksStale` is not trusted and is checked the old
// way: a contract whose loyalty end or status moved (its marks at the old place are deleted and
// the new place's are not known without reads), and one that had an open case when the marks
// were first written (migration 9). The daily job (due_marks_upkeep.ts) rewrites the marks of
// stale entries due soon and clears the flag. Marks hold ids and an instant: no personal data.
import { keys } from "./keys.ts";

/** The shape of a refusal mark (cool_off.ts DeclineMark; not imported: cool_off imports us). */
export interface DueDeclineMark {
  caseId: string;
  at: string;
}

/** What a due entry's marks say; absent on a stale entry (check the old way). */
export interface DueMarks {
  /** The open case's id. */
  open?: string;
  decline?: DueDeclineMark;
}

/** Stages the open mark of a case being opened (same atomic as open_case_by_contract). */
export function stageOpenMark(
  op: Deno.AtomicOperation,
  c: { id: string; contractId: string; loyaltyEnd: string },
) {
  op.set(keys.contractDueMark(c.loyaltyEnd, c.contractId, "open"), c.id);
}

/** Stages the end of a case's open mark (same atomic as the case's terminal step). */
export function stageOpenMarkEnd(
  op: Deno.AtomicOperation,
  c: { contractId: string; loyaltyEnd: string },
) {
  op.delete(keys.contractDueMark(c.loyaltyEnd, c.contractId, "open"));
}

/** Stages the copy of a refusal mark under the due entry. */
export function stageDeclineDueMark(
  op: Deno.AtomicOperation,
  c: { contractId: string; loyaltyEnd: string },
  mark: DueDeclineMark,
) {
  op.set(keys.contractDueMark(c.loyaltyEnd, c.contractId, "decline"), mark);
}

/** Stages the removal of both marks at a place the due entry leaves. */
export function stageMarksLeft(op: Deno.AtomicOperation, loyaltyEnd: string, contractId: string) {
  op.delete(keys.contractDueMark(loyaltyEnd, contractId, "open"));
  op.delete(keys.contractDueMark(loyaltyEnd, contractId, "decline"));
}

export interface DueItem<S> {
  contractId: string;
  loyaltyEnd: string;
  summary: S;
  /** Undefined when the marks cannot be trusted: the caller checks this contract itself. */
  marks?: DueMarks;
}

/**
 * A raw page of the due range as entries with their marks. A mark is read only right after
 * its own entry (one whose entry is on an earlier page, or gone, is skipped). `more`: the page
 * was cut by its limit, so the last entry's marks may be on the next page: not trusted.
 */
export function groupDuePage<S extends { marksStale?: boolean }>(
  entries: Deno.KvEntry<unknown>[],
  more: boolean,
): DueItem<S>[] {
  const items: DueItem<S>[] = [];
  for (const e of entries) {
    const [, end, id, kind] = e.key;
    if (e.key.length === 3) {
      const summary = e.value as S;
      items.push({
        contractId: String(id),
        loyaltyEnd: String(end),
        summary,
        marks: summary.marksStale ? undefined : {},
      });
      continue;
    }
    const last = items.at(-1);
    if (!last?.marks || last.contractId !== id || last.loyaltyEnd !== end) continue;
    if (kind === "open") last.marks.open = String(e.value);
    else if (kind === "decline") last.marks.decline = e.value as DueDeclineMark;
  }
  const last = items.at(-1);
  if (more && last) last.marks = undefined;
  return items;
}
