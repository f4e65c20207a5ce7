// Reaching the customer: record the attendant's contacts (call or message, outcome, callback;
// read back in contact_log.ts) and send the personal link.
import { keys } from "../keys.ts";
import { ulid } from "../ulid.ts";
import { ValidationError } from "../errors.ts";
import { getCaseEntry, type RenewalCase, transition, updateCase } from "./cases.ts";
import { stageNewLink } from "./links.ts";
import { stageReminders, stageTemplate } from "../messaging/mod.ts";
import { canSendLink } from "../../domain/policy.ts";
import { CONTACT_CHANNELS, CONTACT_OUTCOMES } from "../../domain/contact.ts";
import { customerOf, firstName, type StaffCtx } from "./env.ts";
import type { ContactEntry } from "./contact_log.ts";

export interface ContactInput {
  channel: string;
  outcome: string;
  note?: string;
  callbackAt?: string;
}

export function validateContact(input: ContactInput, now: Date) {
  const f: Record<string, string> = {};
  if (!(input.channel in CONTACT_CHANNELS)) f.channel = "Escolha o canal do contato.";
  if (!(input.outcome in CONTACT_OUTCOMES)) f.outcome = "Escolha o resultado do contato.";
  const note = (input.note ?? "").trim();
  if (note.length > 1000) f.note = "A anotação pode ter até 1000 caracteres.";
  let callbackAt: string | undefined;
  if (input.outcome === "callback") {
    const t = Date.parse(input.callbackAt ?? "");
    if (isNaN(t)) f.callbackAt = "Informe quando ligar de volta.";
    else if (t < now.getTime() - 60_000) f.callbackAt = "O retorno precisa ser no futuro.";
    else callbackAt = new Date(t).toISOString();
  }
  if (input.outcome === "declined" && note.length < 3) f.note = "Anote o motivo da recusa.";
  if (Object.keys(f).length) throw new ValidationError(f);
  return { channel: input.channel, outcome: input.outcome, note, callbackAt } as Omit<
    ContactEntry,
    "id" | "at" | "by"
  >;
}

export async function recordContact(
  ctx: StaffCtx,
  caseId: string,
  input: ContactInput,
  rev?: number,
) {
  const v = validateContact(input, ctx.db.now());
  const entry: ContactEntry = {
    ...v,
    id: ulid(),
    at: ctx.db.now().toISOString(),
    by: ctx.actor.name,
  };
  const apply = (next: RenewalCase, op: Deno.AtomicOperation) => {
    next.lastContactAt = entry.at;
    next.callbackAt = v.callbackAt;
    if (v.outcome === "declined") {
      next.declined = { reason: v.note, at: entry.at, by: ctx.actor.name };
    }
    op.set(keys.caseContact(caseId, entry.id), entry);
  };
  const action = v.outcome === "answered"
    ? "contact_answered"
    : v.outcome === "declined"
    ? "decline"
    : "contact_failed";
  return await transition(ctx.db, {
    caseId,
    action,
    actor: ctx.actor,
    rev,
    payload: v,
    countsAsFailure: v.outcome !== "callback",
    auditData: { channel: v.channel, outcome: v.outcome },
    apply,
  });
}

/** Sends (or re-sends) the personal link. A new token each time; the old one stops working. */
export async function sendLink(
  ctx: StaffCtx,
  caseId: string,
  channel: "whatsapp" | "email",
  rev?: number,
) {
  const entry = await getCaseEntry(ctx.db, caseId); // read once, written against this version
  const customer = await customerOf(ctx.db, entry.value);
  return await updateCase(ctx.db, {
    caseId,
    actor: ctx.actor,
    action: "link.sent",
    rev,
    entry,
    auditData: { channel },
    apply: async (next, op) => {
      if (!canSendLink(next.step)) {
        throw new ValidationError({ step: "Este caso não aceita novo link." });
      }
      const token = await stageNewLink(ctx.db, op, next, ctx.linkTtlDays);
      const vars = {
        nome: firstName(customer.name),
        operadora: ctx.providerName,
        link: `${ctx.baseUrl}/r/${token}`,
      };
      await stageTemplate(ctx.db, op, {
        caseId,
        channel,
        template: "first_contact",
        to: channel === "email" ? customer.email : customer.phones[0],
        vars,
        sealVars: true,
      });
      // Reminders (24 h, 72 h, before expiry) that do nothing once the case moves on.
      await stageReminders(ctx.db, op, next, { token });
    },
  });
}
