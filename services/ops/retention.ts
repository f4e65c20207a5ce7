// LGPD retention: holder photos are kept only as long as needed (default 90 days after the case
// ends), expired customer links are removed, message bodies, codes and the personal data of
// audit events go after their own periods (retention_pii.ts), and files that nothing
// references are swept (blobs.ts). Runs daily with the other daily jobs; records what it purged.
import type { Db } from "../db.ts";
import { keys } from "../keys.ts";
import { ulid } from "../ulid.ts";
import { addAudit } from "../audit.ts";
import { SYSTEM } from "../../domain/actor.ts";
import { deleteBlob, sweepOrphanBlobs } from "../blobs.ts";
import { sealCase } from "../renewals/case_seal.ts";
import {
  endedCases,
  PII_RETENTION_DEFAULTS,
  type PiiRetention,
  purgeCaseCodes,
  purgeInbound,
  purgeMessageBodies,
  scrubAuditPii,
} from "./retention_pii.ts";
import type { RenewalCase } from "../renewals/cases.ts";
import { EXPIRED_LINK_KEPT_DAYS, type LinkRecord } from "../renewals/links.ts";

export interface RetentionResult {
  photos: number;
  cases: number;
  links: number;
  messages: number;
  inbound: number;
  codes: number;
  audit: number;
  orphanFiles: number;
}

export type RetentionOptions = { photoRetentionDays: number } & Partial<PiiRetention>;

export async function purgeExpired(db: Db, opts: RetentionOptions): Promise<RetentionResult> {
  const periods: PiiRetention = { ...PII_RETENTION_DEFAULTS };
  for (const k of Object.keys(periods) as (keyof PiiRetention)[]) {
    if (opts[k] !== undefined) periods[k] = opts[k]!;
  }
  const now = db.now();
  const cutoff = new Date(now.getTime() - opts.photoRetentionDays * 86400_000).toISOString();
  const result: RetentionResult = {
    photos: 0,
    cases: 0,
    links: 0,
    messages: 0,
    inbound: 0,
    codes: 0,
    audit: 0,
    orphanFiles: 0,
  };

  // Only ended cases hold photos past their use; they are found through the step index.
  for await (const entry of endedCases(db)) {
    const c = entry.value;
    const endedAt = c.closedAt ?? c.updatedAt;
    const blobs = [
      ...(c.photo && !c.photo.purgedAt ? [c.photo.blobId] : []),
      ...c.oldPhotoBlobIds,
    ];
    if (endedAt > cutoff || blobs.length === 0) continue;
    for (const id of blobs) await deleteBlob(db, id);
    const next: RenewalCase = {
      ...c,
      photo: c.photo ? { ...c.photo, purgedAt: c.photo.purgedAt ?? now.toISOString() } : undefined,
      oldPhotoBlobIds: [],
    };
    const op = db.kv.atomic().check(entry).set(keys.case(c.id), await sealCase(db, next));
    addAudit(db, op, `case:${c.id}`, "retention.photo_purged", SYSTEM, { photos: blobs.length });
    if ((await op.commit()).ok) {
      result.photos += blobs.length;
      result.cases++;
    }
  }

  // Expired links: expireIn would remove them lazily; this makes it certain. An expired link
  // stays EXPIRED_LINK_KEPT_DAYS so its page can still "Pedir novo link" to the case's
  // attendant (link_requests.ts); it opens nothing meanwhile and holds no personal data.
  const nowIso = now.toISOString();
  const linkCutoff = new Date(now.getTime() - EXPIRED_LINK_KEPT_DAYS * 86400_000).toISOString();
  for await (const e of db.kv.list<LinkRecord>({ prefix: keys.links() })) {
    if (e.value.expiresAt < linkCutoff) {
      await db.kv.delete(e.key);
      result.links++;
    }
  }

  result.messages = await purgeMessageBodies(db, periods);
  result.inbound = await purgeInbound(db, periods);
  result.codes = await purgeCaseCodes(db, periods);
  result.audit = await scrubAuditPii(db, periods);
  result.orphanFiles = (await sweepOrphanBlobs(db)).deleted;

  const id = ulid();
  const op = db.kv.atomic().set(keys.retentionRun(id), { at: nowIso, ...result }, {
    expireIn: 400 * 86400_000,
  });
  addAudit(db, op, "retention", "retention.run", SYSTEM, { ...result });
  await op.commit();
  return result;
}
