// /admin/campaigns in-process: admins see the default waves, preview a wave in pt-BR before it
// runs, create and edit waves (bad input changes nothing), activate, pause and cancel; every
// change is audited; attendants and supervisors get 403.
import assert from "node:assert/strict";
import { makeUser, postForm, signInAs, testApp } from "../helpers.ts";
import { holder, JOB_TIME } from "../campaigns/fixtures.ts";
import { createPlan } from "../../services/plans.ts";
import { DEMO_PLANS } from "../../services/seed.ts";
import { recordOptOut } from "../../services/messaging/replies.ts";
import { getWave, listWaves } from "../../services/campaigns/waves.ts";
import { planWave } from "../../services/campaigns/planner.ts";
import { testEnv } from "../factories.ts";
import { auditOf } from "../../services/audit.ts";

const VALID = {
  action: "save",
  name: "Reforço D-15",
  offsetDays: "15",
  channel: "email",
  dailyCap: "1000",
  fromHour: "9",
  toHour: "18",
  declineDays: "60",
  cities: "Campinas; Londrina",
  priceMin: "",
  priceMax: "150,00",
  email: "with",
  whatsapp: "any",
};

async function setup() {
  const t = await testApp({}, () => new Date(JOB_TIME));
  for (const p of DEMO_PLANS) await createPlan(t.db, p);
  const admin = await makeUser(t.db, "admin");
  return { ...t, admin: await signInAs(t.app, admin.username) };
}

Deno.test("campaigns: only admins reach the waves", async () => {
  await using t = await setup();
  for (const role of ["attendant", "supervisor"] as const) {
    const u = await signInAs(t.app, (await makeUser(t.db, role)).username);
    assert.equal(
      (await t.app.request("/admin/campaigns", { headers: { cookie: u.cookie } })).status,
      403,
    );
    assert.equal((await postForm(t.app, "/admin/campaigns", VALID, u)).status, 403);
  }
  assert.equal((await listWaves(t.db)).length, 0);
});

Deno.test("campaigns: default waves D-60, D-30, D-7 start paused", async () => {
  await using t = await setup();
  const html =
    await (await t.app.request("/admin/campaigns", { headers: { cookie: t.admin.cookie } })).text();
  const waves = await listWaves(t.db);
  assert.deepEqual(waves.map((w) => [w.offsetDays, w.status]), [[60, "paused"], [30, "paused"], [
    7,
    "paused",
  ]]);
  assert.match(html, /D-60/);
  assert.match(html, /Pausada/);
  await t.app.request("/admin/campaigns", { headers: { cookie: t.admin.cookie } });
  assert.equal((await listWaves(t.db)).length, 3, "a second visit adds none");
});

Deno.test("campaigns: bad input gets pt-BR messages per field and changes nothing", async () => {
  await using t = await setup();
  await t.app.request("/admin/campaigns", { headers: { cookie: t.admin.cookie } });
  const before = await listWaves(t.db);
  const res = await postForm(t.app, "/admin/campaigns", {
    ...VALID,
    offsetDays: "400",
    dailyCap: "0",
    fromHour: "20",
    toHour: "8",
    priceMax: "muito",
    email: "without",
  }, t.admin);
  assert.equal(res.status, 400);
  const html = await res.text();
  assert.match(html, /Informe quantos dias antes do fim da fidelidade \(1 a 120\)/);
  assert.match(html, /O limite diário vai de 1 a/);
  assert.match(html, /o fim precisa ser depois do início/);
  assert.match(html, /Preço inválido/);
  assert.match(html, /Uma onda por e-mail não pode ser só para clientes sem e-mail/);
  assert.match(html, /value="Reforço D-15"/, "what was typed is kept");
  assert.deepEqual(await listWaves(t.db), before);
});

Deno.test("campaigns: create, edit, activate, pause, cancel — each audited", async () => {
  await using t = await setup();
  const created = await postForm(t.app, "/admin/campaigns", VALID, t.admin);
  assert.equal(created.status, 303);
  const id = created.headers.get("location")!.split("/").pop()!.split("?")[0];
  let w = await getWave(t.db, id);
  assert.equal(w.status, "paused");
  assert.deepEqual(w.filter.cities, ["Campinas", "Londrina"]);
  assert.equal(w.filter.priceMaxCents, 15000);

  const edit = await postForm(t.app, `/admin/campaigns/${id}`, {
    ...VALID,
    dailyCap: "250",
    rev: String(w.rev),
  }, t.admin);
  assert.equal(edit.status, 303);
  w = await getWave(t.db, id);
  assert.equal(w.dailyCap, 250);
  const stale = await postForm(t.app, `/admin/campaigns/${id}`, {
    ...VALID,
    dailyCap: "9",
    rev: "1",
  }, t.admin);
  assert.equal(stale.status, 409, "a form from an older version is refused");

  for (const action of ["activate", "pause", "activate", "cancel"]) {
    w = await getWave(t.db, id);
    const res = await postForm(
      t.app,
      `/admin/campaigns/${id}`,
      { action, rev: String(w.rev) },
      t.admin,
    );
    assert.equal(res.status, 303, action);
  }
  assert.equal((await getWave(t.db, id)).status, "cancelled");
  const again = await postForm(t.app, `/admin/campaigns/${id}`, {
    action: "activate",
    rev: String((await getWave(t.db, id)).rev),
  }, t.admin);
  assert.equal(again.status, 400);
  assert.match(await again.text(), /Não é possível: a onda está cancelada/);
  const trail = (await auditOf(t.db, `wave:${id}`)).map((e) => [e.action, e.actor.role]);
  assert.equal(trail.filter(([a]) => a === "campaign.wave_saved").length, 2);
  assert.equal(trail.filter(([a]) => a === "campaign.wave_status").length, 4);
  assert.ok(trail.every(([, role]) => role === "admin"));
});

Deno.test("campaigns: the preview says how many it will contact and who is left out", async () => {
  await using t = await setup();
  await t.app.request("/admin/campaigns", { headers: { cookie: t.admin.cookie } });
  const d30 = (await listWaves(t.db)).find((w) => w.offsetDays === 30)!;
  for (let i = 0; i < 4; i++) await holder(t.db, 30);
  const out = await holder(t.db, 30);
  await recordOptOut(t.db, out.customer.id, {
    at: new Date(JOB_TIME).toISOString(),
    word: "SAIR",
    via: "whatsapp",
  });
  const html = await (await t.app.request(`/admin/campaigns/${d30.id}`, {
    headers: { cookie: t.admin.cookie },
  })).text();
  assert.match(html, /Vai contatar 4; fora 1: pediu para não receber mensagens 1\./);
  assert.equal((await planWave(testEnv(t.db), d30)).contact, 0, "paused: the preview sent nothing");
});

Deno.test("campaigns: the preview is kept a few minutes; 'Calcular de novo' recomputes it", async () => {
  await using t = await setup();
  await t.app.request("/admin/campaigns", { headers: { cookie: t.admin.cookie } });
  const d30 = (await listWaves(t.db)).find((w) => w.offsetDays === 30)!;
  for (let i = 0; i < 2; i++) await holder(t.db, 30);
  const view = async (q = "") =>
    await (await t.app.request(`/admin/campaigns/${d30.id}${q}`, {
      headers: { cookie: t.admin.cookie },
    })).text();
  assert.match(await view(), /Vai contatar 2;/);
  await holder(t.db, 30);
  assert.match(await view(), /Vai contatar 2;/, "kept: the dry run is not paid on every load");
  const fresh = await view("?previa=nova");
  assert.match(fresh, /Vai contatar 3;/);
  assert.match(fresh, /Calculada em \d\d\/\d\d\/\d{4}/);
});
