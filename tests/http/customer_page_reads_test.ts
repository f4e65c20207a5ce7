// The customer page without its cache reads the store in as few round trips as its data
// allows (issue #21): the miss counters with the link, then everything keyed by the case, then
// the customer whose id is in the case. Each round trip costs the request a KV call.
import assert from "node:assert/strict";
import { caseWithLink, countingKvCalls as counting, setup } from "./renewal_fixtures.ts";
import { createApp } from "../../lib/app.ts";

Deno.test("customer page, uncached: three KV round trips (counters + link, case's keys, customer)", async () => {
  await using t = await setup({ PAGE_CACHE_ENTRIES: "0" });
  const { token } = await caseWithLink(t);
  const { db, calls } = counting(t.db);
  const app = createApp(db, t.config);
  // The first open records "link aberto" (a write); the second is a plain render.
  await (await app.request(`/r/${token}`)).body?.cancel();
  calls.length = 0;
  const res = await app.request(`/r/${token}`);
  assert.equal(res.status, 200);
  assert.match(await res.text(), /Escolha seu novo plano/);
  assert.deepEqual(calls, ["getMany", "getMany", "get"]);
});
