// The offer: the plan the customer chooses (on their page with explicit consent, or told to the
// attendant on the phone) or their refusal.
import { ValidationError } from "../errors.ts";
import { getPlan } from "../plans.ts";
import { transition } from "./cases.ts";
import type { CustomerCtx, StaffCtx } from "./env.ts";

/** The attendant records the choice the customer made on the phone. */
export async function recordChoice(ctx: StaffCtx, caseId: string, planId: string, rev?: number) {
  const plan = await getPlan(ctx.db, planId);
  if (!plan?.active) throw new ValidationError({ planId: "Escolha um plano da lista." });
  return await transition(ctx.db, {
    caseId,
    action: "choose_plan",
    actor: ctx.actor,
    rev,
    payload: { planId },
    auditData: { plan: plan.name, offerCode: plan.offerCode },
    apply: (next) => {
      next.choice = { planId, at: ctx.db.now().toISOString(), by: "staff", consent: false };
    },
  });
}

export async function recordRefusal(ctx: StaffCtx, caseId: string, reason: string, rev?: number) {
  const r = reason.trim();
  if (r.length < 3 || r.length > 500) {
    throw new ValidationError({ reason: "Informe o motivo da recusa." });
  }
  return await transition(ctx.db, {
    caseId,
    action: "decline",
    actor: ctx.actor,
    rev,
    payload: { reason: r },
    auditData: { reason: r },
    apply: (next) => {
      next.declined = { reason: r, at: ctx.db.now().toISOString(), by: ctx.actor.name };
    },
  });
}

export async function choosePlan(
  ctx: CustomerCtx,
  caseId: string,
  planId: string,
  consent: boolean,
  rev?: number,
) {
  const plan = await getPlan(ctx.db, planId);
  if (!plan?.active) throw new ValidationError({ planId: "Escolha um dos planos oferecidos." });
  if (!consent) {
    throw new ValidationError({
      consent:
        "Para continuar, marque que você leu e aceita a fidelidade de 12 meses e a tabela de multa.",
    });
  }
  return await transition(ctx.db, {
    caseId,
    action: "choose_plan",
    actor: ctx.actor,
    rev,
    payload: { planId },
    auditData: { plan: plan.name, offerCode: plan.offerCode, consent: true },
    apply: (next) => {
      next.choice = { planId, at: ctx.db.now().toISOString(), by: "customer", consent: true };
    },
  });
}

export async function declineOffer(ctx: CustomerCtx, caseId: string, reason: string, rev?: number) {
  const r = reason.trim().slice(0, 500) || "Não informado";
  return await transition(ctx.db, {
    caseId,
    action: "decline",
    actor: ctx.actor,
    rev,
    payload: { reason: r },
    auditData: { reason: r },
    apply: (next) => {
      next.declined = { reason: r, at: ctx.db.now().toISOString(), by: "cliente" };
    },
  });
}
