// Security headers: on static files too; HSTS only behind an https origin; styles allowed by
// the hash of the page's one inline stylesheet, never by 'unsafe-inline'.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { testApp } from "../helpers.ts";
import { caseWithLink, setup } from "./renewal_fixtures.ts";

const SECURITY = ["x-content-type-options", "x-frame-options", "content-security-policy"];

function styleSrc(res: Response): string {
  const csp = res.headers.get("content-security-policy") ?? "";
  return csp.split(";").map((d) => d.trim()).find((d) => d.startsWith("style-src")) ?? "";
}

/** The CSP source that allows the page's inline <style>: sha256 of its exact text. */
function hashOfInlineStyle(html: string): string {
  const css = html.match(/<style data-twind>([\s\S]*?)<\/style>/)?.[1];
  assert.ok(css, "the page has its inline stylesheet");
  return `'sha256-${createHash("sha256").update(css).digest("base64")}'`;
}

Deno.test("static files and their 404s carry the security headers", async () => {
  const { app, close } = await testApp();
  try {
    for (const path of ["/favicon.ico", "/static/sw.js", "/static/nao-existe.js"]) {
      const res = await app.request(path);
      await res.body?.cancel();
      for (const h of SECURITY) assert.ok(res.headers.get(h), `${path}: ${h}`);
      assert.equal(res.headers.get("x-content-type-options"), "nosniff");
    }
  } finally {
    close();
  }
});

Deno.test("HSTS is sent when APP_ORIGIN is https, and only then", async () => {
  const https = await testApp({ APP_ORIGIN: "https://renova.example.com" });
  const http = await testApp();
  try {
    for (const path of ["/login", "/favicon.ico", "/nao-existe"]) {
      const res = await https.app.request(`https://renova.example.com${path}`);
      await res.body?.cancel();
      assert.equal(
        res.headers.get("strict-transport-security"),
        "max-age=31536000; includeSubDomains",
        path,
      );
      const plain = await http.app.request(path);
      await plain.body?.cancel();
      assert.equal(plain.headers.get("strict-transport-security"), null, path);
    }
  } finally {
    https.close();
    http.close();
  }
});

Deno.test("style-src: no 'unsafe-inline'; the page's stylesheet is allowed by its hash", async () => {
  const { app, close } = await testApp();
  try {
    for (const path of ["/login", "/nao-existe"]) {
      const res = await app.request(path);
      const src = styleSrc(res);
      assert.doesNotMatch(src, /unsafe-inline/, path);
      assert.equal(src, `style-src 'self' ${hashOfInlineStyle(await res.text())}`, path);
    }
  } finally {
    close();
  }
});

Deno.test("a customer page served again from the page cache sends its stylesheet's hash", async () => {
  await using t = await setup();
  const { token } = await caseWithLink(t);
  const first = await t.app.request(`/r/${token}`);
  const hash = hashOfInlineStyle(await first.text());
  assert.equal(styleSrc(first), `style-src 'self' ${hash}`);
  const again = await t.app.request(`/r/${token}`); // a cache hit: nothing is rendered
  assert.equal(hashOfInlineStyle(await again.text()), hash);
  assert.equal(styleSrc(again), `style-src 'self' ${hash}`);
});
