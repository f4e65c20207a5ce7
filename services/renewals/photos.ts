// The customer's holder photo: re-encoded on the server (services/images/holder_photo.ts),
// capped per case (per hour and in total), and only the photos the evidence needs are kept:
// the current one plus the last MAX_REJECTED_KEPT rejected ones (each rejection has an audit
// event with its reason). A superseded photo nobody reviewed is deleted once replaced.
import { deleteBlob, promoteBlob, putBlob } from "../blobs.ts";
import { sha256Hex } from "../crypto.ts";
import { RateLimitError, TooLargeError, ValidationError } from "../errors.ts";
import { toReviewJpeg } from "../images/holder_photo.ts";
import { getCaseEntry, type RenewalCase, transition, vetTransition } from "./cases.ts";
import type { Db } from "../db.ts";
import type { CustomerActor } from "../../domain/actor.ts";

/** What an upload needs of the customer's context (customer_actions.ts re-exports the verb). */
interface UploadCtx {
  db: Db;
  actor: CustomerActor;
}
import { MAX_PHOTO_BYTES } from "../../domain/limits.ts";

/** Uploads a case accepts within one hour, and ever. */
export const PHOTO_UPLOADS_PER_HOUR = 5;
export const PHOTO_UPLOADS_TOTAL = 20;
/** Rejected photos kept as evidence of the review; older ones are deleted. */
export const MAX_REJECTED_KEPT = 3;

const HOUR_MS = 3600_000;

/** Throws a pt-BR 429 when the case has used its upload quota; returns the recent times. */
function checkQuota(c: RenewalCase, now: number): string[] {
  const used = c.photoUploads ?? { total: 0, recent: [] };
  if (used.total >= PHOTO_UPLOADS_TOTAL) {
    throw new RateLimitError(
      24 * 3600,
      "Você já enviou o número máximo de fotos para este pedido. Fale com a operadora para continuar.",
    );
  }
  const recent = used.recent.filter((t) => now - Date.parse(t) < HOUR_MS);
  if (recent.length >= PHOTO_UPLOADS_PER_HOUR) {
    const wait = Math.max(60, Math.ceil((Date.parse(recent[0]) + HOUR_MS - now) / 1000));
    throw new RateLimitError(
      wait,
      `Você já enviou ${PHOTO_UPLOADS_PER_HOUR} fotos na última hora. Tente de novo em ${
        Math.ceil(wait / 60)
      } minuto(s).`,
    );
  }
  return recent;
}

export async function uploadPhoto(
  ctx: UploadCtx,
  caseId: string,
  file: File | undefined,
  rev?: number,
) {
  if (!file || file.size === 0) {
    throw new ValidationError({ photo: "Escolha ou tire uma foto para enviar." });
  }
  if (file.size > MAX_PHOTO_BYTES) {
    throw new TooLargeError(
      `A foto passa de ${
        MAX_PHOTO_BYTES / 1024 / 1024
      } MB. Tire outra com menor resolução ou envie uma versão menor.`,
    );
  }
  const bytes = new Uint8Array(await file.arrayBuffer());
  const step = {
    caseId,
    action: "upload_photo" as const,
    actor: ctx.actor,
    rev,
    // The upload's own hash: the same file sent twice is recognised as a repeat.
    payload: { sha256: await sha256Hex(bytes) },
    // Read once: vetted, quota-checked and written against this version (a change meanwhile
    // is a conflict; a double submission still answers like the first).
    entry: await getCaseEntry(ctx.db, caseId),
  };
  // Refusals, repeats and the quota first: only an upload that will be kept costs a decode.
  const repeat = await vetTransition(ctx.db, step);
  if (repeat) return repeat;
  checkQuota(step.entry.value, ctx.db.now().getTime());
  const img = await toReviewJpeg(bytes);
  const meta = await putBlob(ctx.db, img.data, img.contentType, "holder_photo");
  let discard: string[] = [];
  let res;
  try {
    res = await transition(ctx.db, {
      ...step,
      auditData: { size: meta.size, type: img.contentType, sha256: meta.sha256 },
      apply: (next, op) => {
        promoteBlob(op, meta); // the file is kept only if this step commits
        const now = ctx.db.now();
        const recent = checkQuota(next, now.getTime()); // again, on the version being written
        next.photoUploads = {
          total: (next.photoUploads?.total ?? 0) + 1,
          recent: [...recent, now.toISOString()],
        };
        let kept = next.oldPhotoBlobIds;
        if (next.photo) {
          // A rejected photo is evidence of the review; an unreviewed one is just replaced.
          if (next.photo.status === "rejected" && !next.photo.purgedAt) {
            kept = [...kept, next.photo.blobId];
          } else if (!next.photo.purgedAt) discard.push(next.photo.blobId);
        }
        discard = [...discard, ...kept.slice(0, Math.max(0, kept.length - MAX_REJECTED_KEPT))];
        next.oldPhotoBlobIds = kept.slice(-MAX_REJECTED_KEPT);
        next.photo = {
          blobId: meta.id,
          contentType: img.contentType,
          size: meta.size,
          uploadedAt: now.toISOString(),
          status: "pending",
        };
      },
    });
  } catch (e) {
    await deleteBlob(ctx.db, meta.id); // nothing half-written: the photo goes with the failed step
    throw e;
  }
  // After the commit: a crash here leaves an unreferenced blob, never a case without its photo.
  if (!res.changed) discard = [meta.id]; // a repeat: the case keeps the first copy
  for (const id of discard) await deleteBlob(ctx.db, id);
  return res;
}
