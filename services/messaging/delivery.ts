// Delivering one message, idempotently. Whoever calls (a queue job, a redelivered job, the
// periodic scan, two processes at once) goes through the same steps:
//   1. only a queued message (or one whose sender's lease ran out) is considered; a WhatsApp
//      message whose sender's lease ran out becomes "unknown" instead (never resent by itself);
//   2. it is skipped when its case moved on, a newer link replaced its link, the customer
//      replied, or (campaign) the customer opted out;
//   3. campaign messages wait out quiet hours; every channel keeps its send rate;
//   4. it is claimed — queued → sending, versionstamp-checked, with the dedupe key claimed in
//      the same atomic — so only one worker ever sends it and a duplicate is skipped;
//   5. it is sent; a channel error is recorded and rethrown so KV retries with backoff; after
//      the last attempt (or a permanent error) it goes to the dead letters.
import type { Db } from "../db.ts";
import { keys } from "../keys.ts";
import { deliverJob, enqueueDelivery, type Message, openMessage } from "./messages.ts";
import type { MessageStatus } from "./message_types.ts";
import { getCase } from "../renewals/cases.ts";
import { runtimeOf } from "./runtime.ts";
import { nextAllowedTime } from "./quiet_hours.ts";
import { customerReplyOf, getOptOut } from "./replies.ts";
import { ChannelError, type SendResult } from "./channels/types.ts";

/** How long a claimed message belongs to its worker before the scan may take it over. */
export const LEASE_MS = 120_000;
/** A job this much ahead of its message's due time is early (a stale or clamped job). */
const EARLY_MS = 5_000;
/** Wait this long at most for the channel's rate; longer waits are rescheduled. */
const MAX_RATE_WAIT_MS = 1_000;
const DEDUPE_TTL_MS = 180 * 86400_000;

export type Outcome =
  | "sent"
  | "skipped"
  | "deferred"
  | "busy"
  | "early"
  | "noop"
  | "failed"
  | "unknown";

const iso = (ms: number) => new Date(ms).toISOString();
const hasDue = (s: MessageStatus) => s === "queued" || s === "sending";

/** Checks the entry, writes `next` and moves its due-index entry, all in `op`. */
export function stageRewrite(op: Deno.AtomicOperation, e: Deno.KvEntry<Message>, next: Message) {
  const prev = e.value;
  if (!hasDue(next.status)) next = { ...next, nextAttemptAt: undefined };
  const prevDue = hasDue(prev.status) ? prev.nextAttemptAt : undefined;
  const nextDue = hasDue(next.status) ? next.nextAttemptAt : undefined;
  op.check(e).set(keys.message(next.id), next);
  if (prevDue && prevDue !== nextDue) op.delete(keys.messageDue(prevDue, next.id));
  if (nextDue && prevDue !== nextDue) op.set(keys.messageDue(nextDue, next.id), next.id);
  return op;
}

function log(fields: Record<string, unknown>) {
  console.error(JSON.stringify({ t: new Date().toISOString(), job: "messages", ...fields }));
}

/** Why a due message should not go out any more (pt-BR, shown to staff), or null. */
async function skipReason(db: Db, m: Message, now: Date): Promise<string | null> {
  if (!m.step && m.kind !== "campaign" && !m.guard) return null;
  const c = await getCase(db, m.caseId);
  if (!c) return "O caso não existe mais.";
  if (m.step && c.step !== m.step) return "O caso mudou de etapa.";
  if (m.guard?.linkGen !== undefined) {
    if (c.link?.gen !== m.guard.linkGen) return "Um link mais novo foi enviado.";
    if (c.link.expiresAt <= now.toISOString()) return "O link expirou.";
  }
  const reply = customerReplyOf(c);
  if (m.guard?.unlessRepliedAfter && reply && reply.at > m.guard.unlessRepliedAfter) {
    return "O cliente respondeu.";
  }
  if (m.kind === "campaign" && await getOptOut(db, c.customerId)) {
    return "O cliente pediu para não receber lembretes (SAIR).";
  }
  return null;
}

/** Moves the message to `at` (quiet hours, rate) without counting an attempt. */
async function defer(db: Db, e: Deno.KvEntry<Message>, at: Date): Promise<Outcome> {
  const next: Message = { ...e.value, status: "queued", nextAttemptAt: at.toISOString() };
  const op = stageRewrite(db.kv.atomic(), e, next);
  enqueueDelivery(db, op, e.value.id, at.getTime() - db.now().getTime());
  return (await op.commit()).ok ? "deferred" : "busy";
}

export interface DeliverOptions {
  /** The scan picked it by due time: do not treat it as early. */
  viaScan?: boolean;
}

export async function deliverMessage(
  db: Db,
  messageId: string,
  opts: DeliverOptions = {},
): Promise<Outcome> {
  const rt = runtimeOf(db);
  const entry = await db.kv.get<Message>(keys.message(messageId));
  const m = entry.value;
  if (!m) return "noop";
  const e = entry as Deno.KvEntry<Message>;
  const now = db.now();
  const due = m.nextAttemptAt ? Date.parse(m.nextAttemptAt) : 0;
  if (m.status === "sending") {
    if (due > now.getTime()) return "busy"; // another worker holds it
    // The worker died between claim and record: the provider may have taken it. E-mail is
    // safe to send again (Resend's idempotency key is the message id); WhatsApp has no such
    // key, so the message waits for a person instead of going out twice.
    if (m.channel === "whatsapp") return await markUnknown(db, e);
  } else if (m.status !== "queued") return "noop"; // sent, skipped or failed: a redelivery
  else if (!opts.viaScan && due > now.getTime() + EARLY_MS) return "early"; // the scan will come

  const reason = await skipReason(db, m, now);
  if (reason) {
    const skipped: Message = { ...m, status: "skipped", skipReason: reason };
    return (await stageRewrite(db.kv.atomic(), e, skipped).commit()).ok ? "skipped" : "busy";
  }
  if (m.kind === "campaign") {
    const allowed = nextAllowedTime(now, rt.settings.quiet);
    if (allowed > now) return await defer(db, e, allowed);
  }
  const bucket = rt.buckets[m.channel];
  const wait = bucket.reserve(MAX_RATE_WAIT_MS);
  if (wait === null) return await defer(db, e, new Date(now.getTime() + bucket.waitMs()));
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));

  // Claim: one atomic moves it to "sending" and takes the dedupe key; a concurrent worker's
  // claim fails its check and backs off.
  const dedupeKey = keys.messageByDedupe(m.dedupeKey ?? m.id);
  const owner = await db.kv.get<string>(dedupeKey);
  if (owner.value && owner.value !== m.id) {
    const dup: Message = { ...m, status: "skipped", skipReason: "Mensagem repetida." };
    return (await stageRewrite(db.kv.atomic(), e, dup).commit()).ok ? "skipped" : "busy";
  }
  const claimed: Message = {
    ...m,
    status: "sending",
    attempts: (m.attempts ?? 0) + 1,
    nextAttemptAt: iso(db.now().getTime() + LEASE_MS),
  };
  const op = stageRewrite(db.kv.atomic().check(owner), e, claimed);
  if (!owner.value) op.set(dedupeKey, m.id, { expireIn: DEDUPE_TTL_MS });
  const res = await op.commit();
  if (!res.ok) return "busy";
  const held = { ...e, value: claimed, versionstamp: res.versionstamp };

  let result: SendResult;
  try {
    const open = await openMessage(db, m);
    result = await rt.channels[m.channel].send(db, {
      id: m.id,
      channel: m.channel,
      template: m.template,
      subject: m.subject,
      ...open,
    });
  } catch (err) {
    return await recordFailure(db, held, err);
  }
  await recordSent(db, held, result);
  return "sent";
}

/** A WhatsApp message whose send may or may not have happened: to the staff, not resent. */
async function markUnknown(db: Db, e: Deno.KvEntry<Message>): Promise<Outcome> {
  const m = e.value;
  const unknown: Message = {
    ...m,
    status: "unknown",
    failedAt: db.now().toISOString(),
    lastError: "O envio foi interrompido; a mensagem pode ter chegado ao cliente.",
  };
  // The dead-letter entry puts it on the admin page with its one-click resend.
  const op = stageRewrite(db.kv.atomic(), e, unknown).set(keys.deadLetter(m.id), deliverJob(m.id));
  if (!(await op.commit()).ok) return "busy";
  log({ level: "warn", messageId: m.id, note: "send outcome unknown; not resent" });
  return "unknown";
}

async function recordSent(db: Db, held: Deno.KvEntry<Message>, r: SendResult) {
  const at = db.now().toISOString();
  for (let i = 0; i < 3; i++) {
    const done: Message = {
      ...held.value,
      status: r.status,
      provider: r.provider,
      providerId: r.providerId,
      mode: r.mode,
      sentAt: at,
      deliveredAt: r.status === "delivered" ? at : undefined,
      lastError: undefined,
    };
    const op = stageRewrite(db.kv.atomic(), held, done);
    if (r.providerId) op.set(keys.messageByProviderId(r.provider, r.providerId), done.id);
    if ((await op.commit()).ok) return;
    // Only a takeover after the lease could have changed it; keep "sent" true to the facts.
    const again = await db.kv.get<Message>(held.key as Deno.KvKey);
    if (!again.value || again.value.status !== "sending") break;
    held = again as Deno.KvEntry<Message>;
  }
  log({ level: "warn", messageId: held.value.id, note: "sent, but the record changed meanwhile" });
}

/** Providers quote the address they refused; the error is stored and logged without it. */
export function redactAddresses(text: string): string {
  return text.replace(/[^\s@<>"'`,;:()]+@[^\s@<>"'`,;:()]+/g, "[e-mail]")
    .replace(/\+?\d[\d ().-]{6,}\d/g, (m) => m.replace(/\D/g, "").length >= 10 ? "[telefone]" : m);
}

async function recordFailure(db: Db, held: Deno.KvEntry<Message>, err: unknown): Promise<Outcome> {
  const rt = runtimeOf(db);
  const m = held.value;
  const error = redactAddresses(err instanceof Error ? err.message : String(err)).slice(0, 500);
  const attempts = m.attempts ?? 1;
  const permanent = err instanceof ChannelError && err.permanent;
  const nowMs = db.now().getTime();
  if (permanent || attempts >= rt.settings.backoffMs.length + 1) {
    const failed: Message = { ...m, status: "failed", failedAt: iso(nowMs), lastError: error };
    // Written here too (not only by keysIfUndelivered) so the scan path has dead letters.
    const op = stageRewrite(db.kv.atomic(), held, failed)
      .set(keys.deadLetter(m.id), deliverJob(m.id));
    await op.commit();
    log({ level: "error", messageId: m.id, attempts, error, deadLetter: true });
    return "failed";
  }
  const backoff = rt.settings.backoffMs[attempts - 1] ?? 60_000;
  const retry: Message = {
    ...m,
    status: "queued",
    lastError: error,
    nextAttemptAt: iso(nowMs + backoff),
  };
  await stageRewrite(db.kv.atomic(), held, retry).commit();
  log({ level: "warn", messageId: m.id, attempts, error, retryInMs: backoff });
  throw err; // KV retries after its backoff; the scan is the safety net
}

/**
 * The safety net: delivers queued messages whose due time is at or before `now`, and takes
 * over messages whose sender's lease ran out. Where KV queues do not run (KV Connect), this is
 * the delivery path. Errors are recorded on each message; the scan itself does not throw.
 */
export async function scanDueMessages(
  db: Db,
  now: Date = db.now(),
  opts: { limit?: number; concurrency?: number } = {},
) {
  const prefix = keys.messagesDue();
  const ids: string[] = [];
  const iter = db.kv.list<string>(
    { start: prefix, end: [...prefix, iso(now.getTime() + 1)] },
    { limit: opts.limit ?? 500 },
  );
  for await (const e of iter) ids.push(e.value);
  const counts: Record<string, number> = { due: ids.length };
  let next = 0;
  const worker = async () => {
    while (next < ids.length) {
      const id = ids[next++];
      let outcome: string;
      try {
        outcome = await deliverMessage(db, id, { viaScan: true });
      } catch {
        outcome = "retry";
      }
      counts[outcome] = (counts[outcome] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: Math.min(opts.concurrency ?? 8, ids.length) }, worker));
  return counts;
}
