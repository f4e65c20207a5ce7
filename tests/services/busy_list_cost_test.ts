// Listing through the busy-retry wrapper costs what a raw list costs (issue #21): KV encodes a
// cursor on every read of `.cursor`, so the wrapper reads it only when it reopens or is asked.
import assert from "node:assert/strict";
import { retryBusy } from "../../services/kv_busy.ts";

Deno.test("a busy-retrying list reads KV's cursor once when asked, not once per entry", async () => {
  const real = await Deno.openKv(":memory:");
  try {
    const op = real.atomic();
    for (let i = 0; i < 300; i++) op.set(["rows", i], i);
    await op.commit();
    let cursorReads = 0;
    // The real iterator, with its cursor reads counted.
    const counted = new Proxy(real, {
      get(t, prop) {
        if (prop !== "list") return Reflect.get(t, prop, t).bind(t);
        return (sel: Deno.KvListSelector, o?: Deno.KvListOptions) => {
          const it = t.list(sel, o);
          return {
            next: () => it.next(),
            get cursor() {
              cursorReads++;
              return it.cursor;
            },
            [Symbol.asyncIterator]() {
              return this;
            },
          };
        };
      },
    });
    const iter = retryBusy(counted).list<number>({ prefix: ["rows"] }, { limit: 200 });
    let n = 0;
    for await (const _ of iter) n++;
    const cursor = iter.cursor;

    assert.equal(n, 200);
    assert.equal(cursorReads, 1, `${cursorReads} cursor reads for 200 entries`);
    const rest = [];
    for await (const e of real.list<number>({ prefix: ["rows"] }, { cursor })) rest.push(e.value);
    assert.equal(rest[0], 200, "the cursor resumes right after the last entry");
  } finally {
    real.close();
  }
});
