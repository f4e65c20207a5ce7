// Fingerprinted static assets (#16 item 15, lib/assets.ts, lib/fingerprint.ts): pages link the
// island scripts and icons by content-hashed names served immutable; the plain names still answer with
// a short cache; the service worker precaches the fingerprinted names. Needs `deno task build`
// (the test task runs it).
import assert from "node:assert/strict";
import { makeUser, signInAs, testApp } from "../helpers.ts";
import { caseAt } from "../factories.ts";
import { fingerprintAssets } from "../../lib/fingerprint.ts";
import { IMMUTABLE, SHORT_CACHE } from "../../lib/assets.ts";

const BUNDLE = /<script type="module" src="(\/static\/build\/islands\/client\.[0-9a-f]{10}\.js)"/;

Deno.test("assets: a customer page links the fingerprinted scripts, served immutable", async () => {
  await using t = await testApp();
  const h = await caseAt(t.db, "photo_sent"); // a waiting page: live updates, so islands
  const html = await (await t.app.request(`/r/${h.token}`)).text();
  const src = html.match(/<script type="module" src="([^"]+\/LiveUpdates\.[0-9a-f]{10}\.js)"/)
    ?.[1];
  assert.ok(src, "the page links LiveUpdates.<hash>.js (run deno task build first)");
  const res = await t.app.request(src);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("cache-control"), IMMUTABLE);
  assert.match(res.headers.get("content-type")!, /^text\/javascript/);
  const plain = await t.app.request("/static/build/islands/LiveUpdates.js");
  assert.equal(plain.status, 200, "the plain name keeps working");
  assert.equal(plain.headers.get("cache-control"), SHORT_CACHE);
  assert.deepEqual(await plain.bytes(), await res.bytes(), "same content");
});

Deno.test("assets: the service worker precaches the fingerprinted names", async () => {
  await using t = await testApp();
  const source = await (await t.app.request("/sw.js")).text();
  const list = JSON.parse(source.match(/const ASSETS = (\[.*?\]);/)![1]) as string[];
  assert.ok(list.some((u) => /^\/static\/build\/islands\/client\.[0-9a-f]{10}\.js$/.test(u)));
  assert.ok(list.includes("/manifest.webmanifest"));
  assert.ok(!list.some((u) => /\/islands\/[A-Za-z]+\.js$/.test(u)), "no plain name");
  for (const url of list.filter((u) => u.startsWith("/static/"))) {
    const res = await t.app.request(url);
    assert.equal(res.status, 200, url);
    assert.equal(res.headers.get("cache-control"), IMMUTABLE, url);
    await res.body?.cancel();
  }
  // The offline shell links the same script names the worker keeps, and their chunks.
  await makeUser(t.db, "attendant");
  const desk = await signInAs(t.app, "attendant1");
  const shell = await (await t.app.request("/app/offline", { headers: { cookie: desk.cookie } }))
    .text();
  assert.ok(list.includes(shell.match(BUNDLE)![1]));
  for (const m of shell.matchAll(/(?:src|href)="(\/static\/build\/islands\/[^"]+)"/g)) {
    assert.ok(list.includes(m[1]), `${m[1]} is precached`);
  }
  const touch = shell.match(/rel="apple-touch-icon" href="([^"]+)"/)![1];
  assert.ok(list.includes(touch), `${touch} is fingerprinted and precached`);
});

Deno.test("assets: the web manifest's icons are fingerprinted", async () => {
  await using t = await testApp();
  const manifest = await (await t.app.request("/manifest.webmanifest")).json();
  for (const icon of manifest.icons as { src: string }[]) {
    assert.match(icon.src, /^\/static\/build\/icons\/[a-z-]+-\d+\.[0-9a-f]{10}\.png$/);
  }
});

Deno.test("fingerprintAssets: content-hashed copies; the previous build's kept, older ones removed", async () => {
  const root = await Deno.makeTempDir({ prefix: "renova-assets-" });
  const staticRoot = new URL(`file://${root}/`);
  try {
    await Deno.mkdir(`${root}/build`);
    await Deno.mkdir(`${root}/icons`);
    for (const n of ["icon-192", "icon-512", "maskable-192", "maskable-512"]) {
      await Deno.writeTextFile(`${root}/icons/${n}.png`, n);
    }
    const builds: Record<string, string>[] = [];
    for (const version of ["v1", "v2", "v3"]) {
      await Deno.writeTextFile(`${root}/icons/icon-512.png`, version);
      builds.push(await fingerprintAssets(staticRoot));
    }
    const [one, two, three] = builds.map((b) => b["icons/icon-512.png"]);
    assert.equal(new Set([one, two, three]).size, 3, "a new content is a new name");
    assert.equal(await Deno.readTextFile(`${root}/${three}`), "v3");
    assert.ok(await Deno.stat(`${root}/${two}`), "the previous build's copy is kept");
    await assert.rejects(() => Deno.stat(`${root}/${one}`), Deno.errors.NotFound);
    assert.deepEqual(JSON.parse(await Deno.readTextFile(`${root}/build/assets.json`)), builds[2]);
    assert.equal(builds[0]["icons/icon-192.png"], builds[2]["icons/icon-192.png"], "same icon");
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
