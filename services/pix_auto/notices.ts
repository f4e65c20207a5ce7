// Messages to the customer about Pix Automático (a payer's cancellation, a month's charge that
// fell back to boleto + PIX), staged in the atomic of the change that causes them, with the
// customer's own link to the invoices. No link, no phone: nothing to send (the page still
// shows the change).
import type { Db } from "../db.ts";
import { getCase } from "../renewals/cases.ts";
import { currentLinkToken } from "../renewals/links.ts";
import { getCustomer } from "../customers.ts";
import { stageTemplate, type TemplateName } from "../messaging/mod.ts";

/** What a notice needs besides the store: the public base URL of customer links. */
export interface NoticeEnv {
  baseUrl: string;
}

export async function stageCustomerNotice(
  db: Db,
  op: Deno.AtomicOperation,
  caseId: string,
  env: NoticeEnv,
  template: Extract<TemplateName, "pix_auto_cancelled" | "pix_auto_charge_failed">,
  vars: Record<string, string>,
  purpose: string,
): Promise<void> {
  const c = await getCase(db, caseId);
  const customer = c && await getCustomer(db, c.customerId);
  const token = c && await currentLinkToken(db, c);
  const to = customer?.phones[0];
  if (!c || !customer || !token || !to) return;
  await stageTemplate(db, op, {
    caseId,
    channel: "whatsapp",
    template,
    to,
    // One message per event, whatever retries the PSP's callbacks or the job make.
    dedupeKey: `${caseId}:pix_auto:${purpose}`,
    vars: {
      nome: customer.name.split(" ")[0],
      link: `${env.baseUrl}/r/${token}`,
      ...vars,
    },
  });
}
