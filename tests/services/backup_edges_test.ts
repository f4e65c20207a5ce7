// Backup and restore edges: a dump taken while the store changed is marked and refused unless
// accepted; --force replaces the target; key expiries are re-derived on restore.
import assert from "node:assert/strict";
import { backup, restore, RestoreError } from "../../services/ops/backup.ts";
import { restoredExpireIn } from "../../services/ops/kv_expiry.ts";

const DAY = 86400_000;

async function withDir(fn: (dir: string) => Promise<void>) {
  const dir = await Deno.makeTempDir();
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

const writer = (file: string) => async () =>
  (await Deno.open(file, { write: true, create: true, truncate: true })).writable.getWriter();
const reader = (file: string) => async () => (await Deno.open(file)).readable;

Deno.test("a dump taken while the store changed is marked inconsistent; restore refuses it unless accepted", async () => {
  await withDir(async (dir) => {
    const src = await Deno.openKv(":memory:");
    const dst = await Deno.openKv(":memory:");
    try {
      await src.set(["customers", "1"], { name: "A" });
      let writes = 0;
      const res = await backup(src, async () => {
        // The app writes while the dump runs.
        await src.set(["customers", String(++writes + 1)], { name: "B" });
        return await writer(`${dir}/d.ndjson`)();
      }, { maxPasses: 1 });
      assert.equal(res.consistent, false);
      const footer = JSON.parse(
        (await Deno.readTextFile(`${dir}/d.ndjson`)).trim().split("\n").at(-1)!,
      );
      assert.equal(footer.consistent, false, "the file itself says so");
      await assert.rejects(
        restore(dst, reader(`${dir}/d.ndjson`)),
        (e) => e instanceof RestoreError && /inconsistente/.test(e.message),
      );
      for await (const _ of dst.list({ prefix: [] })) assert.fail("nothing restored");
      const ok = await restore(dst, reader(`${dir}/d.ndjson`), { acceptInconsistent: true });
      assert.equal(ok.consistent, false);
      assert.ok(ok.entries >= 1);
    } finally {
      src.close();
      dst.close();
    }
  });
});

Deno.test("restore --force replaces the store: keys not in the dump are gone", async () => {
  await withDir(async (dir) => {
    const src = await Deno.openKv(":memory:");
    const dst = await Deno.openKv(":memory:");
    try {
      await src.set(["customers", "1"], { name: "Do backup" });
      await backup(src, writer(`${dir}/d.ndjson`));
      await dst.set(["customers", "1"], { name: "Mais novo" });
      await dst.set(["customers", "2"], { name: "Não estava no backup" });
      const r = await restore(dst, reader(`${dir}/d.ndjson`), { force: true });
      assert.equal(r.removed, 2);
      const left = [];
      for await (const e of dst.list({ prefix: ["customers"] })) left.push([e.key, e.value]);
      assert.deepEqual(left, [[["customers", "1"], { name: "Do backup" }]]);
    } finally {
      src.close();
      dst.close();
    }
  });
});

Deno.test("restore keeps expiries: records already past their own end do not come back", async () => {
  await withDir(async (dir) => {
    const src = await Deno.openKv(":memory:");
    const dst = await Deno.openKv(":memory:");
    const now = Date.parse("2026-03-05T12:00:00Z");
    try {
      // Written with expireIn, not yet reaped (KV expiry is lazy) when the dump ran.
      await src.set(["sessions", "live"], { absoluteExpiresAt: now + 3600_000 }, { expireIn: DAY });
      await src.set(["sessions", "old"], { absoluteExpiresAt: now - 1000 }, { expireIn: DAY });
      await src.set(["links", "old"], { expiresAt: new Date(now - 40 * DAY).toISOString() });
      await src.set(["customers", "1"], { name: "A" });
      await backup(src, writer(`${dir}/d.ndjson`));
      const r = await restore(dst, reader(`${dir}/d.ndjson`), { now });
      assert.equal(r.expired, 2);
      assert.equal((await dst.get(["sessions", "old"])).value, null);
      assert.equal((await dst.get(["links", "old"])).value, null);
      assert.ok((await dst.get(["sessions", "live"])).value);
      assert.ok((await dst.get(["customers", "1"])).value);
    } finally {
      src.close();
      dst.close();
    }
  });
});

Deno.test("re-derived expiries: from the value's own end, else the family's TTL; none for records", () => {
  const now = Date.parse("2026-03-05T12:00:00Z");
  assert.equal(restoredExpireIn(["sessions", "h"], { absoluteExpiresAt: now + 5000 }, now), 5000);
  assert.equal(
    restoredExpireIn(["links", "h"], { expiresAt: new Date(now).toISOString() }, now),
    30 * DAY,
  );
  assert.equal(restoredExpireIn(["messages_by_dedupe", "k"], "id", now), 180 * DAY);
  assert.equal(restoredExpireIn(["customers", "1"], { name: "A" }, now), undefined);
  assert.equal(restoredExpireIn(["inbound_events", "1"], { status: "queued" }, now), undefined);
});

Deno.test("re-derived expiries: the day's protocol counter is kept (gaps must stay auditable)", () => {
  const now = Date.parse("2026-03-05T12:00:00Z");
  assert.equal(restoredExpireIn(["protocol_seq", "20260305"], 17, now), undefined);
});

Deno.test("re-derived expiries: submission ids, read-audit marks and webhook markers expire", () => {
  const now = Date.parse("2026-03-05T12:00:00Z");
  const at = new Date(now - DAY).toISOString();
  assert.equal(restoredExpireIn(["submissions", "u", "s"], { at }, now), DAY);
  assert.equal(restoredExpireIn(["inbound_accepted", "m:x"], { at, record: "r" }, now), 0);
  const until = new Date(now + 60_000).toISOString();
  assert.equal(
    restoredExpireIn(["read_audit_marks", "u", "case:1", "page"], { until }, now),
    1860_000,
  );
  assert.ok(restoredExpireIn(["live_streams", "h"], { until: {} }, now)! > 0);
});
