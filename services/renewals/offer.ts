// The offer: the plan the customer chooses (on their page with explicit consent, or told to the
// attendant on the phone) or their refusal.
import { ValidationError } from "../errors.ts";
import { getPlan } from "../plans.ts";
import { transition } from "./cases.ts";
import { type CustomerCtx, keepLink, type StaffCtx } from "./env.ts";
import { DECLINE_REASONS, DECLINE_TEXT_MAX, isDeclineReason } from "../../domain/decline.ts";

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
    apply: (next, op) => {
      next.declined = { reason: r, at: ctx.db.now().toISOString(), by: ctx.actor.name };
      // A link the customer has keeps a calm page instead of "Link inválido".
      keepLink(ctx, op, next);
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

/**
 * The customer declines on their page, after the "Tem certeza?" step: an optional reason from
 * the list (domain/decline.ts) and optional free text, stored as one line the attendant reads
 * (sealed with the case's other free text, case_seal.ts). The link stays on a calm page.
 */
export async function declineOffer(
  ctx: CustomerCtx,
  caseId: string,
  input: string | { code?: string; text: string },
  rev?: number,
) {
  // A bare string is free text alone (a page opened before the reason list existed).
  const { code: rawCode = "", text: rawText } = typeof input === "string" ? { text: input } : input;
  const code = rawCode.trim();
  if (code && !isDeclineReason(code)) {
    throw new ValidationError({ reason: "Escolha um dos motivos da lista ou deixe em branco." });
  }
  const text = rawText.trim().replace(/\s+/g, " ");
  if (text.length > DECLINE_TEXT_MAX) {
    throw new ValidationError({
      reasonText: `Escreva no máximo ${DECLINE_TEXT_MAX} caracteres.`,
    });
  }
  const label = code ? DECLINE_REASONS[code as keyof typeof DECLINE_REASONS] : "";
  const r = [label, text].filter(Boolean).join(": ") || "Não informado";
  return await transition(ctx.db, {
    caseId,
    action: "decline",
    actor: ctx.actor,
    rev,
    payload: { reason: r },
    auditData: { reason: r },
    apply: (next, op) => {
      next.declined = { reason: r, at: ctx.db.now().toISOString(), by: "cliente" };
      keepLink(ctx, op, next);
    },
  });
}
