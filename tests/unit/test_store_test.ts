// The test store closes itself at the end of an `await using` scope (tests/helpers.ts).
import assert from "node:assert/strict";
import { testApp, testDb } from "../helpers.ts";
import type { Db } from "../../services/db.ts";

Deno.test("testDb: the store is closed when its await using scope ends", async () => {
  let kept: Db;
  {
    await using db = await testDb();
    await db.kv.set(["probe"], 1);
    kept = db;
  }
  await assert.rejects(() => kept.kv.get(["probe"]));
});

Deno.test("testApp: its store is closed when its await using scope ends", async () => {
  let kept: Db;
  {
    await using t = await testApp();
    kept = t.db;
  }
  await assert.rejects(() => kept.kv.get(["probe"]));
});
