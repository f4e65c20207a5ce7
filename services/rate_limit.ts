// Fixed-window counters in KV, updated with a versionstamp check so concurrent failures are
// all counted. Every limit lives here, in KV, so it holds across processes and isolates:
// sign-in (per account and per IP), one-time codes, customer-link misses.
// A guess (password, code) RESERVES its slot with `take` before anything secret is compared:
// a check-then-count split lets a parallel burst pass the check before any miss is counted.
// Contention is retried with jittered backoff and, if it persists, refused (fail closed).
import type { Db } from "./db.ts";
import { keys } from "./keys.ts";
import { RateLimitError } from "./errors.ts";

export interface Limit {
  max: number;
  windowMs: number;
}

interface Counter {
  count: number;
  windowStart: number;
}

const ATTEMPTS = 20;

/** A short random pause before retrying a contended counter, so the retries spread out. */
function backoff(attempt: number) {
  if (attempt === 0) return Promise.resolve();
  return new Promise((r) => setTimeout(r, Math.random() * Math.min(50, 2 ** attempt)));
}

/** Counts one hit; returns the count in the current window. */
export async function hit(db: Db, scope: string, subject: string, limit: Limit): Promise<number> {
  const key = keys.rateLimit(scope, subject);
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    await backoff(attempt);
    const entry = await db.kv.get<Counter>(key);
    const now = db.now().getTime();
    const fresh = !entry.value || now - entry.value.windowStart >= limit.windowMs;
    const next: Counter = fresh
      ? { count: 1, windowStart: now }
      : { count: entry.value!.count + 1, windowStart: entry.value!.windowStart };
    const res = await db.kv.atomic().check(entry).set(key, next, { expireIn: limit.windowMs })
      .commit();
    if (res.ok) return next.count;
  }
  // A flood on one counter: refuse this one for a moment rather than let it through uncounted.
  throw new RateLimitError(1);
}

export async function resetLimit(db: Db, scope: string, subject: string) {
  await db.kv.delete(keys.rateLimit(scope, subject));
}

export interface Charge {
  scope: string;
  subject: string;
  limit: Limit;
}

/**
 * Counts one use against every counter at once, or none: when any is used up, throws
 * RateLimitError (retry after the longest wait) and counts nothing. One atomic with a
 * versionstamp check per counter, so concurrent requests cannot both take the last use; a
 * refusal writes nothing, so a burst contends only until the counters are full.
 * At most 10 charges (KV's getMany and check limits).
 */
export async function take(
  db: Db,
  charges: Charge[],
  message?: (retryAfterSeconds: number) => string,
): Promise<void> {
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    await backoff(attempt);
    const op = db.kv.atomic();
    await stageTake(db, op, charges, message);
    if ((await op.commit()).ok) return;
  }
  // Twenty writers at once on one counter is a flood: refuse this one for a moment.
  throw new RateLimitError(1, message?.(1));
}

/**
 * `take` inside the caller's atomic: the uses are counted only if that change commits, and a
 * counter changed meanwhile fails the whole commit. Throws RateLimitError when one is used up.
 */
export async function stageTake(
  db: Db,
  op: Deno.AtomicOperation,
  charges: Charge[],
  message?: (retryAfterSeconds: number) => string,
): Promise<void> {
  if (charges.length > 10) throw new Error("at most 10 rate-limit counters per take");
  const ks = charges.map((c) => keys.rateLimit(c.scope, c.subject));
  const entries = await db.kv.getMany<Counter[]>(ks);
  const now = db.now().getTime();
  let retry = 0;
  const next = entries.map((e, i): Counter => {
    const { limit } = charges[i];
    if (!e.value || now - e.value.windowStart >= limit.windowMs) {
      return { count: 1, windowStart: now };
    }
    if (e.value.count >= limit.max) {
      retry = Math.max(retry, Math.ceil((e.value.windowStart + limit.windowMs - now) / 1000));
    }
    return { count: e.value.count + 1, windowStart: e.value.windowStart };
  });
  if (retry) throw new RateLimitError(retry, message?.(retry));
  entries.forEach((e, i) =>
    op.check(e).set(ks[i], next[i], { expireIn: charges[i].limit.windowMs })
  );
}

/**
 * Gives back one use taken with `take` (the attempt turned out not to be a guess, e.g. a right
 * password). Best effort: under persistent contention the use stays counted (fails closed).
 */
export async function release(db: Db, charges: Charge[]): Promise<void> {
  const ks = charges.map((c) => keys.rateLimit(c.scope, c.subject));
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    await backoff(attempt);
    const entries = await db.kv.getMany<Counter[]>(ks);
    const now = db.now().getTime();
    const op = db.kv.atomic();
    entries.forEach((e, i) => {
      // A new window already forgot the use: nothing to give back.
      if (!e.value || e.value.count <= 0) return;
      const left = e.value.windowStart + charges[i].limit.windowMs - now;
      if (left <= 0) return;
      op.check(e).set(ks[i], { ...e.value, count: e.value.count - 1 }, { expireIn: left });
    });
    if ((await op.commit()).ok) return;
  }
}

/** Throws RateLimitError when any of the counters is used up (one read for all). */
export async function assertUnderLimits(
  db: Db,
  charges: Charge[],
  message?: (retryAfterSeconds: number) => string,
) {
  const entries = await db.kv.getMany<Counter[]>(chargeKeys(charges));
  assertEntriesUnderLimits(db, entries, charges, message);
}

/** The counters' keys, in the charges' order (a caller reading more keys in the same getMany). */
export function chargeKeys(charges: Charge[]): Deno.KvKey[] {
  return charges.map((c) => keys.rateLimit(c.scope, c.subject));
}

/**
 * assertUnderLimits on counters the caller read itself (`entries`: chargeKeys' entries, in
 * order), so a page can read them in the same round trip as the record they guard.
 */
export function assertEntriesUnderLimits(
  db: Db,
  entries: Deno.KvEntryMaybe<unknown>[],
  charges: Charge[],
  message?: (retryAfterSeconds: number) => string,
) {
  const now = db.now().getTime();
  let retry = 0;
  entries.forEach((e, i) => {
    const { max, windowMs } = charges[i].limit;
    const v = e.value as Counter | null;
    if (v && now - v.windowStart < windowMs && v.count >= max) {
      retry = Math.max(retry, Math.ceil((v.windowStart + windowMs - now) / 1000));
    }
  });
  if (retry) throw new RateLimitError(retry, message?.(retry));
}
