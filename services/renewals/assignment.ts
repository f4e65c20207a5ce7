// Who works a case: claim a contract from the list, assign it (supervisors), or open a case
// on demand for a customer who got in touch first.
import { ForbiddenError, NotFoundError, ValidationError } from "../errors.ts";
import { getUser } from "../users.ts";
import { getContract } from "../contracts.ts";
import { type Assignee, getCaseEntry, openCase, openCaseOfContract, setAssignee } from "./cases.ts";
import type { StaffCtx } from "./env.ts";
import { actorKind } from "../../domain/actor.ts";
import { assertNotCoolingOff, DEFAULT_DECLINE_COOLOFF_DAYS } from "./cool_off.ts";

export async function claimContract(ctx: StaffCtx, contractId: string, me: Assignee) {
  const existing = await openCaseOfContract(ctx.db, contractId);
  if (existing) return await setAssignee(ctx.db, existing, me, ctx.actor, { onlyIfFree: true });
  // A customer who refused is not called again inside the cool-off (a supervisor may still
  // assign, and a customer who gets in touch opens a case on demand).
  const days = ctx.declineCoolOffDays ?? DEFAULT_DECLINE_COOLOFF_DAYS;
  await assertNotCoolingOff(ctx.db, contractId, days);
  return await openCase(ctx.db, { contractId, assignee: me, origin: "list" }, ctx.actor);
}

/** Supervisors hand a due contract (or its open case) to an active attendant. */
export async function assignContract(ctx: StaffCtx, contractId: string, userId: string) {
  if (actorKind(ctx.actor) !== "supervisor") {
    throw new ForbiddenError("Só a supervisão atribui casos.");
  }
  const user = await getUser(ctx.db, userId);
  if (!user?.active || user.role !== "attendant") {
    throw new ValidationError({ userId: "Escolha um atendente ativo." });
  }
  const to: Assignee = { id: user.id, name: user.name };
  const existing = await openCaseOfContract(ctx.db, contractId);
  const c = existing
    ? await setAssignee(ctx.db, existing, to, ctx.actor)
    : await openCase(ctx.db, { contractId, assignee: to, origin: "list" }, ctx.actor);
  return { case: c, assignee: to };
}

/** A customer who got in touch first: open a case on their active contract now. */
export async function startOnDemand(ctx: StaffCtx, contractId: string, me: Assignee) {
  const contract = await getContract(ctx.db, contractId);
  if (!contract) throw new NotFoundError("Contrato não encontrado.");
  const existing = await openCaseOfContract(ctx.db, contractId);
  if (existing) return (await getCaseEntry(ctx.db, existing)).value;
  return await openCase(ctx.db, { contractId, assignee: me, origin: "on_demand" }, ctx.actor);
}

/** Takes a case from the case page or the offline outbox: only while nobody else has it. */
export async function claimCase(ctx: StaffCtx, caseId: string, me: Assignee, rev?: number) {
  return await setAssignee(ctx.db, caseId, me, ctx.actor, { rev, onlyIfFree: true });
}

/**
 * Frees a case for a colleague. An attendant releases only a case that is theirs; supervisors
 * release any. The version is checked first: a case reassigned meanwhile is a conflict to show.
 */
export async function releaseCase(ctx: StaffCtx, caseId: string, me: Assignee, rev?: number) {
  return await setAssignee(ctx.db, caseId, null, ctx.actor, {
    rev,
    guard: (c) => {
      if (actorKind(ctx.actor) === "staff" && c.assigneeId !== me.id) {
        throw new ForbiddenError("Só quem está com o caso pode liberá-lo.");
      }
    },
  });
}
