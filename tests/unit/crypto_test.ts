import assert from "node:assert/strict";
import {
  blindIndex,
  decryptBytes,
  deriveDataKeys,
  encryptBytes,
  fromBase64Url,
  openJson,
  randomToken,
  sealJson,
  sha256Hex,
  toBase64Url,
} from "../../services/crypto.ts";

const master = new Uint8Array(32).fill(7);

Deno.test("sealed JSON round-trips and is bound to its place (aad)", async () => {
  const k = await deriveDataKeys(master);
  const sealed = await sealJson(k.aes, { cpf: "52998224725" }, "customer:1");
  assert.ok(!sealed.includes("52998224725"));
  assert.deepEqual(await openJson(k.aes, sealed, "customer:1"), { cpf: "52998224725" });
  await assert.rejects(() => openJson(k.aes, sealed, "customer:2"));
});

Deno.test("tampered ciphertext is refused", async () => {
  const k = await deriveDataKeys(master);
  const ct = await encryptBytes(k.aes, new TextEncoder().encode("foto"), "blob:x:0");
  ct[ct.length - 1] ^= 1;
  await assert.rejects(() => decryptBytes(k.aes, ct, "blob:x:0"));
});

Deno.test("blind index is stable per key and differs across keys", async () => {
  const a = await deriveDataKeys(master);
  const b = await deriveDataKeys(new Uint8Array(32).fill(8));
  assert.equal(await blindIndex(a.hmac, "cpf", "1"), await blindIndex(a.hmac, "cpf", "1"));
  assert.notEqual(await blindIndex(a.hmac, "cpf", "1"), await blindIndex(b.hmac, "cpf", "1"));
  await assert.rejects(() => deriveDataKeys(new Uint8Array(16)));
});

Deno.test("tokens carry 256 bits and hashes are SHA-256", async () => {
  assert.equal(fromBase64Url(randomToken()).length, 32);
  assert.equal(
    await sha256Hex("abc"),
    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
  );
});

Deno.test("base64url: the URL alphabet, no padding, and stored values decode as before", () => {
  assert.equal(toBase64Url(Uint8Array.from([251, 255, 191])), "-_-_");
  assert.equal(toBase64Url(Uint8Array.from([251, 255])), "-_8");
  assert.deepEqual([...fromBase64Url("-_8")], [251, 255]);
  assert.deepEqual([...fromBase64Url("AAEC")], [0, 1, 2]);
  assert.equal(toBase64Url(new TextEncoder().encode("Olá, João")), "T2zDoSwgSm_Do28");
  assert.throws(() => fromBase64Url("não é base64"));
});
