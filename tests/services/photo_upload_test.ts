// Holder photo upload: what is stored is our own re-encoded JPEG (no metadata, no polyglot,
// upright, review size), hostile headers are refused before decoding, uploads are capped per
// case, and only the photos the evidence needs are kept.
import { testEnv } from "../factories.ts";
import { customerActor } from "../../domain/actor.ts";
import assert from "node:assert/strict";
import sharp from "sharp";
import { testDb } from "../helpers.ts";
import { caseAt } from "../factories.ts";
import { getCase } from "../../services/renewals/cases.ts";
import * as staff from "../../services/renewals/staff_actions.ts";
import * as customer from "../../services/renewals/customer_actions.ts";
import {
  MAX_REJECTED_KEPT,
  PHOTO_UPLOADS_PER_HOUR,
  PHOTO_UPLOADS_TOTAL,
} from "../../services/renewals/photos.ts";
import { readImageHeader, toReviewJpeg } from "../../services/images/holder_photo.ts";
import { getBlob, getBlobMeta } from "../../services/blobs.ts";
import { RateLimitError } from "../../services/errors.ts";
import { loadConfig } from "../../app.config.ts";
import { newSubmissionId } from "../../services/submissions.ts";
import {
  EXIF_JPEG,
  jpegHtmlPolyglot,
  jpegSegments,
  ORIENT6_JPEG,
  PNG,
  pngBomb,
} from "../fixtures/images/mod.ts";

const provider = loadConfig({}).provider;

/** A case at "plan chosen" with a clock the test can move. */
async function setup() {
  let t = Date.parse("2026-03-02T13:00:00Z");
  const db = await testDb(() => new Date(t));
  const { id, ctx: sctx, cu } = await caseAt(db, "plan_chosen", { planIndex: 0 });
  const c = { id };
  const upload = async (bytes: Uint8Array<ArrayBuffer>, name = "foto.jpg") =>
    await customer.uploadPhoto(cu, c.id, new File([bytes], name), (await getCase(db, c.id))!.rev);
  const stored = async () => (await getBlob(db, (await getCase(db, c.id))!.photo!.blobId)).data;
  const blobCount = async () => {
    let n = 0;
    for await (const _ of db.kv.list({ prefix: ["blobs"] })) n++;
    return n;
  };
  return {
    db,
    caseId: c.id,
    sctx,
    upload,
    stored,
    blobCount,
    advance: (ms: number) => (t += ms),
    close: () => db.kv.close(),
    [Symbol.asyncDispose]: () => db[Symbol.asyncDispose](),
  };
}

const has = (hay: Uint8Array, needle: string) =>
  new TextDecoder("latin1").decode(hay).toLowerCase().includes(needle.toLowerCase());

Deno.test("photo: GPS, camera and author EXIF never reach the stored photo", async () => {
  await using t = await setup();
  assert.ok(has(EXIF_JPEG, "Maria Titular"), "the fixture carries the tags");
  await t.upload(EXIF_JPEG);
  const data = await t.stored();
  const markers = jpegSegments(data).map(([m]) => m);
  assert.ok(!markers.includes(0xe1), "no APP1 (EXIF/XMP) segment");
  assert.deepEqual(markers.filter((m) => m >= 0xe1 && m <= 0xef), [], "no APP1–APP15");
  for (const s of ["Exif", "Maria Titular", "FakeCam", "SN123456789", "GPS"]) {
    assert.ok(!has(data, s), `no "${s}" in the stored bytes`);
  }
});

Deno.test("photo: a JPEG/HTML polyglot is stored as a clean re-encoded JPEG", async () => {
  await using t = await setup();
  const poly = jpegHtmlPolyglot(EXIF_JPEG);
  assert.ok(has(poly, "<script"));
  await t.upload(poly, "foto.html");
  const data = await t.stored();
  assert.ok(!has(data, "<html") && !has(data, "<script"), "no markup bytes stored");
  assert.ok(!jpegSegments(data).some(([m]) => m === 0xfe), "no comment segment");
  const h = await readImageHeader(data);
  assert.deepEqual([h.type, h.width, h.height], ["image/jpeg", 64, 32]);
});

Deno.test("photo: a PNG header claiming 30000×30000 is refused from the header, in pt-BR", async () => {
  await using t = await setup();
  const bomb = await pngBomb(30000, 30000);
  assert.ok(bomb.length < 2000, "a small file that would decode to 2.7 GB");
  const h = await readImageHeader(bomb);
  assert.deepEqual([h.width, h.height], [30000, 30000], "dimensions read without decoding");
  const before = await getCase(t.db, t.caseId);
  await assert.rejects(
    () => t.upload(bomb, "bomba.png"),
    /resolução alta demais.*900 megapixels/,
  );
  assert.deepEqual(await getCase(t.db, t.caseId), before, "the case did not change");
  assert.equal(await t.blobCount(), 0, "nothing stored");
});

Deno.test("photo: EXIF orientation 6 is stored upright (sides swapped)", async () => {
  await using t = await setup();
  await t.upload(ORIENT6_JPEG);
  const data = await t.stored();
  const { data: px, info } = await sharp(data).raw().toBuffer({ resolveWithObject: true });
  assert.deepEqual([info.width, info.height], [32, 64]);
  assert.ok(!jpegSegments(data).some(([m]) => m === 0xe1), "no orientation tag left to apply");
  // Turned 90° clockwise, the red left half of the landscape image is now on top.
  const at = (x: number, y: number) => [...px.subarray((y * 32 + x) * 3, (y * 32 + x) * 3 + 3)];
  assert.ok(at(16, 8)[0] > 150 && at(16, 8)[2] < 80, `top is red: ${at(16, 8)}`);
  assert.ok(at(16, 56)[2] > 150 && at(16, 56)[0] < 80, `bottom is blue: ${at(16, 56)}`);
});

Deno.test("photo: a 12 MP phone photo is stored as a review-size JPEG", async () => {
  const big = await sharp({
    create: { width: 4000, height: 3000, channels: 3, background: { r: 90, g: 140, b: 60 } },
  }).jpeg({ quality: 92 }).toBuffer();
  const img = await toReviewJpeg(new Uint8Array(big));
  assert.deepEqual([img.contentType, img.width, img.height], ["image/jpeg", 1600, 1200]);
  const h = await readImageHeader(img.data);
  assert.deepEqual([h.type, h.width, h.height], ["image/jpeg", 1600, 1200]);
});

Deno.test("photo: PNG and WebP uploads are stored as JPEG", async () => {
  await using t = await setup();
  const webp = new Uint8Array(await sharp(PNG).webp().toBuffer());
  for (const [bytes, name] of [[PNG, "foto.png"], [webp, "foto.webp"]] as const) {
    await t.upload(bytes, name);
    assert.equal((await getCase(t.db, t.caseId))!.photo!.contentType, "image/jpeg");
    const h = await readImageHeader(await t.stored());
    assert.deepEqual([h.type, h.width, h.height], ["image/jpeg", 64, 32], name);
  }
});

Deno.test("photo quota: the upload past the hourly cap is refused with 429 and changes nothing", async () => {
  await using t = await setup();
  for (let i = 0; i < PHOTO_UPLOADS_PER_HOUR; i++) {
    await t.upload(PNG);
    t.advance(60_000);
  }
  const before = await getCase(t.db, t.caseId);
  const blobs = await t.blobCount();
  const err = await t.upload(PNG).then(() => null, (e) => e);
  assert.ok(err instanceof RateLimitError, String(err));
  assert.equal(err.status, 429);
  assert.match(err.message, /fotos na última hora\. Tente de novo em 55 minuto/);
  assert.deepEqual(await getCase(t.db, t.caseId), before, "the case did not change");
  assert.equal(await t.blobCount(), blobs, "nothing stored");
  t.advance(55 * 60_000); // the first upload is now an hour old
  await t.upload(PNG);
});

Deno.test("photo quota: a case accepts a fixed number of uploads in total", async () => {
  await using t = await setup();
  for (let i = 0; i < PHOTO_UPLOADS_TOTAL; i++) {
    await t.upload(PNG);
    t.advance(13 * 60_000); // stays under the hourly cap
  }
  await assert.rejects(
    () => t.upload(PNG),
    (e) => e instanceof RateLimitError && /número máximo de fotos/.test(e.message),
  );
  assert.equal((await getCase(t.db, t.caseId))!.photoUploads!.total, PHOTO_UPLOADS_TOTAL);
});

Deno.test("photo: a replaced unreviewed photo is deleted; the last rejected ones are kept", async () => {
  await using t = await setup();
  const current = async () => (await getCase(t.db, t.caseId))!;
  await t.upload(PNG);
  const first = (await current()).photo!.blobId;
  t.advance(20 * 60_000);
  await t.upload(PNG);
  assert.equal(await getBlobMeta(t.db, first), null, "nobody reviewed it: gone");
  assert.deepEqual((await current()).oldPhotoBlobIds, []);

  const rejected: string[] = [];
  for (let i = 0; i < MAX_REJECTED_KEPT + 1; i++) {
    rejected.push((await current()).photo!.blobId);
    await staff.reviewPhoto(t.sctx, t.caseId, { approve: false, reason: "Documento ilegível" });
    t.advance(20 * 60_000);
    await t.upload(PNG);
  }
  const c = await current();
  assert.deepEqual(c.oldPhotoBlobIds, rejected.slice(-MAX_REJECTED_KEPT));
  for (const id of c.oldPhotoBlobIds) assert.ok(await getBlobMeta(t.db, id), "evidence kept");
  assert.equal(await getBlobMeta(t.db, rejected[0]), null, "the oldest rejection dropped");
  assert.equal(await t.blobCount(), MAX_REJECTED_KEPT + 1, "current + kept, nothing else");
});

Deno.test("photo: the same upload sent twice keeps one stored copy", async () => {
  await using t = await setup();
  const rev = (await getCase(t.db, t.caseId))!.rev;
  const cu = { ...testEnv(t.db), actor: customerActor(t.caseId) };
  await customer.uploadPhoto(cu, t.caseId, new File([PNG], "f.png"), rev);
  const again = await customer.uploadPhoto(cu, t.caseId, new File([PNG], "f.png"), rev);
  assert.equal(again.changed, false);
  assert.equal(await t.blobCount(), 1);
});

/** Bytes that pass the magic-number sniff but no decoder can read. */
const UNDECODABLE = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, ...new Array(64).fill(7)]);

Deno.test("photo: an upload at a step that takes none is refused before any decoding", async () => {
  const t = await setup();
  try {
    await t.upload(PNG);
    await staff.reviewPhoto(t.sctx, t.caseId, { approve: true }); // now "holder verified"
    await assert.rejects(
      () => t.upload(UNDECODABLE),
      (e: Error) => /etapa atual/.test(e.message), // the step's refusal, not "cannot read"
    );
  } finally {
    t.close();
  }
});

Deno.test("photo: a repeated form is answered like the first without decoding again", async () => {
  const t = await setup();
  try {
    const sub = newSubmissionId();
    const cu = (s: string) => ({
      db: t.db,
      actor: customerActor(t.caseId, { submission: s }),
      provider,
    });
    const rev = (await getCase(t.db, t.caseId))!.rev;
    await customer.uploadPhoto(cu(sub), t.caseId, new File([PNG], "a.png"), rev);
    // The same form again (its submission id) — whatever bytes arrive, nothing is decoded.
    const again = await customer.uploadPhoto(cu(sub), t.caseId, new File([UNDECODABLE], "a"), rev);
    assert.equal(again.changed, false);
  } finally {
    t.close();
  }
});
