// The renewal list's first page checks every due row for an open case and a recent refusal in
// one parallel batch (issue #21): KV round trips, not their count, set the page's latency.
import assert from "node:assert/strict";
import { testDb } from "../helpers.ts";
import { seedIfEmpty } from "../../services/seed.ts";
import { findUserByUsername } from "../../services/users.ts";
import { keys } from "../../services/keys.ts";
import { renewalList } from "../../services/due_list.ts";

Deno.test("renewal list: a page's open-case and refusal checks are all in flight at once", async () => {
  await using db = await testDb();
  await seedIfEmpty(db, {});
  const att = (await findUserByUsername(db, "atendente1"))!;
  const checks = new Set<Deno.KvKeyPart>([
    keys.openCaseByContract("x")[0],
    keys.contractDeclined("x")[0],
  ]);
  let calls = 0, inFlight = 0, maxInFlight = 0;
  const getMany = db.kv.getMany.bind(db.kv);
  // Counts the real store's batched reads of the two check indexes; answers come from KV.
  const spy = async (ks: Deno.KvKey[], o?: { consistency?: Deno.KvConsistencyLevel }) => {
    if (!checks.has(ks[0]?.[0])) return await getMany(ks, o);
    calls++;
    maxInFlight = Math.max(maxInFlight, ++inFlight);
    try {
      return await getMany(ks, o);
    } finally {
      inFlight--;
    }
  };
  const kv = new Proxy(db.kv, {
    get: (t, p) =>
      p === "getMany" ? spy : ((v) => typeof v === "function" ? v.bind(t) : v)(Reflect.get(t, p)),
  });

  const list = await renewalList({ ...db, kv }, att, {}, 60);

  assert.ok(list.dueRows.length > 0, "the seed has due contracts");
  assert.ok(calls >= 2, `${calls} check batches`);
  assert.equal(maxInFlight, calls, "every check batch of the page was sent before any answer");
});
