// The import's run lock and heartbeat: one writing import at a time (the lock, checked by every
// batch atomic), and a lease per live run renewed every third of LIVE_MS, so a run whose process
// died is recognised within LIVE_MS whatever its batches take.
import type { Db } from "../db.ts";
import { keys } from "../keys.ts";
import { ConflictError } from "../errors.ts";
import { type Lease, readLease, renewLease } from "../leases.ts";
import { formatDateTime } from "../../domain/format.ts";

/**
 * Heartbeat: a live run holds the lease `import:<id>` and renews it every third of LIVE_MS,
 * whatever its batches take; a run whose process died loses it within LIVE_MS.
 */
export const LIVE_MS = 30_000;
export const liveLease = (id: string) => `import:${id}`;

export function heartbeat(db: Db, lease: Lease) {
  const t = setInterval(() => {
    renewLease(db, lease).catch((e) => console.error(`import heartbeat: ${e}`));
  }, LIVE_MS / 3);
  Deno.unrefTimer(t);
  return t;
}

/** ": last sign of life at …; if it stopped, it can be taken over at …" (pt-BR). */
export function stillRunning(l: { expiresAt: string } | null): string {
  if (!l) return ".";
  const beat = new Date(Date.parse(l.expiresAt) - LIVE_MS).toISOString();
  return `: último sinal de vida em ${formatDateTime(beat)}. Se o processo dela parou, ` +
    `tente de novo a partir de ${formatDateTime(l.expiresAt)}.`;
}

/**
 * One writing import at a time. A holder without a heartbeat (its process died) is taken over
 * and marked failed, so it does not stay "running" for ever; it can be resumed later.
 */
export async function takeLock(
  db: Db,
  id: string,
  runner: string,
  cutOff: (jobId: string) => Promise<void>,
): Promise<string> {
  const e = await db.kv.get<{ jobId: string; runner: string }>(keys.importLock());
  if (e.value && e.value.jobId !== id) {
    const other = await readLease(db, liveLease(e.value.jobId));
    if (other) {
      throw new ConflictError(
        `Outra importação (${e.value.jobId}) está em andamento${stillRunning(other)}`,
      );
    }
    await cutOff(e.value.jobId);
  }
  const res = await db.kv.atomic().check(e).set(keys.importLock(), { jobId: id, runner }).commit();
  if (!res.ok) throw new ConflictError("Outra importação começou agora; aguarde o fim dela.");
  return res.versionstamp;
}

export async function releaseLock(db: Db, id: string) {
  const e = await db.kv.get<{ jobId: string }>(keys.importLock());
  if (e.value?.jobId === id) await db.kv.atomic().check(e).delete(e.key).commit();
}
