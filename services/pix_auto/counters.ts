// Dashboard counts of Pix Automático authorizations: how many entered each status in a period,
// as KV `sum` counters (services/renewals/counters.ts's keys and Brasília day/month periods)
// added to the atomic of the status change itself, dated by that change's audit event. The
// rebuild replays the same events ("pix_auto.status" in each case's audit trail), so a rebuild
// equals the live sums exactly.
import type { Db } from "../db.ts";
import { getManyBatched } from "../db.ts";
import { keys } from "../keys.ts";
import type { AuditEvent } from "../audit.ts";
import { periodsOf } from "../renewals/counters.ts";

/** The statuses the dashboard counts (creating/unavailable are Renova's own, not the PSP's). */
export const PIX_AUTO_COUNTED = [
  "pending",
  "approved",
  "rejected",
  "cancelled",
  "expired",
] as const;
export type CountedPixAutoStatus = typeof PIX_AUTO_COUNTED[number];

/** The dashboard's words for them (its section and its CSV export). */
export const PIX_AUTO_LABELS: Record<CountedPixAutoStatus, string> = {
  pending: "Aguardando autorização",
  approved: "Autorizados",
  rejected: "Recusados pelo cliente",
  cancelled: "Cancelados pelo pagador",
  expired: "Expirados sem autorização",
};

const counted = (s: string): s is CountedPixAutoStatus =>
  (PIX_AUTO_COUNTED as readonly string[]).includes(s);

function bumpKeys(status: string, at: string): Deno.KvKey[] {
  if (!counted(status)) return [];
  return periodsOf(at).map(([grain, period]) => keys.counter(grain, period, ["pix_auto", status]));
}

/** Adds the status change's counts to `op` (the atomic that records the change). */
export function stagePixAutoCounters(op: Deno.AtomicOperation, status: string, at: string) {
  for (const k of bumpKeys(status, at)) op.sum(k, 1n);
}

/** Replays every recorded status change (the rebuild's half for Pix Automático). */
export async function replayPixAutoCounters(
  db: Db,
  add: (key: Deno.KvKey, n: bigint) => void,
): Promise<void> {
  for await (const e of db.kv.list<{ caseId: string }>({ prefix: keys.pixAutoAll() })) {
    const ids: string[] = [];
    const subject = `case:${e.value.caseId}`;
    for await (const s of db.kv.list<string>({ prefix: keys.auditOfSubject(subject) })) {
      ids.push(s.value);
    }
    for (const { value: ev } of await getManyBatched<AuditEvent>(db.kv, ids.map(keys.audit))) {
      if (ev?.action !== "pix_auto.status") continue;
      for (const k of bumpKeys(String(ev.data?.status), ev.at)) add(k, 1n);
    }
  }
}

/** The period's counts per status, from the dashboard's summed metrics ("pix_auto/<status>"). */
export function pixAutoCounts(sums: Map<string, number>): Record<CountedPixAutoStatus, number> {
  return Object.fromEntries(
    PIX_AUTO_COUNTED.map((s) => [s, sums.get(`pix_auto/${s}`) ?? 0]),
  ) as Record<CountedPixAutoStatus, number>;
}
