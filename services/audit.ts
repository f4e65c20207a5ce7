// Audit trail: who did what, when, from where. Events are appended inside the same atomic as
// the change they describe, so there is never a change without its event.
import type { Db } from "./db.ts";
import { keys } from "./keys.ts";
import { ulid } from "./ulid.ts";
import { openJson, sealJson } from "./crypto.ts";
import type { Action } from "../domain/steps.ts";

import { type Actor, type AuditedActor, auditedActor } from "../domain/actor.ts";

type Empty = Record<string, never>;

/** What transition() records for every step move; the verb adds its own fields. */
export interface StepMove {
  from: string;
  to: string;
}

/** Each step verb's own fields (transition()'s `auditData`). */
export interface StepAuditData {
  contact_answered: { channel: string; outcome: string };
  contact_failed: { channel: string; outcome: string };
  choose_plan: { plan: string; offerCode: string; consent?: boolean };
  /** By the customer (reason) or recorded by staff as a contact outcome. */
  decline: { reason: string } | { channel: string; outcome: string };
  upload_photo: { size: number; type: string; sha256: string };
  approve_photo: Empty;
  reject_photo: { reason: string };
  confirm_data: { changed: boolean };
  change_plan: { fromPlanId: string; toPlanId: string };
  send_signature: { documentSha256: string; templateVersion: string };
  sign: { documentSha256: string; finalSha256: string; ip?: string; userAgent?: string };
  register: { protocol: string; loyaltyEnd: string };
  notify: Empty;
  close: Empty;
  expire: { linkExpiredAt: string; days: number };
  cancel: { reason: string };
}

/**
 * Every other audit action and its data. The strings are stored (and printed in the signed
 * contract's evidence): never rename one, add a new one.
 */
export interface EventAuditData {
  "case.opened": { origin: string; assignee?: string };
  "case.assigned": { assignee?: string };
  "case.released": { assignee?: string };
  /** Reads of personal data (services/renewals/read_access.ts), under `reads:<subject>`. */
  "case.read": { kind: string; via: string };
  "customer.read": { kind: string; via: string };
  "photo.viewed": Empty;
  // Case changes without a step move (updateCase()).
  "link.sent": { channel: string };
  "contacts.code_sent": { targets: string[] };
  "contacts.code_refused": Empty;
  "customer.replied": { via: string; optOut: boolean };
  "sign.code_sent": { channel: string; to: string };
  "sign.code_refused": { result: string };
  "sign.code_accepted": { channel?: string; at?: string };
  "contract.viewed": { how: "page" | "pdf" };
  /** The customer asked for a new link from an expired link's page (link_requests.ts). */
  "link.requested": { ended: boolean };
  /** The customer opened their personal link for the first time (link_opened.ts). */
  "link.opened": Empty;
  "message.retried": { messageId: string; template: string };
  "inbound.retried": { eventId: string };
  // Records and settings.
  "contract.created": Empty;
  "customer.created": Empty;
  "customer.contacts_updated": Empty;
  "customer.opted_out": { word: string };
  "plan.created": { offerCode: string };
  "plan.offered": Empty;
  "plan.retired": Empty;
  "plan.order_set": { order: string; recommendedPlanId?: string };
  "user.created": { role: string };
  "user.activated": Empty;
  "user.deactivated": Empty;
  "user.password_reset": Empty;
  "message_template.saved": { version: number };
  "contract_template.saved": { version: number; default?: boolean };
  "billing_settings.saved": { bank: string };
  "queue_rules.saved": { cap: number; onShift: number };
  "import.created": { file: string; rows: number };
  "import.batch": { lines: [number, number]; created: number; updated: number };
  "import.simulated": Record<string, number>;
  "import.finished": Record<string, number>;
  "retention.run": Record<string, number>;
  "retention.photo_purged": { photos: number };
  "nas.saved": { name: string; host: string; port: number; vendor: string };
  "nas.deleted": { name: string };
  /** The new speed on the network (services/network/apply_speed.ts), with the notify step. */
  "network.speed_applied": { outcome: string; nas?: string; reason?: string; ms?: number };
  "erp.write_retried": { kind: string; from: string };
  /** A conflict settled in the ERP's favour: Renova's write dropped, the ERP's record kept. */
  "erp.write_kept_erp": { kind: string };
  "erp.pulled": Record<string, number>;
  // Campaign waves (services/campaigns/).
  "campaign.wave_saved": { offsetDays: number; channel: string; dailyCap: number };
  "campaign.wave_status": { from: string; to: string };
  "campaign.planned": { day: string; opened: number; already: number };
  "customer.opted_in": { via: string };
  /** Pix Automático authorization status (services/pix_auto/recurrences.ts). */
  "pix_auto.status": { previous: string; status: string; journey?: number };
  "payment.method_chosen": { method: string };
}

/** Every audit action with the shape of its data: a misspelled action does not compile. */
export type AuditData = EventAuditData & { [A in Action]: StepMove & StepAuditData[A] };
export type AuditAction = keyof AuditData;

/** The case changes updateCase() records (no step move). */
export type CaseUpdateAction =
  | "link.sent"
  | "contacts.code_sent"
  | "contacts.code_refused"
  | "customer.replied"
  | "sign.code_sent"
  | "sign.code_refused"
  | "link.requested";

/** An event as stored; read back loosely (`data`), since stores outlive the shapes above. */
export interface AuditEvent {
  id: string;
  at: string;
  subject: string;
  action: AuditAction;
  actor: AuditedActor;
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
export function addAudit<A extends AuditAction>(
  db: Db,
  op: Deno.AtomicOperation,
  subject: string,
  action: A,
  actor: Actor,
  data?: AuditData[A],
): AuditEvent {
  const event: AuditEvent = {
    id: ulid(),
    at: db.now().toISOString(),
    subject,
    action,
    actor: auditedActor(actor),
    data: data as Record<string, unknown> | undefined,
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
