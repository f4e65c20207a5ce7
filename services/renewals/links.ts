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
  // expireIn only tidies up; validity is decided by expiresAt below.
  op.check({ key: keys.link(hash), versionstamp: null })
    .set(keys.link(hash), rec, { expireIn: (ttlDays + 30) * 86400_000 });
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
  const key = keys.link(hash);
  const e = await db.kv.get<LinkRecord>(key);
  const rec = e.value;
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
