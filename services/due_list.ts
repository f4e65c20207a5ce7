// The renewal list: open cases (the attendant's own, or all for supervisors) and the contracts
// whose loyalty ends within the window that have no open renewal yet. Both read indexes only
// (contracts_by_due, cases_by_assignee / cases_by_step); nothing scans all contracts.
import { askedForNewLink } from "./renewals/link_requests.ts";
import type { Db } from "./db.ts";
import { type DuePosition, listDue } from "./contracts.ts";
import { getCustomers } from "./customers.ts";
import { listPlans, type Plan } from "./plans.ts";
import { addDays, isValidIsoDate, todayInBrazil } from "./dates.ts";
import {
  getCases,
  listOpenCases,
  openCasesOfContracts,
  type RenewalCase,
} from "./renewals/cases.ts";
import { OPEN_STEPS, type Step } from "../domain/steps.ts";
import { STEP_POLICY } from "../domain/policy.ts";
import type { QueueCaseRow, QueueView } from "../domain/queue_view.ts";
import { newSubmissionId } from "./submissions.ts";
import {
  contactAgainFrom,
  coolingOff,
  type DeclineMark,
  declineMarksOf,
  DEFAULT_DECLINE_COOLOFF_DAYS,
} from "./renewals/cool_off.ts";

export interface DueRow {
  contractId: string;
  customerId: string;
  customerName: string;
  phone: string;
  city: string;
  plan?: Plan;
  loyaltyEnd: string;
}

/** A due contract kept out of the list: its customer refused within the cool-off. */
export interface DeclinedRow extends DueRow {
  reason: string;
  declinedAt: string;
  /** First day the customer may be contacted again (YYYY-MM-DD). */
  contactFrom: string;
}

/** Which queue an open case is in: staff's move ("minha vez") or the customer's. */
export type Queue = "staff" | "customer";

export interface CaseRow {
  case: RenewalCase;
  customerName: string;
  phone: string;
  plan?: Plan;
  stepLabel: string;
  nextAction: string;
  queue: Queue;
  /** Since when the one whose move it is has had it (ISO instant). */
  waitingSince: string;
  /** Days from today to the loyalty end (negative once past). */
  daysLeft: number;
}

export interface ListFilters {
  from?: string;
  to?: string;
  city?: string;
  planId?: string;
  /** "" = everything, "new" = only contracts without a case, or one open step. */
  step?: string;
  cursor?: string;
}

const fold = (s: string) => s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().trim();

export function normalizeFilters(
  f: ListFilters,
  windowDays: number,
  now: Date,
): Required<ListFilters> {
  const today = todayInBrazil(now);
  const from = f.from && isValidIsoDate(f.from) ? f.from : today;
  const to = f.to && isValidIsoDate(f.to) && f.to >= from ? f.to : addDays(today, windowDays);
  const step = f.step === "new" || (OPEN_STEPS as readonly string[]).includes(f.step ?? "")
    ? f.step!
    : "";
  return {
    from,
    to,
    city: (f.city ?? "").slice(0, 80),
    planId: (f.planId ?? "").slice(0, 40),
    step,
    cursor: (f.cursor ?? "").slice(0, 500),
  };
}

/** Due entries read beyond a page's rows on the first index read (filtered-out ones, and the
 * one more that tells whether a next page exists). */
const FIRST_SCAN_EXTRA = 8;

/** "YYYY-MM-DD~contractId": the last due row a page showed; the next page starts after it. */
function parseDueCursor(cursor: string): DuePosition | undefined {
  const m = /^(\d{4}-\d{2}-\d{2})~([A-Za-z0-9_-]{1,100})$/.exec(cursor);
  return m && isValidIsoDate(m[1]) ? { loyaltyEnd: m[1], contractId: m[2] } : undefined;
}

/**
 * Due contracts with no open case, filled up to `limit` across index pages. The cursor names
 * the last row shown, not the end of the last index page read, so the rows of that page that
 * did not fit are the first of the next one (none is skipped).
 */
async function dueWithoutCase(
  db: Db,
  f: Required<ListFilters>,
  limit: number,
  coolOffDays: number,
) {
  type Item = Omit<Awaited<ReturnType<typeof listDue>>["items"][number], "marks">;
  const rows: Item[] = [];
  const declined: (Item & { mark: DeclineMark })[] = [];
  const after = parseDueCursor(f.cursor);
  let cursor = "";
  let lastScanned: DuePosition | undefined;
  for (let guard = 0; guard < 20 && rows.length <= limit; guard++) {
    // First the rows a page shows and a few more (most due contracts have no case): each id
    // costs two checks, so reading 100 to show 25 paid for 75 unneeded ones (issue #21).
    const scan = guard === 0 ? limit + FIRST_SCAN_EXTRA : 100;
    const page = await listDue(db, f.from, f.to, { after, cursor, limit: scan });
    const wanted = (i: Item) =>
      (!f.city || fold(i.city) === fold(f.city)) && (!f.planId || i.planId === f.planId);
    // The marks under each entry came with the page (services/due_marks.ts). An entry whose
    // marks are not trusted is checked when the page gets to it, in one parallel batch with
    // the later ones: the last entry of a cut page is usually past the rows needed.
    const checked = new Map<string, { open: boolean; mark?: DeclineMark }>();
    for (const [n, i] of page.items.entries()) {
      if (rows.length > limit) break;
      lastScanned = i;
      if (!wanted(i)) continue;
      if (!i.marks && !checked.has(i.contractId)) {
        const ids = page.items.slice(n).filter((x) => !x.marks && wanted(x)).map((x) =>
          x.contractId
        );
        const [open, marks] = await Promise.all([
          openCasesOfContracts(db, ids),
          declineMarksOf(db, ids),
        ]);
        for (const id of ids) checked.set(id, { open: !!open.get(id), mark: marks.get(id) });
      }
      const state = i.marks
        ? { open: !!i.marks.open, mark: i.marks.decline }
        : checked.get(i.contractId)!;
      if (state.open) continue;
      // Refused recently: out of the due rows (no Assumir), listed apart with the reason.
      if (coolingOff(state.mark, coolOffDays, db.now())) {
        if (rows.length < limit) declined.push({ ...i, mark: state.mark! });
        continue;
      }
      rows.push(i);
    }
    cursor = page.cursor;
    if (!cursor) break;
  }
  const shown = rows.slice(0, limit);
  // More rows than fit: go on after the last one shown. The index not read to its end (the
  // scan limit, with filters that match little): go on after the last entry read.
  const resume = rows.length > limit ? shown[limit - 1] : cursor ? lastScanned : undefined;
  return {
    rows: shown,
    declined,
    cursor: resume ? `${resume.loyaltyEnd}~${resume.contractId}` : "",
  };
}

/** Whose move it is on an open case: a customer who wrote makes it staff's turn. */
export function queueOf(c: RenewalCase): Queue {
  return awaitingReply(c) || STEP_POLICY[c.step].turn === "staff" ? "staff" : "customer";
}

function waitingSince(c: RenewalCase): string {
  if (awaitingReply(c)) return c.customerReply!.at;
  return c.lastAction?.at ?? c.createdAt;
}

const daysBetween = (from: string, to: string) =>
  Math.round((Date.parse(to + "T00:00:00Z") - Date.parse(from + "T00:00:00Z")) / 86_400_000);

/**
 * Urgency: on staff's side, a customer who just wrote first (the conversation is live), then
 * whoever has waited longest, then the nearest loyalty end; on the customer's side, the nearest
 * loyalty end first, then the longest silence.
 */
function byUrgency(a: CaseRow, b: CaseRow): number {
  if (a.queue !== b.queue) return a.queue === "staff" ? -1 : 1;
  if (a.queue === "staff") {
    return Number(awaitingReply(b.case)) - Number(awaitingReply(a.case)) ||
      a.waitingSince.localeCompare(b.waitingSince) || a.daysLeft - b.daysLeft;
  }
  return a.daysLeft - b.daysLeft || a.waitingSince.localeCompare(b.waitingSince);
}

export async function renewalList(
  db: Db,
  viewer: { id: string; role: string },
  filters: ListFilters,
  windowDays: number,
  coolOffDays = DEFAULT_DECLINE_COOLOFF_DAYS,
) {
  const today = todayInBrazil(db.now());
  const f = normalizeFilters(filters, windowDays, db.now());
  const plans = await listPlans(db);
  const byId = new Map(plans.map((p) => [p.id, p]));
  const isManager = viewer.role !== "attendant";

  // The open cases and the due page are independent reads: both run at once.
  const caseRowsP = (async (): Promise<CaseRow[]> => {
    if (f.step === "new" || f.cursor) return [];
    const { cases } = await listOpenCases(db, {
      assigneeId: isManager ? undefined : viewer.id,
      step: (f.step || undefined) as Step | undefined,
      limit: 100,
    });
    const filtered = cases.filter((c) =>
      (!f.city || fold(c.city) === fold(f.city)) && (!f.planId || c.currentPlanId === f.planId) &&
      (isManager || c.assigneeId === viewer.id)
    );
    const customers = await getCustomers(db, filtered.map((c) => c.customerId));
    const caseRows = filtered.map((c) => ({
      case: c,
      customerName: customers.get(c.customerId)?.name ?? "—",
      phone: customers.get(c.customerId)?.phones[0] ?? "",
      plan: byId.get(c.currentPlanId),
      stepLabel: STEP_POLICY[c.step].label,
      nextAction: STEP_POLICY[c.step].next,
      queue: queueOf(c),
      waitingSince: waitingSince(c),
      daysLeft: daysBetween(today, c.loyaltyEnd),
    }));
    return caseRows.sort(byUrgency);
  })();
  caseRowsP.catch(() => {}); // awaited below; an error in the due part must not orphan it

  let dueRows: DueRow[] = [];
  let declinedRows: DeclinedRow[] = [];
  let cursor = "";
  if (f.step === "" || f.step === "new") {
    const due = await dueWithoutCase(db, f, 25, coolOffDays);
    cursor = due.cursor;
    const [customers, declinedCases] = await Promise.all([
      getCustomers(db, [...due.rows, ...due.declined].map((r) => r.customerId)),
      getCases(db, due.declined.map((d) => d.mark.caseId)),
    ]);
    const reasons = new Map(declinedCases.map((c) => [c.id, c.declined?.reason ?? ""]));
    const row = (i: (typeof due.rows)[number]): DueRow => ({
      contractId: i.contractId,
      customerId: i.customerId,
      customerName: customers.get(i.customerId)?.name ?? "—",
      phone: customers.get(i.customerId)?.phones[0] ?? "",
      city: i.city,
      plan: byId.get(i.planId),
      loyaltyEnd: i.loyaltyEnd,
    });
    dueRows = due.rows.map(row);
    declinedRows = due.declined.map((d) => ({
      ...row(d),
      reason: reasons.get(d.mark.caseId) ?? "",
      declinedAt: d.mark.at,
      contactFrom: contactAgainFrom(d.mark, coolOffDays),
    }));
  }
  const caseRows = await caseRowsP;
  const counts = {
    staff: caseRows.filter((r) => r.queue === "staff").length,
    customer: caseRows.filter((r) => r.queue === "customer").length,
    due: dueRows.length,
    declined: declinedRows.length,
  };
  return { filters: f, plans, caseRows, dueRows, declinedRows, counts, cursor };
}

/** The customer wrote after the attendant's last contact. */
export function awaitingReply(c: RenewalCase): boolean {
  return !!c.customerReply && (!c.lastContactAt || c.customerReply.at > c.lastContactAt);
}

/** The list as the island draws it (domain/queue_view.ts): rows only, no case records. */
export function queueView(list: Awaited<ReturnType<typeof renewalList>>, now: Date): QueueView {
  const caseRow = (r: CaseRow): QueueCaseRow => ({
    id: r.case.id,
    name: r.customerName,
    step: r.case.step,
    stepLabel: r.stepLabel,
    next: r.nextAction,
    replied: awaitingReply(r.case),
    askedLink: askedForNewLink(r.case),
    city: r.case.city,
    planName: r.plan?.name ?? "—",
    loyaltyEnd: r.case.loyaltyEnd,
    daysLeft: r.daysLeft,
    waitingSince: r.waitingSince,
    assignee: r.case.assigneeName,
  });
  const today = todayInBrazil(now);
  const dueRow = (r: DueRow) => ({
    contractId: r.contractId,
    customerId: r.customerId,
    name: r.customerName,
    phone: r.phone,
    city: r.city,
    planName: r.plan?.name ?? "—",
    loyaltyEnd: r.loyaltyEnd,
    daysLeft: daysBetween(today, r.loyaltyEnd),
  });
  return {
    staff: list.caseRows.filter((r) => r.queue === "staff").map(caseRow),
    customer: list.caseRows.filter((r) => r.queue === "customer").map(caseRow),
    due: list.dueRows.map((r) => ({ ...dueRow(r), sub: newSubmissionId() })),
    declined: list.declinedRows.map((r) => ({
      ...dueRow(r),
      reason: r.reason,
      declinedAt: r.declinedAt,
      contactFrom: r.contactFrom,
    })),
    cursor: list.cursor,
    showCases: list.filters.step !== "new" && !list.filters.cursor,
    showDue: list.filters.step === "" || list.filters.step === "new",
    at: now.toISOString(),
  };
}
