// Files nothing references (#14 item 17): an upload cut off before its step commits, a chunk
// set whose metadata was never written. They are pending until the step that references them
// promotes them; the daily job deletes what is still pending after the pending period.
import assert from "node:assert/strict";
import type { Db } from "../../services/db.ts";
import { keys } from "../../services/keys.ts";
import { getBlob, putBlob } from "../../services/blobs.ts";
import * as blobs from "../../services/blobs.ts";
import { purgeExpired } from "../../services/ops/retention.ts";
import { getCase } from "../../services/renewals/cases.ts";
import * as customer from "../../services/renewals/customer_actions.ts";
import { clockDb, PNG, walker } from "./renewal_walk.ts";

const HOUR = 3600_000;

/** What the store holds of one blob: its metadata and chunk keys (raw). */
async function traces(db: Db, id: string) {
  let chunks = 0;
  for await (const _ of db.kv.list({ prefix: keys.blobChunks(id) })) chunks++;
  return { meta: (await db.kv.get(keys.blob(id))).value !== null, chunks };
}

const retention = (db: Db) => purgeExpired(db, { photoRetentionDays: 90 });

Deno.test("a photo whose step never committed (crash) is deleted by the daily job; the case's stays", async () => {
  const { db, advance } = await clockDb();
  try {
    const w = await walker(db);
    await w.steps.toPlanChosen();
    // The customer's upload: the file is written, then the process dies before the step.
    const lost = await putBlob(db, PNG, "image/png", "holder_photo");
    await w.steps.toSignatureSent();
    const photo = (await getCase(db, w.id))!.photo!.blobId;

    await retention(db);
    assert.deepEqual(await traces(db, lost.id), { meta: true, chunks: 1 }, "in flight: kept");
    advance(2 * HOUR);
    await retention(db);
    assert.deepEqual(await traces(db, lost.id), { meta: false, chunks: 0 });
    assert.ok((await getBlob(db, photo)).data.length, "the referenced photo is still readable");
  } finally {
    db.kv.close();
  }
});

Deno.test("a double-submitted photo leaves one file; the repeat's file is swept", async () => {
  const { db, advance } = await clockDb();
  try {
    const w = await walker(db);
    await w.steps.toPlanChosen();
    const rev = (await getCase(db, w.id))!.rev;
    const send = () =>
      customer.uploadPhoto(w.cu, w.id, new File([PNG], "eu.png", { type: "image/png" }), rev);
    const results = await Promise.allSettled([send(), send()]);
    assert.ok(results.some((r) => r.status === "fulfilled"));
    assert.ok((await blobs.findOrphanBlobs(db)).length <= 1, "at most the repeat's file");
    advance(2 * HOUR);
    await retention(db);
    assert.deepEqual(await blobs.findOrphanBlobs(db), []);
    assert.ok((await getBlob(db, (await getCase(db, w.id))!.photo!.blobId)).data.length);
  } finally {
    db.kv.close();
  }
});

Deno.test("a chunk set whose metadata was never written is deleted by the daily job", async () => {
  const { db, advance } = await clockDb();
  try {
    const big = new Uint8Array(150_000).map((_, i) => i % 251);
    const cut = await putBlob(db, big, "application/pdf", "contract_unsigned");
    await db.kv.delete(keys.blob(cut.id)); // the crash came before the metadata write
    assert.deepEqual(await traces(db, cut.id), { meta: false, chunks: 3 });
    advance(2 * HOUR);
    await retention(db);
    assert.deepEqual(await traces(db, cut.id), { meta: false, chunks: 0 });
  } finally {
    db.kv.close();
  }
});

Deno.test("findOrphanBlobs: only the leftovers after a full renewal, none after the sweep", async () => {
  const { db, advance } = await clockDb();
  try {
    const w = await walker(db);
    await w.steps.toPlanChosen();
    await w.steps.toSignatureSent();
    await w.steps.toClosed();
    assert.deepEqual(await blobs.findOrphanBlobs(db), [], "every file of the walk is referenced");
    const lost = await putBlob(db, PNG, "image/png", "holder_photo");
    const cut = await putBlob(db, PNG, "application/pdf", "invoices");
    await db.kv.delete(keys.blob(cut.id));
    assert.deepEqual((await blobs.findOrphanBlobs(db)).sort(), [lost.id, cut.id].sort());
    advance(2 * HOUR);
    const r = await retention(db);
    assert.equal(r.orphanFiles, 2);
    assert.deepEqual(await blobs.findOrphanBlobs(db), []);
  } finally {
    db.kv.close();
  }
});

Deno.test("a file the sweep took cannot be promoted: the step fails instead of pointing to nothing", async () => {
  const { db, advance } = await clockDb();
  try {
    const slow = await putBlob(db, PNG, "image/png", "holder_photo");
    advance(2 * HOUR);
    await retention(db);
    const op = db.kv.atomic().set(["cases", "x"], { photo: { blobId: slow.id } });
    blobs.promoteBlob(op, slow);
    assert.equal((await op.commit()).ok, false);
    assert.equal((await db.kv.get(["cases", "x"])).value, null);
  } finally {
    db.kv.close();
  }
});
