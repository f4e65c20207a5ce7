// What customers tell us over WhatsApp: the last reply on the case (the attendant acts on it
// first) and opt-outs from campaign messages (SAIR / PARAR / STOP).
import { customerActor } from "../../domain/actor.ts";
import type { Db } from "../db.ts";
import { keys } from "../keys.ts";
import type { RenewalCase } from "../renewals/cases.ts";
import { addAudit } from "../audit.ts";

export interface CustomerReply {
  at: string;
  text: string;
}

/** Longest reply text kept on the case; the full text is not needed to act on it. */
export const REPLY_MAX = 1000;

/** The one place that writes the case's reply field. */
export function setCustomerReply(next: RenewalCase, reply: CustomerReply) {
  next.customerReply = { at: reply.at, text: reply.text.slice(0, REPLY_MAX) };
}

export function customerReplyOf(c: RenewalCase): CustomerReply | undefined {
  return c.customerReply;
}

const STOP_WORDS = new Set(["sair", "parar", "stop"]);

/** SAIR, PARAR or STOP alone (any case, surrounding spaces and punctuation ignored). */
export function isOptOut(text: string): boolean {
  if (text.length > 40) return false; // a stop word with some punctuation is short
  // Trailing dots, "!" and blanks cut by hand: `/[.!\s]+$/` retried from every position of a
  // long run of them (quadratic).
  let s = text.trim().toLowerCase();
  let end = s.length;
  while (end > 0 && (s[end - 1] === "." || s[end - 1] === "!" || s[end - 1].trim() === "")) end--;
  s = s.slice(0, end);
  return STOP_WORDS.has(s);
}

export interface OptOut {
  at: string;
  /** The word the customer sent ("link" from the link's message preferences page). */
  word: string;
  via: "whatsapp" | "link";
}

export async function getOptOut(db: Db, customerId: string): Promise<OptOut | null> {
  return (await db.kv.get<OptOut>(keys.messageOptOut(customerId))).value;
}

/** Records the opt-out with its audit event; the first one is kept (its time counts). */
export async function recordOptOut(db: Db, customerId: string, o: OptOut): Promise<boolean> {
  const key = keys.messageOptOut(customerId);
  const op = db.kv.atomic().check({ key, versionstamp: null }).set(key, o);
  const actor = customerActor(
    customerId,
    {},
    o.via === "link" ? "Cliente (link)" : "Cliente (WhatsApp)",
  );
  addAudit(db, op, `customer:${customerId}`, "customer.opted_out", actor, { word: o.word });
  return (await op.commit()).ok;
}

const START_WORDS = new Set(["voltar", "receber"]);

/** VOLTAR or RECEBER alone: the customer wants campaign messages again. */
export function isOptIn(text: string): boolean {
  if (text.length > 40) return false;
  let s = text.trim().toLowerCase();
  let end = s.length;
  while (end > 0 && (s[end - 1] === "." || s[end - 1] === "!" || s[end - 1].trim() === "")) end--;
  s = s.slice(0, end);
  return START_WORDS.has(s);
}

/**
 * Lifts an opt-out (the customer replied VOLTAR, or asked from a link), with its audit event in
 * the same atomic; false when there was none to lift (nothing is written).
 */
export async function recordOptIn(
  db: Db,
  customerId: string,
  via: "whatsapp" | "link",
): Promise<boolean> {
  const key = keys.messageOptOut(customerId);
  const e = await db.kv.get<OptOut>(key);
  if (!e.value) return false;
  const op = db.kv.atomic().check(e).delete(key);
  const name = via === "whatsapp" ? "Cliente (WhatsApp)" : "Cliente (link)";
  addAudit(
    db,
    op,
    `customer:${customerId}`,
    "customer.opted_in",
    customerActor(customerId, {}, name),
    {
      via,
    },
  );
  return (await op.commit()).ok;
}
