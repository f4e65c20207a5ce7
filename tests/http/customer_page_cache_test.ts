// The customer page from memory (lib/page_cache.ts): this process's writes show at once,
// another process's within REVALIDATE_MS, and an expired link is refused even when cached.
import assert from "node:assert/strict";
import { testDb } from "../helpers.ts";
import { caseWithLink, customerPost, setup } from "./renewal_fixtures.ts";
import { type CachedPage, PageCache, REVALIDATE_MS } from "../../lib/page_cache.ts";
import { createApp } from "../../lib/app.ts";
import { getCase } from "../../services/renewals/cases.ts";
import { listPlans } from "../../services/plans.ts";
import { keys } from "../../services/keys.ts";
import { sealCustomerPii, type StoredCustomer, unsealCustomer } from "../../services/customers.ts";
import type { Db } from "../../services/db.ts";

/** Renames the customer the way another process would: straight into the shared file. */
async function renameElsewhere(other: Db, customerId: string, name: string) {
  const e = await other.kv.get<StoredCustomer>(keys.customer(customerId));
  const c = await unsealCustomer(other, e.value!);
  const pii = await sealCustomerPii(other, customerId, { ...c, name });
  await other.kv.set(keys.customer(customerId), { ...e.value!, pii });
}

async function withSharedFile(
  over: Record<string, string>,
  fn: (
    t: Awaited<ReturnType<typeof setup>>,
    other: Db,
  ) => Promise<void>,
) {
  const dir = await Deno.makeTempDir({ prefix: "renova-cache-" });
  const t = await setup(over, undefined, `${dir}/kv.sqlite`);
  const other = await testDb(undefined, `${dir}/kv.sqlite`);
  try {
    await fn(t, other);
  } finally {
    other.kv.close();
    t.close();
    await Deno.remove(dir, { recursive: true });
  }
}

const firstName = (html: string) => html.match(/Olá, ([^!<]+)!/)?.[1];

Deno.test("customer page cache: own writes show at once, another process's within REVALIDATE_MS", async () => {
  await withSharedFile({}, async (t, other) => {
    const { caseId, token } = await caseWithLink(t);
    const customerId = (await getCase(t.db, caseId))!.customerId;
    const first = await (await t.app.request(`/r/${token}`)).text();
    assert.match(first, /Escolha seu novo plano/);
    const before = firstName(first);

    await renameElsewhere(other, customerId, "Zuleica Prado Teixeira");
    // Served from memory: this process did not see the other one's write yet.
    assert.equal(firstName(await (await t.app.request(`/r/${token}`)).text()), before);
    await new Promise((r) => setTimeout(r, REVALIDATE_MS + 50));
    assert.equal(firstName(await (await t.app.request(`/r/${token}`)).text()), "Zuleica");

    // The customer's own action: the page after the redirect is the next step, never the old.
    const plans = await listPlans(t.db);
    const chose = await customerPost(t, token, "choose_plan", {
      planId: plans[2].id,
      consent: "on",
    });
    assert.equal(chose.status, 303);
    const next = await (await t.app.request(`/r/${token}`)).text();
    assert.match(next, /Enviar foto/);
    assert.doesNotMatch(next, /Escolha seu novo plano/);
  });
});

Deno.test("customer page cache: off (PAGE_CACHE_ENTRIES=0), every request reads the store", async () => {
  await withSharedFile({ PAGE_CACHE_ENTRIES: "0" }, async (t, other) => {
    const { caseId, token } = await caseWithLink(t);
    await (await t.app.request(`/r/${token}`)).text();
    await renameElsewhere(other, (await getCase(t.db, caseId))!.customerId, "Zuleica Prado");
    assert.equal(firstName(await (await t.app.request(`/r/${token}`)).text()), "Zuleica");
  });
});

Deno.test("customer page cache: a cached page of an expired link is not served", async () => {
  let now = Date.now();
  await using t = await setup({ LINK_TTL_DAYS: "2" }, () => new Date(now));
  const { token } = await caseWithLink(t);
  assert.equal((await t.app.request(`/r/${token}`)).status, 200);
  assert.equal((await t.app.request(`/r/${token}`)).status, 200);
  now += 3 * 86400_000;
  const expired = await t.app.request(`/r/${token}`);
  assert.equal(expired.status, 404);
  assert.match(await expired.text(), /Este link expirou/);
  // A plan query is its own page, and is refused alike.
  assert.equal((await t.app.request(`/r/${token}?plan=x`)).status, 404);
});

Deno.test("customer page cache: made-up ?plan= values are not kept", async () => {
  await using t = await setup();
  const { token } = await caseWithLink(t);
  const cache = new PageCache(10, t.db);
  const app = createApp(t.db, t.config, { pageCache: cache });
  assert.equal((await app.request(`/r/${token}`)).status, 200);
  const plans = await listPlans(t.db);
  await app.request(`/r/${token}?plan=${plans[1].id}`);
  for (let i = 0; i < 5; i++) {
    assert.equal((await app.request(`/r/${token}?plan=junk${i}`)).status, 200);
  }
  assert.equal(cache.size, 2, "the page and one real plan's confirmation");
});

Deno.test("customer page cache: a hit is sent in the gzip bytes kept with the page, same page", async () => {
  await using t = await setup();
  const { token } = await caseWithLink(t);
  // Sees the cached page each hit reads, to find the bytes kept with it.
  const read: CachedPage[] = [];
  class Watched extends PageCache {
    override get(key: string) {
      const r = super.get(key);
      if (r) read.push(r.page);
      return r;
    }
  }
  const app = createApp(t.db, t.config, { pageCache: new Watched(10, t.db) });
  const gz = { "Accept-Encoding": "gzip" };
  const gunzip = async (r: Response) =>
    await new Response(r.body!.pipeThrough(new DecompressionStream("gzip"))).text();

  const rendered = await app.request(`/r/${token}`, { headers: gz });
  assert.equal(rendered.headers.get("Content-Encoding"), "gzip");
  const page = await gunzip(rendered);
  const hits = [];
  for (let i = 0; i < 2; i++) hits.push(await app.request(`/r/${token}`, { headers: gz }));
  for (const hit of hits) {
    assert.equal(hit.headers.get("Content-Encoding"), "gzip");
    assert.match(hit.headers.get("Vary") ?? "", /Accept-Encoding/);
    // The inline style's hash still reaches the CSP header.
    assert.equal(
      hit.headers.get("Content-Security-Policy"),
      rendered.headers.get("Content-Security-Policy"),
    );
    const bytes = new Uint8Array(await hit.clone().arrayBuffer());
    assert.equal(hit.headers.get("Content-Length"), String(bytes.length));
    const kept = read.at(-1)?.gzip;
    assert.ok(kept, "the cached page keeps its gzip bytes");
    assert.deepEqual([...bytes], [...kept], "the bytes kept with the cached page");
    assert.equal(await gunzip(hit), page, "the same document as the rendered answer");
  }
  // A client that takes no gzip gets the plain page from the same cache entry.
  const plain = await app.request(`/r/${token}`);
  assert.equal(plain.headers.get("Content-Encoding"), null);
  assert.equal(await plain.text(), page);
});

Deno.test("customer page cache: a page is gzipped once, when rendered, and kept with those bytes", async () => {
  await using t = await setup();
  const { token } = await caseWithLink(t);
  const kept: (Uint8Array | undefined)[] = [];
  class Watched extends PageCache {
    override set(key: string, page: CachedPage, ticket: { writes: number; at: number }) {
      kept.push(page.gzip);
      super.set(key, page, ticket);
    }
  }
  const app = createApp(t.db, t.config, { pageCache: new Watched(10, t.db) });
  const rendered = await app.request(`/r/${token}`, { headers: { "Accept-Encoding": "gzip" } });
  assert.equal(rendered.headers.get("Content-Encoding"), "gzip");
  const bytes = new Uint8Array(await rendered.arrayBuffer());
  assert.equal(kept.length, 1);
  assert.ok(kept[0], "the page went into the cache with its gzip bytes");
  assert.deepEqual([...kept[0]], [...bytes], "the bytes the rendered answer sent");
});
