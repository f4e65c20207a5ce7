// The contact log, read side: what the attendants recorded on a case, oldest first.
import type { Db } from "../db.ts";
import { keys } from "../keys.ts";
import { CONTACT_CHANNELS, CONTACT_OUTCOMES } from "../../domain/contact.ts";

export interface ContactEntry {
  id: string;
  at: string;
  by: string;
  channel: keyof typeof CONTACT_CHANNELS;
  outcome: keyof typeof CONTACT_OUTCOMES;
  note: string;
  callbackAt?: string;
}

export async function contactLog(db: Db, caseId: string): Promise<ContactEntry[]> {
  const out: ContactEntry[] = [];
  for await (const e of db.kv.list<ContactEntry>({ prefix: keys.caseContacts(caseId) })) {
    out.push(e.value);
  }
  return out;
}
