// Who a wave contacts on a run: the contracts whose loyalty ends in the run's range, through
// the wave's filter (city, plan, price, with/without e-mail or WhatsApp), less those already
// contacted by this wave, and with the reason for everyone left out (opt-out, open case,
// recent decline, no address for the channel, over the daily cap). The preview and the
// planner read the same answer, so "vai contatar 4.132" is what the run does.
import type { Db } from "../db.ts";
import { getManyBatched } from "../db.ts";
import { keys } from "../keys.ts";
import type { DueSummary } from "../contracts.ts";
import { type Customer, getCustomers } from "../customers.ts";
import { listPlans } from "../plans.ts";
import type { RenewalCase } from "../renewals/cases.ts";
import { addDays } from "../dates.ts";
import type { Presence, Wave } from "./waves.ts";
import { CATCH_UP_DAYS } from "./waves.ts";

export type Exclusion = "opt_out" | "open_case" | "declined" | "no_contact";

export const EXCLUSION_LABELS: Record<Exclusion, string> = {
  opt_out: "pediu para não receber mensagens",
  open_case: "já tem renovação em andamento",
  declined: "recusou recentemente",
  no_contact: "sem contato para o canal",
};

export interface Candidate {
  contractId: string;
  loyaltyEnd: string;
  customer: Customer;
  /** keys.caseOpens as read before "not sent, no open case": the planner's one check. */
  opens: { versionstamp: string | null };
}

/** What one chunk of due contracts turned into. */
export interface Selection {
  chosen: Candidate[];
  excluded: Record<Exclusion, number>;
  /** Already contacted by this wave for this loyalty end. */
  already: number;
  /** Outside the wave's filter (not part of its audience). */
  filtered: number;
}

export function emptyCounts(): Record<Exclusion, number> {
  return { opt_out: 0, open_case: 0, declined: 0, no_contact: 0 };
}

/** The loyalty ends a run on `day` covers: the target date and the days it may have missed. */
export function runRange(wave: Wave, day: string): { from: string; to: string } {
  const to = addDays(day, wave.offsetDays);
  return { from: addDays(to, -CATCH_UP_DAYS), to };
}

/** What the run needs besides the due index: plan prices and the recent declines. */
export interface RunContext {
  priceOf: Map<string, number>;
  declinedCustomers: Set<string>;
}

export async function runContext(db: Db, wave: Wave): Promise<RunContext> {
  const priceOf = new Map((await listPlans(db)).map((p) => [p.id, p.priceCents]));
  return { priceOf, declinedCustomers: await recentDeclines(db, wave.declineDays) };
}

/**
 * Customers with a case declined in the last `days` days, from the "declined" step index
 * (the decline time is kept in clear on the case; only the reason is sealed).
 */
export async function recentDeclines(db: Db, days: number): Promise<Set<string>> {
  const out = new Set<string>();
  if (days <= 0) return out;
  const since = new Date(db.now().getTime() - days * 86400_000).toISOString();
  const ids: string[] = [];
  for await (const e of db.kv.list({ prefix: keys.casesInStep("declined") })) {
    ids.push(String(e.key[2]));
  }
  const rows = await getManyBatched<RenewalCase>(db.kv, ids.map((id) => keys.case(id)));
  for (const r of rows) {
    const c = r.value;
    if (c?.declined && c.declined.at >= since) out.add(c.customerId);
  }
  return out;
}

function presenceOk(p: Presence, has: boolean) {
  return p === "any" || (p === "with") === has;
}

/** A WhatsApp-capable number: a Brazilian mobile (13 digits, 9 after the DDD). */
export function hasWhatsapp(c: Customer) {
  return c.phones.some((p) => p.length === 13);
}

export function passesSummary(wave: Wave, ctx: RunContext, s: DueSummary): boolean {
  const f = wave.filter;
  if (
    f.cities.length && !f.cities.some((c) =>
      c.localeCompare(s.city, "pt-BR", {
        sensitivity: "base",
      }) === 0
    )
  ) return false;
  if (f.planIds.length && !f.planIds.includes(s.planId)) return false;
  const price = ctx.priceOf.get(s.planId);
  if (f.priceMinCents !== undefined && !(price !== undefined && price >= f.priceMinCents)) {
    return false;
  }
  if (f.priceMaxCents !== undefined && !(price !== undefined && price <= f.priceMaxCents)) {
    return false;
  }
  return true;
}

/** Splits one chunk of the due index into chosen contracts and counted exclusions. */
export async function select(
  db: Db,
  wave: Wave,
  ctx: RunContext,
  due: { contractId: string; loyaltyEnd: string; summary: DueSummary }[],
  /** Read the guard the planner checks (not needed for a preview). */
  guard = true,
): Promise<Selection> {
  const sel: Selection = { chosen: [], excluded: emptyCounts(), already: 0, filtered: 0 };
  const rows = due.filter((d) => passesSummary(wave, ctx, d.summary));
  sel.filtered = due.length - rows.length;
  // Read first, so its versionstamp covers the reads below: a case opened (or this wave's
  // send written) after them moves it, and the planner's check on it fails.
  const opens = guard
    ? await getManyBatched<Deno.KvU64>(db.kv, rows.map((d) => keys.caseOpens(d.contractId)))
    : [];
  const [sent, open, optOut] = await Promise.all([
    getManyBatched(db.kv, rows.map((d) => keys.campaignSend(wave.id, d.loyaltyEnd, d.contractId))),
    getManyBatched(db.kv, rows.map((d) => keys.openCaseByContract(d.contractId))),
    getManyBatched(db.kv, rows.map((d) => keys.messageOptOut(d.summary.customerId))),
  ]);
  const kept: (typeof rows[number] & { opens: { versionstamp: string | null } })[] = [];
  rows.forEach((d, i) => {
    if (sent[i].value) sel.already++;
    else if (open[i].value) sel.excluded.open_case++;
    else if (optOut[i].value) sel.excluded.opt_out++;
    else if (ctx.declinedCustomers.has(d.summary.customerId)) sel.excluded.declined++;
    else kept.push({ ...d, opens: { versionstamp: opens[i]?.versionstamp ?? null } });
  });
  const customers = await getCustomers(db, [...new Set(kept.map((d) => d.summary.customerId))]);
  for (const d of kept) {
    const c = customers.get(d.summary.customerId);
    if (!c) {
      sel.filtered++;
      continue;
    }
    const email = !!c.email?.trim(), whatsapp = hasWhatsapp(c);
    if (!presenceOk(wave.filter.email, email) || !presenceOk(wave.filter.whatsapp, whatsapp)) {
      sel.filtered++;
      continue;
    }
    const reachable = wave.channel === "email"
      ? email
      : wave.channel === "whatsapp"
      ? whatsapp
      : c.phones.length > 0;
    if (!reachable) sel.excluded.no_contact++;
    else {
      sel.chosen.push({
        contractId: d.contractId,
        loyaltyEnd: d.loyaltyEnd,
        customer: c,
        opens: d.opens,
      });
    }
  }
  return sel;
}

/** The due index over [from, to], in pages (a month at 1M contracts is ~85k entries). */
export async function* duePages(db: Db, from: string, to: string, size = 500) {
  let page: { contractId: string; loyaltyEnd: string; summary: DueSummary }[] = [];
  const it = db.kv.list<DueSummary>({
    start: [...keys.contractsDue(), from],
    end: [...keys.contractsDue(), addDays(to, 1)],
  }, { batchSize: size });
  for await (const e of it) {
    if (e.key.length !== 3) continue; // a mark under an entry (services/due_marks.ts)
    page.push({ loyaltyEnd: String(e.key[1]), contractId: String(e.key[2]), summary: e.value });
    if (page.length >= size) {
      yield page;
      page = [];
    }
  }
  if (page.length) yield page;
}
