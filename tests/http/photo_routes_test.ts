// The photo page over HTTP: a hostile image and a spent upload quota get a pt-BR refusal on the
// same page, with the right status, and change nothing.
import assert from "node:assert/strict";
import { caseWithLink, customerPost, setup } from "./renewal_fixtures.ts";
import { getCase } from "../../services/renewals/cases.ts";
import { listPlans } from "../../services/plans.ts";
import { PHOTO_UPLOADS_PER_HOUR } from "../../services/renewals/photos.ts";
import { EXIF_JPEG, pngBomb } from "../fixtures/images/mod.ts";

function photoForm(bytes: Uint8Array<ArrayBuffer>, name: string, rev: number) {
  const fd = new FormData();
  fd.set("photo", new File([bytes], name, { type: "image/jpeg" }));
  fd.set("rev", String(rev));
  return fd;
}

Deno.test("photo route: uploads past the hourly quota get 429 in pt-BR and change nothing", async () => {
  await using t = await setup();
  const { caseId, token } = await caseWithLink(t);
  const plans = await listPlans(t.db);
  await customerPost(t, token, "choose_plan", { planId: plans[0].id, consent: "on" });
  for (let i = 0; i < PHOTO_UPLOADS_PER_HOUR; i++) {
    const rev = (await getCase(t.db, caseId))!.rev;
    assert.equal(
      (await customerPost(t, token, "upload_photo", photoForm(EXIF_JPEG, "eu.jpg", rev)))
        .status,
      303,
    );
  }
  const before = await getCase(t.db, caseId);
  const r = await customerPost(
    t,
    token,
    "upload_photo",
    photoForm(EXIF_JPEG, "eu.jpg", before!.rev),
  );
  assert.equal(r.status, 429);
  assert.ok(Number(r.headers.get("retry-after")) > 0);
  assert.match(await r.text(), /Você já enviou 5 fotos na última hora/);
  assert.deepEqual(await getCase(t.db, caseId), before);
});

Deno.test("photo route: an image bomb is refused with a pt-BR message", async () => {
  await using t = await setup();
  const { caseId, token } = await caseWithLink(t);
  const plans = await listPlans(t.db);
  await customerPost(t, token, "choose_plan", { planId: plans[0].id, consent: "on" });
  const before = await getCase(t.db, caseId);
  const r = await customerPost(
    t,
    token,
    "upload_photo",
    photoForm(await pngBomb(30000, 30000), "eu.png", before!.rev),
  );
  assert.equal(r.status, 400);
  assert.match(await r.text(), /resolução alta demais/);
  assert.deepEqual(await getCase(t.db, caseId), before);
});
