// Key expiry across a backup and restore. Deno KV does not tell a reader a key's expireIn, so a
// dump cannot copy it; instead the restore re-derives it for the key families the app writes
// with expireIn (the list below must follow every `expireIn:` in services/). When the value
// carries its own end (sessions, links, leases, run records…) the expiry is that end; when it
// does not, the family's TTL counts from the restore (never longer than the original could
// have lived). A record whose derived end has passed is not restored: KV would have dropped it.
// expireIn is only clean-up here (rule 7): validity is always checked on the stored times.

const DAY = 86400_000;

type Derive = (value: unknown, now: number) => number | undefined;

const at = (v: unknown, field: string): number | undefined => {
  const x = (v as Record<string, unknown> | null)?.[field];
  const t = typeof x === "number" ? x : typeof x === "string" ? Date.parse(x) : NaN;
  return Number.isFinite(t) ? t : undefined;
};

/** From a time in the value plus `extra`, or (no such field) `fallback` from now. */
const fromField = (field: string, extra: number, fallback: number): Derive => (v, now) => {
  const t = at(v, field);
  return t === undefined ? now + fallback : t + extra;
};
const fixed = (ttl: number): Derive => (_v, now) => now + ttl;

/** First key part → the absolute time (ms) the key should expire at. */
export const EXPIRING_FAMILIES: Record<string, Derive> = {
  sessions: fromField("absoluteExpiresAt", 0, 30 * DAY),
  // Value: the session's creation time (ms); the session itself carries the end.
  sessions_by_user: fixed(30 * DAY),
  rate_limits: fixed(DAY),
  links: fromField("expiresAt", 30 * DAY, 60 * DAY),
  whatsapp_windows: fromField("lastInboundAt", 2 * DAY, 2 * DAY),
  inbound_seen: fixed(30 * DAY),
  messages_by_dedupe: fixed(180 * DAY),
  import_file_chunks: fixed(7 * DAY),
  retention_runs: fromField("at", 400 * DAY, 400 * DAY),
  leases: fromField("expiresAt", DAY, DAY),
  offline_mutations: fromField("at", 90 * DAY, 90 * DAY),
  // Added with the #14 fixes: each value carries its own time, the family's TTL follows it.
  submissions: fromField("at", 2 * DAY, 2 * DAY),
  read_audit_marks: fromField("until", 30 * 60_000, 60 * 60_000),
  live_streams: fixed(2 * 60_000),
  inbound_accepted: fromField("at", DAY, DAY),
  // Only processed events expire (kept for the trail).
  inbound_events: (v, now) =>
    (v as { status?: string } | null)?.status === "done" ? now + 30 * DAY : undefined,
};

/**
 * The expireIn (ms) to restore `key` with: undefined when its family does not expire,
 * 0 or less when it has already expired (the caller skips it).
 */
export function restoredExpireIn(key: Deno.KvKey, value: unknown, now: number): number | undefined {
  const derive = EXPIRING_FAMILIES[String(key[0])];
  if (!derive) return undefined;
  const end = derive(value, now);
  return end === undefined ? undefined : end - now;
}
