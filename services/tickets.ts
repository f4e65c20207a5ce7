// Service tickets (atendimentos) with protocol numbers, as ANATEL's RGC requires for every
// interaction. Protocol format: YYYYMMDD + 6-digit daily sequence (14 digits), e.g.
// 20261128000042 — unique, sortable, and easy to read out on the phone. Numbers are taken in
// the atomic that opens the ticket (services/numbers.ts), so none is lost.
import type { Db } from "./db.ts";
import { keys } from "./keys.ts";
import { ulid } from "./ulid.ts";

export interface Ticket {
  id: string;
  protocol: string;
  customerId: string;
  caseId: string;
  subject: string;
  status: "open" | "closed";
  openedAt: string;
  closedAt?: string;
  /** The renewal date this ticket registers, and the next renewal it implies. */
  renewalDate?: string;
  nextRenewalDue?: string;
  /** The signed contract attached to the ticket (encrypted blob) and its SHA-256. */
  documentBlobId?: string;
  documentSha256?: string;
}

/** Adds a new open ticket to `op` (the caller commits, with the change it belongs to). */
export function stageTicket(
  db: Db,
  op: Deno.AtomicOperation,
  t: Omit<Ticket, "id" | "status" | "openedAt">,
): Ticket {
  const ticket: Ticket = { ...t, id: ulid(), status: "open", openedAt: db.now().toISOString() };
  op.check({ key: keys.ticketByProtocol(ticket.protocol), versionstamp: null })
    .set(keys.ticket(ticket.id), ticket)
    .set(keys.ticketByProtocol(ticket.protocol), ticket.id);
  return ticket;
}

export async function getTicket(db: Db, id: string): Promise<Deno.KvEntryMaybe<Ticket>> {
  return await db.kv.get<Ticket>(keys.ticket(id));
}

/** Closes the ticket inside `op`, checking it was not changed meanwhile. */
export function stageCloseTicket(db: Db, op: Deno.AtomicOperation, entry: Deno.KvEntry<Ticket>) {
  op.check(entry).set(keys.ticket(entry.value.id), {
    ...entry.value,
    status: "closed",
    closedAt: db.now().toISOString(),
  });
}
