import assert from "node:assert/strict";
import { makeUser, postForm, signInAs, testApp } from "../helpers.ts";
import { findUserByUsername, listUsers } from "../../services/users.ts";
import { auditOf } from "../../services/audit.ts";

Deno.test("admin creates a user; bad input gets pt-BR messages and writes nothing", async () => {
  const { app, db, close } = await testApp();
  try {
    const admin = await makeUser(db, "admin");
    const b = await signInAs(app, admin.username);
    const before = (await listUsers(db)).length;
    const bad = await postForm(app, "/admin/users", {
      name: "",
      username: "A B",
      role: "chefe",
      password: "curta",
    }, b);
    assert.equal(bad.status, 400);
    const html = await bad.text();
    assert.match(html, /Informe o nome/);
    assert.match(html, /Use de 3 a 32 letras minúsculas/);
    assert.match(html, /Escolha um perfil válido/);
    assert.match(html, /pelo menos 10 caracteres/);
    assert.equal((await listUsers(db)).length, before);

    const ok = await postForm(app, "/admin/users", {
      name: "Nova Pessoa",
      username: "nova",
      role: "supervisor",
      password: "senha-forte-456",
    }, b);
    assert.equal(ok.status, 303);
    const created = await findUserByUsername(db, "nova");
    assert.equal(created?.role, "supervisor");
    const events = await auditOf(db, `user:${created!.id}`);
    assert.equal(events[0].action, "user.created");
    assert.equal(events[0].actor.id, `user:${admin.id}`);

    const dup = await postForm(app, "/admin/users", {
      name: "Outra",
      username: "NOVA",
      role: "attendant",
      password: "senha-forte-456",
    }, b);
    assert.equal(dup.status, 400);
    assert.match(await dup.text(), /Este usuário já existe/);
  } finally {
    close();
  }
});

Deno.test("admin resets a password: old sessions end, the new password works", async () => {
  const { app, db, close } = await testApp();
  try {
    const admin = await makeUser(db, "admin");
    const u = await makeUser(db, "attendant");
    const ab = await signInAs(app, admin.username);
    const ub = await signInAs(app, u.username);
    const short = await postForm(
      app,
      `/admin/users/${u.id}`,
      { action: "reset", password: "123" },
      ab,
    );
    assert.equal(short.status, 400);
    assert.match(await short.text(), /pelo menos 10 caracteres/);
    const r = await postForm(app, `/admin/users/${u.id}`, {
      action: "reset",
      password: "outra-senha-789",
    }, ab);
    assert.equal(r.status, 303);
    assert.equal((await app.request("/app", { headers: { cookie: ub.cookie } })).status, 302);
    await signInAs(app, u.username, "outra-senha-789");
  } finally {
    close();
  }
});

Deno.test("an admin cannot deactivate their own account", async () => {
  const { app, db, close } = await testApp();
  try {
    const admin = await makeUser(db, "admin");
    const b = await signInAs(app, admin.username);
    const r = await postForm(app, `/admin/users/${admin.id}`, { action: "deactivate" }, b);
    assert.equal(r.status, 400);
    assert.match(await r.text(), /não pode desativar a própria conta/);
  } finally {
    close();
  }
});
