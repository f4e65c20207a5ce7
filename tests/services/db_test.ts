import assert from "node:assert/strict";
import { testDb } from "../helpers.ts";
import { commitOrConflict, listPage, openDb } from "../../services/db.ts";
import { ConflictError, TooLargeError, ValidationError } from "../../services/errors.ts";
import { CHUNK_BYTES, deleteBlob, getBlob, getBlobMeta, putBlob } from "../../services/blobs.ts";
import { keys } from "../../services/keys.ts";
import { migrate, schemaVersion } from "../../services/migrations.ts";
import { createUser, getUser, setUserActive } from "../../services/users.ts";
import { SYSTEM } from "../../domain/actor.ts";

Deno.test("a stale update is refused with a 409-class error and changes nothing", async () => {
  await using db = await testDb();
  await db.kv.set(["things", "1"], { n: 1 });
  const seen = await db.kv.get<{ n: number }>(["things", "1"]);
  await db.kv.set(["things", "1"], { n: 2 }); // somebody else wrote meanwhile
  const err = await commitOrConflict(db.kv.atomic().check(seen).set(["things", "1"], { n: 3 }))
    .catch((e) => e);
  assert.ok(err instanceof ConflictError);
  assert.equal(err.status, 409);
  assert.match(err.message, /alterado por outra pessoa; recarregue/);
  assert.deepEqual((await db.kv.get(["things", "1"])).value, { n: 2 });
});

Deno.test("service update races: the second writer of the same version loses", async () => {
  await using db = await testDb();
  const u = await createUser(db, {
    username: "ana",
    name: "Ana",
    role: "attendant",
    password: "senha-forte-123",
  }, SYSTEM);
  const results = await Promise.allSettled([
    setUserActive(db, u.id, false, SYSTEM),
    setUserActive(db, u.id, false, SYSTEM),
    setUserActive(db, u.id, false, SYSTEM),
  ]);
  const ok = results.filter((r) => r.status === "fulfilled").length;
  const conflicts = results.filter((r) =>
    r.status === "rejected" && r.reason instanceof ConflictError
  );
  assert.ok(ok >= 1);
  assert.equal(ok + conflicts.length, 3);
  assert.equal((await getUser(db, u.id))!.active, false);
});

Deno.test("unique index race: of many concurrent creates with one username, exactly one wins", async () => {
  await using db = await testDb();
  const attempts = Array.from(
    { length: 8 },
    (_, i) =>
      createUser(db, {
        username: "Mesmo.Nome",
        name: `Pessoa ${i}`,
        role: "attendant",
        password: "senha-forte-123",
      }, SYSTEM),
  );
  const results = await Promise.allSettled(attempts);
  const won = results.filter((r) => r.status === "fulfilled");
  assert.equal(won.length, 1);
  for (const r of results) {
    if (r.status === "rejected") {
      assert.ok(r.reason instanceof ValidationError);
      assert.equal(r.reason.fields.username, "Este usuário já existe.");
    }
  }
  let users = 0;
  for await (const _ of db.kv.list({ prefix: keys.users() })) users++;
  assert.equal(users, 1, "losers left no half-written user");
});

Deno.test("cursor pagination walks a prefix in order without repeats", async () => {
  await using db = await testDb();
  for (let i = 0; i < 23; i++) await db.kv.set(["items", String(i).padStart(3, "0")], i);
  const seen: number[] = [];
  let cursor = "";
  let pages = 0;
  do {
    const page = await listPage<number>(db.kv, { prefix: ["items"] }, { limit: 10, cursor });
    seen.push(...page.items.map((e) => e.value));
    cursor = page.cursor;
    pages++;
  } while (cursor);
  assert.deepEqual(seen, Array.from({ length: 23 }, (_, i) => i));
  assert.equal(pages, 3);
});

Deno.test("blob store: a 5 MB file round-trips, chunked ≤ 63 KB and encrypted at rest", async () => {
  await using db = await testDb();
  const data = new Uint8Array(5 * 1024 * 1024);
  for (let i = 0; i < data.length; i += 65536) {
    crypto.getRandomValues(data.subarray(i, Math.min(i + 65536, data.length)));
  }
  data.set(new TextEncoder().encode("SEGREDO-DO-CLIENTE"), 1000);
  const meta = await putBlob(db, data, "image/jpeg", "holder_photo");
  assert.equal(meta.chunks, Math.ceil(data.length / CHUNK_BYTES));
  let chunks = 0;
  for await (const e of db.kv.list<Uint8Array>({ prefix: keys.blobChunks(meta.id) })) {
    chunks++;
    assert.ok(e.value.length <= 64 * 1024, "each KV value stays under 64 KiB");
    assert.ok(!new TextDecoder("latin1").decode(e.value).includes("SEGREDO-DO-CLIENTE"));
  }
  assert.equal(chunks, meta.chunks);
  const back = await getBlob(db, meta.id);
  assert.equal(back.data.length, data.length);
  assert.deepEqual(back.data, data);
  assert.equal(back.meta.contentType, "image/jpeg");

  await deleteBlob(db, meta.id);
  assert.equal(await getBlobMeta(db, meta.id), null);
  let left = 0;
  for await (const _ of db.kv.list({ prefix: keys.blobChunks(meta.id) })) left++;
  assert.equal(left, 0);
});

Deno.test("blob store: a corrupted chunk is detected, an oversized blob refused", async () => {
  await using db = await testDb();
  const meta = await putBlob(db, new Uint8Array(200_000).fill(1), "application/pdf", "contract");
  await db.kv.set(keys.blobChunk(meta.id, 1), new Uint8Array(100));
  await assert.rejects(() => getBlob(db, meta.id));
  await assert.rejects(
    () => putBlob(db, new Uint8Array(21 * 1024 * 1024), "x", "y"),
    TooLargeError,
  );
});

Deno.test("migrations run once, in order, and record the schema version", async () => {
  await using db = await testDb();
  const log: number[] = [];
  // Versions past the app's own migrations (testDb() already ran those).
  const list = [1003, 1002].map((version) => ({
    version,
    name: `m${version}`,
    up: () => {
      log.push(version);
      return Promise.resolve();
    },
  }));
  assert.deepEqual(await migrate(db, list), [1002, 1003]);
  assert.deepEqual(log, [1002, 1003]);
  assert.equal(await schemaVersion(db), 1003);
  assert.deepEqual(await migrate(db, list), []);
  assert.deepEqual(log, [1002, 1003]);
});

Deno.test("embedded store: the data key is generated once and survives a restart", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/sub/renova.kv`;
  try {
    const a = await openDb({ path });
    const blob = await putBlob(a, new TextEncoder().encode("olá"), "text/plain", "test");
    a.kv.close();
    const b = await openDb({ path });
    assert.equal(new TextDecoder().decode((await getBlob(b, blob.id)).data), "olá");
    b.kv.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
