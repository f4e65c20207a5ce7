// Operations: backup/restore round trip, corrupted dumps, retention, settings errors.
import assert from "node:assert/strict";
import { testDb } from "../helpers.ts";
import { seedIfEmpty } from "../../services/seed.ts";
import { getBlobMeta, putBlob } from "../../services/blobs.ts";
import { backup, restore, RestoreError } from "../../services/ops/backup.ts";
import { purgeExpired } from "../../services/ops/retention.ts";
import { keys } from "../../services/keys.ts";
import type { RenewalCase } from "../../services/renewals/cases.ts";
import { ConfigError, loadConfig } from "../../app.config.ts";

async function dumpTo(kv: Deno.Kv, file: string) {
  return await backup(
    kv,
    async () =>
      (await Deno.open(file, { write: true, create: true, truncate: true })).writable.getWriter(),
  );
}

async function all(kv: Deno.Kv) {
  const out: [Deno.KvKey, unknown][] = [];
  for await (const e of kv.list({ prefix: [] })) {
    if (e.key[0] === "meta" && e.key[1] === "backup_marker") continue;
    out.push([e.key, e.value]);
  }
  return out;
}

Deno.test("backup → restore into an empty store gives the same keys and values", async () => {
  const dir = await Deno.makeTempDir();
  const src = await testDb();
  const dst = await testDb();
  try {
    await seedIfEmpty(src, {});
    await putBlob(
      src,
      new Uint8Array(200_000).map((_, i) => (i * 7919) % 251),
      "image/png",
      "holder_photo",
    );
    await src.kv.set(["odd", 1n, true, new Uint8Array([1, 2])], {
      n: new Deno.KvU64(7n),
      d: new Date(0),
      u: undefined,
    });
    const res = await dumpTo(src.kv, `${dir}/dump.ndjson`);
    assert.equal(res.consistent, true);
    // The destination must start empty (testDb migrated it: clear that).
    for await (const e of dst.kv.list({ prefix: [] })) await dst.kv.delete(e.key);
    const { entries } = await restore(
      dst.kv,
      async () => (await Deno.open(`${dir}/dump.ndjson`)).readable,
    );
    assert.equal(entries, res.entries);
    assert.deepEqual(await all(dst.kv), await all(src.kv));

    await assert.rejects(
      () => restore(dst.kv, async () => (await Deno.open(`${dir}/dump.ndjson`)).readable),
      (e) => e instanceof RestoreError && /não está vazio/.test(e.message),
    );
  } finally {
    src.kv.close();
    dst.kv.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a corrupted dump is refused and writes nothing", async () => {
  const dir = await Deno.makeTempDir();
  const src = await testDb();
  const dst = await Deno.openKv(":memory:");
  try {
    await seedIfEmpty(src, {});
    await dumpTo(src.kv, `${dir}/d.ndjson`);
    const text = await Deno.readTextFile(`${dir}/d.ndjson`);
    const lines = text.split("\n");
    lines[5] = lines[5].replace(/[0-9]/, (d) => String((Number(d) + 1) % 10));
    await Deno.writeTextFile(`${dir}/bad.ndjson`, lines.join("\n"));
    await assert.rejects(
      () => restore(dst, async () => (await Deno.open(`${dir}/bad.ndjson`)).readable),
      (e) => e instanceof RestoreError && /checksum não confere/.test(e.message),
    );
    await Deno.writeTextFile(`${dir}/cut.ndjson`, lines.slice(0, 10).join("\n"));
    await assert.rejects(
      () => restore(dst, async () => (await Deno.open(`${dir}/cut.ndjson`)).readable),
      /incompleto/,
    );
    assert.equal((await all(dst)).length, 0);
  } finally {
    src.kv.close();
    dst.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("retention purges an old holder photo and keeps a recent one (fake clock)", async () => {
  let now = Date.parse("2026-06-01T12:00:00Z");
  await using db = await testDb(() => new Date(now));
  const mk = async (id: string, closedAt: string) => {
    const blob = await putBlob(db, new Uint8Array(1000).fill(9), "image/jpeg", "holder_photo");
    const old = await putBlob(db, new Uint8Array(10).fill(1), "image/jpeg", "holder_photo");
    const c = {
      id,
      step: "closed",
      closedAt,
      updatedAt: closedAt,
      photo: {
        blobId: blob.id,
        contentType: "image/jpeg",
        size: 1000,
        uploadedAt: closedAt,
        status: "approved",
      },
      oldPhotoBlobIds: [old.id],
    } as unknown as RenewalCase;
    await db.kv.set(keys.case(id), c);
    await db.kv.set(keys.casesByStep("closed", id), {});
    return { blob: blob.id, old: old.id };
  };
  const oldCase = await mk("01OLD", "2026-02-01T00:00:00Z"); // 120 days before "now"
  const recent = await mk("01NEW", "2026-05-01T00:00:00Z"); // 31 days
  await db.kv.set(keys.link("expired"), {
    caseId: "x",
    issuedAt: "2026-01-01",
    expiresAt: "2026-01-16T00:00:00Z",
  });
  await db.kv.set(keys.link("live"), {
    caseId: "y",
    issuedAt: "2026-05-30",
    expiresAt: "2026-06-14T00:00:00Z",
  });

  // Only the photo counts here (the other retention counts have their own tests).
  const photoCounts = (r: Record<string, number>) => ({
    photos: r.photos,
    cases: r.cases,
    links: r.links,
  });
  const r = photoCounts({ ...await purgeExpired(db, { photoRetentionDays: 90 }) });
  assert.deepEqual(r, { photos: 2, cases: 1, links: 1 });
  assert.equal(await getBlobMeta(db, oldCase.blob), null);
  assert.equal(await getBlobMeta(db, oldCase.old), null);
  assert.ok(await getBlobMeta(db, recent.blob), "the recent one is kept");
  const purged = (await db.kv.get<RenewalCase>(keys.case("01OLD"))).value!;
  assert.ok(purged.photo!.purgedAt, "the case records the purge");
  assert.equal((await db.kv.get(keys.link("expired"))).value, null);
  assert.ok((await db.kv.get(keys.link("live"))).value);

  now += 60 * 86400_000; // two months later the recent one goes too, and nothing twice
  assert.deepEqual(photoCounts({ ...await purgeExpired(db, { photoRetentionDays: 90 }) }), {
    photos: 2,
    cases: 1,
    links: 1,
  });
  assert.deepEqual(photoCounts({ ...await purgeExpired(db, { photoRetentionDays: 90 }) }), {
    photos: 0,
    cases: 0,
    links: 0,
  });
});

Deno.test("a bad setting stops the start with its name, never a stack trace", async () => {
  assert.throws(
    () => loadConfig({ PORT: "oito mil" }),
    (e) => e instanceof ConfigError && /PORT/.test(e.message),
  );
  assert.throws(() => loadConfig({ RENOVA_DATA_KEY: "curta" }), /RENOVA_DATA_KEY/);
  assert.throws(() => loadConfig({ SIGNING_P12_BASE64: "abc" }), /SIGNING_P12_PASSWORD/);
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", new URL("../../main.ts", import.meta.url).pathname],
    env: { PORT: "oito mil", KV_PATH: ":memory:" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stderr) + new TextDecoder().decode(out.stdout);
  assert.equal(out.code, 1);
  assert.match(text, /Configuração inválida: PORT precisa ser um número inteiro/);
  assert.doesNotMatch(text, /at .*\.ts:\d+/);
});

Deno.test("PASSWORD_ITERATIONS that would break or hang every sign-in stops the start", () => {
  for (const bad of ["abc", "0", "1e9"]) {
    assert.throws(
      () => loadConfig({ PASSWORD_ITERATIONS: bad }),
      (e) => e instanceof ConfigError && /PASSWORD_ITERATIONS/.test(e.message),
      bad,
    );
  }
  assert.doesNotThrow(() => loadConfig({ PASSWORD_ITERATIONS: "600000" }));
});
