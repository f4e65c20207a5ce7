// Password hashing with the platform's PBKDF2-SHA256 (no native module). The iteration count
// is stored with each hash, so it can be raised later without breaking existing accounts.
import { fromBase64Url, safeEqual, toBase64Url } from "./crypto.ts";

export const DEFAULT_ITERATIONS = 310_000;

async function derive(password: string, salt: Uint8Array, iterations: number): Promise<string> {
  const key = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(password),
    "PBKDF2",
    false,
    ["deriveBits"],
  );
  const bits = await crypto.subtle.deriveBits(
    { name: "PBKDF2", hash: "SHA-256", salt: salt as BufferSource, iterations },
    key,
    256,
  );
  return toBase64Url(new Uint8Array(bits));
}

/** The cost new hashes get (PASSWORD_ITERATIONS, else the default). */
export function currentIterations(): number {
  return Number(Deno.env.get("PASSWORD_ITERATIONS") ?? DEFAULT_ITERATIONS);
}

/**
 * A well-formed hash at the current cost that no password matches: checking an unknown user
 * against it costs what checking a real account costs, so timing does not tell them apart.
 */
export function dummyHash(): string {
  return `pbkdf2-sha256$${currentIterations()}$AAAAAAAAAAAAAAAAAAAAAA$` +
    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
}

export async function hashPassword(
  password: string,
  iterations = currentIterations(),
): Promise<string> {
  const salt = crypto.getRandomValues(new Uint8Array(16));
  return `pbkdf2-sha256$${iterations}$${toBase64Url(salt)}$${await derive(
    password,
    salt,
    iterations,
  )}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, iter, salt, hash] = stored.split("$");
  if (scheme !== "pbkdf2-sha256" || !iter || !salt || !hash) return false;
  return safeEqual(await derive(password, fromBase64Url(salt), Number(iter)), hash);
}

/** Readable random password for seeded accounts (no look-alike characters). */
export function randomPassword(length = 14): string {
  const alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789";
  const bytes = crypto.getRandomValues(new Uint8Array(length));
  return Array.from(bytes, (b) => alphabet[b % alphabet.length]).join("");
}
