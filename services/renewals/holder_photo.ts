// The holder photo, staff side: view it (every view audited) and approve or reject it. The
// customer's upload is in photos.ts.
import { addAudit } from "../audit.ts";
import { getBlob } from "../blobs.ts";
import { NotFoundError, ValidationError } from "../errors.ts";
import { getCaseEntry, transition } from "./cases.ts";
import { stageTemplate } from "../messaging/mod.ts";
import { assertCanReadCase, stageVisitMark } from "./read_access.ts";
import { customerOf, firstName, linkFor, type StaffCtx } from "./env.ts";

export async function reviewPhoto(
  ctx: StaffCtx,
  caseId: string,
  decision: { approve: true } | { approve: false; reason: string },
  rev?: number,
) {
  const entry = await getCaseEntry(ctx.db, caseId);
  const c = entry.value;
  const customer = await customerOf(ctx.db, c);
  const reason = decision.approve ? "" : decision.reason.trim();
  if (!decision.approve && (reason.length < 5 || reason.length > 300)) {
    throw new ValidationError({
      reason: "Explique ao cliente por que a foto foi recusada (5 a 300 caracteres).",
    });
  }
  return await transition(ctx.db, {
    caseId,
    entry,
    action: decision.approve ? "approve_photo" : "reject_photo",
    actor: ctx.actor,
    rev,
    payload: { reason },
    auditData: decision.approve ? {} : { reason },
    apply: async (next, op) => {
      if (!next.photo) throw new ValidationError({ photo: "Não há foto para revisar." });
      next.photo = {
        ...next.photo,
        status: decision.approve ? "approved" : "rejected",
        reason: reason || undefined,
        reviewedBy: ctx.actor.name,
        reviewedAt: ctx.db.now().toISOString(),
      };
      if (!decision.approve) {
        const token = await linkFor(ctx, op, next);
        await stageTemplate(ctx.db, op, {
          caseId,
          channel: "whatsapp",
          template: "photo_rejected",
          to: customer.phones[0],
          vars: {
            nome: firstName(customer.name),
            motivo: reason,
            link: `${ctx.baseUrl}/r/${token}`,
          },
        });
      }
    },
  });
}

/**
 * The holder photo for review. Access is logged (LGPD) in the case's history, once per person
 * per visit (read_access.ts): the page's automatic reloads do not add a line each.
 */
export async function viewHolderPhoto(ctx: StaffCtx, caseId: string) {
  const c = (await getCaseEntry(ctx.db, caseId)).value;
  assertCanReadCase(ctx, c, "photo");
  if (!c.photo) throw new NotFoundError("Não há foto neste caso.");
  if (c.photo.purgedAt) throw new NotFoundError("A foto foi apagada pelo prazo de guarda (LGPD).");
  const blob = await getBlob(ctx.db, c.photo.blobId);
  const op = ctx.db.kv.atomic();
  if (await stageVisitMark(ctx.db, op, ctx.actor, `case:${caseId}`, "photo")) {
    addAudit(ctx.db, op, `case:${caseId}`, "photo.viewed", ctx.actor);
    await op.commit(); // a lost race: the other request's line stands
  }
  return blob;
}
