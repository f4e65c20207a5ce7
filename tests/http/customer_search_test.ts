// Staff find a customer by CPF or CNPJ (numeric or alphanumeric), typed as people type them.
import assert from "node:assert/strict";
import { makeUser, SAMPLE_ADDRESS, signInAs, testApp } from "../helpers.ts";
import { createCustomer } from "../../services/customers.ts";
import { SYSTEM } from "../../domain/actor.ts";

Deno.test("customer search: CPF or CNPJ with punctuation opens the record; bad ones get pt-BR", async () => {
  await using t = await testApp();
  const att = await makeUser(t.db, "attendant");
  const who = await signInAs(t.app, att.username);
  const base = {
    name: "Padaria Pão Quente Ltda",
    phones: ["11912345678"],
    email: "contato@paoquente.com.br",
    address: SAMPLE_ADDRESS,
  };
  const co = await createCustomer(t.db, { ...base, cpf: "12ABC34501DE35" }, SYSTEM);
  const search = (q: string) =>
    t.app.request(`/app/customers?cpf=${encodeURIComponent(q)}`, {
      headers: { cookie: who.cookie },
    });
  const found = await search("12.abc.345/01de-35");
  assert.equal(found.status, 302);
  assert.equal(found.headers.get("location"), `/app/customers/${co.id}`);
  const bad = await search("12.345");
  assert.match(decodeURIComponent(bad.headers.get("location")!), /CPF ou CNPJ inválido/);
  const none = await search("529.982.247-25");
  assert.match(decodeURIComponent(none.headers.get("location")!), /Nenhum cliente/);
});
