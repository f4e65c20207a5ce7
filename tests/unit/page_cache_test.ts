// The in-memory page cache: bounded, drops idle pages, drops a page when a record it was
// rendered from is written by this process, and asks for a check after REVALIDATE_MS.
import assert from "node:assert/strict";
import { IDLE_MS, PageCache, REVALIDATE_MS } from "../../lib/page_cache.ts";
import { testDb } from "../helpers.ts";

const page = (caseId: string, deps: Deno.KvKey[] = [["cases", caseId]]) => ({
  html: `<p>${caseId}</p>`,
  caseId,
  step: "contact",
  expiresAt: "2999-01-01T00:00:00.000Z",
  keys: deps,
  stamps: deps.map(() => "00000000000000010000"),
});

Deno.test("page cache: least recently used goes first; idle pages are dropped", () => {
  let now = 1_000_000;
  const cache = new PageCache(2, undefined, () => now);
  cache.set("a", page("a"), cache.begin());
  cache.set("b", page("b"), cache.begin());
  assert.ok(cache.get("a"), "a used: b is now the oldest");
  cache.set("c", page("c"), cache.begin());
  assert.equal(cache.size, 2);
  assert.equal(cache.get("b"), undefined);
  assert.equal(cache.get("a")?.page.caseId, "a");
  now += IDLE_MS + 1;
  assert.equal(cache.get("a"), undefined, "unused for longer than IDLE_MS");
  assert.equal(new PageCache(0).size, 0);

  // Idle pages go even when nobody asks for them again (the sweep, also run on every store).
  cache.set("d", page("d"), cache.begin());
  now += 1000;
  cache.set("e", page("e"), cache.begin());
  now += IDLE_MS - 500;
  cache.sweep();
  assert.equal(cache.size, 1, "d is idle, e is not");
  now += 1000;
  cache.sweep();
  assert.equal(cache.size, 0);
});

Deno.test("page cache: served unchecked only within REVALIDATE_MS of its last check", () => {
  let now = 5_000_000;
  const cache = new PageCache(10, undefined, () => now);
  cache.set("a", page("a"), cache.begin());
  assert.equal(cache.get("a")?.checked, true);
  now += REVALIDATE_MS;
  const hit = cache.get("a")!;
  assert.equal(hit.checked, false, "stale check: the caller must read the stamps");
  cache.checked("a", hit.page, now);
  assert.equal(cache.get("a")?.checked, true);
});

Deno.test("page cache: this process's writes drop dependent pages, even mid-render", async () => {
  await using db = await testDb();
  const cache = new PageCache(10, db);
  cache.set("a", page("a", [["cases", "A"], ["customers", "X"]]), cache.begin());
  cache.set("b", page("b", [["cases", "B"], ["customers", "X"]]), cache.begin());
  cache.set("c", page("c", [["cases", "C"]]), cache.begin());
  await db.kv.atomic().set(["customers", "X"], 1).commit();
  assert.equal(cache.get("a"), undefined);
  assert.equal(cache.get("b"), undefined);
  assert.ok(cache.get("c"), "unrelated page kept");
  await db.kv.delete(["cases", "C"]);
  assert.equal(cache.get("c"), undefined, "kv.delete counts too");

  // A write that lands while a page renders may be newer than what the render read.
  const ticket = cache.begin();
  await db.kv.set(["cases", "D"], 1);
  cache.set("d", page("d", [["cases", "D"]]), ticket);
  assert.equal(cache.get("d")?.checked, false, "must be checked before it is served");
  // A failed atomic changes nothing and drops nothing.
  cache.set("e", page("e", [["cases", "E"]]), cache.begin());
  const res = await db.kv.atomic().check({ key: ["cases", "E"], versionstamp: "0".repeat(20) })
    .set(["cases", "E"], 2).commit();
  assert.equal(res.ok, false);
  assert.equal(cache.get("e")?.checked, true);
});

Deno.test("page cache: on a store opened without the write feed, every hit is checked first", async () => {
  await using db = await testDb();
  // A Db that did not come through openDb (the one door): its writes would go unheard.
  const unfed = { ...db, onWrite: undefined } as unknown as typeof db;
  const cache = new PageCache(10, unfed);
  cache.set("a", page("a"), cache.begin());
  assert.equal(cache.get("a")?.checked, false, "no write feed: the caller must read the stamps");
});
