// Over 400 lines on purpose: the webhook's acceptance (signature, replay window, markers) and the processing share the event shapes and must change together.
// Inbound WhatsApp: the webhook's signature check, storing events (sealed: phones and texts are
// personal data) with an `inbound_whatsapp` job so the webhook answers at once, and processing:
// a customer's message is recorded on their open case (the attendant's page updates live) and
// opens the 24-hour window; SAIR/PARAR/STOP opts them out of campaigns; delivery and read
// statuses update our message records.
import { customerActor } from "../../domain/actor.ts";
import type { Db } from "../db.ts";
import { keys } from "../keys.ts";
import { ulid } from "../ulid.ts";
import { openJson, safeEqual, sealJson, toHex } from "../crypto.ts";
import { ConflictError, ValidationError } from "../errors.ts";
import { customerIdsByPhone } from "../customers.ts";
import { contractsOfCustomer } from "../contracts.ts";
import { openCaseOfContract, StepError, updateCase } from "../renewals/cases.ts";
import type { Message } from "./messages.ts";
import { maskPhone } from "../../domain/format.ts";
import { runtimeOf } from "./runtime.ts";
import { recordInboundAt } from "./window.ts";
import {
  customerReplyOf,
  isOptIn,
  isOptOut,
  recordOptIn,
  recordOptOut,
  REPLY_MAX,
  setCustomerReply,
} from "./replies.ts";

export interface InboundJob {
  type: "inbound_whatsapp";
  v: 1;
  eventId: string;
}

export type InboundEvent =
  | { kind: "message"; id: string; from: string; at: string; text: string }
  | { kind: "status"; id: string; status: string; at: string; error?: string };

interface InboundRecord {
  id: string;
  at: string;
  status: "queued" | "done" | "failed";
  /** Sealed InboundEvent[]; emptied once processed. */
  sealed: string;
  count: number;
  attempts: number;
  nextAttemptAt?: string;
  lastError?: string;
}

const enc = new TextEncoder();
const SEEN_TTL_MS = 30 * 86400_000;
/** Events per stored record stay well inside KV's 64 KiB value limit once sealed. */
const CHUNK_CHARS = 30_000;

/** X-Hub-Signature-256 = "sha256=" + hex HMAC-SHA256 of the raw body; constant-time compare. */
export async function verifyWhatsappSignature(
  appSecret: string,
  raw: Uint8Array,
  header: string | undefined | null,
): Promise<boolean> {
  if (!appSecret || !header || !header.startsWith("sha256=")) return false;
  const key = await crypto.subtle.importKey(
    "raw",
    enc.encode(appSecret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const mac = toHex(new Uint8Array(await crypto.subtle.sign("HMAC", key, raw as BufferSource)));
  return safeEqual(header.slice(7).toLowerCase(), mac);
}

/** Meta's `timestamp` (Unix seconds, a string) as ISO; null when absent or malformed. */
const iso = (unixSeconds: unknown): string | null => {
  const n = Number(unixSeconds);
  return typeof unixSeconds === "string" && unixSeconds !== "" && Number.isFinite(n) && n > 0 &&
      n < 1e11
    ? new Date(n * 1000).toISOString()
    : null;
};

/** The text of a customer message of any type (buttons and media get a short label). */
// deno-lint-ignore no-explicit-any
function textOf(m: Record<string, any>): string {
  const t = m.text?.body ?? m.button?.text ?? m.interactive?.button_reply?.title ??
    m.interactive?.list_reply?.title;
  if (typeof t === "string") return t.slice(0, REPLY_MAX);
  const labels: Record<string, string> = {
    image: "[imagem]",
    audio: "[áudio]",
    video: "[vídeo]",
    document: "[documento]",
    sticker: "[figurinha]",
    location: "[localização]",
  };
  return labels[m.type] ?? `[${String(m.type ?? "mensagem")}]`;
}

/**
 * Customer messages and statuses from a Cloud API webhook body; everything else is ignored, and
 * so is an event without a timestamp (its age, hence a replay, could not be told).
 */
export function parseWhatsappPayload(body: unknown): InboundEvent[] {
  const out: InboundEvent[] = [];
  // deno-lint-ignore no-explicit-any
  const entries = (body as any)?.entry;
  if (!Array.isArray(entries)) return out;
  for (const entry of entries) {
    for (const change of Array.isArray(entry?.changes) ? entry.changes : []) {
      const v = change?.value ?? {};
      for (const m of Array.isArray(v.messages) ? v.messages : []) {
        const at = iso(m?.timestamp);
        if (typeof m?.id !== "string" || typeof m?.from !== "string" || !at) continue;
        out.push({ kind: "message", id: m.id, from: m.from, at, text: textOf(m) });
      }
      for (const s of Array.isArray(v.statuses) ? v.statuses : []) {
        const at = iso(s?.timestamp);
        if (typeof s?.id !== "string" || typeof s?.status !== "string" || !at) continue;
        const error = s.errors?.[0]
          ? `${s.errors[0].code ?? ""} ${s.errors[0].title ?? ""}`
          : undefined;
        out.push({ kind: "status", id: s.id, status: s.status, at, error });
      }
    }
  }
  return out;
}

/** Enqueues an inbound record's job (its dead letter under the same id). */
function enqueueInbound(db: Db, op: Deno.AtomicOperation, id: string) {
  const rt = runtimeOf(db);
  if (!rt.settings.queue) return;
  const job: InboundJob = { type: "inbound_whatsapp", v: 1, eventId: id };
  op.enqueue(job, {
    keysIfUndelivered: [keys.deadLetter(id)],
    backoffSchedule: rt.settings.backoffMs,
  });
}

/** Default of WHATSAPP_WEBHOOK_MAX_AGE_MINUTES: older events are ignored. */
export const DEFAULT_WEBHOOK_MAX_AGE_MS = 15 * 60_000;
/** Our clock may lag Meta's: events this far "in the future" are still taken. */
const FUTURE_SKEW_MS = 5 * 60_000;
/** Record check + one check per event's marker stays within KV's 10 checks per atomic. */
const EVENTS_PER_RECORD = 9;

/** One key per event: a message by its wamid, a status by wamid + status (sent ≠ read). */
const eventKey = (ev: InboundEvent) =>
  ev.kind === "message" ? `m:${ev.id}` : `s:${ev.id}:${ev.status}`;

export interface AcceptResult {
  /** Events stored for processing. */
  accepted: number;
  /** Older than the window (or too far ahead): a replayed capture, or a retry after an outage. */
  stale: number;
  /** Accepted before (Meta's redelivery, or a replay inside the window). */
  duplicate: number;
}

/**
 * Stores a verified webhook body's new events and enqueues them. Replays change nothing: an
 * event older than `maxAgeMs` is ignored, and every accepted event leaves a marker, checked in
 * the same atomic as the stored record, that outlives the window, so the same event inside the
 * window is dropped too (a status by id + status: a replayed "failed" cannot re-fail a retried
 * message). The caller still answers 200 so Meta does not retry what we chose to ignore.
 */
export async function acceptWhatsappWebhook(
  db: Db,
  raw: Uint8Array,
  opts: { maxAgeMs?: number } = {},
): Promise<AcceptResult> {
  let body: unknown;
  try {
    body = JSON.parse(new TextDecoder().decode(raw));
  } catch {
    throw new ValidationError({ body: "Corpo do webhook inválido." });
  }
  const maxAgeMs = opts.maxAgeMs ?? DEFAULT_WEBHOOK_MAX_AGE_MS;
  const nowMs = db.now().getTime();
  const parsed = parseWhatsappPayload(body);
  const unique = new Map<string, InboundEvent>();
  let stale = 0;
  for (const ev of parsed) {
    const t = Date.parse(ev.at);
    if (t < nowMs - maxAgeMs || t > nowMs + FUTURE_SKEW_MS) stale++;
    else unique.set(eventKey(ev), ev);
  }
  const events = [...unique.values()];
  const chunks: InboundEvent[][] = [];
  let size = Infinity;
  for (const ev of events) {
    const n = JSON.stringify(ev).length;
    if (size + n > CHUNK_CHARS || chunks[chunks.length - 1].length >= EVENTS_PER_RECORD) {
      chunks.push([]);
      size = 0;
    }
    chunks[chunks.length - 1].push(ev);
    size += n;
  }
  // A marker must last while its event is still inside the window.
  const markerTtl = maxAgeMs + 2 * FUTURE_SKEW_MS;
  let accepted = 0;
  for (const chunk of chunks) {
    accepted += await storeChunk(db, chunk, markerTtl);
  }
  if (stale) {
    console.error(JSON.stringify({ webhook: "whatsapp", note: "stale events ignored", stale }));
  }
  return { accepted, stale, duplicate: parsed.length - stale - accepted };
}

/** One record for the chunk's events not accepted before; retried when a concurrent copy won. */
async function storeChunk(db: Db, chunk: InboundEvent[], markerTtl: number): Promise<number> {
  const markers = chunk.map((ev) => keys.inboundAccepted(eventKey(ev)));
  for (let attempt = 0; attempt < 3; attempt++) {
    const seen = await db.kv.getMany(markers);
    const todo = chunk.filter((_, i) => seen[i].versionstamp === null);
    if (!todo.length) return 0;
    const id = ulid();
    const at = db.now().toISOString();
    const rec: InboundRecord = {
      id,
      at,
      status: "queued",
      sealed: await sealJson(db.crypto.aes, todo, `inbound:${id}`),
      count: todo.length,
      attempts: 0,
      nextAttemptAt: at,
    };
    const op = db.kv.atomic()
      .check({ key: keys.inboundEvent(id), versionstamp: null })
      .set(keys.inboundEvent(id), rec)
      .set(keys.inboundDue(at, id), id);
    for (const ev of todo) {
      const key = keys.inboundAccepted(eventKey(ev));
      op.check({ key, versionstamp: null }).set(key, { at, record: id }, { expireIn: markerTtl });
    }
    enqueueInbound(db, op, id);
    if ((await op.commit()).ok) return todo.length;
  }
  throw new ConflictError();
}

/** WhatsApp ids of Brazilian mobiles registered before the 9th digit may lack it. */
export function phoneCandidates(waId: string): string[] {
  const d = waId.replace(/\D/g, "");
  const out = [d];
  if (/^55\d{2}[6-9]\d{7}$/.test(d)) out.push(d.slice(0, 4) + "9" + d.slice(4));
  return out;
}

async function openCasesOfCustomer(db: Db, customerId: string): Promise<string[]> {
  const ids: string[] = [];
  for (const contract of await contractsOfCustomer(db, customerId)) {
    const id = await openCaseOfContract(db, contract.id);
    if (id) ids.push(id);
  }
  return ids;
}

/** Records the reply on the case through updateCase: version bump, audit, live update. */
async function recordReplyOnCase(db: Db, caseId: string, ev: InboundEvent & { kind: "message" }) {
  for (let i = 0; i < 3; i++) {
    try {
      await updateCase(db, {
        caseId,
        actor: customerActor(caseId, {}, "Cliente (WhatsApp)"),
        action: "customer.replied",
        auditData: { via: "whatsapp", optOut: isOptOut(ev.text) },
        apply: (next) => {
          const cur = customerReplyOf(next);
          // A late redelivery of an older message never hides a newer reply.
          if (!cur || cur.at <= ev.at) setCustomerReply(next, { at: ev.at, text: ev.text });
        },
      });
      return;
    } catch (e) {
      if (e instanceof StepError) return; // closed meanwhile: nothing to act on
      if (!(e instanceof ConflictError) || i === 2) throw e;
    }
  }
}

async function handleReply(db: Db, ev: InboundEvent & { kind: "message" }) {
  const seen = keys.inboundSeen(ev.id);
  if ((await db.kv.get(seen)).value) return;
  const phones = phoneCandidates(ev.from);
  for (const p of phones) await recordInboundAt(db, p, ev.at);
  const customerIds = [
    ...new Set((await Promise.all(phones.map((p) => customerIdsByPhone(db, p))))
      .flat()),
  ];
  if (!customerIds.length) {
    console.error(
      JSON.stringify({ job: "inbound", note: "unknown sender", from: maskPhone(ev.from) }),
    );
  }
  for (const customerId of customerIds) {
    if (isOptOut(ev.text)) {
      await recordOptOut(db, customerId, {
        at: ev.at,
        word: ev.text.trim().toUpperCase(),
        via: "whatsapp",
      });
    } else if (isOptIn(ev.text)) {
      await recordOptIn(db, customerId, "whatsapp"); // campaign messages again (audited)
    }
    for (const caseId of await openCasesOfCustomer(db, customerId)) {
      await recordReplyOnCase(db, caseId, ev);
    }
  }
  await db.kv.set(seen, 1, { expireIn: SEEN_TTL_MS });
}

const RANK: Record<string, number> = { sent: 1, delivered: 2, read: 3 };

async function handleStatus(db: Db, ev: InboundEvent & { kind: "status" }) {
  const idx = await db.kv.get<string>(keys.messageByProviderId("whatsapp", ev.id));
  if (!idx.value) return; // not ours (or not recorded yet): statuses are informational
  for (let i = 0; i < 5; i++) {
    const e = await db.kv.get<Message>(keys.message(idx.value));
    const m = e.value;
    if (!m) return;
    let next: Message | null = null;
    if (
      ev.status in RANK && (RANK[ev.status] ?? 0) > (RANK[m.status] ?? 0) && m.status !== "failed"
    ) {
      next = {
        ...m,
        status: ev.status as Message["status"],
        deliveredAt: m.deliveredAt ?? (ev.status !== "sent" ? ev.at : undefined),
        readAt: ev.status === "read" ? ev.at : m.readAt,
      };
    } else if (ev.status === "failed" && (m.status === "sent" || m.status === "sending")) {
      next = {
        ...m,
        status: "failed",
        failedAt: ev.at,
        lastError: `whatsapp: ${ev.error ?? "failed"}`,
      };
    }
    if (!next) return;
    const op = db.kv.atomic().check(e).set(e.key, next);
    // Undelivered by the provider: an admin may retry it from the dead letters.
    if (next.status === "failed") {
      op.set(keys.deadLetter(m.id), { type: "deliver_message", v: 1, messageId: m.id });
    }
    if ((await op.commit()).ok) return;
  }
}

/** Processes one stored inbound record; idempotent (seen keys, monotonic statuses). */
export async function processInbound(db: Db, eventId: string): Promise<"done" | "noop"> {
  const e = await db.kv.get<InboundRecord>(keys.inboundEvent(eventId));
  const rec = e.value;
  if (!rec || rec.status !== "queued") return "noop";
  const rt = runtimeOf(db);
  try {
    const events = await openJson<InboundEvent[]>(db.crypto.aes, rec.sealed, `inbound:${rec.id}`);
    for (const ev of events) {
      if (ev.kind === "message") await handleReply(db, ev);
      else await handleStatus(db, ev);
    }
  } catch (err) {
    const attempts = rec.attempts + 1;
    const final = attempts >= rt.settings.backoffMs.length + 1;
    const nowMs = db.now().getTime();
    const next: InboundRecord = {
      ...rec,
      attempts,
      status: final ? "failed" : "queued",
      lastError: String(err).slice(0, 500),
      nextAttemptAt: final
        ? undefined
        : new Date(nowMs + (rt.settings.backoffMs[attempts - 1] ?? 60_000)).toISOString(),
    };
    const op = db.kv.atomic().check(e).set(e.key, next).delete(
      keys.inboundDue(rec.nextAttemptAt!, rec.id),
    );
    if (next.nextAttemptAt) op.set(keys.inboundDue(next.nextAttemptAt, rec.id), rec.id);
    if (final) op.set(keys.deadLetter(rec.id), { type: "inbound_whatsapp", v: 1, eventId: rec.id });
    await op.commit();
    if (final) return "noop";
    throw err;
  }
  // Done: the personal data goes; the record stays a while for the trail.
  const done: InboundRecord = { ...rec, status: "done", sealed: "", nextAttemptAt: undefined };
  await db.kv.atomic().check(e).set(e.key, done, { expireIn: SEEN_TTL_MS })
    .delete(keys.inboundDue(rec.nextAttemptAt!, rec.id)).commit();
  return "done";
}

/** Re-queues a dead inbound record (admin retry). */
export async function requeueInbound(db: Db, op: Deno.AtomicOperation, id: string) {
  const e = await db.kv.get<InboundRecord>(keys.inboundEvent(id));
  if (!e.value || e.value.status !== "failed") return false;
  const at = db.now().toISOString();
  op.check(e).set(e.key, { ...e.value, status: "queued", attempts: 0, nextAttemptAt: at })
    .set(keys.inboundDue(at, id), id);
  enqueueInbound(db, op, id);
  return true;
}

/** The scan for inbound records: due ones are processed here where queues do not run. */
export async function scanDueInbound(db: Db, now: Date = db.now(), limit = 100) {
  const prefix = keys.inboundsDue();
  let n = 0;
  const iter = db.kv.list<string>(
    { start: prefix, end: [...prefix, new Date(now.getTime() + 1).toISOString()] },
    { limit },
  );
  for await (const e of iter) {
    try {
      if (await processInbound(db, e.value) === "done") n++;
    } catch { /* recorded on the record; retried later */ }
  }
  return n;
}
