// The customer page from memory (lib/page_cache.ts): this process's writes show at once,
// another process's within REVALIDATE_MS, and an expired link is refused even when cached.
import assert from "node:assert/strict";
import { testDb } from "../helpers.ts";
import { caseWithLink, customerPost, setup } from "./renewal_fixtures.ts";
import { PageCache, REVALIDATE_MS } from "../../lib/page_cache.ts";
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
