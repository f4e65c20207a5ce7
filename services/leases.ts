// Leases for work that must run in one place at a time (the daily jobs, an import): a record
// in KV with its holder and when it ends. Taking one is a versionstamp-checked write, so of two
// processes racing only one gets it; a holder that dies simply lets it run out. Long work
// renews it (a heartbeat) well before it ends.
import type { Db } from "./db.ts";
import { keys } from "./keys.ts";
import { ulid } from "./ulid.ts";

export interface LeaseRecord {
  holder: string;
  expiresAt: string;
  /** What holds it, for the message shown to someone who has to wait. */
  note?: string;
}

export interface Lease {
  name: string;
  holder: string;
  ttlMs: number;
  versionstamp: string;
}

/** The current lease of `name`, or null when free or run out. */
export async function readLease(db: Db, name: string): Promise<LeaseRecord | null> {
  const e = await db.kv.get<LeaseRecord>(keys.lease(name));
  if (!e.value || e.value.expiresAt <= db.now().toISOString()) return null;
  return e.value;
}

/** Takes the lease when it is free or ran out; null when someone else holds it. */
export async function acquireLease(
  db: Db,
  name: string,
  ttlMs: number,
  note?: string,
): Promise<Lease | null> {
  const key = keys.lease(name);
  const cur = await db.kv.get<LeaseRecord>(key);
  if (cur.value && cur.value.expiresAt > db.now().toISOString()) return null;
  const holder = ulid();
  const rec: LeaseRecord = { holder, expiresAt: expiry(db, ttlMs), note };
  // expireIn only tidies up; expiresAt is what counts (expiry is lazy).
  const res = await db.kv.atomic().check(cur).set(key, rec, { expireIn: ttlMs + 86400_000 })
    .commit();
  return res.ok ? { name, holder, ttlMs, versionstamp: res.versionstamp } : null;
}

/** Extends the lease; false when it was lost (ran out and taken by someone else). */
export async function renewLease(db: Db, lease: Lease): Promise<boolean> {
  const key = keys.lease(lease.name);
  const cur = await db.kv.get<LeaseRecord>(key);
  if (cur.value?.holder !== lease.holder) return false;
  const rec: LeaseRecord = { ...cur.value, expiresAt: expiry(db, lease.ttlMs) };
  const res = await db.kv.atomic().check(cur).set(key, rec, { expireIn: lease.ttlMs + 86400_000 })
    .commit();
  if (res.ok) lease.versionstamp = res.versionstamp;
  return res.ok;
}

/** Gives the lease back (only if still ours). */
export async function releaseLease(db: Db, lease: Lease): Promise<void> {
  const key = keys.lease(lease.name);
  const cur = await db.kv.get<LeaseRecord>(key);
  if (cur.value?.holder !== lease.holder) return;
  await db.kv.atomic().check(cur).delete(key).commit();
}

/**
 * Runs `fn` under the lease, renewing it every third of its time; `{ ran: false }` when another
 * process holds it (the caller skips: the other one is doing the work).
 */
export async function withLease<T>(
  db: Db,
  name: string,
  ttlMs: number,
  fn: (lease: Lease) => Promise<T>,
): Promise<{ ran: true; result: T } | { ran: false }> {
  const lease = await acquireLease(db, name, ttlMs);
  if (!lease) return { ran: false };
  const beat = setInterval(() => {
    renewLease(db, lease).catch(() => {});
  }, Math.max(ttlMs / 3, 10));
  try {
    return { ran: true, result: await fn(lease) };
  } finally {
    clearInterval(beat);
    await releaseLease(db, lease);
  }
}

const expiry = (db: Db, ttlMs: number) => new Date(db.now().getTime() + ttlMs).toISOString();
