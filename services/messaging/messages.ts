// Messages to customers. A message is written in the same atomic as the change that causes it
// (so it exists exactly when the change does), sealed (bodies carry links and codes), and a
// `deliver_message` job is enqueued in that same atomic. The dispatcher
// (services/messaging/dispatcher.ts) sends it through WhatsApp, e-mail or the local outbox.
// The record also carries what a periodic scan needs where KV queues do not run: its status
// and, in `messages_by_due_at`, when somebody should next look at it.
import type { Db } from "../db.ts";
import { keys } from "../keys.ts";
import { ulid } from "../ulid.ts";
import { ValidationError } from "../errors.ts";
import { blindIndex, openJson, sealJson } from "../crypto.ts";
import { maskEmail, maskPhone } from "../../domain/format.ts";
import { renderMessage, type TemplateName, type TemplateSet } from "./templates.ts";
import { runtimeOf } from "./runtime.ts";
import type { Channel, MessageKind, MessageStatus } from "./message_types.ts";

/** Extra conditions a reminder must still meet when it comes due. */
export interface MessageGuard {
  /** The link generation the message points to: a newer link makes it stale. */
  linkGen?: number;
  /** A customer reply after this instant makes it pointless. */
  unlessRepliedAfter?: string;
}

export interface Message {
  id: string;
  caseId: string;
  channel: Channel;
  template: TemplateName;
  /** Masked address, safe to show to staff. */
  toMasked: string;
  at: string;
  status: MessageStatus;
  subject: string;
  /** Sealed {to, body, vars}: the body may hold the customer's link or a one-time code. */
  sealed: string;
  kind?: MessageKind;
  /** The case step that caused the message: when the case has moved on, it is not sent. */
  step?: string;
  guard?: MessageGuard;
  dedupeKey?: string;
  /** When the message is due (or, while sending, when the worker's lease ends). */
  nextAttemptAt?: string;
  attempts?: number;
  /** Times an admin re-queued it from the dead letters. */
  retries?: number;
  provider?: string;
  providerId?: string;
  /** WhatsApp: "template" or "text". */
  mode?: string;
  sentAt?: string;
  deliveredAt?: string;
  readAt?: string;
  failedAt?: string;
  lastError?: string;
  /** Why it was not sent (pt-BR, shown to staff). */
  skipReason?: string;
  /** Retention erased the sealed body (and address) at this time; `sealed` is then empty. */
  bodyPurgedAt?: string;
}

export interface OutgoingMessage {
  caseId: string;
  channel: Channel;
  template: TemplateName;
  to: string;
  subject: string;
  body: string;
  /** The case step this message belongs to: if the case leaves it, the message is skipped. */
  step?: string;
  /** Campaign messages respect opt-outs and quiet hours; transactional ones always go. */
  kind?: MessageKind;
  /** Default: case + step + template + channel + a keyed digest of address and text. */
  dedupeKey?: string;
  /** Send no earlier than this many ms from now (reminders). */
  delayMs?: number;
  /** Template parameters (WhatsApp template messages); sealed with the body. */
  vars?: Record<string, string>;
}

/** The job a message's delivery travels as; versioned so old jobs stay readable. */
export interface DeliverJob {
  type: "deliver_message";
  v: 1;
  messageId: string;
}

/** KV queues accept delays of up to 30 days; later messages wait for the scan. */
export const MAX_QUEUE_DELAY_MS = 30 * 86400_000;
/** Keeps the record well under KV's 64 KiB value limit once sealed and base64-encoded. */
const MAX_SEALED_BYTES = 40_000;

export function deliverJob(messageId: string): DeliverJob {
  return { type: "deliver_message", v: 1, messageId };
}

/** Enqueues a message's job with its retry schedule and its dead-letter key. */
export function enqueueDelivery(db: Db, op: Deno.AtomicOperation, id: string, delayMs: number) {
  const rt = runtimeOf(db);
  if (!rt.settings.queue) return;
  op.enqueue(deliverJob(id), {
    delay: Math.min(Math.max(0, Math.round(delayMs)), MAX_QUEUE_DELAY_MS),
    keysIfUndelivered: [keys.deadLetter(id)],
    backoffSchedule: rt.settings.backoffMs,
  });
}

async function defaultDedupeKey(db: Db, m: OutgoingMessage) {
  // The digest tells a true duplicate (same text to the same address) from a legitimate new
  // message of the same kind (a fresh code, a new link), which must go out.
  const digest = await blindIndex(db.crypto.hmac, "message", `${m.to}\n${m.body}`);
  return `${m.caseId}:${m.step ?? "-"}:${m.template}:${m.channel}:${digest.slice(0, 16)}`;
}

/** Adds the message and its delivery job to `op`; the caller commits them with its change. */
export async function stageMessage(
  db: Db,
  op: Deno.AtomicOperation,
  m: OutgoingMessage,
  guard?: MessageGuard,
): Promise<Message> {
  // Imported customers may have no e-mail: refuse clearly instead of queueing a dead letter.
  if (!m.to?.trim()) {
    throw new ValidationError({
      channel: m.channel === "email"
        ? "Este cliente não tem e-mail cadastrado. Envie pelo WhatsApp ou cadastre um e-mail."
        : "Este cliente não tem telefone cadastrado. Cadastre um celular.",
    });
  }
  const id = ulid();
  const now = db.now();
  const delay = Math.max(0, Math.round(m.delayMs ?? 0));
  const due = new Date(now.getTime() + delay).toISOString();
  const sealed = await sealJson(
    db.crypto.aes,
    { to: m.to, body: m.body, vars: m.vars },
    `message:${id}`,
  );
  if (sealed.length > MAX_SEALED_BYTES) throw new Error(`message ${m.template} is too long`);
  const msg: Message = {
    id,
    caseId: m.caseId,
    channel: m.channel,
    template: m.template,
    toMasked: m.channel === "email" ? maskEmail(m.to) : maskPhone(m.to),
    at: now.toISOString(),
    status: "queued",
    subject: m.subject,
    sealed,
    kind: m.kind ?? "transactional",
    step: m.step,
    guard,
    dedupeKey: m.dedupeKey ?? await defaultDedupeKey(db, m),
    nextAttemptAt: due,
    attempts: 0,
  };
  // No checks added: the ULID is fresh, and the caller's atomic keeps its check budget.
  op.set(keys.message(id), msg)
    .set(keys.messagesByCase(m.caseId, id), id)
    .set(keys.messageDue(due, id), id);
  enqueueDelivery(db, op, id, delay);
  return msg;
}

/** A message built from a template: what stageTemplate takes instead of subject and body. */
export interface TemplateMessage extends Omit<OutgoingMessage, "subject" | "body" | "vars"> {
  /** The template's placeholder values. */
  vars: Record<string, string>;
  /** Also seal `vars` with the body, as the WhatsApp template parameters (else they are
   * read back from the text when needed). */
  sealVars?: boolean;
  /** Templates the caller's run read once (loadTemplates); else the current one is read. */
  templates?: TemplateSet;
}

/**
 * Renders `m.template` with the current text and stages it in `op` (see stageMessage): the one
 * way the renewal verbs and the reminders send a templated message.
 */
export async function stageTemplate(
  db: Db,
  op: Deno.AtomicOperation,
  m: TemplateMessage,
  guard?: MessageGuard,
): Promise<Message> {
  const { vars, sealVars, templates, ...rest } = m;
  const text = await renderMessage(db, m.template, vars, templates);
  return await stageMessage(db, op, { ...rest, ...text, ...(sealVars ? { vars } : {}) }, guard);
}

export async function getMessage(db: Db, id: string): Promise<Message | null> {
  return (await db.kv.get<Message>(keys.message(id))).value;
}

/** The address, body and template parameters of a message, in clear. */
export async function openMessage(db: Db, m: Message) {
  if (!m.sealed) return { to: "", body: "", vars: undefined }; // erased by retention
  return await openJson<{ to: string; body: string; vars?: Record<string, string> }>(
    db.crypto.aes,
    m.sealed,
    `message:${m.id}`,
  );
}

export async function messagesOfCase(db: Db, caseId: string): Promise<Message[]> {
  const out: Message[] = [];
  for await (const e of db.kv.list<string>({ prefix: keys.messagesOfCase(caseId) })) {
    const m = (await db.kv.get<Message>(keys.message(e.value))).value;
    if (m) out.push(m);
  }
  return out;
}

/**
 * The demo outbox: full bodies, newest first. Messages scheduled for later (reminders) are
 * left out until they are due: they have not "gone out" yet. Admins only.
 */
export async function readOutbox(db: Db, limit = 50) {
  const out: (Message & { to: string; body: string })[] = [];
  const now = db.now().toISOString();
  for await (
    const e of db.kv.list<Message>({ prefix: keys.messages() }, { reverse: true, limit: limit * 4 })
  ) {
    const m = e.value;
    if (m.status === "queued" && m.nextAttemptAt && m.nextAttemptAt > now) continue;
    if (m.status === "skipped" || !m.sealed) continue;
    const { to, body } = await openMessage(db, m);
    out.push({ ...m, to, body });
    if (out.length >= limit) break;
  }
  return out;
}
