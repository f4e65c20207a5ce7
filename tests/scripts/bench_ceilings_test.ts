// bench:scale --ceilings (issue #21): each ceiling answers the customer page's own bytes after
// exactly the store reads it names, so its figure bounds what cutting render and gzip can give.
import assert from "node:assert/strict";
import { caseWithLink, countingKvCalls, setup } from "../http/renewal_fixtures.ts";
import { createApp } from "../../lib/app.ts";
import { addCeilingRoutes, ceilingPath } from "../../scripts/bench/ceilings.ts";

const GZIP = { headers: { "Accept-Encoding": "gzip" } };

async function ceilingApp() {
  const t = await setup({ PAGE_CACHE_ENTRIES: "0" });
  const { token } = await caseWithLink(t);
  const { db, calls } = countingKvCalls(t.db);
  const app = createApp(db, t.config);
  await addCeilingRoutes(app)(token);
  const page = await app.request(`/r/${token}`, GZIP);
  return { t, app, token, calls, page, pageBytes: new Uint8Array(await page.arrayBuffer()) };
}

Deno.test("ceilings: each sends the page's gzip bytes and style hash after only its own reads", async () => {
  const { t, app, token, calls, page, pageBytes } = await ceilingApp();
  await using _ = t;
  const reads = { fixed: [], link: ["getMany"], data: ["getMany", "getMany", "get"] };
  for (const [cut, expected] of Object.entries(reads)) {
    calls.length = 0;
    const res = await app.request(ceilingPath(token, cut as keyof typeof reads), GZIP);
    assert.equal(res.status, 200, cut);
    assert.equal(res.headers.get("Content-Encoding"), "gzip");
    assert.equal(
      res.headers.get("Content-Security-Policy"),
      page.headers.get("Content-Security-Policy"),
    );
    assert.equal(res.headers.get("Referrer-Policy"), "no-referrer", "the customer middleware ran");
    assert.deepEqual(new Uint8Array(await res.arrayBuffer()), pageBytes, cut);
    assert.deepEqual(calls, expected, `${cut}: the page's reads, in the page's round trips`);
  }
});

Deno.test("ceilings: the link ceiling looks the token up (a made-up one gets the invalid-link page)", async () => {
  const { t, app } = await ceilingApp();
  await using _ = t;
  const made = `${"x".repeat(43)}`;
  assert.equal((await app.request(ceilingPath(made, "fixed"), GZIP)).status, 200);
  const res = await app.request(ceilingPath(made, "link"), GZIP);
  assert.equal(res.status, 404);
  await res.body?.cancel();
});
