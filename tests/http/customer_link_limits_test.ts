// Customer links under abuse (#14 item 10): guessed tokens are throttled per client and
// overall (429 with Retry-After, pt-BR), a cached valid page is not slowed by it, live-update
// streams are capped per link and end when their link is revoked or expires.
import assert from "node:assert/strict";
import { gunzipSync } from "node:zlib";
import { caseWithLink, setup } from "./renewal_fixtures.ts";
import { getCase, updateCase } from "../../services/renewals/cases.ts";
import { SYSTEM } from "../../domain/actor.ts";
import { postForm } from "../helpers.ts";
import {
  TOKEN_MISSES_OVERALL,
  TOKEN_MISSES_PER_CLIENT,
} from "../../services/renewals/link_guard.ts";
import { MAX_STREAMS_PER_LINK } from "../../services/renewals/live_streams.ts";

type T = Awaited<ReturnType<typeof setup>>;

function randomToken() {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return btoa(String.fromCharCode(...bytes)).replaceAll("+", "-").replaceAll("/", "_")
    .replace(/=+$/, "");
}

function get(t: T, path: string, ip: string) {
  return t.app.request(path, {}, { remoteAddr: { hostname: ip } });
}

async function status(t: T, path: string, ip: string) {
  const res = await get(t, path, ip);
  await res.body?.cancel();
  return res.status;
}

Deno.test("token misses: one client meets 429 (Retry-After, pt-BR) while others go on", async () => {
  await using t = await setup();
  const { token } = await caseWithLink(t);
  const statuses: number[] = [];
  for (let i = 0; i < TOKEN_MISSES_PER_CLIENT.max; i++) {
    statuses.push(await status(t, `/r/${randomToken()}`, "198.51.100.1"));
  }
  assert.ok(statuses.every((s) => s === 404));
  // A browser's request (takes gzip): the page is gzipped where it is rendered, and keeps its
  // status and the Retry-After set before it.
  const refused = await t.app.request(`/r/${randomToken()}`, {
    headers: { "Accept-Encoding": "gzip, deflate, br" },
  }, { remoteAddr: { hostname: "198.51.100.1" } });
  assert.equal(refused.status, 429);
  assert.equal(refused.headers.get("content-encoding"), "gzip");
  assert.ok(Number(refused.headers.get("retry-after")) > 0);
  const html = new TextDecoder().decode(gunzipSync(new Uint8Array(await refused.arrayBuffer())));
  assert.match(html, /Muitas tentativas/);
  assert.match(html, /Muitos links inválidos/);
  // Other routes under /r/:token answer the same to this client, valid token or not.
  assert.equal(await status(t, `/r/${randomToken()}/events`, "198.51.100.1"), 429);
  assert.equal(await status(t, `/r/${token}`, "198.51.100.1"), 429, "no lookups for it");
  assert.equal(await status(t, `/r/${token}`, "198.51.100.2"), 200, "another client");
});

Deno.test("token misses: a spray from many addresses meets the overall cap", async () => {
  await using t = await setup();
  let misses = 0;
  let refusedAt = 0;
  for (let i = 0; i < TOKEN_MISSES_OVERALL.max + 20 && !refusedAt; i++) {
    const s = await status(t, `/r/${randomToken()}`, `10.${i >> 8}.${i & 255}.9`);
    if (s === 404) misses++;
    else if (s === 429) refusedAt = i + 1;
  }
  assert.equal(misses, TOKEN_MISSES_OVERALL.max);
  assert.equal(refusedAt, TOKEN_MISSES_OVERALL.max + 1);
});

Deno.test("token misses: a valid page in the cache is served to a throttled client", async () => {
  await using t = await setup();
  const { token } = await caseWithLink(t);
  const ip = "198.51.100.3";
  assert.equal(await status(t, `/r/${token}`, ip), 200);
  for (let i = 0; i <= TOKEN_MISSES_PER_CLIENT.max; i++) {
    await status(t, `/r/${randomToken()}`, ip);
  }
  assert.equal(await status(t, `/r/${randomToken()}`, ip), 429);
  assert.equal(await status(t, `/r/${token}`, ip), 200, "cache hit: the counters are not read");
});

/** Reads SSE text until `done` or `ms` pass; returns what came and whether the stream ended. */
async function readFor(body: ReadableStream<Uint8Array>, ms: number) {
  const reader = body.getReader();
  const dec = new TextDecoder();
  let text = "";
  const deadline = Date.now() + ms;
  let ended = false;
  while (Date.now() < deadline) {
    const r = await Promise.race([
      reader.read(),
      new Promise<null>((res) => setTimeout(() => res(null), deadline - Date.now())),
    ]);
    if (r === null) break;
    if (r.done) {
      ended = true;
      break;
    }
    text += dec.decode(r.value);
  }
  if (!ended) await reader.cancel().catch(() => {});
  else reader.releaseLock();
  return { text, ended };
}

async function untilNoStreams(t: T, token: string, ip: string) {
  for (let i = 0; i < 50; i++) {
    const res = await get(t, `/r/${token}/events`, ip);
    if (res.status === 200) return res;
    await res.body?.cancel();
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error("no stream slot came free");
}

Deno.test("live streams: a few per link; one more gets 429; closing one frees its slot", async () => {
  await using t = await setup();
  const { token } = await caseWithLink(t);
  const open: Response[] = [];
  for (let i = 0; i < MAX_STREAMS_PER_LINK; i++) {
    const res = await get(t, `/r/${token}/events`, "10.0.0.7");
    assert.equal(res.status, 200);
    open.push(res);
  }
  const extra = await get(t, `/r/${token}/events`, "10.0.0.7");
  assert.equal(extra.status, 429);
  assert.ok(Number(extra.headers.get("retry-after")) > 0);
  await extra.body?.cancel();
  await open.pop()!.body!.cancel();
  open.push(await untilNoStreams(t, token, "10.0.0.7"));
  for (const r of open) await r.body!.cancel();
});

Deno.test("live streams: a stream ends when a new link revokes its link", async () => {
  await using t = await setup();
  const { caseId, token } = await caseWithLink(t);
  const res = await get(t, `/r/${token}/events`, "10.0.0.7");
  assert.equal(res.status, 200);
  const body = res.body!;
  const rev = String((await getCase(t.db, caseId))!.rev);
  const again = await postForm(t.app, `/app/cases/${caseId}/send_link`, {
    rev,
    channel: "whatsapp",
  }, t.att);
  assert.equal(again.status, 303);
  const { ended } = await readFor(body, 3000);
  assert.ok(ended, "the old link's stream is closed");
});

Deno.test("live streams: a stream ends when its link expires", async () => {
  const clock = { now: Date.now() };
  await using t = await setup({}, () => new Date(clock.now));
  const { caseId, token } = await caseWithLink(t);
  const res = await get(t, `/r/${token}/events`, "10.0.0.7");
  assert.equal(res.status, 200);
  clock.now += 16 * 86400_000; // past the 15-day link
  // Any change to the case wakes the stream, which must not send it on an expired link.
  const rev = String((await getCase(t.db, caseId))!.rev);
  await updateCase(t.db, {
    caseId,
    actor: SYSTEM,
    action: "customer.replied",
    apply: () => {},
  });
  const { text, ended } = await readFor(res.body!, 3000);
  assert.ok(ended, "the expired link's stream is closed");
  assert.ok(!text.includes(`"rev":${Number(rev) + 1}`), "no update after expiry");
});
