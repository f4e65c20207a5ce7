// What the soak checks in the KV file once the server is stopped: renewals lost or stuck,
// numbers issued twice or missing, messages still waiting, blobs nobody references.
import type { Db } from "../../services/db.ts";
import { keys } from "../../services/keys.ts";
import type { RenewalCase } from "../../services/renewals/cases.ts";
import type { Message } from "../../services/messages.ts";
import { auditNumberSequence } from "../../services/numbers.ts";
import { todayInBrazil } from "../../services/dates.ts";
import { ORDER, type Outcome } from "./driver.ts";

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

  // Orphan blobs: metadata no case, ticket or setting points to, or chunks without metadata.
  const referenced = new Set<string>();
  for (const c of cases.values()) {
    for (
      const id of [
        c.photo?.blobId,
        ...c.oldPhotoBlobIds,
        c.contractDoc?.blobId,
        c.signature?.signedBlobId,
        c.carneBlobId,
      ]
    ) if (id) referenced.add(id);
  }
  const p12 = (await db.kv.get<{ blobId: string }>(keys.signingP12())).value;
  if (p12) referenced.add(p12.blobId);
  const metas = new Set(
    (await all(db, keys.blob("x").slice(0, 1))).map((e) => String(e.key[1])),
  );
  const chunkOwners = new Set(
    (await all(db, keys.blobChunks("x").slice(0, 1))).map((e) => String(e.key[1])),
  );
  const orphanBlobs = [...metas].filter((id) => !referenced.has(id)).length +
    [...chunkOwners].filter((id) => !metas.has(id)).length;

  return {
    lost,
    stuck,
    unclosedCases: unclosed,
    duplicateNumbers: over(protocols) + over(nossos),
    unexplainedGaps: protocolGaps + nossoGaps,
    messagesWaiting: waiting,
    orphanBlobs,
  };
}
