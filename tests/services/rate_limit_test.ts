// The KV counters under a parallel burst: a reservation never lets more than the limit through,
// and contention ends in a refusal (429), never in an error that skips the count.
import assert from "node:assert/strict";
import { testDb } from "../helpers.ts";
import { hit, release, take } from "../../services/rate_limit.ts";
import { RateLimitError } from "../../services/errors.ts";

const LIMIT = { max: 30, windowMs: 60_000 };
const charge = [{ scope: "test", subject: "s", limit: LIMIT }];

Deno.test("take: 60 parallel reservations on a limit of 30 let at most 30 through, the rest 429", async () => {
  const db = await testDb();
  try {
    const results = await Promise.allSettled(Array.from({ length: 60 }, () => take(db, charge)));
    const passed = results.filter((r) => r.status === "fulfilled").length;
    const refused = results.filter((r) =>
      r.status === "rejected" && r.reason instanceof RateLimitError
    ).length;
    assert.ok(passed <= LIMIT.max, `${passed} through`);
    assert.equal(passed + refused, 60, "every other one refused with 429");
  } finally {
    db.kv.close();
  }
});

Deno.test("hit: 60 parallel hits on one counter are counted or refused with 429, never an error", async () => {
  const db = await testDb();
  try {
    const results = await Promise.allSettled(
      Array.from({ length: 60 }, () => hit(db, "test", "h", LIMIT)),
    );
    const errors = results.filter((r) =>
      r.status === "rejected" && !(r.reason instanceof RateLimitError)
    );
    assert.equal(errors.length, 0, String((errors[0] as PromiseRejectedResult)?.reason));
  } finally {
    db.kv.close();
  }
});

Deno.test("release gives one use back within the window", async () => {
  const db = await testDb();
  const one = [{ scope: "test", subject: "r", limit: { max: 1, windowMs: 60_000 } }];
  try {
    await take(db, one);
    await assert.rejects(() => take(db, one), RateLimitError);
    await release(db, one);
    await take(db, one);
  } finally {
    db.kv.close();
  }
});
