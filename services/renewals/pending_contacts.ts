// Contacts waiting for their codes, read side: sealed on the case (contact_confirmation.ts
// writes them), opened here for the pages.
import type { Db } from "../db.ts";
import { openJson } from "../crypto.ts";
import type { PendingCode } from "../codes.ts";
import type { RenewalCase } from "./cases.ts";

export interface PendingContacts {
  phones: string[];
  email: string;
  /** One code per changed contact, sent to that new phone or e-mail. */
  checks: { kind: "phone" | "email"; target: string; code: PendingCode }[];
}

export async function pendingContactsOf(db: Db, c: RenewalCase) {
  if (!c.pendingContacts) return null;
  return await openJson<PendingContacts>(db.crypto.aes, c.pendingContacts, `case:${c.id}:contacts`);
}
