// /admin/network: admins register the NAS that takes CoA; the secret is written once, sealed,
// and never shown again; bad input is a pt-BR 400 that saves nothing; other roles get 403.
import assert from "node:assert/strict";
import { makeUser, postForm, signInAs, testApp } from "../helpers.ts";
import { listNas } from "../../services/network/nas.ts";

const NAS = {
  name: "BNG Centro",
  host: "10.20.0.1",
  port: "3799",
  vendor: "mikrotik",
  secret: "segredo-compartilhado-1",
  cities: "Campinas, Sumaré",
};

Deno.test("admin network: a NAS is saved and listed without its secret", async () => {
  await using t = await testApp();
  const admin = await signInAs(t.app, (await makeUser(t.db, "admin")).username);
  const r = await postForm(t.app, "/admin/network", NAS, admin);
  assert.equal(r.status, 303);
  const [n] = await listNas(t.db);
  assert.deepEqual([n.name, n.host, n.port, n.cities], ["BNG Centro", "10.20.0.1", 3799, [
    "Campinas",
    "Sumaré",
  ]]);
  const html = await (await t.app.request("/admin/network", { headers: { cookie: admin.cookie } }))
    .text();
  assert.match(html, /BNG Centro/);
  assert.match(html, /guardado cifrado/);
  assert.ok(!html.includes(NAS.secret));
});

Deno.test("admin network: bad input is a pt-BR 400, nothing saved, the secret not echoed", async () => {
  await using t = await testApp();
  const admin = await signInAs(t.app, (await makeUser(t.db, "admin")).username);
  const r = await postForm(t.app, "/admin/network", {
    ...NAS,
    host: "not a host!",
    port: "70000",
    secret: "curto-1",
  }, admin);
  assert.equal(r.status, 400);
  const html = await r.text();
  assert.match(html, /Informe o endereço IP ou nome do NAS/);
  assert.match(html, /Porta entre 1 e 65535/);
  assert.ok(!html.includes("curto-1"));
  assert.equal((await listNas(t.db)).length, 0);
});

Deno.test("admin network: attendants and supervisors get 403", async () => {
  await using t = await testApp();
  for (const role of ["attendant", "supervisor"] as const) {
    const b = await signInAs(t.app, (await makeUser(t.db, role)).username);
    assert.equal((await postForm(t.app, "/admin/network", NAS, b)).status, 403);
  }
  assert.equal((await listNas(t.db)).length, 0);
});
