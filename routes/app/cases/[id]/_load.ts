// The case page's loader (Fresh's handler half): the data components/case/CasePage.tsx shows,
// used by the page (GET) and by the action route when it shows a refusal.
import { actorKind } from "../../../../domain/actor.ts";
import type { Ctx } from "../../../../lib/route.ts";
import { staffCtx } from "../../../../lib/staff.ts";
import { staffCaseView } from "../../../../services/renewals/views.ts";
import type { CaseData } from "../../../../components/case/CasePage.tsx";
import { paymentView } from "../../../../services/pix_auto/payment.ts";
import { erpInvoicesStatus } from "../../../../services/erp/invoices.ts";

export async function loadCase(c: Ctx, caseId: string): Promise<CaseData> {
  const ctx = staffCtx(c);
  const v = await staffCaseView(ctx, caseId);
  return {
    v,
    user: c.get("user")!,
    kind: actorKind(ctx.actor) === "staff" ? "staff" : "supervisor",
    csrf: c.get("session")?.csrf,
    pay: await paymentView(ctx.db, v.case, c.get("config").provider, c.get("config").pixAuto),
    erp: (await erpInvoicesStatus(ctx.db, caseId)) ?? undefined,
  };
}
