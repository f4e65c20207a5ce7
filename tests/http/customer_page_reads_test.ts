// The customer page without its cache reads the store in as few round trips as its data
// allows (issue #21): the miss counters with the link, then everything keyed by the case, then
// the customer whose id is in the case. Each round trip costs the request a KV call.
import assert from "node:assert/strict";
import { caseWithLink, setup } from "./renewal_fixtures.ts";
import { createApp } from "../../lib/app.ts";
import type { Db } from "../../services/db.ts";

/** The same store, counting the calls that go to KV (the real KV answers them). */
function counting(db: Db) {
  const calls: string[] = [];
  const kv = new Proxy(db.kv, {
    get(target, prop) {
      const v = Reflect.get(target, prop, target);
      if (typeof v !== "function") return v;
      if (!["get", "getMany", "list", "atomic", "set", "delete"].includes(String(prop))) {
        return v.bind(target);
      }
      return (...args: unknown[]) => {
        calls.push(String(prop));
        return (v as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { db: { ...db, kv } as Db, calls };
}

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
