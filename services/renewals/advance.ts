// Staff moves Renova takes itself. When a case reaches a step whose staff move needs no
// judgement and waits on nobody (STEP_POLICY[step].auto: the plan change is Renova's own record;
// the signing link, the register and the final message follow from what is already there), the
// move is taken at once — after the customer's action that led there (as "Sistema"), or after
// the attendant's click that led there (as that attendant: one click, the steps after it).
// Each move is its own transition with its own audit event and evidence; a refused one stops
// the chain and leaves the case where it is, with its button on the case page as the fallback.
import { autoAction, type StaffAction } from "../../domain/policy.ts";
import { AppError } from "../errors.ts";
import { actorKind, SYSTEM } from "../../domain/actor.ts";
import { getCase, type TransitionResult } from "./cases.ts";
import type { RenewalEnv, StepCtx } from "./env.ts";
import { changePlan } from "./plan_change.ts";
import { sendSignature } from "./signature.ts";
import { notifyCustomer, registerSignature } from "./register.ts";

type Verb = (ctx: StepCtx, caseId: string, rev?: number) => Promise<TransitionResult>;

/** The verbs of the steps policy.ts marks `auto` (a test checks none is missing). */
export const AUTO_VERBS: Partial<Record<StaffAction, Verb>> = {
  change_plan: changePlan,
  send_signature: sendSignature,
  register: registerSignature,
  notify: notifyCustomer,
};

/** A context for Renova's own moves, from the server's settings. */
export function systemCtx(env: RenewalEnv): StepCtx {
  return { ...env, actor: SYSTEM };
}

/**
 * Takes the automatic moves from the case's current step on; returns the actions taken. The
 * actor's submission id is dropped: it belongs to the form that was already answered.
 */
export async function advanceCase(ctx: StepCtx, caseId: string): Promise<StaffAction[]> {
  const run = { ...ctx, actor: { ...ctx.actor, submission: undefined } } as StepCtx;
  const taken: StaffAction[] = [];
  for (let i = 0; i < 8; i++) {
    const c = await getCase(ctx.db, caseId);
    const action = c && autoAction(c.step, actorKind(ctx.actor));
    const verb = action && AUTO_VERBS[action];
    if (!c || !action || !verb) break;
    try {
      if (!(await verb(run, caseId, c.rev)).changed) break;
    } catch (e) {
      // Somebody acted meanwhile, the move was refused, or it failed (a PDF that did not
      // render): the action that led here stands, and the case page shows the step's button.
      const why = e instanceof AppError ? String(e.status) : (e as Error).name;
      console.warn(`case ${caseId}: automatic ${action} not taken (${why})`);
      break;
    }
    taken.push(action);
  }
  return taken;
}
