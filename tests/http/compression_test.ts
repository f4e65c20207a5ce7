// Response compression (#16 item 15, lib/compress.ts): text answers go out as brotli or gzip;
// live updates, PDFs and images never; signed-in staff pages never (BREACH, docs/security.md).
import assert from "node:assert/strict";
import { gunzipSync, gzipSync } from "node:zlib";
import { makeUser, signInAs, testApp } from "../helpers.ts";
import { caseAt } from "../factories.ts";
import type { App } from "../../lib/app.ts";

async function withCase(step: Parameters<typeof caseAt>[1]) {
  const t = await testApp();
  const h = await caseAt(t.db, step);
  return Object.assign(t, { token: h.token! });
}

const get = (t: { app: App }) => async (path: string, encoding: string, cookie?: string) =>
  await t.app.request(path, {
    headers: { "accept-encoding": encoding, ...(cookie ? { cookie } : {}) },
  });

Deno.test("compression: a customer page goes gzip to a client that accepts gzip, same HTML", async () => {
  await using t = await withCase("offer");
  const plain = await (await get(t)(`/r/${t.token}`, "identity")).text();
  const res = await get(t)(`/r/${t.token}`, "gzip");
  assert.equal(res.headers.get("content-encoding"), "gzip");
  assert.match(res.headers.get("vary") ?? "", /Accept-Encoding/i);
  const body = new Uint8Array(await res.arrayBuffer());
  assert.ok(body.length < plain.length / 2, `${body.length} vs ${plain.length}`);
  assert.equal(new TextDecoder().decode(gunzipSync(body)), plain);
});

Deno.test("compression: a page with an error status (invalid link, 404) goes gzip with it", async () => {
  await using t = await testApp();
  const plain = await get(t)("/r/no-such-link-at-all", "identity");
  const res = await get(t)("/r/no-such-link-at-all", "gzip");
  assert.equal(res.status, 404);
  assert.equal(res.headers.get("content-encoding"), "gzip");
  const body = new Uint8Array(await res.arrayBuffer());
  assert.equal(res.headers.get("content-length"), String(body.length));
  assert.equal(new TextDecoder().decode(gunzipSync(body)), await plain.text());
});

Deno.test("compression: brotli when the client accepts br and not gzip", async () => {
  await using t = await withCase("offer");
  const res = await get(t)(`/r/${t.token}`, "br");
  assert.equal(res.headers.get("content-encoding"), "br");
  const html = await new Response(
    res.body!.pipeThrough(new DecompressionStream("brotli" as CompressionFormat)),
  ).text();
  assert.match(html, /^<!DOCTYPE html>/);
});

Deno.test("compression: a rendered page goes gzip in one piece with its length, even to a br client", async () => {
  await using t = await withCase("offer");
  const res = await get(t)(`/r/${t.token}`, "gzip, deflate, br");
  assert.equal(res.headers.get("content-encoding"), "gzip");
  const body = new Uint8Array(await res.arrayBuffer());
  assert.equal(res.headers.get("content-length"), String(body.length));
  // The bytes native zlib gives the whole page at level 2 (the streaming brotli encoder cost
  // half of an uncached page's CPU; level 6 cost ~80 µs more for 6–7% fewer bytes: issue #21).
  assert.deepEqual(body, new Uint8Array(gzipSync(gunzipSync(body), { level: 2 })));
  assert.match(new TextDecoder().decode(gunzipSync(body)), /^<!DOCTYPE html>/);
});

Deno.test("compression: live updates (SSE) are never compressed", async () => {
  await using t = await withCase("photo_sent");
  const res = await get(t)(`/r/${t.token}/events`, "gzip, br");
  assert.match(res.headers.get("content-type") ?? "", /text\/event-stream/);
  assert.equal(res.headers.get("content-encoding"), null);
  await res.body?.cancel();
});

Deno.test("compression: PDFs and PNGs (already compressed) go as they are", async () => {
  await using t = await withCase("signature_sent");
  const pdf = await get(t)(`/r/${t.token}/contrato.pdf`, "gzip, br");
  assert.equal(pdf.status, 200);
  assert.equal(pdf.headers.get("content-encoding"), null);
  assert.equal(new TextDecoder().decode((await pdf.bytes()).subarray(0, 5)), "%PDF-");
  const png = await get(t)("/static/icons/icon-512.png", "gzip, br");
  assert.equal(png.headers.get("content-encoding"), null);
  await png.body?.cancel();
});

Deno.test("compression: signed-in staff pages are not compressed (CSRF token + query text: BREACH)", async () => {
  await using t = await testApp();
  await makeUser(t.db, "attendant");
  const desk = await signInAs(t.app, "attendant1");
  const res = await get(t)("/app?q=abc", "gzip, br", desk.cookie);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("content-encoding"), null);
  assert.match(await res.text(), /name="_csrf"/);
  // The same server compresses the sign-in page, which holds no secret.
  const login = await get(t)("/login", "gzip");
  assert.equal(login.headers.get("content-encoding"), "gzip");
  await login.body?.cancel();
});

Deno.test("compression: a static file keeps zlib's default level (fetched once, bytes count)", async () => {
  await using t = await withCase("offer");
  const res = await get(t)("/static/sw.js", "gzip, br");
  assert.equal(res.headers.get("content-encoding"), "gzip");
  const body = new Uint8Array(await res.arrayBuffer());
  assert.deepEqual(body, new Uint8Array(gzipSync(gunzipSync(body), { level: 6 })));
});
