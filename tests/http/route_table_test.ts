// Walks the whole route table: every route is declared public or role-restricted, anonymous
// users reach only public ones, and each role reaches only what its rule allows.
import assert from "node:assert/strict";
import { makeUser, ORIGIN, signInAs, testApp } from "../helpers.ts";
import { routeTable } from "../../lib/app.ts";
import type { Role } from "../../domain/actor.ts";

const PUBLIC_ALLOWED = new Set([
  "/",
  "/login",
  "/healthz",
  "/manifest.webmanifest",
  "/sw.js",
  "/r/:token",
  "/r/:token/events",
  "/r/:token/:action",
  "/r/:token/contrato.pdf",
  "/r/:token/faturas.pdf",
  // The customer's message preferences (opt out / back in), by the same token.
  "/r/:token/mensagens",
  "/verificar",
  "/verificar/:id",
  // Signed by Meta (X-Hub-Signature-256 HMAC), not by a session.
  "/webhooks/whatsapp",
  // Pix Automático callbacks: a secret path, and every status re-read from the PSP.
  "/webhooks/pix-auto/:secret",
  "/webhooks/pix-auto/:secret/:kind",
]);

function concrete(path: string) {
  return path.replace(/:\w+/g, "x-made-up").replace("*", "x");
}

Deno.test("every route declares access; only the expected ones are public", () => {
  const table = routeTable();
  assert.ok(table.length >= 8);
  for (const r of table) {
    assert.ok(r.access === "public" || (Array.isArray(r.access) && r.access.length > 0), r.file);
    if (r.access === "public") {
      assert.ok(PUBLIC_ALLOWED.has(r.path), `${r.path} must not be public`);
    }
  }
});

Deno.test("anonymous users are sent to sign in (GET) or refused (other methods)", async () => {
  const { app, close } = await testApp();
  try {
    for (const r of routeTable().filter((r) => r.access !== "public")) {
      const res = await app.request(concrete(r.path), {
        method: r.method,
        headers: { origin: ORIGIN, "content-type": "application/x-www-form-urlencoded" },
        body: r.method === "GET" ? undefined : "",
      });
      if (r.method === "GET") {
        assert.equal(res.status, 302, `${r.method} ${r.path}`);
        assert.match(res.headers.get("location")!, /^\/login\?next=/);
      } else {
        assert.equal(res.status, 401, `${r.method} ${r.path}`);
        assert.doesNotMatch(await res.text(), /at .*\.ts:\d+/, "no stack trace");
      }
    }
  } finally {
    close();
  }
});

Deno.test("each role reaches exactly the routes its rule allows", async () => {
  const { app, db, close } = await testApp();
  try {
    for (const role of ["attendant", "supervisor", "admin"] as Role[]) {
      const user = await makeUser(db, role);
      const b = await signInAs(app, user.username);
      for (const r of routeTable().filter((r) => r.access !== "public")) {
        if (r.path === "/logout") continue; // would end the session mid-walk
        const body = new URLSearchParams({ _csrf: b.csrf });
        const res = await app.request(concrete(r.path), {
          method: r.method,
          headers: {
            origin: ORIGIN,
            cookie: b.cookie,
            "content-type": "application/x-www-form-urlencoded",
          },
          body: r.method === "GET" ? undefined : body,
        });
        const allowed = (r.access as readonly Role[]).includes(role);
        if (allowed) {
          assert.ok(
            ![401, 403].includes(res.status),
            `${role} ${r.method} ${r.path}: ${res.status}`,
          );
        } else {
          assert.equal(res.status, 403, `${role} must not reach ${r.method} ${r.path}`);
        }
      }
    }
  } finally {
    close();
  }
});

Deno.test("public routes answer without a session", async () => {
  const { app, close } = await testApp();
  try {
    assert.equal((await app.request("/healthz")).status, 200);
    assert.deepEqual(await (await app.request("/healthz")).json(), { ok: true });
    const login = await app.request("/login");
    assert.equal(login.status, 200);
    const html = await login.text();
    assert.match(html, /<form method="post" action="\/login"/);
    assert.match(html, /<html lang="pt-BR">/);
    assert.match(html, /<style data-twind>/);
    assert.match(html, /renova-island data-island="PasswordField"/);
    const token = await app.request("/r/made-up-token");
    assert.equal(token.status, 404);
    assert.equal(token.headers.get("referrer-policy"), "no-referrer");
    assert.match(token.headers.get("cache-control")!, /no-store/);
    const missing = await app.request("/nao-existe");
    assert.equal(missing.status, 404);
    assert.match(await missing.text(), /Página não encontrada/);
  } finally {
    close();
  }
});
