// Service tickets (atendimentos) with protocol numbers, as ANATEL's RGC requires for every
// interaction. Protocol format: YYYYMMDD + 6-digit daily sequence (14 digits), e.g.
// 20261128000042 — unique, sortable, and easy to read out on the phone.
import type { Db } from "./db.ts";
import { keys } from "./keys.ts";
import { ulid } from "./ulid.ts";
import { todayInBrazil } from "./dates.ts";

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

/** Reserves the next protocol number of the day (a counter moved with a version check). */
export async function nextProtocol(db: Db): Promise<string> {
  const day = todayInBrazil(db.now()).replaceAll("-", "");
  const key = keys.protocolSeq(day);
  for (let i = 0; i < 50; i++) {
    const cur = await db.kv.get<number>(key);
    const n = (cur.value ?? 0) + 1;
    if (n > 999_999) throw new Error("protocol sequence exhausted for today");
    const res = await db.kv.atomic().check(cur).set(key, n, { expireIn: 3 * 86400_000 }).commit();
    if (res.ok) return `${day}${String(n).padStart(6, "0")}`;
  }
  throw new Error("protocol counter contention");
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
