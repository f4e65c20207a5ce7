// The renewal list's first page checks every due row whose marks it cannot trust for an open case and a recent refusal in
// one parallel batch (issue #21): KV round trips, not their count, set the page's latency.
import assert from "node:assert/strict";
import { testDb } from "../helpers.ts";
import { seedIfEmpty } from "../../services/seed.ts";
import { findUserByUsername } from "../../services/users.ts";
import { keys } from "../../services/keys.ts";
import { renewalList } from "../../services/due_list.ts";
import type { Db } from "../../services/db.ts";

/** Entries whose marks are not trusted (services/due_marks.ts): the page checks each itself. */
async function distrustMarks(db: Db) {
  for await (const e of db.kv.list<object>({ prefix: keys.contractsDue() })) {
    await db.kv.set(e.key, { ...e.value, marksStale: true });
  }
}

Deno.test("renewal list: a page's open-case and refusal checks are all in flight at once", async () => {
  await using db = await testDb();
  await seedIfEmpty(db, {});
  const att = (await findUserByUsername(db, "atendente1"))!;
  await distrustMarks(db);
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

Deno.test("renewal list: the first page checks the rows it shows and a few more, not 100 due entries", async () => {
  await using db = await testDb();
  await seedIfEmpty(db, {});
  const att = (await findUserByUsername(db, "atendente1"))!;
  await distrustMarks(db);
  const openCase = keys.openCaseByContract("x")[0];
  let checked = 0;
  const getMany = db.kv.getMany.bind(db.kv);
  const spy = (ks: Deno.KvKey[], o?: { consistency?: Deno.KvConsistencyLevel }) => {
    checked += ks.filter((k) => k[0] === openCase).length;
    return getMany(ks, o);
  };
  const kv = new Proxy(db.kv, {
    get: (t, p) =>
      p === "getMany" ? spy : ((v) => typeof v === "function" ? v.bind(t) : v)(Reflect.get(t, p)),
  });

  // A year's window: the seed's 60 due contracts, more than a page shows.
  const list = await renewalList({ ...db, kv }, att, {}, 365);

  assert.equal(list.dueRows.length, 25, "a full page");
  assert.ok(list.cursor, "and a next one");
  assert.ok(checked <= 40, `${checked} contracts checked for an open case to show 25`);
  const next = await renewalList(db, att, { cursor: list.cursor }, 365);
  const ids = new Set(list.dueRows.map((r) => r.contractId));
  assert.ok(next.dueRows.length > 0 && next.dueRows.every((r) => !ids.has(r.contractId)));
});
