// The plan change: the attendant applies the chosen plan on the customer's contract record.
import { ValidationError } from "../errors.ts";
import { stageContractUpdate } from "../contracts.ts";
import { getCaseEntry, transition } from "./cases.ts";
import { contractEntry, type StepCtx } from "./env.ts";
import { stageErpWrites } from "../erp/queue.ts";

/** Applies the chosen plan on the customer's contract record. */
export async function changePlan(ctx: StepCtx, caseId: string, rev?: number) {
  const entry = await getCaseEntry(ctx.db, caseId);
  const c = entry.value;
  const contract = await contractEntry(ctx.db, c.contractId);
  const planId = c.choice?.planId;
  if (!planId) throw new ValidationError({ plan: "O cliente ainda não escolheu um plano." });
  return await transition(ctx.db, {
    caseId,
    entry,
    action: "change_plan",
    actor: ctx.actor,
    rev,
    auditData: { fromPlanId: contract.value.planId, toPlanId: planId },
    apply: async (next, op, prev) => {
      stageContractUpdate(ctx.db, op, contract, { ...contract.value, planId });
      next.planChange = {
        at: ctx.db.now().toISOString(),
        by: ctx.actor.name,
        fromPlanId: contract.value.planId,
        toPlanId: planId,
      };
      await stageErpWrites(ctx.db, op, prev, next); // the ERP's copy, sent by services/erp
    },
  });
}
