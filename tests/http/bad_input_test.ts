// Bad input is a 400 or a 404, never a 500: ids too long for a KV key (in the path or a form),
// broken %-escapes, overlong static file names — on every route, signed in or not.
import assert from "node:assert/strict";
import { type Browser, makeUser, ORIGIN, postForm, signInAs, testApp } from "../helpers.ts";
import { routeTable } from "../../lib/app.ts";

const LONG_ID = "A".repeat(3000); // KV refuses keys over 2 KB
const BROKEN = ["%E0%A4%A", "%", "abc%zz"];

type App = Awaited<ReturnType<typeof testApp>>["app"];

/** Every route with its parameters replaced by `value`, as an admin and anonymously. */
async function walk(app: App, admin: Browser, value: string, query = "") {
  const failures: string[] = [];
  for (const r of routeTable()) {
    if (!r.path.includes(":")) continue;
    const path = r.path.replace(/:\w+/g, encodeURIComponent(value).replaceAll("%25", "%"));
    for (const who of [admin, undefined]) {
      const headers: Record<string, string> = { origin: ORIGIN };
      if (who) headers.cookie = who.cookie;
      let body: URLSearchParams | undefined;
      if (r.method !== "GET") {
        body = new URLSearchParams({ _csrf: who?.csrf ?? "" });
        headers["content-type"] = "application/x-www-form-urlencoded";
      }
      const res = await app.request(path + query, { method: r.method, headers, body });
      await res.body?.cancel();
      if (res.status >= 500) failures.push(`${res.status} ${r.method} ${r.path}`);
    }
  }
  return failures;
}

async function quietly<T>(fn: () => T | Promise<T>): Promise<T> {
  const orig = console.error;
  console.error = () => {};
  try {
    return await fn();
  } finally {
    console.error = orig;
  }
}

Deno.test("a path id over 2 KB answers 404 on every route, signed in or not", async () => {
  const { app, db, close } = await testApp();
  try {
    const admin = await signInAs(app, (await makeUser(db, "admin")).username);
    assert.deepEqual(await quietly(() => walk(app, admin, LONG_ID)), []);
    const res = await app.request(`/app/cases/${LONG_ID}`, { headers: { cookie: admin.cookie } });
    assert.equal(res.status, 404);
    const anon = await app.request(`/r/${LONG_ID}`);
    assert.equal(anon.status, 404);
  } finally {
    close();
  }
});

Deno.test("an id over 2 KB in a form answers 400 with a pt-BR message", async () => {
  const { app, db, close } = await testApp();
  try {
    const admin = await signInAs(app, (await makeUser(db, "admin")).username);
    const customer = "01J00000000000000000000000";
    for (
      const [path, field] of [
        ["/app/claim", "contractId"],
        [`/app/customers/${customer}/renewal`, "contractId"],
        ["/admin/plans/01J00000000000000000000000", "id"],
      ]
    ) {
      const res = await quietly(() => postForm(app, path, { [field]: LONG_ID }, admin));
      assert.equal(res.status, 400, path);
      assert.match(await res.text(), /Identificador inválido\./, path);
    }
  } finally {
    close();
  }
});

Deno.test("broken %-escapes in paths and queries never answer 500", async () => {
  const { app, db, close } = await testApp();
  try {
    const admin = await signInAs(app, (await makeUser(db, "admin")).username);
    for (const bad of BROKEN) {
      assert.deepEqual(await quietly(() => walk(app, admin, bad, `?q=${bad}&id=${bad}`)), []);
    }
  } finally {
    close();
  }
});

Deno.test("/static/: a broken %-escape is 400, an overlong file name 404", async () => {
  const { app, close } = await testApp();
  try {
    for (const bad of BROKEN) {
      const res = await quietly(() => app.request(`/static/${bad}`));
      assert.equal(res.status, 400, bad);
      assert.match(await res.text(), /Endereço malformado\./);
    }
    for (const name of ["a".repeat(300), "a".repeat(3000), `${"b".repeat(250)}/x.js`]) {
      const res = await quietly(() => app.request(`/static/${name}`));
      assert.equal(res.status, 404, `${name.length} characters`);
      await res.body?.cancel();
    }
  } finally {
    close();
  }
});

Deno.test("a sign-in with a username over 2 KB is refused, not a 500 from KV", async () => {
  const { app, close } = await testApp();
  try {
    const res = await quietly(() =>
      app.request("/login", {
        method: "POST",
        headers: { origin: ORIGIN, "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ username: "a".repeat(2100), password: "x" }),
      })
    );
    assert.ok(res.status < 500, `status ${res.status}`);
    assert.match(await res.text(), /Usuário ou senha incorretos/);
  } finally {
    close();
  }
});

Deno.test("a malformed multipart body is a 400 in pt-BR on public and staff forms", async () => {
  const { app, db, close } = await testApp();
  try {
    const admin = await signInAs(app, (await makeUser(db, "admin")).username);
    for (
      const [path, cookie] of [["/login", ""], ["/verificar", ""], ["/app/claim", admin.cookie]]
    ) {
      const res = await quietly(() =>
        app.request(path, {
          method: "POST",
          headers: { origin: ORIGIN, cookie, "content-type": "multipart/form-data; boundary=x" },
          body: "garbage",
        })
      );
      assert.equal(res.status, 400, path);
      assert.match(await res.text(), /Não foi possível ler o formulário enviado/, path);
    }
  } finally {
    close();
  }
});

Deno.test("a form with more fields than any of ours is refused before it is parsed", async () => {
  const { app, close } = await testApp();
  try {
    for (
      const [type, body] of [
        ["application/x-www-form-urlencoded", "a=&".repeat(100_000)],
        [
          "multipart/form-data; boundary=b",
          '--b\r\nContent-Disposition: form-data; name="phone"\r\n\r\n1\r\n'.repeat(5000) + "--b--",
        ],
      ]
    ) {
      const res = await app.request("/login", {
        method: "POST",
        headers: { origin: ORIGIN, "content-type": type },
        body,
      });
      assert.equal(res.status, 400, type);
      assert.match(await res.text(), /campos demais/, type);
    }
  } finally {
    close();
  }
});
