// Sends the queued ERP writes. Each write is claimed by moving its due entry to the end of a
// short lease (one atomic); the adapter then reads the ERP's current state and writes only
// what is missing; the result is recorded in a second atomic. A process killed in between
// leaves the claim to run out and the next pass finds the write already in the ERP: sent once.
import type { Db } from "../db.ts";
import { keys } from "../keys.ts";
import { getBlob } from "../blobs.ts";
import { planErpMappings } from "../plans.ts";
import type { ErpConflictMark, ErpStamp, ErpWrite } from "./queue.ts";
import {
  type ErpAdapter,
  type ErpApplyResult,
  ErpAuthError,
  ErpNotYet,
  ErpRefused,
  ErpUnavailable,
} from "./types.ts";
import { prepareErpInvoices } from "./invoices.ts";

export interface PushOptions {
  /** How long a claimed write is held before another pass may take it. */
  leaseMs?: number;
  /** An ERP that is down keeps writes waiting this long before they become dead letters. */
  maxWaitMs?: number;
  /** Refusals (`type: "error"`) tried this many times before a dead letter. */
  maxRefusals?: number;
  limit?: number;
  onWrite?: (w: ErpWrite, outcome: string) => void;
}

export interface PushSummary {
  sent: number;
  already: number;
  conflicts: number;
  retrying: number;
  dead: number;
  waiting: number;
  /** The ERP was unreachable: the pass stopped early (the writes wait for the next one). */
  unavailable?: string;
}

const LEASE_MS = 120_000;
const MAX_WAIT_MS = 48 * 3600_000;
/** 30 s, 1 min, 2 min … capped at 15 min: an ERP back after an hour is found within 15. */
const backoff = (attempt: number) => Math.min(30_000 * 2 ** Math.max(attempt - 1, 0), 900_000);

export async function pushErpWrites(
  db: Db,
  adapter: ErpAdapter,
  o: PushOptions = {},
): Promise<PushSummary> {
  const sum: PushSummary = { sent: 0, already: 0, conflicts: 0, retrying: 0, dead: 0, waiting: 0 };
  const now = () => db.now().toISOString();
  const due: string[] = [];
  for await (
    const e of db.kv.list<string>({
      start: keys.erpWritesDue(),
      end: [...keys.erpWritesDue(), `${now()}\uffff`],
    }, { limit: o.limit ?? 500 })
  ) due.push(e.value);
  // Creation order (ULIDs), not due order: a contract's earlier write goes before the later
  // ones even when its retry made it due last.
  due.sort();
  let mappings: Record<string, string> | null = null;

  for (const id of due) {
    const claimed = await claim(db, id, o.leaseMs ?? LEASE_MS);
    if (!claimed) continue;
    let w = claimed.value;
    // Writes of one contract go in order: the previous one first. An undo does not wait for
    // a plan change that stopped (conflict, failed): it reads the ERP and sends only if needed.
    let prev: ErpWrite | null = null;
    if (w.after) {
      prev = (await db.kv.get<ErpWrite>(keys.erpWrite(w.after))).value;
      const passed = !prev || prev.status === "done" || prev.status === "dropped" ||
        (w.kind === "contract_plan_undo" && prev.status !== "queued");
      if (!passed) {
        await settle(db, claimed, {
          nextAt: new Date(db.now().getTime() + 60_000).toISOString(),
          lastError: "Aguardando o envio anterior deste contrato.",
        });
        sum.waiting++;
        continue;
      }
    }
    try {
      // The undo puts back the plan the ERP had before our write, when we saw it.
      const before = w.kind === "contract_plan_undo" ? prev?.prior?.id_vd_contrato : undefined;
      if (before) w = { ...w, payload: { ...w.payload, erpPlanId: before } };
      else if (w.planId) {
        mappings ??= await planErpMappings(db);
        const erpPlanId = Object.entries(mappings).find(([, ours]) => ours === w.planId)?.[0];
        if (!erpPlanId) {
          throw new ErpRefused(
            "O plano escolhido não tem correspondente no ERP: associe-o na importação.",
          );
        }
        w = { ...w, payload: { ...w.payload, erpPlanId } };
      }
      const stampKey = keys.erpStamp("cliente_contrato", w.payload.contractErpId);
      const stamp = (await db.kv.get<ErpStamp>(stampKey)).value;
      const res: ErpApplyResult = await adapter.apply({
        kind: w.kind,
        payload: w.payload,
        baseStamp: w.baseStamp,
        ownStamp: stamp?.own,
        readFile: async (blobId) => (await getBlob(db, blobId)).data,
        now: db.now(),
      });
      if (res.outcome === "conflict") {
        // The case goes to the work queues' conflict queue in the same atomic.
        await settle(db, claimed, { status: "conflict", lastError: res.reason }, (op) => {
          op.set(
            keys.caseErpConflict(w.caseId, w.id),
            {
              kind: w.kind,
              reason: res.reason,
              at: db.now().toISOString(),
            } satisfies ErpConflictMark,
          );
        });
        sum.conflicts++;
      } else {
        // The ERP's own invoices (ERP_INVOICES=erp) are stored with the write's outcome.
        const invoices = res.outcome === "done" && res.invoices
          ? await prepareErpInvoices(db, w.caseId, res.invoices)
          : undefined;
        const prior = res.outcome === "done" ? res.prior : undefined;
        await settle(db, claimed, {
          status: "done",
          result: res.note ?? res.outcome,
          ...(prior ? { prior } : {}),
        }, async (op) => {
          if (res.stamp && w.kind.startsWith("contract_")) {
            op.set(stampKey, { ...stamp, own: res.stamp });
          }
          await invoices?.(op);
        });
        sum[res.outcome === "done" ? "sent" : "already"]++;
      }
      o.onWrite?.(w, res.outcome);
    } catch (e) {
      if (e instanceof ErpAuthError) {
        // Nothing can go through: give the write back untouched and stop the pass.
        await settle(db, claimed, { nextAt: now(), attempts: claimed.value.attempts });
        throw e;
      }
      const attempts = claimed.value.attempts + 1;
      const msg = (e as Error).message.slice(0, 500);
      const age = db.now().getTime() - Date.parse(w.createdAt);
      // Down, or not there yet (the ERP's invoices): as patient as 48 h; refusals: 5 tries.
      const dead = e instanceof ErpUnavailable || e instanceof ErpNotYet
        ? age >= (o.maxWaitMs ?? MAX_WAIT_MS)
        : attempts >= (o.maxRefusals ?? 5);
      if (
        !(e instanceof ErpUnavailable) && !(e instanceof ErpRefused) && !(e instanceof ErpNotYet)
      ) {
        console.error(`erp write ${w.id} (${w.kind}) failed: ${msg}`);
      }
      await settle(db, claimed, {
        attempts,
        lastError: msg,
        ...(dead ? { status: "dead" as const } : {
          nextAt: new Date(db.now().getTime() + backoff(attempts)).toISOString(),
        }),
      });
      sum[dead ? "dead" : "retrying"]++;
      o.onWrite?.(w, dead ? "dead" : "retry");
      if (e instanceof ErpUnavailable) {
        // The ERP is down: the rest waits for the next pass instead of failing one by one.
        sum.unavailable = msg;
        break;
      }
    }
  }
  return sum;
}

type Claimed = { entry: Deno.KvEntry<ErpWrite>; value: ErpWrite; dueAt: string };

/** Takes a due write: its due entry moves to the end of the lease, in one checked atomic. */
async function claim(db: Db, id: string, leaseMs: number): Promise<Claimed | null> {
  const entry = await db.kv.get<ErpWrite>(keys.erpWrite(id));
  const w = entry.value;
  if (!w || w.status !== "queued" || w.nextAt > db.now().toISOString()) return null;
  const dueAt = new Date(db.now().getTime() + leaseMs).toISOString();
  const now = db.now().toISOString();
  const value: ErpWrite = {
    ...w,
    nextAt: dueAt,
    claimedAt: w.claimedAt ?? now,
    leaseUntil: dueAt,
    updatedAt: now,
  };
  const res = await db.kv.atomic().check(entry)
    .delete(keys.erpWriteDue(w.nextAt, id))
    .set(keys.erpWriteDue(dueAt, id), id)
    .set(keys.erpWrite(id), value)
    .commit();
  if (!res.ok) return null;
  return { entry: { ...entry, value, versionstamp: res.versionstamp }, value, dueAt };
}

/** Records the outcome of a claimed write; queued writes get their next due entry. */
async function settle(
  db: Db,
  c: Claimed,
  change: Partial<ErpWrite>,
  extra?: (op: Deno.AtomicOperation) => void | Promise<void>,
): Promise<void> {
  const value: ErpWrite = {
    ...c.value,
    ...change,
    leaseUntil: undefined,
    updatedAt: db.now().toISOString(),
  };
  const op = db.kv.atomic().check(c.entry)
    .delete(keys.erpWriteDue(c.dueAt, c.value.id))
    .set(keys.erpWrite(c.value.id), value);
  if (value.status === "queued") op.set(keys.erpWriteDue(value.nextAt, value.id), value.id);
  await extra?.(op);
  // Lost only if the lease ran out and another pass took it: that pass records the outcome.
  await op.commit();
}
