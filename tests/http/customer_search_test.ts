// Staff find a customer by what the customer says on the phone (issue #16 item 13): CPF or
// CNPJ (numeric or alphanumeric), a phone, a protocol number or the name — all through keyed
// blind indexes, never a plaintext name in a KV key.
import assert from "node:assert/strict";
import { makeUser, SAMPLE_ADDRESS, signInAs, testApp } from "../helpers.ts";
import { backfillNameIndex, createCustomer } from "../../services/customers.ts";
import { staffActor, SYSTEM } from "../../domain/actor.ts";
import { stageTicket } from "../../services/tickets.ts";
import { DEMO_PLANS } from "../../services/seed.ts";
import { createPlan } from "../../services/plans.ts";
import { createJob, runJob } from "../../services/import/jobs.ts";

const base = {
  phones: ["11912345678"],
  email: "contato@exemplo.com.br",
  address: SAMPLE_ADDRESS,
};

async function setup() {
  const t = await testApp();
  const att = await makeUser(t.db, "attendant");
  const who = await signInAs(t.app, att.username);
  const search = (q: string, field = "q") =>
    t.app.request(`/app/customers?${field}=${encodeURIComponent(q)}`, {
      headers: { cookie: who.cookie },
    });
  return { t, search };
}

Deno.test("customer search: CPF or CNPJ with punctuation opens the record; bad ones get pt-BR", async () => {
  const { t, search } = await setup();
  await using _ = t;
  const co = await createCustomer(t.db, {
    ...base,
    name: "Padaria Pão Quente Ltda",
    cpf: "12ABC34501DE35",
  }, SYSTEM);
  const found = await search("12.abc.345/01de-35", "cpf"); // the former field name still works
  assert.equal(found.status, 302);
  assert.equal(found.headers.get("location"), `/app/customers/${co.id}`);
  const bad = await search("12.345");
  assert.equal(bad.status, 200);
  assert.match(await bad.text(), /Número curto demais/);
  const none = await search("529.982.247-25");
  assert.match(await none.text(), /Nenhum cliente com este CPF\/CNPJ, telefone ou protocolo/);
});

Deno.test("customer search: a name, typed without accents or case, opens the record", async () => {
  const { t, search } = await setup();
  await using _ = t;
  const c = await createCustomer(t.db, {
    ...base,
    name: "Conceição Araújo da Silva",
    cpf: "529.982.247-25",
  }, SYSTEM);
  const res = await search("conceicao  ARAUJO");
  assert.equal(res.status, 302);
  assert.equal(res.headers.get("location"), `/app/customers/${c.id}`);
  const none = await search("Conceição Pereira");
  assert.equal(none.status, 200);
  const html = await none.text();
  assert.match(html, /Nenhum cliente com este nome/);
  assert.doesNotMatch(html, /CPF ou CNPJ inválido/);
});

Deno.test("customer search: several customers with a name are listed, masked", async () => {
  const { t, search } = await setup();
  await using _ = t;
  await createCustomer(t.db, { ...base, name: "Maria Souza", cpf: "529.982.247-25" }, SYSTEM);
  await createCustomer(t.db, { ...base, name: "Maria Lima", cpf: "111.444.777-35" }, SYSTEM);
  const res = await search("maria");
  assert.equal(res.status, 200);
  const html = await res.text();
  assert.match(html, /2 clientes encontrados pelo nome/);
  assert.match(html, /Maria Lima[\s\S]*Maria Souza/);
  assert.match(html, /\*\*\*\.982\.247-\*\*/);
  assert.doesNotMatch(html, /529\.982\.247-25/);
});

Deno.test("customer search: a phone with DDD and a protocol number find the customer", async () => {
  const { t, search } = await setup();
  await using _ = t;
  const c = await createCustomer(t.db, {
    ...base,
    phones: ["(43) 99123-4567"],
    name: "Ana Paula Ribeiro",
    cpf: "126.419.823-07",
  }, SYSTEM);
  const byPhone = await search("(43) 99123-4567");
  assert.equal(byPhone.headers.get("location"), `/app/customers/${c.id}`);
  const op = t.db.kv.atomic();
  stageTicket(t.db, op, {
    protocol: "20261128000042",
    customerId: c.id,
    caseId: "case-x",
    subject: "Renovação",
  });
  await op.commit();
  const byProtocol = await search("20261128000042");
  assert.equal(byProtocol.headers.get("location"), `/app/customers/${c.id}`);
});

Deno.test("customer search: no KV key holds a word of the name", async () => {
  const { t } = await setup();
  await using _ = t;
  await createCustomer(t.db, { ...base, name: "Conceição Araújo", cpf: "529.982.247-25" }, SYSTEM);
  for await (const e of t.db.kv.list({ prefix: [] })) {
    const k = JSON.stringify(e.key).toLowerCase();
    assert.ok(!/concei|araujo|araújo/.test(k), `plaintext name in ${k}`);
  }
  const n = [];
  for await (const e of t.db.kv.list({ prefix: ["customers_by_name_token"] })) n.push(e);
  assert.equal(n.length, 2);
});

Deno.test("customer search: the migration indexes names of customers stored before the index", async () => {
  const { t, search } = await setup();
  await using _ = t;
  const c = await createCustomer(
    t.db,
    { ...base, name: "Helena Castro", cpf: "450.942.757-39" },
    SYSTEM,
  );
  for await (const e of t.db.kv.list({ prefix: ["customers_by_name_token"] })) {
    await t.db.kv.delete(e.key); // as stored before this release
  }
  assert.equal((await search("Helena Castro")).status, 200);
  await backfillNameIndex(t.db);
  assert.equal((await search("Helena Castro")).headers.get("location"), `/app/customers/${c.id}`);
});

Deno.test("customer search: customers brought by the ERP import are found by name", async () => {
  const { t, search } = await setup();
  await using _ = t;
  for (const p of DEMO_PLANS) await createPlan(t.db, p);
  const admin = staffActor({ id: "test-admin", name: "Admin de teste", role: "admin" });
  const stream = (await Deno.open(new URL("../fixtures/import/renova.csv", import.meta.url)))
    .readable;
  const job = await createJob(t.db, { name: "renova.csv", stream }, admin);
  await runJob(t.db, job.id, "run", { actor: admin });
  const res = await search("Ana Ribeiro");
  assert.equal(res.status, 302);
  assert.ok(res.headers.get("location")!.startsWith("/app/customers/"));
});
