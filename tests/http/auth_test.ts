import assert from "node:assert/strict";
import { makeUser, ORIGIN, postForm, signInAs, testApp } from "../helpers.ts";
import { getUser } from "../../services/users.ts";

Deno.test("sign in, see the console, sign out; the cookie is HttpOnly and SameSite=Lax", async () => {
  const { app, db, close } = await testApp();
  try {
    const u = await makeUser(db, "attendant");
    const res = await postForm(app, "/login", {
      username: u.username,
      password: "senha-forte-123",
      next: "/app",
    });
    assert.equal(res.status, 303);
    assert.equal(res.headers.get("location"), "/app");
    const setCookie = res.headers.get("set-cookie")!;
    assert.match(setCookie, /HttpOnly/);
    assert.match(setCookie, /SameSite=Lax/);
    assert.doesNotMatch(setCookie, /Secure/, "plain http in tests");
    const b = await signInAs(app, u.username);
    const page = await app.request("/app", { headers: { cookie: b.cookie } });
    assert.equal(page.status, 200);
    assert.match(await page.text(), /Renovações a vencer/);

    const out = await postForm(app, "/logout", {}, b);
    assert.equal(out.status, 303);
    const after = await app.request("/app", { headers: { cookie: b.cookie } });
    assert.equal(after.status, 302, "the old cookie no longer works");
  } finally {
    close();
  }
});

Deno.test("Secure cookie when the public origin is https", async () => {
  const { app, db, close } = await testApp({ APP_ORIGIN: "https://renova.example.com" });
  try {
    const u = await makeUser(db, "attendant");
    const res = await app.request("/login", {
      method: "POST",
      headers: {
        origin: "https://renova.example.com",
        "content-type": "application/x-www-form-urlencoded",
      },
      body: new URLSearchParams({ username: u.username, password: "senha-forte-123" }),
    });
    assert.equal(res.status, 303);
    assert.match(res.headers.get("set-cookie")!, /Secure/);
  } finally {
    close();
  }
});

Deno.test("wrong password: pt-BR message, 401, and no hint whether the user exists", async () => {
  const { app, db, close } = await testApp();
  try {
    const u = await makeUser(db, "attendant");
    const wrong = await postForm(app, "/login", {
      username: u.username,
      password: "errada-errada",
    });
    const nobody = await postForm(app, "/login", {
      username: "ninguem",
      password: "errada-errada",
    });
    assert.equal(wrong.status, 401);
    assert.equal(nobody.status, 401);
    assert.match(await wrong.text(), /Usuário ou senha incorretos\./);
    assert.match(await nobody.text(), /Usuário ou senha incorretos\./);
    assert.equal(wrong.headers.get("set-cookie")?.includes("renova_session=;") ?? true, true);
  } finally {
    close();
  }
});

Deno.test("CSRF: a state change needs our Origin and the session's token", async () => {
  const { app, db, close } = await testApp();
  try {
    const admin = await makeUser(db, "admin");
    const victim = await makeUser(db, "attendant");
    const b = await signInAs(app, admin.username);
    const action = { action: "deactivate" };
    const path = `/admin/users/${victim.id}`;

    const noOrigin = await postForm(app, path, action, b, { origin: null });
    assert.equal(noOrigin.status, 403);
    const evil = await postForm(app, path, action, b, { origin: "https://evil.example" });
    assert.equal(evil.status, 403);
    const noToken = await postForm(app, path, action, b, { csrf: false });
    assert.equal(noToken.status, 403);
    assert.match(await noToken.text(), /Recarregue a página/);
    const badToken = await app.request(path, {
      method: "POST",
      headers: {
        origin: ORIGIN,
        cookie: b.cookie,
        "content-type": "application/x-www-form-urlencoded",
      },
      body: new URLSearchParams({ ...action, _csrf: "x".repeat(b.csrf.length) }),
    });
    assert.equal(badToken.status, 403);
    assert.equal((await getUser(db, victim.id))!.active, true, "nothing changed");

    const ok = await postForm(app, path, action, b);
    assert.equal(ok.status, 303);
    assert.equal((await getUser(db, victim.id))!.active, false);

    const loginCrossSite = await postForm(
      app,
      "/login",
      { username: admin.username, password: "senha-forte-123" },
      undefined,
      {
        origin: "https://evil.example",
      },
    );
    assert.equal(loginCrossSite.status, 403, "public forms check the Origin too");
    const nullOrigin = (site: string) =>
      app.request("/login", {
        method: "POST",
        headers: {
          origin: "null",
          "sec-fetch-site": site,
          "content-type": "application/x-www-form-urlencoded",
        },
        body: new URLSearchParams({ username: admin.username, password: "senha-forte-123" }),
      });
    assert.equal(
      (await nullOrigin("same-origin")).status,
      303,
      "no-referrer pages post Origin: null",
    );
    assert.equal((await nullOrigin("cross-site")).status, 403);
  } finally {
    close();
  }
});

Deno.test("rate limit: 5 failures lock the account for a while, even for the right password", async () => {
  const { app, db, close } = await testApp();
  try {
    const u = await makeUser(db, "attendant");
    for (let i = 0; i < 5; i++) {
      const r = await postForm(app, "/login", { username: u.username, password: `errada-${i}` });
      assert.equal(r.status, 401);
    }
    const locked = await postForm(app, "/login", {
      username: u.username,
      password: "senha-forte-123",
    });
    assert.equal(locked.status, 429);
    assert.ok(Number(locked.headers.get("retry-after")) > 0);
    assert.match(await locked.text(), /Muitas tentativas\. Tente novamente em \d+ minuto/);
    // Another account from another IP is not affected.
    const other = await makeUser(db, "attendant");
    const fine = await postForm(
      app,
      "/login",
      { username: other.username, password: "senha-forte-123" },
      undefined,
      {
        ip: "10.9.9.9",
      },
    );
    assert.equal(fine.status, 303);
  } finally {
    close();
  }
});

Deno.test("rate limit per IP: one address guessing many accounts is stopped", async () => {
  const { app, close } = await testApp();
  try {
    let last = 0;
    for (let i = 0; i < 31; i++) {
      last =
        (await postForm(app, "/login", { username: `conta${i}`, password: "x-errada" }, undefined, {
          ip: "10.1.1.1",
        })).status;
    }
    assert.equal(last, 429);
    const elsewhere = await postForm(
      app,
      "/login",
      { username: "conta0", password: "x-errada" },
      undefined,
      { ip: "10.2.2.2" },
    );
    assert.equal(elsewhere.status, 401);
  } finally {
    close();
  }
});

Deno.test("a deactivated user loses the session at once and cannot sign in", async () => {
  const { app, db, close } = await testApp();
  try {
    const admin = await makeUser(db, "admin");
    const u = await makeUser(db, "attendant");
    const ab = await signInAs(app, admin.username);
    const ub = await signInAs(app, u.username);
    assert.equal(
      (await postForm(app, `/admin/users/${u.id}`, { action: "deactivate" }, ab)).status,
      303,
    );
    assert.equal((await app.request("/app", { headers: { cookie: ub.cookie } })).status, 302);
    const again = await postForm(app, "/login", {
      username: u.username,
      password: "senha-forte-123",
    });
    assert.equal(again.status, 401);
    assert.match(await again.text(), /conta está desativada/);
  } finally {
    close();
  }
});

Deno.test("login never redirects off-site", async () => {
  const { app, db, close } = await testApp();
  try {
    const u = await makeUser(db, "attendant");
    for (const next of ["//evil.example/x", "https://evil.example", "/\\evil"]) {
      const r = await postForm(app, "/login", {
        username: u.username,
        password: "senha-forte-123",
        next,
      });
      assert.equal(r.headers.get("location"), "/app", next);
    }
  } finally {
    close();
  }
});
