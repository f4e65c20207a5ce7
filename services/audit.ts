// Audit trail: who did what, when, from where. Events are appended inside the same atomic as
// the change they describe, so there is never a change without its event.
import type { Db } from "./db.ts";
import { keys } from "./keys.ts";
import { ulid } from "./ulid.ts";

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
