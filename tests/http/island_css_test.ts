// A page's inline CSS carries the classes its islands may add in the browser (the photo
// preview, the signing pad's states), and only for the islands it renders (issue #21: every
// island's safelist used to ride on every page).
import assert from "node:assert/strict";
import { twind, virtual } from "@twind/core";
import { setup } from "./renewal_fixtures.ts";
import { caseAt, type OpenStep } from "../factories.ts";
import { twindConfig } from "../../app.config.ts";
import { islandClassesByIsland } from "../../twind_safelist.gen.ts";

/** The CSS rules twind makes for one class alone (what the page must hold for it). */
function rulesOf(cls: string): string[] {
  const tw = twind(twindConfig, virtual());
  tw("");
  const base = tw.target.length;
  tw(cls);
  return tw.target.slice(base);
}

async function pageAt(step: OpenStep) {
  await using t = await setup();
  const h = await caseAt(t.db, step);
  const html = await (await t.app.request(`/r/${h.token}`)).text();
  const css = html.match(/<style data-twind>([^<]*)<\/style>/)![1];
  // The classes the server rendered: a class another island shares may be among them.
  const shown = new Set(
    [...html.matchAll(/ class="([^"]*)"/g)].flatMap((m) => m[1].split(/\s+/)),
  );
  return { html, css, shown };
}

const missing = (css: string, classes: readonly string[]) =>
  classes.filter((c) => !rulesOf(c).every((r) => css.includes(r)));
// Every rule: a class's rules may include variables shared with classes the page does show.
const present = (css: string, classes: readonly string[]) =>
  classes.filter((c) => rulesOf(c).every((r) => css.includes(r)));

Deno.test("island CSS: the photo step holds every class the photo picker may draw", async () => {
  const { html, css } = await pageAt("plan_chosen");
  assert.match(html, /data-island="PhotoPicker"/);
  assert.deepEqual(missing(css, islandClassesByIsland.PhotoPicker), []);
});

Deno.test("island CSS: the photo step holds no class only the signing pad draws", async () => {
  const { css, shown } = await pageAt("plan_chosen");
  const photo = new Set(islandClassesByIsland.PhotoPicker);
  const signOnly = islandClassesByIsland.SignaturePad.filter((c) => !photo.has(c) && !shown.has(c));
  assert.ok(signOnly.includes("touch-none"), "the pad's own classes are checked");
  assert.deepEqual(present(css, signOnly), []);
});

Deno.test("island CSS: the signing step holds every class of the signing pad and form memory", async () => {
  const { html, css } = await pageAt("signature_sent");
  assert.match(html, /data-island="SignaturePad"/);
  const classes = [...islandClassesByIsland.SignaturePad, ...islandClassesByIsland.FormMemory];
  assert.deepEqual(missing(css, classes), []);
});

Deno.test("island CSS: the signing step holds no class only the photo picker or staff islands draw", async () => {
  const { html, css, shown } = await pageAt("signature_sent");
  const rendered = [...html.matchAll(/data-island="(\w+)"/g)].map((m) => m[1]);
  const own = new Set(rendered.flatMap((n) => islandClassesByIsland[n] ?? []));
  const others = Object.entries(islandClassesByIsland)
    .filter(([name]) => !rendered.includes(name))
    .flatMap(([, classes]) => classes)
    .filter((c) => !own.has(c) && !shown.has(c));
  assert.ok(others.includes("max-h-72"), "the photo preview's classes are checked");
  assert.deepEqual(present(css, [...new Set(others)]), []);
});
