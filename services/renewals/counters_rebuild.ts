// Recomputes the dashboard counters from the cases and their audit trail (the same pure
// counterBumps() that transition() uses), to check the live sums or to replace them after a
// bug or a restore. Run with the app quiet: a step taken during a write pass may be counted
// twice or lost (the check mode reports that as a mismatch).
import type { Db } from "../db.ts";
import { getManyBatched } from "../db.ts";
import { keys } from "../keys.ts";
import type { AuditEvent } from "../audit.ts";
import { type Step, STEPS } from "../../domain/steps.ts";
import { openCaseRow } from "./case_seal.ts";
import type { RenewalCase } from "./cases.ts";
import { replayPixAutoCounters } from "../pix_auto/counters.ts";
import { counterBumps, type CounterEvent, periodsOf, priceLookup } from "./counters.ts";

const isStep = (s: unknown): s is Step => (STEPS as readonly unknown[]).includes(s);

/** The counted events of one case, from its audit trail: the opening and every step move. */
async function caseEvents(db: Db, caseId: string): Promise<CounterEvent[]> {
  const ids: string[] = [];
  for await (const e of db.kv.list<string>({ prefix: keys.auditOfSubject(`case:${caseId}`) })) {
    ids.push(e.value);
  }
  const evs = await getManyBatched<AuditEvent>(db.kv, ids.map((id) => keys.audit(id)));
  const out: CounterEvent[] = [];
  for (const { value: ev } of evs) {
    if (!ev) continue;
    if (ev.action === "case.opened") out.push({ at: ev.at, from: null, to: "contact" });
    else if (isStep(ev.data?.from) && isStep(ev.data?.to)) {
      out.push({ at: ev.at, from: ev.data.from, to: ev.data.to });
    }
  }
  return out;
}

const keyOf = (k: Deno.KvKey) => JSON.stringify(k);

/** The counters as the cases say they should be: serialized key → sum. */
export async function computeCounters(db: Db): Promise<Map<string, bigint>> {
  const sums = new Map<string, bigint>();
  for await (const e of db.kv.list<RenewalCase>({ prefix: keys.cases() })) {
    const c = await openCaseRow(db, e.value);
    for (const ev of await caseEvents(db, c.id)) {
      const bumps = counterBumps(ev, c, await priceLookup(db, ev, c));
      for (const [grain, period] of periodsOf(ev.at)) {
        for (const [metric, n] of bumps) {
          const k = keyOf(keys.counter(grain, period, metric));
          sums.set(k, (sums.get(k) ?? 0n) + n);
        }
      }
    }
  }
  // Pix Automático statuses (services/pix_auto/counters.ts), from the same audit trails.
  await replayPixAutoCounters(db, (k, n) => {
    const key = keyOf(k);
    sums.set(key, (sums.get(key) ?? 0n) + n);
  });
  return sums;
}

/** The counters as stored. */
export async function storedCounters(db: Db): Promise<Map<string, bigint>> {
  const out = new Map<string, bigint>();
  for await (const e of db.kv.list<Deno.KvU64>({ prefix: keys.countersAll() })) {
    out.set(keyOf(e.key), e.value.value);
  }
  return out;
}

export interface CounterCheck {
  keys: number;
  /** Keys whose stored sum differs from the rebuilt one (missing counts as 0). */
  mismatches: { key: string; stored: string; rebuilt: string }[];
}

export function compareCounters(stored: Map<string, bigint>, rebuilt: Map<string, bigint>) {
  const mismatches: CounterCheck["mismatches"] = [];
  for (const k of new Set([...stored.keys(), ...rebuilt.keys()])) {
    const a = stored.get(k) ?? 0n, b = rebuilt.get(k) ?? 0n;
    if (a !== b) mismatches.push({ key: k, stored: String(a), rebuilt: String(b) });
  }
  return { keys: rebuilt.size, mismatches };
}

/** Compares the stored counters with a rebuild; writes nothing. */
export async function checkCounters(db: Db): Promise<CounterCheck> {
  return compareCounters(await storedCounters(db), await computeCounters(db));
}

/** Replaces every stored counter by the rebuilt value (100 mutations per atomic). */
export async function rebuildCounters(db: Db): Promise<CounterCheck> {
  const rebuilt = await computeCounters(db);
  const stored = await storedCounters(db);
  const check = compareCounters(stored, rebuilt);
  const writes: [Deno.KvKey, bigint | null][] = [];
  for (const k of stored.keys()) if (!rebuilt.has(k)) writes.push([JSON.parse(k), null]);
  for (const [k, v] of rebuilt) if (stored.get(k) !== v) writes.push([JSON.parse(k), v]);
  for (let i = 0; i < writes.length; i += 100) {
    const op = db.kv.atomic();
    for (const [k, v] of writes.slice(i, i + 100)) {
      if (v === null) op.delete(k);
      else op.set(k, new Deno.KvU64(v));
    }
    if (!(await op.commit()).ok) throw new Error("counter rebuild: commit failed");
  }
  return check;
}
