// Contact confirmation: the customer confirms or corrects their phones and e-mail; a changed
// contact is confirmed by a code sent to it.
import { NotFoundError, ValidationError } from "../errors.ts";
import {
  EMAIL_INVALID,
  emailProblem,
  getCustomer,
  normalizePhone,
  updateCustomerContacts,
} from "../customers.ts";
import { sealJson } from "../crypto.ts";
import { checkCode, newCode } from "../codes.ts";
import { chargeContactCodes, releaseGuess, reserveGuess } from "./code_limits.ts";
import { getCaseEntry, transition, updateCase } from "./cases.ts";
import { stageTemplate } from "../messaging/mod.ts";
import { stepsWhere } from "../../domain/policy.ts";
import type { CustomerCtx } from "./env.ts";
import { type PendingContacts, pendingContactsOf } from "./pending_contacts.ts";

/** Where the customer confirms their contacts (and may ask for codes): from the policy. */
export const CONFIRM_STEPS = stepsWhere("confirm_data", "customer");

/** `emailOptional`: the record has no e-mail (an ERP import), so none may be given. */
export function parseContacts(phonesRaw: string[], emailRaw: string, emailOptional: boolean) {
  const f: Record<string, string> = {};
  const phones = phonesRaw.map((p) => p.trim()).filter(Boolean).map(normalizePhone);
  if (!phones.length || phones.some((p) => !p)) {
    f.phones = "Informe um celular válido com DDD, como (11) 91234-5678.";
  }
  if (phones.length > 3) f.phones = "Informe no máximo 3 telefones.";
  const none = emailOptional && !emailRaw.trim();
  const problem = none ? null : emailProblem(emailRaw);
  if (problem === EMAIL_INVALID) f.email = "Informe um e-mail válido, como nome@exemplo.com.br.";
  else if (problem) f.email = problem; // too long: say so
  if (Object.keys(f).length) throw new ValidationError(f);
  const email = none ? "" : emailRaw.trim().toLowerCase();
  return { phones: [...new Set(phones as string[])], email };
}

/**
 * The customer confirms or corrects their contacts. Unchanged: confirmed at once. Changed: a
 * 6-digit code goes to each new contact; nothing is saved until the codes are entered.
 */
export async function submitContacts(
  ctx: CustomerCtx,
  caseId: string,
  phonesRaw: string[],
  emailRaw: string,
  rev?: number,
) {
  const entry = await getCaseEntry(ctx.db, caseId); // read once, written against this version
  const customer = await getCustomer(ctx.db, entry.value.customerId);
  if (!customer) throw new NotFoundError("Cliente não encontrado.");
  const v = parseContacts(phonesRaw, emailRaw, !customer.email);
  const newPhones = v.phones.filter((p) => !customer.phones.includes(p));
  const emailChanged = v.email !== customer.email;
  if (!newPhones.length && !emailChanged) {
    return await transition(ctx.db, {
      caseId,
      action: "confirm_data",
      actor: ctx.actor,
      rev,
      entry,
      payload: v,
      auditData: { changed: false },
      apply: async (next, op) => {
        if (v.phones.length !== customer.phones.length) {
          await updateCustomerContacts(ctx.db, customer.id, v, ctx.actor, op);
        }
        next.pendingContacts = undefined;
        next.contactsConfirmedAt = ctx.db.now().toISOString();
      },
    });
  }
  const now = ctx.db.now().getTime();
  const checks: PendingContacts["checks"] = [];
  const codes: { kind: "phone" | "email"; target: string; code: string }[] = [];
  for (
    const [kind, target] of [
      ...newPhones.map((p) => ["phone", p] as const),
      ...(emailChanged ? [["email", v.email] as const] : []),
    ]
  ) {
    const { code, pending } = await newCode(`${caseId}:${kind}:${target}`, now);
    checks.push({ kind, target, code: pending });
    codes.push({ kind, target, code });
  }
  const next = await updateCase(ctx.db, {
    caseId,
    actor: ctx.actor,
    action: "contacts.code_sent",
    rev,
    entry,
    allowedSteps: CONFIRM_STEPS,
    auditData: { targets: checks.map((ch) => ch.kind) },
    apply: async (next, op) => {
      // Charged in this atomic, after the repeat and step checks: a repeated or refused form
      // sends nothing and so costs nothing.
      await chargeContactCodes(ctx.db, op, caseId, checks);
      const pending: PendingContacts = { ...v, checks };
      next.pendingContacts = await sealJson(ctx.db.crypto.aes, pending, `case:${caseId}:contacts`);
      for (const c of codes) {
        await stageTemplate(ctx.db, op, {
          caseId,
          channel: c.kind === "email" ? "email" : "whatsapp",
          template: "contact_code",
          to: c.target,
          vars: { codigo: c.code },
        });
      }
    },
  });
  return { case: next, changed: true };
}

/** Checks the codes; when all match, saves the new contacts and confirms the data step. */
export async function verifyContactCodes(
  ctx: CustomerCtx,
  caseId: string,
  codes: Record<string, string>,
  rev?: number,
) {
  const entry = await getCaseEntry(ctx.db, caseId); // read once, written against this version
  const c = entry.value;
  const pending = await pendingContactsOf(ctx.db, c);
  if (!pending) {
    throw new ValidationError({ code: "Não há código pendente. Confirme seus dados de novo." });
  }
  // Wrong guesses are counted per case, so a resent code does not buy new ones; reserved
  // before any comparison, so a parallel burst cannot compare past the limit.
  const exhausted = await reserveGuess(ctx.db, caseId, "contact");
  if (exhausted) {
    throw new ValidationError(
      Object.fromEntries(pending.checks.map((_, i) => [`code_${i}`, exhausted])),
      "Código de confirmação incorreto.",
    );
  }
  const now = ctx.db.now().getTime();
  const errors: Record<string, string> = {};
  const checks: PendingContacts["checks"] = [];
  let wrong = false;
  for (const [i, ch] of pending.checks.entries()) {
    const result = await checkCode(
      ch.code,
      (codes[`code_${i}`] ?? "").trim(),
      `${caseId}:${ch.kind}:${ch.target}`,
      now,
    );
    checks.push({
      ...ch,
      code: { ...ch.code, attempts: ch.code.attempts + (result === "ok" ? 0 : 1) },
    });
    if (result === "wrong") {
      errors[`code_${i}`] = "Código incorreto. Confira a mensagem e tente de novo.";
      wrong = true;
    }
    if (result === "expired") {
      errors[`code_${i}`] = "Este código expirou. Corrija os dados de novo para receber outro.";
    }
    if (result === "locked") {
      errors[`code_${i}`] =
        "Tentativas esgotadas. Corrija os dados de novo para receber outro código.";
    }
  }
  // Only a wrong code is a guess: an expired or locked one was never compared.
  if (!wrong) await releaseGuess(ctx.db, caseId, "contact");
  if (Object.keys(errors).length) {
    await updateCase(ctx.db, {
      caseId,
      actor: ctx.actor,
      action: "contacts.code_refused",
      entry,
      allowedSteps: CONFIRM_STEPS,
      answersSubmission: false,
      apply: async (next) => {
        next.pendingContacts = await sealJson(
          ctx.db.crypto.aes,
          { ...pending, checks },
          `case:${caseId}:contacts`,
        );
      },
    });
    throw new ValidationError(errors, "Código de confirmação incorreto.");
  }
  const customer = await getCustomer(ctx.db, c.customerId);
  return await transition(ctx.db, {
    caseId,
    action: "confirm_data",
    actor: ctx.actor,
    rev,
    entry,
    payload: codes,
    auditData: { changed: true },
    apply: async (next, op) => {
      await updateCustomerContacts(
        ctx.db,
        customer!.id,
        // No e-mail asked for, but staff added one meanwhile: keep theirs.
        { phones: pending.phones, email: pending.email || customer!.email },
        ctx.actor,
        op,
      );
      next.pendingContacts = undefined;
      next.contactsConfirmedAt = ctx.db.now().toISOString();
    },
  });
}
