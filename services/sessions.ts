// Staff sessions. The cookie holds a random token; KV holds only its SHA-256, with idle and
// absolute expiry checked on every read (expireIn only cleans up, it is lazy).
import type { Db } from "./db.ts";
import { keys } from "./keys.ts";
import { randomToken, sha256Hex } from "./crypto.ts";

export interface Session {
  userId: string;
  createdAt: number;
  lastSeenAt: number;
  absoluteExpiresAt: number;
  /** Synchronizer token for CSRF: echoed in every form and fetch that changes state. */
  csrf: string;
  ip?: string;
  userAgent?: string;
}

export interface SessionPolicy {
  idleMs: number;
  absoluteMs: number;
}

export async function createSession(
  db: Db,
  userId: string,
  policy: SessionPolicy,
  meta: { ip?: string; userAgent?: string } = {},
): Promise<{ token: string; session: Session }> {
  const token = randomToken();
  const hash = await sha256Hex(token);
  const now = db.now().getTime();
  const session: Session = {
    userId,
    createdAt: now,
    lastSeenAt: now,
    absoluteExpiresAt: now + policy.absoluteMs,
    csrf: randomToken(24),
    ...meta,
  };
  await db.kv.atomic()
    .check({ key: keys.session(hash), versionstamp: null })
    .set(keys.session(hash), session, { expireIn: policy.absoluteMs })
    .set(keys.sessionsByUser(userId, hash), now, { expireIn: policy.absoluteMs })
    .commit();
  return { token, session };
}

/** Returns the live session for a cookie token, sliding its idle window; null when expired. */
export async function readSession(
  db: Db,
  token: string | undefined,
  policy: SessionPolicy,
): Promise<Session | null> {
  if (!token || token.length > 100) return null;
  const hash = await sha256Hex(token);
  const entry = await db.kv.get<Session>(keys.session(hash));
  const s = entry.value;
  if (!s) return null;
  const now = db.now().getTime();
  if (now > s.absoluteExpiresAt || now - s.lastSeenAt > policy.idleMs) {
    await destroySessionHash(db, hash, s.userId);
    return null;
  }
  // Slide the idle window at most once a minute, to keep reads from becoming writes.
  if (now - s.lastSeenAt > 60_000) {
    const next = { ...s, lastSeenAt: now };
    await db.kv.atomic().check(entry).set(keys.session(hash), next, {
      expireIn: Math.max(1000, s.absoluteExpiresAt - now),
    }).commit();
    return next;
  }
  return s;
}

export async function destroySession(db: Db, token: string): Promise<void> {
  const hash = await sha256Hex(token);
  const s = (await db.kv.get<Session>(keys.session(hash))).value;
  if (s) await destroySessionHash(db, hash, s.userId);
}

async function destroySessionHash(db: Db, hash: string, userId: string) {
  await db.kv.atomic().delete(keys.session(hash)).delete(keys.sessionsByUser(userId, hash))
    .commit();
}

export async function revokeUserSessions(db: Db, userId: string): Promise<number> {
  let n = 0;
  for await (const e of db.kv.list({ prefix: keys.sessionsOfUser(userId) })) {
    await destroySessionHash(db, String(e.key[2]), userId);
    n++;
  }
  return n;
}
