// The admin import pages through HTTP: attendants are refused; an admin uploads, maps, runs a
// dry run, reads the report, imports, and follows the progress (server-side, reload-proof).
import assert from "node:assert/strict";
import { makeUser, ORIGIN, postForm, signInAs, testApp } from "../helpers.ts";
import { DEMO_PLANS } from "../../services/seed.ts";
import { createPlan } from "../../services/plans.ts";
import { findCustomerByDocument } from "../../services/customers.ts";
import { getJob, waitForJob } from "../../services/import/jobs.ts";
import { FIELDS } from "../../services/import/presets.ts";
import { generateCsv } from "../../scripts/gen.ts";

type App = Awaited<ReturnType<typeof testApp>>["app"];
type Browser = Awaited<ReturnType<typeof signInAs>>;

async function uploadFile(app: App, b: Browser, name: string, bytes: Uint8Array) {
  const form = new FormData();
  form.set("_csrf", b.csrf);
  form.set("file", new File([bytes as BlobPart], name, { type: "text/csv" }));
  return await app.request("/admin/import", {
    method: "POST",
    headers: { origin: ORIGIN, cookie: b.cookie },
    body: form,
  });
}

async function genBytes(contracts: number): Promise<Uint8Array> {
  const ts = new TransformStream<Uint8Array, Uint8Array>();
  const reading = new Response(ts.readable).bytes();
  await generateCsv(ts.writable, { contracts, seed: 3, from: "2027-01-01" });
  return await reading;
}

Deno.test("import pages: admins only", async () => {
  const { app, db, close } = await testApp();
  try {
    const att = await signInAs(app, (await makeUser(db, "attendant")).username);
    const sup = await signInAs(app, (await makeUser(db, "supervisor")).username);
    for (const b of [att, sup]) {
      assert.equal(
        (await app.request("/admin/import", { headers: { cookie: b.cookie } })).status,
        403,
      );
      const res = await uploadFile(app, b, "x.csv", new TextEncoder().encode("a,b\n1,2\n"));
      assert.equal(res.status, 403);
    }
  } finally {
    close();
  }
});

Deno.test("admin: upload, map plans, dry run with report, import with progress", async () => {
  const { app, db, close } = await testApp();
  try {
    const plans: { id: string }[] = [];
    for (const p of DEMO_PLANS) plans.push(await createPlan(db, p));
    const admin = await signInAs(app, (await makeUser(db, "admin")).username);
    const fixture = await Deno.readFile(new URL("../fixtures/import/ixc.csv", import.meta.url));
    const up = await uploadFile(app, admin, "clientes.csv", fixture);
    assert.equal(up.status, 303);
    const url = up.headers.get("location")!;
    const id = url.split("/").pop()!;
    const pageHtml = await (await app.request(url, { headers: { cookie: admin.cookie } })).text();
    assert.match(pageHtml, /clientes\.csv/);
    assert.match(pageHtml, /<label for="col-document"[^>]*>CPF ou CNPJ/);
    assert.match(pageHtml, /Planos do ERP/);

    // The form as the admin leaves it: the IXC preset's columns, ERP plans 12 and 15 mapped.
    const job = await getJob(db, id);
    const fields: Record<string, string> = { action: "dry", preset: "ixc" };
    for (const f of FIELDS) fields[`col_${f.key}`] = String(job.mapping[f.key]);
    job.planValues.forEach((p, i) => {
      fields[`plan_${i}`] = p.value === "12" ? plans[0].id : p.value === "15" ? plans[2].id : "";
    });
    const early = await postForm(app, url, { action: "run" }, admin);
    assert.equal(early.status, 400, "no import before a dry run");
    assert.match(await early.text(), /simulação/);
    const dry = await postForm(app, url, fields, admin);
    assert.equal(dry.status, 303);
    await waitForJob(id);
    const report = await (await app.request(url, { headers: { cookie: admin.cookie } })).text();
    assert.match(report, /Resultado da simulação/);
    assert.match(report, /CPF\/CNPJ inválido/);
    assert.match(report, /Plano desconhecido: 99/);
    assert.match(report, /Importar agora/);
    assert.equal(
      await findCustomerByDocument(db, "18931737807"),
      null,
      "the dry run wrote nothing",
    );

    const started = await postForm(app, url, { action: "run" }, admin);
    assert.equal(started.status, 303);
    await waitForJob(id);
    const status = await (await app.request(`${url}/status`, {
      headers: { cookie: admin.cookie, accept: "application/json" },
    })).json();
    assert.equal(status.status, "done");
    assert.equal(status.percent, 100);
    assert.deepEqual(status.counts, {
      rows: 9,
      bad: 6,
      created: 3,
      updated: 0,
      unchanged: 0,
      kept: 0,
    });
    assert.equal((await findCustomerByDocument(db, "18931737807"))?.name, "José da Silva Araújo");
    const after = await (await app.request(url, { headers: { cookie: admin.cookie } })).text();
    assert.match(after, /Resultado da importação/);
  } finally {
    close();
  }
});

Deno.test("admin: a running import shows a progress bar that a reload finds again", async () => {
  const { app, db, close } = await testApp();
  try {
    for (const p of DEMO_PLANS) await createPlan(db, p);
    const admin = await signInAs(app, (await makeUser(db, "admin")).username);
    const up = await uploadFile(app, admin, "grande.csv", await genBytes(3000));
    const url = up.headers.get("location")!;
    const id = url.split("/").pop()!;
    const job = await getJob(db, id);
    assert.equal(job.preset, "renova");
    const fields: Record<string, string> = { preset: "renova" };
    for (const f of FIELDS) fields[`col_${f.key}`] = String(job.mapping[f.key]);
    assert.equal((await postForm(app, url, fields, admin)).status, 303);
    await waitForJob(id);
    assert.equal((await postForm(app, url, { action: "run" }, admin)).status, 303);
    // Two "reloads" while it runs: the same server-side progress each time.
    for (let i = 0; i < 2; i++) {
      const html = await (await app.request(url, { headers: { cookie: admin.cookie } })).text();
      assert.match(html, /data-island="ImportProgress"/);
      assert.match(html, /<progress id="import-progress"/);
    }
    const mid = await (await app.request(`${url}/status`, {
      headers: { cookie: admin.cookie, accept: "application/json" },
    })).json();
    assert.equal(mid.status, "running");
    assert.ok(mid.percent < 100);
    await waitForJob(id);
    const end = await (await app.request(`${url}/status`, {
      headers: { cookie: admin.cookie, accept: "application/json" },
    })).json();
    assert.deepEqual([end.status, end.percent, end.counts.created], ["done", 100, 3000]);
  } finally {
    close();
  }
});
