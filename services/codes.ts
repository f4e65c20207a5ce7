// One-time codes (6 digits) for confirming a changed phone or e-mail, and later for signing.
// Stored hashed with their own expiry and attempt count; never logged.
import { safeEqual, sha256Hex } from "./crypto.ts";

export interface PendingCode {
  hash: string;
  expiresAt: number;
  attempts: number;
  sentAt: number;
}

export const CODE_TTL_MS = 10 * 60_000;
export const CODE_MAX_ATTEMPTS = 5;

export function randomCode(): string {
  const n = crypto.getRandomValues(new Uint32Array(1))[0] % 1_000_000;
  return String(n).padStart(6, "0");
}

/** `salt` binds the hash to its purpose (case + contact), so equal codes hash differently. */
export async function hashCode(code: string, salt: string): Promise<string> {
  return await sha256Hex(`${salt}:${code}`);
}

export async function newCode(salt: string, now: number, ttlMs = CODE_TTL_MS) {
  const code = randomCode();
  const pending: PendingCode = {
    hash: await hashCode(code, salt),
    expiresAt: now + ttlMs,
    attempts: 0,
    sentAt: now,
  };
  return { code, pending };
}

export type CodeCheck = "ok" | "wrong" | "expired" | "locked";

export async function checkCode(
  pending: PendingCode,
  code: string,
  salt: string,
  now: number,
): Promise<CodeCheck> {
  if (pending.attempts >= CODE_MAX_ATTEMPTS) return "locked";
  if (now > pending.expiresAt) return "expired";
  const ok = /^\d{6}$/.test(code) && safeEqual(await hashCode(code, salt), pending.hash);
  return ok ? "ok" : "wrong";
}
