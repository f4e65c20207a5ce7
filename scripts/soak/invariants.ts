// What the soak checks in the KV file once the server is stopped: renewals lost or stuck,
// numbers issued twice or missing, messages still waiting, blobs nobody references.
import type { Db } from "../../services/db.ts";
import { keys } from "../../services/keys.ts";
import type { RenewalCase } from "../../services/renewals/cases.ts";
import type { Message } from "../../services/messaging/mod.ts";
import { auditNumberSequence } from "../../services/numbers.ts";
import { findOrphanBlobs, PENDING_BLOB_TTL_MS, sweepOrphanBlobs } from "../../services/blobs.ts";
import { todayInBrazil } from "../../services/dates.ts";
import { ORDER, type Outcome } from "./driver.ts";
import { checkCounters } from "../../services/renewals/counters_rebuild.ts";

async function all<T>(db: Db, prefix: Deno.KvKey) {
  const out: Deno.KvEntry<T>[] = [];
  for await (const e of db.kv.list<T>({ prefix })) out.push(e);
  return out;
}

export async function checkInvariants(db: Db, outcomes: Outcome[]) {
  const cases = new Map(
    (await all<RenewalCase>(db, keys.cases())).map((e) => [e.value.id, e.value]),
  );
  // Lost: a renewal seen at some step that is now behind it, or gone.
  let lost = 0, stuck = 0;
  for (const o of outcomes) {
    const c = o.caseId ? cases.get(o.caseId) : undefined;
    if (o.caseId && !c) lost++;
    else if (c && ORDER.indexOf(c.step) < o.maxStep) lost++;
    else if (!c || c.step !== "closed") stuck++;
  }
  // Every open case (also ones the drivers did not see finish) that is not closed is stuck.
  const unclosed = [...cases.values()].filter((c) => c.step !== "closed").length;

  // Numbers: no protocol or nosso número twice, none missing without a voided record.
  const protocols = new Map<string, number>();
  const nossos = new Map<string, number>();
  const days = new Set([todayInBrazil(db.now())]);
  for (const c of cases.values()) {
    if (c.ticket) {
      protocols.set(c.ticket.protocol, (protocols.get(c.ticket.protocol) ?? 0) + 1);
      days.add(c.ticket.protocol.slice(0, 8));
    }
    for (const i of c.invoices ?? []) {
      nossos.set(i.nossoNumero!, (nossos.get(i.nossoNumero!) ?? 0) + 1);
    }
  }
  const over = (m: Map<string, number>) => [...m.values()].reduce((s, n) => s + n - 1, 0);
  let protocolGaps = 0, nossoGaps = 0;
  for (const day of days) {
    const a = await auditNumberSequence(db, day);
    protocolGaps += a.protocols.unexplainedGaps.length;
    nossoGaps = a.nossoNumeros.unexplainedGaps.length; // one sequence for all days
  }

  // Messages not sent by the end (queued, or left "sending" by a kill).
  const waiting: Record<string, number> = {};
  const now = db.now().toISOString();
  for (const e of await all<Message>(db, keys.messages())) {
    const due = !e.value.nextAttemptAt || e.value.nextAttemptAt <= now; // not a later reminder
    if (["sending", "failed"].includes(e.value.status) || (e.value.status === "queued" && due)) {
      waiting[e.value.status] = (waiting[e.value.status] ?? 0) + 1;
    }
  }

  // Orphan files: what the daily sweep leaves once every pending upload's marker has expired
  // (a kill between storing a file and the step that references it leaves one behind until
  // then). Counted by the same code the sweep uses (blobs.ts), before and after it runs.
  const orphansBeforeSweep = (await findOrphanBlobs(db)).length;
  const later: Db = { ...db, now: () => new Date(Date.now() + 2 * PENDING_BLOB_TTL_MS) };
  await sweepOrphanBlobs(later);
  const orphanBlobs = (await findOrphanBlobs(db)).length;

  // Dashboard counters after the kills: the sums written with each step must equal a rebuild.
  const counterMismatches = (await checkCounters(db)).mismatches.length;

  return {
    lost,
    stuck,
    counterMismatches,
    unclosedCases: unclosed,
    duplicateNumbers: over(protocols) + over(nossos),
    unexplainedGaps: protocolGaps + nossoGaps,
    messagesWaiting: waiting,
    orphansBeforeSweep,
    orphanBlobs,
  };
}
