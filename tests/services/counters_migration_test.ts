// A store from before the counters (#17) gets them from its cases when it migrates, so the
// dashboard is right from the first start after the upgrade.
import assert from "node:assert/strict";
import { testDb } from "../helpers.ts";
import { caseAt } from "../factories.ts";
import { keys } from "../../services/keys.ts";
import { migrate } from "../../services/migrations.ts";
import { checkCounters } from "../../services/renewals/counters_rebuild.ts";

Deno.test("migration 7: counters missing from an old store are rebuilt from its cases", async () => {
  await using db = await testDb();
  await caseAt(db, "photo_sent");
  // As an old store: no counter keys, schema at 6.
  for await (const e of db.kv.list({ prefix: keys.countersAll() })) await db.kv.delete(e.key);
  assert.ok((await checkCounters(db)).mismatches.length > 0, "the old store lacks its counters");
  await db.kv.set(keys.schemaVersion(), 6);
  await migrate(db);
  assert.deepEqual((await checkCounters(db)).mismatches, []);
});
