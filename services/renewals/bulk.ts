// Supervisors assign or release many cases in one action (issue #16 item 13). Each case is
// still its own version-checked atomic with its own audit event (the single-case verbs), so a
// case changed meanwhile fails alone and the others go through.
import { actorKind } from "../../domain/actor.ts";
import { AppError, ForbiddenError, ValidationError } from "../errors.ts";
import { getCase } from "./cases.ts";
import { assignContract, releaseCase } from "./assignment.ts";
import type { StaffCtx } from "./env.ts";

/** The most cases one bulk action touches (the list shows at most 100 open cases). */
export const BULK_MAX = 100;

export interface BulkResult {
  done: number;
  /** pt-BR reasons of the ones that failed, one per case. */
  failed: string[];
}

/**
 * One form, many cases: a form's submission id marks one case change (services/submissions.ts),
 * so each case here runs without it (each is still version-checked on its own).
 */
const perCase = (ctx: StaffCtx): StaffCtx => ({
  ...ctx,
  actor: { ...ctx.actor, submission: undefined },
});

function check(ctx: StaffCtx, n: number) {
  if (actorKind(ctx.actor) !== "supervisor") {
    throw new ForbiddenError("Só a supervisão atribui em lote.");
  }
  if (n === 0) throw new ValidationError({ _form: "Marque ao menos um cliente ou caso." });
  if (n > BULK_MAX) {
    throw new ValidationError({ _form: `Marque no máximo ${BULK_MAX} de cada vez.` });
  }
}

async function each(items: string[], act: (id: string) => Promise<unknown>) {
  const out: BulkResult = { done: 0, failed: [] };
  for (const id of new Set(items)) {
    try {
      await act(id);
      out.done++;
    } catch (e) {
      if (!(e instanceof AppError)) throw e; // a bug, not a refusal
      out.failed.push(e instanceof ValidationError ? Object.values(e.fields)[0] : e.message);
    }
  }
  return out;
}

/** Assigns open cases (by case id) and due contracts (by contract id) to one attendant. */
export async function bulkAssign(
  ctx: StaffCtx,
  input: { caseIds: string[]; contractIds: string[]; userId: string },
): Promise<BulkResult> {
  check(ctx, input.caseIds.length + input.contractIds.length);
  ctx = perCase(ctx);
  const byCase = await each(input.caseIds, async (id) => {
    const c = await getCase(ctx.db, id);
    if (!c) throw new ValidationError({ caseId: "Caso não encontrado." });
    await assignContract(ctx, c.contractId, input.userId);
  });
  const byContract = await each(input.contractIds, (id) => assignContract(ctx, id, input.userId));
  return { done: byCase.done + byContract.done, failed: [...byCase.failed, ...byContract.failed] };
}

/** Frees open cases for anybody to claim. */
export async function bulkRelease(ctx: StaffCtx, caseIds: string[]): Promise<BulkResult> {
  check(ctx, caseIds.length);
  ctx = perCase(ctx);
  const me = { id: ctx.actor.id.replace(/^user:/, ""), name: ctx.actor.name };
  return await each(caseIds, (id) => releaseCase(ctx, id, me));
}
