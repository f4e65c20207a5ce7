// "database is locked": another process holding the KV file's write lock must slow a request
// or a job down, not fail it. Jobs that must run once hold a lease.
import assert from "node:assert/strict";
import { openDb } from "../../services/db.ts";
import { retryBusy, withBusyRetry } from "../../services/kv_busy.ts";
import { TEST_KEY, testDb } from "../helpers.ts";
import { acquireLease, releaseLease, renewLease } from "../../services/leases.ts";
import { runDueJobs } from "../../services/ops/daily_jobs.ts";

/** Starts a second process that holds the exclusive lock on `path` for `ms`. */
async function holdLock(path: string, ms: number) {
  const script = new URL("../fixtures/hold_sqlite_lock.ts", import.meta.url).pathname;
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", script, path, String(ms)],
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const reader = child.stdout.getReader();
  const { value } = await reader.read();
  assert.match(new TextDecoder().decode(value), /locked/);
  reader.releaseLock();
  return async () => {
    await child.stdout.cancel();
    await child.status;
  };
}

Deno.test({
  name: "writes wait out another process's lock (longer than KV's own busy wait) and succeed",
  sanitizeResources: false,
  fn: async () => {
    const dir = await Deno.makeTempDir();
    const path = `${dir}/renova.kv`;
    const db = await openDb({ path, dataKey: TEST_KEY });
    try {
      await db.kv.set(["probe", "before"], 1);
      // KV itself waits ~5 s for the lock, then throws "database is locked".
      const done = await holdLock(path, 6_500);
      const [set, commit] = await Promise.all([
        db.kv.set(["probe", "set"], 2),
        db.kv.atomic().set(["probe", "atomic"], 3).commit(),
      ]);
      assert.ok(set.ok);
      assert.ok(commit.ok);
      await done();
      const seen = [];
      for await (const e of db.kv.list({ prefix: ["probe"] })) seen.push(e.value);
      assert.deepEqual(seen.sort(), [1, 2, 3]);
    } finally {
      db.kv.close();
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test("a lease is held by one taker at a time, renewed by its holder, free once it runs out", async () => {
  let now = Date.parse("2026-03-05T10:00:00Z");
  await using db = await testDb(() => new Date(now));
  const a = await acquireLease(db, "job:x", 60_000);
  assert.ok(a);
  assert.equal(await acquireLease(db, "job:x", 60_000), null, "held");
  now += 50_000;
  assert.ok(await renewLease(db, a));
  now += 50_000;
  assert.equal(await acquireLease(db, "job:x", 60_000), null, "renewed, still held");
  now += 61_000;
  const b = await acquireLease(db, "job:x", 60_000);
  assert.ok(b, "a dead holder's lease runs out");
  assert.equal(await renewLease(db, a), false, "the old holder lost it");
  await releaseLease(db, a);
  assert.equal(await acquireLease(db, "job:x", 60_000), null, "not released by a non-holder");
  await releaseLease(db, b);
  assert.ok(await acquireLease(db, "job:x", 60_000));
});

Deno.test("two processes run a once-a-day job at the same time: one runs it, the other skips", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/renova.kv`;
  const a = await openDb({ path, dataKey: TEST_KEY });
  const b = await openDb({ path, dataKey: TEST_KEY });
  try {
    let runs = 0;
    const job = {
      name: "stale_cases",
      run: async () => {
        runs++;
        await new Promise((r) => setTimeout(r, 200));
        return { expired: 0 };
      },
    };
    const quiet = () => {};
    const [ra, rb] = await Promise.all([
      runDueJobs(a, [job], quiet),
      runDueJobs(b, [job], quiet),
    ]);
    assert.equal(runs, 1);
    assert.deepEqual([ra.stale_cases, rb.stale_cases].sort(), ["held", "ran"]);
  } finally {
    a.kv.close();
    b.kv.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a list that hits the lock midway reopens at its cursor: every entry once, in order", async () => {
  // A second process's lock cannot be made to stop a read here (WAL readers are not blocked),
  // so the real KV's list fails once with the real message after two entries.
  const real = await Deno.openKv(":memory:");
  try {
    for (let i = 0; i < 7; i++) await real.set(["rows", i], i);
    let failed = false;
    const flaky = new Proxy(real, {
      get(t, prop) {
        if (prop !== "list") return Reflect.get(t, prop, t).bind(t);
        return (sel: Deno.KvListSelector, o?: Deno.KvListOptions) => {
          const it = t.list(sel, o);
          let n = 0;
          return {
            next: async () => {
              if (!failed && n++ === 2) {
                failed = true;
                throw new TypeError("database is locked");
              }
              return await it.next();
            },
            get cursor() {
              return it.cursor;
            },
            [Symbol.asyncIterator]() {
              return this;
            },
          };
        };
      },
    });
    const kv = retryBusy(flaky, { backoffMs: [1, 1] });
    const seen: unknown[] = [];
    for await (const e of kv.list({ prefix: ["rows"] }, { limit: 5 })) seen.push(e.value);
    assert.ok(failed);
    assert.deepEqual(seen, [0, 1, 2, 3, 4]);
  } finally {
    real.close();
  }
});

Deno.test("only busy errors are retried, and only a bounded number of times", async () => {
  let calls = 0;
  await assert.rejects(
    withBusyRetry(() => {
      calls++;
      return Promise.reject(new TypeError("Value too large (max 65536 bytes)"));
    }, { backoffMs: [1, 1, 1] }),
    /too large/,
  );
  assert.equal(calls, 1);
  calls = 0;
  await assert.rejects(
    withBusyRetry(() => {
      calls++;
      return Promise.reject(new TypeError("database is locked"));
    }, { backoffMs: [1, 1, 1] }),
    /locked/,
  );
  assert.equal(calls, 4);
});
