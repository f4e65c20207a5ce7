// The customer's personal link: a 256-bit token of which only the SHA-256 is stored, bound to
// one case, with its own expiry. Issuing a new link revokes the previous one; closing the case
// revokes it too (transition() deletes it). Staff can re-send a link, never read one.
//
// The token is HMAC(data key, "link:<case>:<generation>"): unguessable without the server's
// key, never stored, yet the server can put the *current* link into a later message (signing
// link, final message) without issuing a new one that would break the page the customer has open.
import type { Db } from "../db.ts";
import { keys } from "../keys.ts";
import { sha256Hex, toBase64Url } from "../crypto.ts";
import { AppError } from "../errors.ts";
import type { RenewalCase } from "./cases.ts";

export interface LinkRecord {
  caseId: string;
  issuedAt: string;
  expiresAt: string;
}

export class LinkError extends AppError {
  override status = 404;
}

async function tokenFor(db: Db, caseId: string, gen: number): Promise<string> {
  const mac = await crypto.subtle.sign(
    "HMAC",
    db.crypto.hmac,
    new TextEncoder().encode(`link:${caseId}:${gen}`),
  );
  return toBase64Url(new Uint8Array(mac));
}

/** The case's current link token (for messages), or null when it has none. */
export async function currentLinkToken(db: Db, c: RenewalCase): Promise<string | null> {
  return c.link ? await tokenFor(db, c.id, c.link.gen) : null;
}

/** Stages a new link for `next` in `op`, revoking the old one. Returns the raw token. */
export async function stageNewLink(
  db: Db,
  op: Deno.AtomicOperation,
  next: RenewalCase,
  ttlDays: number,
): Promise<string> {
  const gen = (next.link?.gen ?? 0) + 1;
  const token = await tokenFor(db, next.id, gen);
  const hash = await sha256Hex(token);
  const now = db.now();
  const expiresAt = new Date(now.getTime() + ttlDays * 86400_000).toISOString();
  if (next.link) op.delete(keys.link(next.link.hash));
  const rec: LinkRecord = { caseId: next.id, issuedAt: now.toISOString(), expiresAt };
  // A first link's hash derives from the case's fresh ULID, so it cannot exist yet: no check
  // (the campaign planner packs more contracts per atomic within the check budget).
  if (gen > 1) op.check({ key: keys.link(hash), versionstamp: null });
  // expireIn only tidies up; validity is decided by expiresAt below.
  op.set(keys.link(hash), rec, { expireIn: (ttlDays + 30) * 86400_000 });
  next.link = { hash, gen, issuedAt: rec.issuedAt, expiresAt };
  return token;
}

/** What a valid token opens: the case, the link's expiry, and the link key's stamp. */
export interface OpenLink {
  caseId: string;
  /** SHA-256 of the token: the link record's id (live streams are counted per link). */
  hash: string;
  expiresAt: string;
  key: Deno.KvKey;
  stamp: string;
}

/** The case id a token opens, or a LinkError with a clear pt-BR message. */
export async function resolveLink(db: Db, token: string): Promise<string> {
  return (await openLink(db, token)).caseId;
}

/** Checks the token's shape (no store read for junk); its SHA-256, or a LinkError. */
export async function linkHashOf(token: string): Promise<string> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) {
    throw new LinkError("Este link não é válido. Confira se copiou o endereço inteiro.");
  }
  return await sha256Hex(token);
}

/** Like resolveLink, with the link's expiry and versionstamp (the page cache checks both). */
export async function openLink(db: Db, token: string, hash?: string): Promise<OpenLink> {
  hash ??= await linkHashOf(token);
  return linkOfEntry(db, hash, await db.kv.get<LinkRecord>(keys.link(hash)));
}

/** openLink on the link's entry the caller read (keys.link(hash)): a LinkError when it opens
 * nothing. */
export function linkOfEntry(db: Db, hash: string, e: Deno.KvEntryMaybe<unknown>): OpenLink {
  const key = keys.link(hash);
  const rec = e.value as LinkRecord | null;
  if (!rec) {
    throw new LinkError(
      "Este link não é válido ou foi substituído por um mais recente. Use o último link que você recebeu.",
    );
  }
  if (linkExpired(db, rec.expiresAt)) {
    throw new LinkError("Este link expirou. Fale com a sua operadora para receber um novo.");
  }
  return { caseId: rec.caseId, hash, expiresAt: rec.expiresAt, key, stamp: e.versionstamp! };
}

export function linkExpired(db: Db, expiresAt: string): boolean {
  return db.now().toISOString() > expiresAt;
}

export async function tokenHash(token: string) {
  return await sha256Hex(token);
}

/**
 * Days an expired link's record is kept (it opens nothing): its page can still ask the case's
 * attendant for a new link (link_requests.ts). Matches stageNewLink's expireIn margin.
 */
export const EXPIRED_LINK_KEPT_DAYS = 30;

/**
 * Days a customer link keeps working after its renewal ended (config LINK_AFTER_END_DAYS):
 * after closing, counted from the due date of the carnê's last invoice; after a refusal, from
 * the refusal. The default when a context does not carry the setting.
 */
export const LINK_AFTER_END_DAYS = 30;

/**
 * Until when an ended case's link stays open read-only: a closed one for the documents' useful
 * life (the last invoice's due date plus `days`, at least `days` from now), a declined one for
 * `days` from now; never earlier than the link's own expiry.
 */
export function linkKeptUntil(next: RenewalCase, now: Date, days: number): string {
  const fromNow = new Date(now.getTime() + days * 86400_000).toISOString();
  let until = fromNow;
  if (next.step === "closed") {
    const lastDue = (next.invoices ?? []).map((i) => i.dueDate).sort().at(-1);
    // A due date is a Brazilian calendar day: valid through its end (UTC-3).
    const fromDue = lastDue
      ? new Date(Date.parse(`${lastDue}T23:59:59-03:00`) + days * 86400_000).toISOString()
      : fromNow;
    if (fromDue > until) until = fromDue;
  }
  return next.link && next.link.expiresAt > until ? next.link.expiresAt : until;
}

/**
 * Keeps `next`'s link open until `until` (an ended case: see linkKeptUntil), in `op`. The same
 * token keeps working, so the final message's link and the PDFs it points to stay valid.
 */
export function stageLinkKept(
  db: Db,
  op: Deno.AtomicOperation,
  next: RenewalCase,
  until: string,
) {
  if (!next.link) return;
  const rec: LinkRecord = { caseId: next.id, issuedAt: next.link.issuedAt, expiresAt: until };
  // expireIn only tidies up (30 days after the stored expiry, like stageNewLink).
  const ms = Math.max(0, Date.parse(until) - db.now().getTime()) + 30 * 86400_000;
  op.set(keys.link(next.link.hash), rec, { expireIn: ms });
  next.link = { ...next.link, expiresAt: until };
}
