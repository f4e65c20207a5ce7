// LGPD retention beyond photos: what the daily job erases once it is no longer needed.
// - Message bodies (sealed address, text, template values: links and codes) after
//   MESSAGE_RETENTION_DAYS; a failed message's dead letter goes with it. The record stays
//   (template, channel, masked address, status, times) as the trail of what was sent.
//   Messages that carried a one-time code lose their body after CODE_RETENTION_DAYS.
// - Inbound WhatsApp records (sealed texts and phones) after MESSAGE_RETENTION_DAYS.
// - Ended cases: pending contact changes and signing codes at once (no use after the end),
//   the customer's last WhatsApp reply after MESSAGE_RETENTION_DAYS.
// - Audit events: the IP, user agent and free text after AUDIT_PII_RETENTION_DAYS; who did
//   what and when stays. The signed contract keeps its own evidence page.
import type { Db } from "../db.ts";
import { keys } from "../keys.ts";
import type { Message } from "../messaging/mod.ts";
import type { AuditEvent } from "../audit.ts";
import type { RenewalCase } from "../renewals/cases.ts";
import { openCaseEntry, sealCase } from "../renewals/case_seal.ts";
import { TERMINAL_STEPS } from "../../domain/steps.ts";

export interface PiiRetention {
  messageRetentionDays: number;
  codeRetentionDays: number;
  auditPiiRetentionDays: number;
}

export const PII_RETENTION_DEFAULTS: PiiRetention = {
  messageRetentionDays: 90,
  codeRetentionDays: 1,
  auditPiiRetentionDays: 365,
};

const FINAL = new Set(["sent", "delivered", "read", "skipped", "failed", "outbox"]);
const CODE_TEMPLATES = new Set(["contact_code", "sign_code"]);
/** Audit data fields that may hold personal data (addresses, free text, network ids). */
const AUDIT_PII_FIELDS = ["ip", "userAgent", "note", "reason", "text", "to", "typedName", "word"];

const daysAgo = (now: Date, days: number) =>
  new Date(now.getTime() - days * 86400_000).toISOString();

/** Erases old message bodies (and their dead letters); returns how many. */
export async function purgeMessageBodies(db: Db, r: PiiRetention): Promise<number> {
  const now = db.now();
  const cutoff = daysAgo(now, r.messageRetentionDays);
  const codeCutoff = daysAgo(now, r.codeRetentionDays);
  let n = 0;
  for await (const e of db.kv.list<Message>({ prefix: keys.messages() })) {
    const m = e.value;
    if (!m.sealed || !FINAL.has(m.status)) continue;
    if (m.at >= (CODE_TEMPLATES.has(m.template) ? codeCutoff : cutoff)) continue;
    const next: Message = {
      ...m,
      sealed: "",
      lastError: undefined,
      bodyPurgedAt: now.toISOString(),
    };
    const op = db.kv.atomic().check(e).set(e.key, next).delete(keys.deadLetter(m.id));
    if ((await op.commit()).ok) n++;
  }
  return n;
}

/** Deletes inbound WhatsApp records (sealed texts) past the message period. */
export async function purgeInbound(db: Db, r: PiiRetention): Promise<number> {
  const cutoff = daysAgo(db.now(), r.messageRetentionDays);
  let n = 0;
  for await (
    const e of db.kv.list<{ id: string; at: string; status: string }>({
      prefix: keys.inboundEvents(),
    })
  ) {
    if (e.value.status === "queued" || e.value.at >= cutoff) continue;
    const op = db.kv.atomic().check(e).delete(e.key).delete(keys.deadLetter(e.value.id));
    if ((await op.commit()).ok) n++;
  }
  return n;
}

/** Ended cases: codes and pending contacts at once, the customer's reply after the period. */
/** Every ended case (closed, declined, expired…), found through the step index, opened. */
export async function* endedCases(db: Db): AsyncGenerator<Deno.KvEntry<RenewalCase>> {
  for (const step of TERMINAL_STEPS) {
    for await (const idx of db.kv.list({ prefix: keys.casesInStep(step) })) {
      const entry = await openCaseEntry(
        db,
        await db.kv.get<RenewalCase>(keys.case(String(idx.key[2]))),
      );
      if (entry.value) yield entry as Deno.KvEntry<RenewalCase>;
    }
  }
}

export async function purgeCaseCodes(db: Db, r: PiiRetention): Promise<number> {
  const cutoff = daysAgo(db.now(), r.messageRetentionDays);
  let n = 0;
  for await (const entry of endedCases(db)) {
    const c = entry.value;
    const endedAt = c.closedAt ?? c.updatedAt;
    const dropReply = !!c.customerReply && endedAt < cutoff;
    if (!c.pendingContacts && !c.signCode && !dropReply) continue;
    const next: RenewalCase = {
      ...c,
      pendingContacts: undefined,
      signCode: undefined,
      customerReply: dropReply ? undefined : c.customerReply,
    };
    const op = db.kv.atomic().check(entry).set(keys.case(c.id), await sealCase(db, next));
    if ((await op.commit()).ok) n++;
  }
  return n;
}

/**
 * Scrubs audit events older than the period, oldest first, from where the last run stopped
 * (`meta/audit_scrubbed_until`), so each event is read about once.
 */
export async function scrubAuditPii(db: Db, r: PiiRetention): Promise<number> {
  const cutoff = daysAgo(db.now(), r.auditPiiRetentionDays);
  const mark = await db.kv.get<string>(keys.auditScrubbedUntil());
  const sel = mark.value
    ? { prefix: keys.auditAll(), start: [...keys.auditAll(), `${mark.value}\u0000`] }
    : { prefix: keys.auditAll() };
  let n = 0;
  let last = "";
  for await (const e of db.kv.list<AuditEvent>(sel)) {
    const ev = e.value;
    if (ev.at >= cutoff) break; // ids follow time: the rest is newer
    last = ev.id;
    const scrubbed = scrubEvent(ev);
    if (!scrubbed) continue;
    if ((await db.kv.atomic().check(e).set(e.key, scrubbed).commit()).ok) n++;
  }
  if (last) await db.kv.set(keys.auditScrubbedUntil(), last);
  return n;
}

function scrubEvent(ev: AuditEvent): AuditEvent | null {
  const { ip, userAgent, ...actor } = ev.actor;
  const data = ev.data ? { ...ev.data } : undefined;
  let changed = ip !== undefined || userAgent !== undefined;
  for (const f of AUDIT_PII_FIELDS) {
    if (data && f in data) {
      delete data[f];
      changed = true;
    }
  }
  return changed ? { ...ev, actor, data } : null;
}
