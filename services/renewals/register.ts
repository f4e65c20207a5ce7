// After the signature: register it on the record (contract, ticket, invoices), send the all-set
// message, close the case; or cancel it before signing (supervisors).
import { actorKind } from "../../domain/actor.ts";
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from "../errors.ts";
import { stageContractUpdate } from "../contracts.ts";
import { getPlan } from "../plans.ts";
import { addMonths, todayInBrazil } from "../dates.ts";
import { getTicket, stageCloseTicket, stageTicket } from "../tickets.ts";
import { drawNumbers, stageNumbers } from "../numbers.ts";
import { invoiceSchedule, issueInvoices } from "../invoices.ts";
import { ensureCarne } from "./carne.ts";
import { getBillingSettings } from "../billing_settings.ts";
import { getCaseEntry, type RenewalCase, transition, vetTransition } from "./cases.ts";
import { addAudit } from "../audit.ts";
import { activationText } from "../messaging/mod.ts";
import { applyNewSpeed, type SpeedOutcome } from "../network/apply_speed.ts";
import { invoiceLines, stageTemplate } from "../messaging/mod.ts";
import { formatDate } from "../../domain/format.ts";
import { forbiddenMessage, mayTake } from "../../domain/policy.ts";
import {
  contractEntry,
  customerOf,
  firstName,
  keepLink,
  linkFor,
  type StaffCtx,
  type StepCtx,
} from "./env.ts";
import { stageErpWrites } from "../erp/queue.ts";
import { pixAutoMessageLine } from "../pix_auto/payment.ts";
import { stageErpInvoiceLines } from "../erp/invoice_record.ts";

/**
 * Confirms the signature on the record: the contract's loyalty restarts on the signing date and
 * ends 12 months later (next renewal due), a ticket with a protocol number is opened, the new
 * invoices are issued and the protocol is sent to the customer — all in one atomic.
 */
export async function registerSignature(ctx: StepCtx, caseId: string, rev?: number) {
  const entry = await getCaseEntry(ctx.db, caseId);
  const c = entry.value;
  const input = { caseId, action: "register" as const, actor: ctx.actor, rev };
  // Refused or a repeat: answered from the case as read, before any work.
  const repeat = await vetTransition(ctx.db, { ...input, entry });
  if (repeat) return repeat;
  if (!c.signature || !c.choice) {
    throw new ValidationError({ step: "Não há assinatura para registrar neste caso." });
  }
  const [contract, plan, customer] = await Promise.all([
    contractEntry(ctx.db, c.contractId),
    getPlan(ctx.db, c.choice.planId),
    customerOf(ctx.db, c),
  ]);
  if (!plan) throw new NotFoundError("Plano não encontrado.");
  const signedOn = todayInBrazil(new Date(c.signature.at));
  const loyaltyEnd = addMonths(signedOn, plan.loyaltyMonths);
  const { settings } = await getBillingSettings(ctx.db, ctx.provider);
  const schedule = invoiceSchedule({
    signedOn,
    amountCents: plan.priceCents,
    planName: plan.name,
    dueDay: settings.dueDay,
    count: settings.count,
  });
  // The protocol and the nossos números are taken in the step's own atomic (numbers.ts): a
  // register that fails or repeats uses none. Another register taking them first makes the
  // commit fail while this case is unchanged: draw again (building invoices is cheap; the slow
  // carnê is rendered once the step is done, carne.ts).
  for (let attempt = 1;; attempt++) {
    const draw = await drawNumbers(ctx.db, schedule.length);
    const protocol = draw.protocol;
    const invoices = issueInvoices(
      settings,
      schedule,
      `RNV${caseId.slice(-12)}`,
      draw.firstNossoNumero,
    );
    let result;
    try {
      result = await transition(ctx.db, {
        ...input,
        entry,
        auditData: { protocol, loyaltyEnd },
        apply: async (next, op, prev) => {
          stageNumbers(op, draw, caseId);
          stageContractUpdate(ctx.db, op, contract, {
            ...contract.value,
            planId: plan.id,
            loyaltyStart: signedOn,
            loyaltyEnd,
            nextRenewalDue: loyaltyEnd,
            signedAt: c.signature!.at,
          });
          const ticket = stageTicket(ctx.db, op, {
            protocol,
            customerId: c.customerId,
            caseId,
            subject: `Renovação de contrato — ${plan.name} (${plan.offerCode})`,
            renewalDate: signedOn,
            nextRenewalDue: loyaltyEnd,
            documentBlobId: c.signature!.signedBlobId,
            documentSha256: c.signature!.finalSha256,
          });
          next.ticket = { id: ticket.id, protocol };
          next.renewal = { loyaltyStart: signedOn, loyaltyEnd, nextRenewalDue: loyaltyEnd };
          next.invoices = invoices;
          await stageTemplate(ctx.db, op, {
            caseId,
            channel: "whatsapp",
            template: "protocol",
            to: customer.phones[0],
            vars: {
              protocolo: protocol,
              data: formatDate(signedOn),
            },
          });
          const issuer = await stageErpWrites(ctx.db, op, prev, next); // sent by services/erp
          // ERP_INVOICES=erp: the ERP issues the boletos (services/erp/invoices.ts), not Renova.
          if (issuer === "erp") next.invoices = undefined;
        },
      });
    } catch (e) {
      if (e instanceof ConflictError && attempt < 10) {
        const now = await getCaseEntry(ctx.db, caseId);
        if (now.versionstamp === entry.versionstamp) continue; // only the counters moved
      }
      throw e;
    }
    // Staff wait for the carnê here; when Renova registers by itself (the customer's signing
    // request, advance.ts) the customer does not: the first download renders it (carne.ts).
    if (result.changed && ctx.actor.type !== "system" && result.case.invoices?.length) {
      try {
        result.case.carneBlobId = await ensureCarne(ctx.db, caseId, ctx.provider);
      } catch (e) {
        // The step stands; the first download renders the carnê (carne.ts).
        console.error(`carnê of case ${caseId} not rendered now: ${(e as Error).message}`);
      }
    }
    return result;
  }
}

/**
 * The all-set message with the new invoices. First the new speed goes to the network (a RADIUS
 * CoA, bounded to a few seconds, services/network/apply_speed.ts): when it took, the message
 * says the plan is already active; otherwise it gives the router restart instructions.
 */
export async function notifyCustomer(ctx: StepCtx, caseId: string, rev?: number) {
  const entry = await getCaseEntry(ctx.db, caseId);
  const c = entry.value;
  const customer = await customerOf(ctx.db, c);
  const speed = await speedFor(ctx, c);
  const pixLine = await pixAutoMessageLine(ctx.db, caseId); // services/pix_auto
  return await transition(ctx.db, {
    caseId,
    entry,
    action: "notify",
    actor: ctx.actor,
    rev,
    apply: async (next, op) => {
      const token = await linkFor(ctx, op, next);
      // Issued by the ERP (ERP_INVOICES=erp): its invoices, or that they are on their way.
      const erpLines = await stageErpInvoiceLines(ctx.db, op, caseId);
      const vars = {
        nome: firstName(customer.name),
        protocolo: next.ticket!.protocol,
        faturas: erpLines ?? invoiceLines(next.invoices ?? []),
        link: `${ctx.baseUrl}/r/${token}`,
        ativacao: activationText(speed),
        pagamento: pixLine,
      };
      // WhatsApp always; the e-mail copy only when the customer has an e-mail.
      const sends = [["whatsapp", customer.phones[0]], ["email", customer.email]] as const;
      for (const [channel, to] of sends) {
        if (to) await stageTemplate(ctx.db, op, { caseId, channel, template: "all_set", to, vars });
      }
      next.notifiedAt = ctx.db.now().toISOString();
      if (speed) {
        next.network = speed;
        addAudit(ctx.db, op, `case:${caseId}`, "network.speed_applied", ctx.actor, speed);
      }
    },
  });
}

/** The speed outcome for a case about to be notified; none when the step will refuse anyway. */
async function speedFor(ctx: StepCtx, c: RenewalCase): Promise<SpeedOutcome | undefined> {
  if (c.step !== "registered") return undefined;
  if (c.network && c.network.outcome !== "manual") return c.network; // took on an earlier try
  const contract = (await contractEntry(ctx.db, c.contractId)).value;
  const plan = await getPlan(ctx.db, c.choice?.planId ?? contract.planId);
  if (!plan) return { outcome: "manual", reason: "plano não encontrado" };
  return await applyNewSpeed(ctx.db, contract, plan);
}

export async function closeCase(ctx: StaffCtx, caseId: string, rev?: number) {
  const entry = await getCaseEntry(ctx.db, caseId);
  const c = entry.value;
  const ticket = c.ticket ? await getTicket(ctx.db, c.ticket.id) : null;
  return await transition(ctx.db, {
    caseId,
    entry,
    action: "close",
    actor: ctx.actor,
    rev,
    apply: async (next, op, prev) => {
      if (ticket?.value) stageCloseTicket(ctx.db, op, ticket as Deno.KvEntry<typeof ticket.value>);
      next.closedAt = ctx.db.now().toISOString();
      // The final message's link keeps showing the invoices, PIX and contract (read-only).
      keepLink(ctx, op, next);
      await stageErpWrites(ctx.db, op, prev, next); // the ERP's copy, sent by services/erp
    },
  });
}

/** Supervisors cancel a case before signing; an applied plan change is undone by transition(). */
export async function cancelCase(ctx: StaffCtx, caseId: string, reason: string, rev?: number) {
  // Who may cancel is known before reading the case: refuse first, whatever its version.
  if (!mayTake("cancel", actorKind(ctx.actor))) {
    throw new ForbiddenError(forbiddenMessage("cancel"));
  }
  return await transition(ctx.db, {
    caseId,
    action: "cancel",
    actor: ctx.actor,
    rev,
    auditData: { reason: reason.trim().slice(0, 500) },
  });
}
