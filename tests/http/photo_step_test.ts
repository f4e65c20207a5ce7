// The photo step over HTTP (#16 item 6): an example and tips first, camera or gallery with no
// forced front camera, and a failed upload's error that replaces the earlier one.
import assert from "node:assert/strict";
import { customerPost, setup } from "./renewal_fixtures.ts";
import { caseAt } from "../factories.ts";
import { getCase } from "../../services/renewals/cases.ts";
import { PNG } from "../fixtures/images/mod.ts";

const alerts = (html: string) => html.match(/role="alert"/g)?.length ?? 0;

Deno.test("photo step: a drawn example of a good photo and the tips come before the picker", async () => {
  await using t = await setup();
  const h = await caseAt(t.db, "plan_chosen");
  const html = await (await t.app.request(`/r/${h.token}`)).text();
  const example = html.indexOf('data-testid="photo-example"');
  const form = html.indexOf("/upload_photo");
  assert.ok(example > 0 && example < form, "the example is above the form");
  assert.match(html.slice(example, form), /<svg[^>]*role="img"/);
  assert.doesNotMatch(html.slice(example, form), /<img/, "a drawing, no photo of a person");
  const tips = html.slice(html.indexOf('data-testid="photo-tips"'), form);
  for (const tip of [/rosto/i, /legível/, /reflexo/]) assert.match(tips, tip);
});

Deno.test("photo step: camera or gallery, and no front camera forced", async () => {
  await using t = await setup();
  const h = await caseAt(t.db, "plan_chosen");
  const html = await (await t.app.request(`/r/${h.token}`)).text();
  const inputs = [...html.matchAll(/<input[^>]*type="file"[^>]*>/g)].map((m) => m[0]);
  assert.equal(inputs.length, 2);
  assert.equal(inputs.filter((i) => /capture/.test(i)).length, 1, "one opens the camera");
  assert.ok(inputs.every((i) => !/capture="(user|environment)"/.test(i)), "no lens forced");
  assert.match(html, /Tirar foto/);
  assert.match(html, /Escolher da galeria/);
});

Deno.test("photo step: the photo from whichever of the two inputs was used is the one sent", async () => {
  await using t = await setup();
  const h = await caseAt(t.db, "plan_chosen");
  const fd = new FormData();
  fd.set("rev", String((await getCase(t.db, h.id))!.rev));
  fd.append("photo", new File([], "", { type: "application/octet-stream" })); // camera, unused
  fd.append("photo", new File([PNG], "eu.png", { type: "image/png" })); // gallery
  const r = await customerPost(t, h.token!, "upload_photo", fd);
  assert.equal(r.status, 303);
  assert.equal((await getCase(t.db, h.id))!.step, "photo_sent");
});

Deno.test("photo step: after a rejection, a failed upload shows its own error alone", async () => {
  await using t = await setup();
  const h = await caseAt(t.db, "photo_rejected");
  const before = await (await t.app.request(`/r/${h.token}`)).text();
  assert.equal(alerts(before), 1, "the rejection, once");
  assert.match(before, /Ilegível/);
  const fd = new FormData();
  fd.set("rev", String((await getCase(t.db, h.id))!.rev));
  fd.set(
    "photo",
    new File([new TextEncoder().encode("not an image")], "x.png", { type: "image/png" }),
  );
  const r = await customerPost(t, h.token!, "upload_photo", fd);
  assert.equal(r.status, 400);
  const html = await r.text();
  assert.equal(alerts(html), 1, "one message: the new error replaces the old one");
  assert.match(html, /JPG, PNG ou WEBP/);
  assert.doesNotMatch(html, /Ilegível/);
});
