// Audit trail: who did what, when, from where. Events are appended inside the same atomic as
// the change they describe, so there is never a change without its event.
import type { Db } from "./db.ts";
import { keys } from "./keys.ts";
import { ulid } from "./ulid.ts";
import { openJson, sealJson } from "./crypto.ts";

export interface Actor {
  /** "user:<id>", "customer:<caseId>" or "system". */
  id: string;
  name: string;
  ip?: string;
  userAgent?: string;
  /** The form submission this request carries (services/submissions.ts). */
  submission?: string;
}

export const SYSTEM: Actor = { id: "system", name: "Sistema" };

export interface AuditEvent {
  id: string;
  at: string;
  subject: string;
  action: string;
  actor: Actor;
  data?: Record<string, unknown>;
}

/** Data fields that carry free text people typed (reasons, notes): sealed, never stored clear. */
const FREE_TEXT = ["reason", "note", "text", "typedName", "word"] as const;
type Sealed = { sealed: string };
const auditAad = (subject: string) => `audit:${subject}`;

/**
 * Seals the free-text fields of an event's data (a decline reason may quote a CPF or a phone),
 * bound to the subject; the rest of the trail stays readable. Call before addAudit.
 */
export async function sealAuditText(
  db: Db,
  subject: string,
  data: Record<string, unknown> | undefined,
): Promise<Record<string, unknown> | undefined> {
  if (!data || !FREE_TEXT.some((f) => typeof data[f] === "string")) return data;
  const out = { ...data };
  for (const f of FREE_TEXT) {
    const v = out[f];
    if (typeof v === "string") {
      out[f] = { sealed: await sealJson(db.crypto.aes, v, auditAad(subject)) };
    }
  }
  return out;
}

/** The free text `sealAuditText` sealed (or a plain value from before sealing). */
export async function auditText(
  db: Db,
  ev: AuditEvent,
  field: string,
): Promise<string | undefined> {
  const v = ev.data?.[field];
  if (typeof v === "string") return v;
  const sealed = (v as Sealed | undefined)?.sealed;
  return sealed ? await openJson<string>(db.crypto.aes, sealed, auditAad(ev.subject)) : undefined;
}

/** Adds the event to `op`; the caller commits. */
export function addAudit(
  db: Db,
  op: Deno.AtomicOperation,
  subject: string,
  action: string,
  actor: Actor,
  data?: Record<string, unknown>,
): AuditEvent {
  const event: AuditEvent = {
    id: ulid(),
    at: db.now().toISOString(),
    subject,
    action,
    actor,
    data,
  };
  op.set(keys.audit(event.id), event);
  op.set(keys.auditBySubject(subject, event.id), event.id);
  return event;
}

export async function auditOf(db: Db, subject: string, limit = 200): Promise<AuditEvent[]> {
  const out: AuditEvent[] = [];
  for await (const e of db.kv.list<string>({ prefix: keys.auditOfSubject(subject) }, { limit })) {
    const ev = await db.kv.get<AuditEvent>(keys.audit(e.value));
    if (ev.value) out.push(ev.value);
  }
  return out;
}
