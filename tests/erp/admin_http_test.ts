// The ERP admin page over HTTP: admins only; it shows the pulls and the writes; a dead write
// goes back to the queue with one click; a pull can be started from it.
import assert from "node:assert/strict";
import { makeUser, postForm, signInAs, testApp } from "../helpers.ts";
import { pushErpWrites } from "../../services/erp/push.ts";
import { settled } from "../../services/erp/schedule.ts";
import { adapterOf, IxcStandin, TOKEN } from "./fixtures.ts";
import { erpRenewal, erpWrites } from "./writeback.ts";

Deno.test("erp admin page: attendants are refused", async () => {
  await using t = await testApp();
  const att = await signInAs(t.app, (await makeUser(t.db, "attendant")).username);
  const res = await t.app.request("/admin/erp", { headers: { cookie: att.cookie } });
  assert.equal(res.status, 403);
  await res.body?.cancel();
});

Deno.test("erp admin page: a dead write is shown with its reason and retried with one click", async () => {
  const s = new IxcStandin().start();
  try {
    await using t = await testApp({ IXC_URL: s.url, IXC_TOKEN: TOKEN });
    const { erpId } = await erpRenewal(t.db, s);
    s.table("cliente_contrato").delete(erpId); // gone from IXC: refused, a dead letter
    await pushErpWrites(t.db, adapterOf(s), { maxRefusals: 1 });
    const admin = await signInAs(t.app, (await makeUser(t.db, "admin")).username);
    const html = await (await t.app.request("/admin/erp", { headers: { cookie: admin.cookie } }))
      .text();
    assert.match(html, /data-testid="erp-on"/);
    assert.match(html, /data-testid="erp-write-dead"/);
    assert.match(html, /não existe no IXC/);
    const dead = (await erpWrites(t.db)).find((w) => w.status === "dead")!;
    const res = await postForm(t.app, "/admin/erp", { action: "retry", id: dead.id }, admin);
    assert.equal(res.status, 303);
    assert.equal(res.headers.get("location"), "/admin/erp?ok=retried");
    const now = (await erpWrites(t.db)).find((w) => w.id === dead.id)!;
    assert.equal(now.status, "queued");
    assert.equal(now.attempts, 0);
  } finally {
    await s.stop();
  }
});

Deno.test("erp admin page: 'Ler do ERP agora' pulls and the run shows on the page", async () => {
  const s = new IxcStandin().start();
  try {
    await using t = await testApp({ IXC_URL: s.url, IXC_TOKEN: TOKEN });
    const admin = await signInAs(t.app, (await makeUser(t.db, "admin")).username);
    const res = await postForm(t.app, "/admin/erp", { action: "pull" }, admin);
    assert.equal(res.headers.get("location"), "/admin/erp?ok=pull");
    await settled();
    const html = await (await t.app.request("/admin/erp", { headers: { cookie: admin.cookie } }))
      .text();
    assert.match(html, /data-testid="erp-pull"/);
  } finally {
    await s.stop();
  }
});
