// Fixed-window counters in KV, updated with a versionstamp check so concurrent failures are
// all counted. Used for sign-in (per account and per IP) and later for one-time codes.
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

/** Throws RateLimitError when the subject already used up its window. */
export async function assertUnderLimit(db: Db, scope: string, subject: string, limit: Limit) {
  const c = (await db.kv.get<Counter>(keys.rateLimit(scope, subject))).value;
  const now = db.now().getTime();
  if (c && now - c.windowStart < limit.windowMs && c.count >= limit.max) {
    throw new RateLimitError(Math.ceil((c.windowStart + limit.windowMs - now) / 1000));
  }
}

/** Counts one hit; returns the count in the current window. */
export async function hit(db: Db, scope: string, subject: string, limit: Limit): Promise<number> {
  const key = keys.rateLimit(scope, subject);
  for (let attempt = 0; attempt < 20; attempt++) {
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
  throw new Error("rate limit counter contention");
}

export async function resetLimit(db: Db, scope: string, subject: string) {
  await db.kv.delete(keys.rateLimit(scope, subject));
}
