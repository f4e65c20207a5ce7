// Sending the contract for signature: render the exact PDF the customer will sign (signing.ts)
// and send them the signing link.
import { deleteBlob, promoteBlob } from "../blobs.ts";
import { getCaseEntry, transition, vetTransition } from "./cases.ts";
import { stageTemplate } from "../messaging/mod.ts";
import { prepareContractDoc } from "./signing.ts";
import { customerOf, firstName, linkFor, type StepCtx } from "./env.ts";

/** Renders the contract PDF (the exact bytes the customer will sign) and sends the link. */
export async function sendSignature(ctx: StepCtx, caseId: string, rev?: number) {
  const entry = await getCaseEntry(ctx.db, caseId);
  const c = entry.value;
  const customer = await customerOf(ctx.db, c);
  const input = {
    caseId,
    action: "send_signature" as const,
    actor: ctx.actor,
    rev,
  };
  // Refused or a repeat: answered from the case as read, before rendering; nothing is stored.
  const repeat = await vetTransition(ctx.db, { ...input, entry });
  if (repeat) return repeat;
  const { pending, ...doc } = await prepareContractDoc(
    { db: ctx.db, provider: ctx.provider, baseUrl: ctx.baseUrl },
    c,
  );
  try {
    const r = await transition(ctx.db, {
      ...input,
      entry,
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
