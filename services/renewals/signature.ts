// Sending the contract for signature: render the exact PDF the customer will sign (signing.ts)
// and send them the signing link.
import { deleteBlob, promoteBlob } from "../blobs.ts";
import { getCaseEntry, transition } from "./cases.ts";
import { stageTemplate } from "../messaging/mod.ts";
import { can } from "../../domain/policy.ts";
import { prepareContractDoc } from "./signing.ts";
import { customerOf, firstName, linkFor, type StaffCtx } from "./env.ts";

/** Renders the contract PDF (the exact bytes the customer will sign) and sends the link. */
export async function sendSignature(ctx: StaffCtx, caseId: string, rev?: number) {
  const c = (await getCaseEntry(ctx.db, caseId)).value;
  const customer = await customerOf(ctx.db, c);
  if (!can(c.step, "send_signature", ctx.kind) || (rev !== undefined && rev !== c.rev)) {
    // Refuse before rendering: transition() gives the precise message, nothing is stored.
    return await transition(ctx.db, {
      caseId,
      action: "send_signature",
      actor: ctx.actor,
      kind: ctx.kind,
      rev,
    });
  }
  const { pending, ...doc } = await prepareContractDoc(
    { db: ctx.db, provider: ctx.provider, baseUrl: ctx.baseUrl },
    c,
  );
  try {
    const r = await transition(ctx.db, {
      caseId,
      action: "send_signature",
      actor: ctx.actor,
      kind: ctx.kind,
      rev,
      auditData: { documentSha256: doc.sha256, templateVersion: doc.templateVersion },
      apply: async (next, op) => {
        promoteBlob(op, { pending });
        next.contractDoc = doc;
        const token = await linkFor(ctx, op, next);
        await stageTemplate(ctx.db, op, {
          caseId,
          channel: "whatsapp",
          template: "signing_link",
          to: customer.phones[0],
          step: "signature_sent",
          vars: {
            nome: firstName(customer.name),
            link: `${ctx.baseUrl}/r/${token}`,
          },
        });
      },
    });
    // A repeat of a send that already went through: the first document stands.
    if (!r.changed) await deleteBlob(ctx.db, doc.blobId);
    return r;
  } catch (e) {
    await deleteBlob(ctx.db, doc.blobId);
    throw e;
  }
}
