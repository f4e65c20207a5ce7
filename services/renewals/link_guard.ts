// Throttles guessing of customer links: every token that opens nothing (made up, revoked,
// expired) counts against the client's address and against the whole app, in KV so the limits
// hold across instances. A client (or, during a spray from many addresses, everybody) past its
// limit gets 429 before any lookup. Valid tokens pay nothing extra on a page-cache hit: these
// counters are read only when the store is consulted, and written only on a miss.
import type { Db } from "../db.ts";
import {
  assertEntriesUnderLimits,
  assertUnderLimits,
  type Charge,
  chargeKeys,
  type Limit,
  take,
} from "../rate_limit.ts";
import { keys } from "../keys.ts";
import { LinkError, linkHashOf, linkOfEntry, type OpenLink, openLink } from "./links.ts";

/** Misses per client address. */
export const TOKEN_MISSES_PER_CLIENT: Limit = { max: 30, windowMs: 15 * 60_000 };
/** Misses across the app: a short window, so a spray locks lookups out only briefly. */
export const TOKEN_MISSES_OVERALL: Limit = { max: 300, windowMs: 60_000 };

const MESSAGE = (s: number) =>
  `Muitos links inválidos foram abertos a partir desta conexão. Aguarde ${
    Math.ceil(s / 60)
  } minuto(s) e abra o último link que você recebeu.`;

function charges(ip: string): Charge[] {
  return [
    { scope: "token_miss_client", subject: ip, limit: TOKEN_MISSES_PER_CLIENT },
    { scope: "token_miss_all", subject: "all", limit: TOKEN_MISSES_OVERALL },
  ];
}

/** RateLimitError when this client, or the app as a whole, used up its misses. */
export async function assertLinkLookupAllowed(db: Db, ip: string) {
  await assertUnderLimits(db, charges(ip), MESSAGE);
}

/** Counts a token that opened nothing; RateLimitError when the limit was already reached. */
export async function recordLinkMiss(db: Db, ip: string) {
  await take(db, charges(ip), MESSAGE);
}

/** openLink behind the miss limits: a refused client gets RateLimitError, a miss is counted. */
export async function openLinkGuarded(
  db: Db,
  token: string,
  ip: string,
  hash?: string,
): Promise<OpenLink> {
  hash ??= await linkHashOf(token).catch(() => undefined);
  try {
    if (hash === undefined) {
      // A malformed token: refused clients first, then openLink's clear message (no read).
      await assertLinkLookupAllowed(db, ip);
      return await openLink(db, token);
    }
    // The counters and the link in one read (issue #21: one round trip, not two). The
    // refusal is decided before the link entry is looked at, so a refused client learns
    // nothing about the token, as when the link was read after the check.
    const cs = charges(ip);
    const entries = await db.kv.getMany([...chargeKeys(cs), keys.link(hash)]);
    assertEntriesUnderLimits(db, entries.slice(0, cs.length), cs, MESSAGE);
    return linkOfEntry(db, hash, entries[cs.length]);
  } catch (e) {
    if (e instanceof LinkError) await recordLinkMiss(db, ip);
    throw e;
  }
}
