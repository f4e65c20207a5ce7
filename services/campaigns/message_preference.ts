// The customer's choice about campaign messages (reminders, new waves), from their own link:
// stop them, or have them again after a SAIR. The same records as the WhatsApp words
// (replies.ts), so the planner and the reminders read one answer. Messages the renewal itself
// needs (codes, the contract, the protocol) are not campaign messages and still go.
import type { Db } from "../db.ts";
import { getCase } from "../renewals/cases.ts";
import { NotFoundError, ValidationError } from "../errors.ts";
import { getOptOut, recordOptIn, recordOptOut } from "../messaging/mod.ts";

export interface MessagePreference {
  receives: boolean;
  /** When the customer asked to stop (ISO), if they did. */
  stoppedAt?: string;
}

async function customerOf(db: Db, caseId: string): Promise<string> {
  const c = await getCase(db, caseId);
  if (!c) throw new NotFoundError("Renovação não encontrada.");
  return c.customerId;
}

export async function messagePreference(db: Db, caseId: string): Promise<MessagePreference> {
  const o = await getOptOut(db, await customerOf(db, caseId));
  return o ? { receives: false, stoppedAt: o.at } : { receives: true };
}

/** "on": campaign messages again (audited opt-in); "off": stop them (audited opt-out). */
export async function setMessagePreference(
  db: Db,
  caseId: string,
  want: string,
): Promise<MessagePreference> {
  if (want !== "on" && want !== "off") {
    throw new ValidationError({ want: "Escolha se quer ou não receber os lembretes." });
  }
  const customerId = await customerOf(db, caseId);
  // Both writes are idempotent: a second click (or a reply meanwhile) changes nothing.
  if (want === "on") await recordOptIn(db, customerId, "link");
  else {await recordOptOut(db, customerId, {
      at: db.now().toISOString(),
      word: "link",
      via: "link",
    });}
  return await messagePreference(db, caseId);
}
