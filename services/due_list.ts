// The renewal list: open cases (the attendant's own, or all for supervisors) and the contracts
// whose loyalty ends within the window that have no open renewal yet. Both read indexes only
// (contracts_by_due, cases_by_assignee / cases_by_step); nothing scans all contracts.
import type { Db } from "./db.ts";
import { type DuePosition, listDue } from "./contracts.ts";
import { getCustomers } from "./customers.ts";
import { listPlans, type Plan } from "./plans.ts";
import { addDays, isValidIsoDate, todayInBrazil } from "./dates.ts";
import { listOpenCases, openCasesOfContracts, type RenewalCase } from "./renewals/cases.ts";
import { OPEN_STEPS, type Step } from "../domain/steps.ts";
import { STEP_POLICY } from "../domain/policy.ts";

export interface DueRow {
  contractId: string;
  customerId: string;
  customerName: string;
  phone: string;
  city: string;
  plan?: Plan;
  loyaltyEnd: string;
}

export interface CaseRow {
  case: RenewalCase;
  customerName: string;
  phone: string;
  plan?: Plan;
  stepLabel: string;
  nextAction: string;
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
async function dueWithoutCase(db: Db, f: Required<ListFilters>, limit: number) {
  const rows: {
    contractId: string;
    customerId: string;
    city: string;
    planId: string;
    loyaltyEnd: string;
  }[] = [];
  const after = parseDueCursor(f.cursor);
  let cursor = "";
  let lastScanned: DuePosition | undefined;
  for (let guard = 0; guard < 20 && rows.length <= limit; guard++) {
    const page = await listDue(db, f.from, f.to, { after, cursor, limit: 100 });
    const open = await openCasesOfContracts(db, page.items.map((i) => i.contractId));
    for (const i of page.items) {
      lastScanned = i;
      if (open.get(i.contractId)) continue;
      if (f.city && fold(i.city) !== fold(f.city)) continue;
      if (f.planId && i.planId !== f.planId) continue;
      rows.push(i);
    }
    cursor = page.cursor;
    if (!cursor) break;
  }
  const shown = rows.slice(0, limit);
  // More rows than fit: go on after the last one shown. The index not read to its end (the
  // scan limit, with filters that match little): go on after the last entry read.
  const resume = rows.length > limit ? shown[limit - 1] : cursor ? lastScanned : undefined;
  return { rows: shown, cursor: resume ? `${resume.loyaltyEnd}~${resume.contractId}` : "" };
}

export async function renewalList(
  db: Db,
  viewer: { id: string; role: string },
  filters: ListFilters,
  windowDays: number,
) {
  const f = normalizeFilters(filters, windowDays, db.now());
  const plans = await listPlans(db);
  const byId = new Map(plans.map((p) => [p.id, p]));
  const isManager = viewer.role !== "attendant";

  let caseRows: CaseRow[] = [];
  if (f.step !== "new" && !f.cursor) {
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
    // A customer who just replied goes to the top: "as soon as the customer answers, present
    // the plans". Then the most recently changed.
    filtered.sort((a, b) =>
      Number(awaitingReply(b)) - Number(awaitingReply(a)) || b.updatedAt.localeCompare(a.updatedAt)
    );
    caseRows = filtered.map((c) => ({
      case: c,
      customerName: customers.get(c.customerId)?.name ?? "—",
      phone: customers.get(c.customerId)?.phones[0] ?? "",
      plan: byId.get(c.currentPlanId),
      stepLabel: STEP_POLICY[c.step].label,
      nextAction: STEP_POLICY[c.step].next,
    }));
  }

  let dueRows: DueRow[] = [];
  let cursor = "";
  if (f.step === "" || f.step === "new") {
    const due = await dueWithoutCase(db, f, 25);
    cursor = due.cursor;
    const customers = await getCustomers(db, due.rows.map((r) => r.customerId));
    dueRows = due.rows.map((i) => ({
      contractId: i.contractId,
      customerId: i.customerId,
      customerName: customers.get(i.customerId)?.name ?? "—",
      phone: customers.get(i.customerId)?.phones[0] ?? "",
      city: i.city,
      plan: byId.get(i.planId),
      loyaltyEnd: i.loyaltyEnd,
    }));
  }
  return { filters: f, plans, caseRows, dueRows, cursor };
}

/** The customer wrote after the attendant's last contact. */
export function awaitingReply(c: RenewalCase): boolean {
  return !!c.customerReply && (!c.lastContactAt || c.customerReply.at > c.lastContactAt);
}
