// LGPD retention: holder photos are kept only as long as needed (default 90 days after the case
// ends), and expired customer links are removed. Runs daily with the other daily jobs;
// records what it purged.
import type { Db } from "../db.ts";
import { keys } from "../keys.ts";
import { ulid } from "../ulid.ts";
import { addAudit, SYSTEM } from "../audit.ts";
import { deleteBlob } from "../blobs.ts";
import type { RenewalCase } from "../renewals/cases.ts";
import type { LinkRecord } from "../renewals/links.ts";
import { TERMINAL_STEPS } from "../renewals/steps.ts";

export interface RetentionResult {
  photos: number;
  cases: number;
  links: number;
}

export async function purgeExpired(
  db: Db,
  opts: { photoRetentionDays: number },
): Promise<RetentionResult> {
  const now = db.now();
  const cutoff = new Date(now.getTime() - opts.photoRetentionDays * 86400_000).toISOString();
  const result: RetentionResult = { photos: 0, cases: 0, links: 0 };

  // Only ended cases hold photos past their use; they are found through the step index.
  for (const step of TERMINAL_STEPS) {
    for await (const idx of db.kv.list({ prefix: keys.casesInStep(step) })) {
      const entry = await db.kv.get<RenewalCase>(keys.case(String(idx.key[2])));
      const c = entry.value;
      if (!c) continue;
      const endedAt = c.closedAt ?? c.updatedAt;
      const blobs = [
        ...(c.photo && !c.photo.purgedAt ? [c.photo.blobId] : []),
        ...c.oldPhotoBlobIds,
      ];
      if (endedAt > cutoff || blobs.length === 0) continue;
      for (const id of blobs) await deleteBlob(db, id);
      const next: RenewalCase = {
        ...c,
        photo: c.photo
          ? { ...c.photo, purgedAt: c.photo.purgedAt ?? now.toISOString() }
          : undefined,
        oldPhotoBlobIds: [],
      };
      const op = db.kv.atomic().check(entry).set(keys.case(c.id), next);
      addAudit(db, op, `case:${c.id}`, "retention.photo_purged", SYSTEM, { photos: blobs.length });
      if ((await op.commit()).ok) {
        result.photos += blobs.length;
        result.cases++;
      }
    }
  }

  // Expired links: expireIn would remove them lazily; this makes it certain.
  const nowIso = now.toISOString();
  for await (const e of db.kv.list<LinkRecord>({ prefix: keys.links() })) {
    if (e.value.expiresAt < nowIso) {
      await db.kv.delete(e.key);
      result.links++;
    }
  }

  const id = ulid();
  const op = db.kv.atomic().set(keys.retentionRun(id), { at: nowIso, ...result }, {
    expireIn: 400 * 86400_000,
  });
  addAudit(db, op, "retention", "retention.run", SYSTEM, { ...result });
  await op.commit();
  return result;
}
