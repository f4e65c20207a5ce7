// Crypto helpers on the platform's WebCrypto: random tokens, hashes, and AES-GCM sealing of
// personal data and blobs. No native modules. SHA-256 uses Deno's built-in node:crypto hash,
// which runs ~15× faster than WebCrypto's digest for short inputs (tokens hashed per request).
import { createHash } from "node:crypto";

const enc = new TextEncoder();
const dec = new TextDecoder();

// The platform's base64 codec (TC39 Uint8Array.fromBase64/toBase64, in Deno 2.9's V8) is far
// faster than a per-character loop; every sealed record is decoded on read.
type Base64Codec = {
  fromBase64(s: string, o: { alphabet: "base64url" }): Uint8Array;
};
const U8 = Uint8Array as unknown as Base64Codec;
const hasCodec = typeof U8.fromBase64 === "function";

export function toBase64Url(bytes: Uint8Array): string {
  if (hasCodec) {
    return (bytes as unknown as {
      toBase64(o: { alphabet: "base64url"; omitPadding: boolean }): string;
    }).toBase64({ alphabet: "base64url", omitPadding: true });
  }
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

export function fromBase64Url(text: string): Uint8Array {
  if (hasCodec) return U8.fromBase64(text, { alphabet: "base64url" });
  const b64 = text.replaceAll("-", "+").replaceAll("_", "/");
  const bin = atob(b64 + "=".repeat((4 - (b64.length % 4)) % 4));
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

export function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** A random URL-safe token with `bytes` bytes of entropy (default 32 = 256 bits). */
export function randomToken(bytes = 32): string {
  return toBase64Url(crypto.getRandomValues(new Uint8Array(bytes)));
}

// deno-lint-ignore require-await
export async function sha256Hex(data: string | Uint8Array): Promise<string> {
  return createHash("sha256").update(data).digest("hex");
}

/** Constant-time comparison of two strings (for tokens and hashes). */
export function safeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

/** The two keys derived from the 32-byte master secret: one encrypts, one makes blind indexes. */
export interface DataKeys {
  aes: CryptoKey;
  hmac: CryptoKey;
}

export async function deriveDataKeys(master: Uint8Array): Promise<DataKeys> {
  if (master.length !== 32) throw new Error("A chave de dados precisa ter 32 bytes.");
  const base = await crypto.subtle.importKey("raw", master as BufferSource, "HKDF", false, [
    "deriveKey",
  ]);
  const derive = (info: string, alg: HmacImportParams | AesKeyAlgorithm, usages: KeyUsage[]) =>
    crypto.subtle.deriveKey(
      { name: "HKDF", hash: "SHA-256", salt: new Uint8Array(0), info: enc.encode(info) },
      base,
      alg,
      false,
      usages,
    );
  return {
    aes: await derive("renova/aes-gcm", { name: "AES-GCM", length: 256 }, ["encrypt", "decrypt"]),
    hmac: await derive("renova/blind-index", { name: "HMAC", hash: "SHA-256", length: 256 }, [
      "sign",
    ]),
  };
}

/** AES-GCM with a random 96-bit IV prepended. `aad` binds the ciphertext to where it lives. */
export async function encryptBytes(
  key: CryptoKey,
  plain: Uint8Array,
  aad: string,
): Promise<Uint8Array> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const ct = new Uint8Array(
    await crypto.subtle.encrypt(
      { name: "AES-GCM", iv, additionalData: enc.encode(aad) },
      key,
      plain as BufferSource,
    ),
  );
  const out = new Uint8Array(12 + ct.length);
  out.set(iv);
  out.set(ct, 12);
  return out;
}

export async function decryptBytes(
  key: CryptoKey,
  sealed: Uint8Array,
  aad: string,
): Promise<Uint8Array> {
  const iv = sealed.slice(0, 12);
  const ct = sealed.slice(12);
  return new Uint8Array(
    await crypto.subtle.decrypt(
      { name: "AES-GCM", iv, additionalData: enc.encode(aad) },
      key,
      ct as BufferSource,
    ),
  );
}

/** Seal a JSON value (personal data inside a record) as base64url text. */
export async function sealJson(key: CryptoKey, value: unknown, aad: string): Promise<string> {
  return toBase64Url(await encryptBytes(key, enc.encode(JSON.stringify(value)), aad));
}

export async function openJson<T>(key: CryptoKey, sealed: string, aad: string): Promise<T> {
  return JSON.parse(dec.decode(await decryptBytes(key, fromBase64Url(sealed), aad))) as T;
}

/** Blind index: a keyed hash lets us look a CPF up without storing it in clear. */
export async function blindIndex(key: CryptoKey, kind: string, value: string): Promise<string> {
  const mac = await crypto.subtle.sign("HMAC", key, enc.encode(`${kind}:${value}`));
  return toBase64Url(new Uint8Array(mac)).slice(0, 32);
}
