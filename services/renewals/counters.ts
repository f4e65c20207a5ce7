// Dashboard counters: KV `sum` mutations (Deno.KvU64) added to the same atomic as each case
// opening and step move, so the supervisor's dashboard reads a few hundred counter keys and
// never the cases. Every figure is a pure function of one event (action, from, to, at) and
// fields of the case that no longer change after that event, so a rebuild from the cases and
// their audit trail (counters_rebuild.ts) gives exactly the same sums.
import type { Db } from "../db.ts";
import { keys } from "../keys.ts";
import { todayInBrazil } from "../dates.ts";
import { getPlan } from "../plans.ts";
import { isTerminal, type Step } from "../../domain/steps.ts";

/**
 * The case fields the counters read (a RenewalCase fits; typed here, since cases.ts imports
 * this module and the import graph stays acyclic).
 */
export interface CountedCase {
  step: Step;
  origin: string;
  currentPlanId: string;
  createdAt: string;
  assigneeId?: string;
  link?: { issuedAt: string };
  planChange?: { toPlanId: string };
  choice?: { planId: string };
  declined?: { reason: string };
  /** Set by the campaign planner on cases it opens (wave id and its channel). */
  waveId?: string;
  waveChannel?: string;
}

/** Duration histogram upper bounds in hours (last bucket open): medians and p90 are
 * interpolated inside a bucket, so they are approximations with the bucket's resolution. */
export const DURATION_BOUNDS_H = [0.25, 1, 4, 12, 24, 48, 96, 168, 336, 720] as const;
export const BUCKET_COUNT = DURATION_BOUNDS_H.length + 1;

export function durationBucket(ms: number): string {
  const h = Math.max(0, ms) / 3600_000;
  const i = DURATION_BOUNDS_H.findIndex((b) => h <= b);
  return `b${String(i === -1 ? DURATION_BOUNDS_H.length : i).padStart(2, "0")}`;
}

/** Decline reasons are free text (possibly personal): only a category ever becomes a key. */
export const DECLINE_CATEGORIES = {
  preco: "Preço / valor",
  concorrente: "Outra operadora",
  mudanca: "Mudança de endereço",
  qualidade: "Qualidade / suporte",
  nao_informado: "Não informado",
  outro: "Outro motivo",
} as const;
export type DeclineCategory = keyof typeof DECLINE_CATEGORIES;

const DECLINE_WORDS: [DeclineCategory, RegExp][] = [
  ["concorrente", /concorr|outra (operadora|empresa)|outro provedor|operadora/],
  ["preco", /pre[cç]o|caro|valor|desconto|dinheiro|pagar|conta/],
  ["mudanca", /mud(an|o|ar|ei)|endere[cç]o|cidade/],
  ["qualidade", /lent|qualidade|instab|ca(i|indo)\b|queda|sinal|suporte|atendimento/],
];

export function declineCategory(reason: string | undefined): DeclineCategory {
  const r = (reason ?? "").toLowerCase().trim();
  if (!r || r === "não informado") return "nao_informado";
  return DECLINE_WORDS.find(([, re]) => re.test(r))?.[0] ?? "outro";
}

/**
 * Where a case came from, for the per-wave and channel table: a campaign wave's id and channel
 * when the case carries them (campaign planner), else its origin ("list", "on_demand").
 */
export function sourceOf(c: CountedCase): string {
  return c.waveId ? `wave:${c.waveId}:${c.waveChannel ?? "-"}` : c.origin;
}

/** One counted event: the case opened (from null) or moved between steps. */
export interface CounterEvent {
  at: string;
  from: Step | null;
  to: Step;
}

export type Metric = readonly string[];
export type Bumps = [Metric, bigint][];

/**
 * The counter increments of one event. `c` is the case right after the event (transition's
 * `next`; the rebuild's stored row, whose fields used here are frozen after that event);
 * `price` gives a plan's monthly price in cents (plans never change price: a new price is a
 * new plan).
 */
export function counterBumps(
  ev: CounterEvent,
  c: CountedCase,
  price: (planId: string) => number,
): Bumps {
  const out: Bumps = [];
  const src = sourceOf(c);
  if (ev.from === null) out.push([["src", src, "opened"], 1n]);
  if (ev.from === ev.to) return out;
  out.push([["step", ev.to], 1n]);
  const at = Date.parse(ev.at);
  if (ev.to === "signed") {
    out.push([["src", src, "signed"], 1n]);
    if (c.link) out.push([["l2s", durationBucket(at - Date.parse(c.link.issuedAt))], 1n]);
    const before = price(c.currentPlanId);
    const after = price(c.planChange?.toPlanId ?? c.choice?.planId ?? c.currentPlanId);
    out.push([["rev", "before"], BigInt(before)], [["rev", "after"], BigInt(after)]);
    out.push([["rev", after > before ? "up" : after < before ? "down" : "same"], 1n]);
  }
  if (isTerminal(ev.to)) {
    const who = c.assigneeId ?? "_none";
    out.push([["att", who, "handled"], 1n]);
    if (ev.to === "closed") out.push([["att", who, "closed"], 1n]);
    out.push([["att_h", who, durationBucket(at - Date.parse(c.createdAt))], 1n]);
    out.push([["src", src, ev.to], 1n]);
    if (ev.to === "declined") out.push([["decl", declineCategory(c.declined?.reason)], 1n]);
  }
  return out;
}

/** The day and month keys of an instant, in Brasília time. */
export function periodsOf(at: string): [grain: "d" | "m", period: string][] {
  const day = todayInBrazil(new Date(at));
  return [["d", day], ["m", day.slice(0, 7)]];
}

/** Monthly prices of the plans an event needs (only "signed" needs any). */
export async function priceLookup(db: Db, ev: CounterEvent, c: CountedCase) {
  const prices = new Map<string, number>();
  if (ev.to === "signed" && ev.from !== ev.to) {
    const ids = [c.currentPlanId, c.planChange?.toPlanId, c.choice?.planId];
    for (const id of ids) {
      if (id && !prices.has(id)) prices.set(id, (await getPlan(db, id))?.priceCents ?? 0);
    }
  }
  return (id: string) => prices.get(id) ?? 0;
}

/**
 * Adds the event's counter sums to `op` (the atomic of the change itself): one place, called
 * by openCase() and transition() in cases.ts. `prev` is null when the case is being opened.
 */
export async function stageCounters(
  db: Db,
  op: Deno.AtomicOperation,
  prev: CountedCase | null,
  next: CountedCase,
  at: string,
) {
  const ev: CounterEvent = { at, from: prev ? prev.step : null, to: next.step };
  const bumps = counterBumps(ev, next, await priceLookup(db, ev, next));
  for (const [grain, period] of periodsOf(at)) {
    for (const [metric, n] of bumps) {
      op.sum(keys.counter(grain, period, metric), n);
    }
  }
}
