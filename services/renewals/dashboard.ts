// The supervisor's dashboard read model: sums the counters (counters.ts) of a period, reading
// whole months from the month keys and the days at the edges from the day keys, so a period
// costs a few list calls over a few hundred keys and never reads a case.
import type { Db } from "../db.ts";
import { keys } from "../keys.ts";
import { addDays, isValidIsoDate, todayInBrazil } from "../dates.ts";
import { ValidationError } from "../errors.ts";
import { listUsers } from "../users.ts";
import { type CountedPixAutoStatus, pixAutoCounts } from "../pix_auto/counters.ts";
import type { Step } from "../../domain/steps.ts";
import { STEP_POLICY } from "../../domain/policy.ts";
import {
  BUCKET_COUNT,
  DECLINE_CATEGORIES,
  type DeclineCategory,
  DURATION_BOUNDS_H,
} from "./counters.ts";

export interface Period {
  from: string;
  to: string;
}

/** Longest period one page reads (13 months of month keys plus edge days). */
export const MAX_PERIOD_DAYS = 400;

/** The period from the query (`de`, `ate`); default: this month up to today (Brasília). */
export function parsePeriod(q: { de?: string; ate?: string }, now: Date): Period {
  const today = todayInBrazil(now);
  const from = q.de?.trim() || today.slice(0, 8) + "01";
  const to = q.ate?.trim() || today;
  const errors: Record<string, string> = {};
  if (!isValidIsoDate(from)) errors.de = "Data inicial inválida (use o seletor de data).";
  if (!isValidIsoDate(to)) errors.ate = "Data final inválida (use o seletor de data).";
  if (!Object.keys(errors).length) {
    if (from > to) errors.ate = "A data final deve ser igual ou posterior à inicial.";
    else if (addDays(from, MAX_PERIOD_DAYS) < to) {
      errors.ate = `Escolha um período de até ${MAX_PERIOD_DAYS} dias.`;
    }
  }
  if (Object.keys(errors).length) throw new ValidationError(errors);
  return { from, to };
}

/** Which counter prefixes cover a period: whole months by month key, the other days by day. */
export function periodSegments(p: Period): ["d" | "m", string][] {
  const out: ["d" | "m", string][] = [];
  let day = p.from;
  while (day <= p.to) {
    const month = day.slice(0, 7);
    const monthEnd = addDays(addDays(month + "-01", 32).slice(0, 8) + "01", -1);
    if (day.endsWith("-01") && monthEnd <= p.to) {
      out.push(["m", month]);
      day = addDays(monthEnd, 1);
    } else {
      out.push(["d", day]);
      day = addDays(day, 1);
    }
  }
  return out;
}

/** The counter sums of a period, by metric path ("step/offer", "att/<id>/closed"…). */
export async function readCounterSums(db: Db, p: Period): Promise<Map<string, number>> {
  const sums = new Map<string, number>();
  const lists = await Promise.all(
    periodSegments(p).map(async ([grain, period]) => {
      const out: [string, number][] = [];
      const prefix = keys.countersOf(grain, period);
      for await (const e of db.kv.list<Deno.KvU64>({ prefix })) {
        out.push([e.key.slice(prefix.length).join("/"), Number(e.value.value)]);
      }
      return out;
    }),
  );
  for (const list of lists) for (const [k, n] of list) sums.set(k, (sums.get(k) ?? 0) + n);
  return sums;
}

/** The benchmark's baseline: the same keys read raw, nothing summed or rendered. */
export async function readCounterKeysRaw(db: Db, p: Period): Promise<number> {
  let n = 0;
  await Promise.all(
    periodSegments(p).map(async ([grain, period]) => {
      for await (const _ of db.kv.list({ prefix: keys.countersOf(grain, period) })) n++;
    }),
  );
  return n;
}

/** The happy path, for the funnel (side roads: photo rejected; ends: the terminal steps). */
export const FUNNEL: readonly Step[] = [
  "contact",
  "offer",
  "plan_chosen",
  "photo_sent",
  "holder_verified",
  "data_confirmed",
  "plan_changed",
  "signature_sent",
  "signed",
  "registered",
  "notified",
  "closed",
];

/** A quantile of a duration histogram in hours, interpolated inside its bucket. */
export function histogramQuantile(hist: number[], q: number): number | null {
  const total = hist.reduce((s, n) => s + n, 0);
  if (!total) return null;
  const target = q * total;
  let seen = 0;
  for (let i = 0; i < hist.length; i++) {
    if (hist[i] && seen + hist[i] >= target) {
      const lo = i === 0 ? 0 : DURATION_BOUNDS_H[i - 1];
      // The open last bucket reports its lower bound ("more than 30 days").
      if (i >= DURATION_BOUNDS_H.length) return lo;
      return lo + (DURATION_BOUNDS_H[i] - lo) * ((target - seen) / hist[i]);
    }
    seen += hist[i];
  }
  return null;
}

export interface DashboardData {
  period: Period;
  funnel: { step: Step; label: string; entered: number; conversion: number | null }[];
  dropOff: { step: Step; label: string; lost: number } | null;
  linkToSign: { count: number; hist: number[]; medianH: number | null; p90H: number | null };
  attendants: {
    id: string;
    name: string;
    handled: number;
    closed: number;
    medianH: number | null;
  }[];
  sources: { source: string; label: string; counts: Record<string, number> }[];
  revenue: { beforeCents: number; afterCents: number; up: number; down: number; same: number };
  declines: { category: DeclineCategory; label: string; count: number }[];
  ends: { expired: number; unreachable: number; cancelled: number; declined: number };
  /** Pix Automático authorizations entering each status (services/pix_auto/counters.ts). */
  pixAuto: Record<CountedPixAutoStatus, number>;
}

export const SOURCE_COLUMNS = ["opened", "signed", "closed", "declined", "expired"] as const;

function sourceLabel(s: string): string {
  if (s === "list") return "Lista de vencimentos";
  if (s === "on_demand") return "Cliente procurou";
  const [, wave, channel] = s.split(":");
  return `Onda ${wave} (${channel})`;
}

const hist = (sums: Map<string, number>, prefix: string) =>
  Array.from(
    { length: BUCKET_COUNT },
    (_, i) => sums.get(`${prefix}/b${String(i).padStart(2, "0")}`) ?? 0,
  );

/** Shapes the period's sums for the page and the CSV. */
export async function dashboardData(db: Db, p: Period): Promise<DashboardData> {
  const [sums, users] = await Promise.all([readCounterSums(db, p), listUsers(db)]);
  const get = (k: string) => sums.get(k) ?? 0;
  const funnel = FUNNEL.map((step, i) => {
    const entered = get(`step/${step}`);
    const next = FUNNEL[i + 1];
    return {
      step,
      label: STEP_POLICY[step].label,
      entered,
      conversion: next && entered ? get(`step/${next}`) / entered : null,
    };
  });
  let dropOff: DashboardData["dropOff"] = null;
  for (let i = 0; i + 1 < funnel.length; i++) {
    const lost = funnel[i].entered - funnel[i + 1].entered;
    if (lost > 0 && (!dropOff || lost > dropOff.lost)) {
      dropOff = { step: funnel[i].step, label: funnel[i].label, lost };
    }
  }
  const l2s = hist(sums, "l2s");
  const names = new Map(users.map((u) => [u.id, u.name]));
  const attIds = new Set<string>();
  const srcIds = new Set<string>();
  for (const k of sums.keys()) {
    const [kind, id] = k.split("/");
    if (kind === "att") attIds.add(id);
    if (kind === "src") srcIds.add(id);
  }
  return {
    period: p,
    funnel,
    dropOff,
    linkToSign: {
      count: l2s.reduce((s, n) => s + n, 0),
      hist: l2s,
      medianH: histogramQuantile(l2s, 0.5),
      p90H: histogramQuantile(l2s, 0.9),
    },
    attendants: [...attIds].map((id) => ({
      id,
      name: id === "_none" ? "Sem atendente" : names.get(id) ?? "Usuário removido",
      handled: get(`att/${id}/handled`),
      closed: get(`att/${id}/closed`),
      medianH: histogramQuantile(hist(sums, `att_h/${id}`), 0.5),
    })).sort((a, b) => b.handled - a.handled || a.name.localeCompare(b.name)),
    sources: [...srcIds].sort().map((source) => ({
      source,
      label: sourceLabel(source),
      counts: Object.fromEntries(SOURCE_COLUMNS.map((c) => [c, get(`src/${source}/${c}`)])),
    })),
    revenue: {
      beforeCents: get("rev/before"),
      afterCents: get("rev/after"),
      up: get("rev/up"),
      down: get("rev/down"),
      same: get("rev/same"),
    },
    declines: (Object.keys(DECLINE_CATEGORIES) as DeclineCategory[])
      .map((category) => ({
        category,
        label: DECLINE_CATEGORIES[category],
        count: get(`decl/${category}`),
      }))
      .filter((d) => d.count > 0)
      .sort((a, b) => b.count - a.count),
    ends: {
      expired: get("step/expired"),
      unreachable: get("step/unreachable"),
      cancelled: get("step/cancelled"),
      declined: get("step/declined"),
    },
    pixAuto: pixAutoCounts(sums),
  };
}
