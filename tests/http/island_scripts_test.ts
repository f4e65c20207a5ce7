// Island scripts split by island (issue #21, lib/island_bundle.ts): a customer step loads only
// the code of the islands it renders, at most 20 KB compressed as served, every chunk it
// imports preloaded, and the chunks shared by the steps keep one immutable name. Needs
// `deno task build` (the test task runs it).
import assert from "node:assert/strict";
import { testApp } from "../helpers.ts";
import { caseAt, type OpenStep } from "../factories.ts";
import { IMMUTABLE } from "../../lib/assets.ts";

const JS_BUDGET = 20_000; // bytes, compressed as served
const ACCEPT = { "accept-encoding": "gzip, deflate, br" };

type App = { request(url: string, init?: RequestInit): Response | Promise<Response> };

/** The body's text, decompressed the way the browser would. */
async function text(res: Response): Promise<string> {
  const encoding = res.headers.get("content-encoding");
  if (!encoding) return await res.text();
  const format = (encoding === "br" ? "brotli" : encoding) as CompressionFormat;
  return await new Response(res.body!.pipeThrough(new DecompressionStream(format))).text();
}

/** The page's island scripts and preloaded chunks, as the browser would fetch them. */
async function pageJs(app: App, token: string) {
  const html = await text(await app.request(`/r/${token}`, { headers: ACCEPT }));
  const scripts = [...html.matchAll(/<script type="module" src="([^"]+)"/g)].map((m) => m[1]);
  const preload = [...html.matchAll(/<link rel="modulepreload" href="([^"]+)"/g)]
    .map((m) => m[1]);
  const files = new Map<string, { compressed: number; text: string; cache: string | null }>();
  for (const url of [...scripts, ...preload]) {
    const res = await app.request(url, { headers: ACCEPT });
    assert.equal(res.status, 200, url);
    const compressed = (await res.clone().arrayBuffer()).byteLength;
    files.set(url, { compressed, text: await text(res), cache: res.headers.get("cache-control") });
  }
  return { scripts, preload, files };
}

const signing = "Limpar desenho"; // a text only the signing island (SignaturePad) draws

Deno.test("island scripts: the photo step loads no signing code, the signing step no photo code", async () => {
  await using t = await testApp();
  const photo = await pageJs(t.app, (await caseAt(t.db, "plan_chosen")).token!);
  assert.ok(
    photo.scripts.some((s) => /\/PhotoPicker\.[0-9a-f]{10}\.js$/.test(s)),
    photo.scripts.join(),
  );
  assert.ok(!photo.scripts.some((s) => /SignaturePad/.test(s)), photo.scripts.join());
  for (const [url, f] of photo.files) {
    assert.ok(!f.text.includes(signing), `${url} has signing code`);
  }
  const sign = await pageJs(t.app, (await caseAt(t.db, "signature_sent")).token!);
  assert.ok(
    sign.scripts.some((s) => /\/SignaturePad\.[0-9a-f]{10}\.js$/.test(s)),
    sign.scripts.join(),
  );
  assert.ok(!sign.scripts.some((s) => /PhotoPicker/.test(s)), sign.scripts.join());
  assert.ok([...sign.files.values()].some((f) => f.text.includes(signing)));
  assert.ok(![...sign.files.values()].some((f) => f.text.includes("createImageBitmap")));
});

Deno.test("island scripts: every customer step's JS is at most 20 KB compressed as served", async () => {
  await using t = await testApp();
  const steps: OpenStep[] = ["offer", "plan_chosen", "photo_sent", "signature_sent", "signed"];
  for (const step of steps) {
    const { files } = await pageJs(t.app, (await caseAt(t.db, step)).token!);
    const total = [...files.values()].reduce((n, f) => n + f.compressed, 0);
    assert.ok(total <= JS_BUDGET, `${step}: ${total} bytes of JS`);
    if (step !== "offer") assert.ok(total > 0, `${step} has islands`);
  }
});

Deno.test("island scripts: every import is preloaded by the page, and served immutable", async () => {
  await using t = await testApp();
  for (const step of ["plan_chosen", "signature_sent"] as const) {
    const { scripts, preload, files } = await pageJs(
      t.app,
      (await caseAt(t.db, step)).token!,
    );
    const loaded = new Set([...scripts, ...preload]);
    for (const [url, f] of files) {
      assert.equal(f.cache, IMMUTABLE, url);
      for (const m of f.text.matchAll(/(?:from|import)\s*\(?\s*"(\.\/[^"]+)"/g)) {
        const dep = new URL(m[1], `http://x${url}`).pathname;
        assert.ok(loaded.has(dep), `${url} imports ${dep}, which the page does not preload`);
      }
    }
  }
});

Deno.test("island scripts: the photo and signing steps share their chunks by one name", async () => {
  await using t = await testApp();
  const photo = await pageJs(t.app, (await caseAt(t.db, "plan_chosen")).token!);
  const sign = await pageJs(t.app, (await caseAt(t.db, "signature_sent")).token!);
  const shared = photo.preload.filter((p) => sign.preload.includes(p));
  // Preact and its hooks at least: fetched on the first step, from the cache on the next.
  assert.ok(shared.length >= 1, `${photo.preload} / ${sign.preload}`);
  const client = photo.scripts.at(-1)!;
  assert.match(client, /\/client\.[0-9a-f]{10}\.js$/, "the boot runs last");
  assert.equal(sign.scripts.at(-1), client);
});
