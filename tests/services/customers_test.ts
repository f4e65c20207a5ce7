import assert from "node:assert/strict";
import { SAMPLE_ADDRESS, testDb } from "../helpers.ts";
import {
  createCustomer,
  findCustomerByDocument,
  getCustomer,
  normalizePhone,
  updateCustomerContacts,
} from "../../services/customers.ts";
import {
  backfillContractErpIndex,
  type Contract,
  contractsOfCustomer,
  createContract,
  listDue,
  stageContractUpdate,
} from "../../services/contracts.ts";
import { addMonths } from "../../services/dates.ts";
import { ValidationError } from "../../services/errors.ts";
import { SYSTEM } from "../../domain/actor.ts";
import { keys } from "../../services/keys.ts";
import type { Db } from "../../services/db.ts";

const maria = {
  name: "Maria da Conceição",
  cpf: "529.982.247-25",
  phones: ["(11) 91234-5678"],
  email: "Maria@Exemplo.com.br",
  address: SAMPLE_ADDRESS,
};

Deno.test("customer personal data is sealed at rest and found by CPF through a blind index", async () => {
  await using db = await testDb();
  const c = await createCustomer(db, maria, SYSTEM);
  assert.equal(c.cpf, "52998224725");
  assert.deepEqual(c.phones, ["5511912345678"]);
  assert.equal(c.email, "maria@exemplo.com.br");
  const raw = JSON.stringify((await db.kv.get(keys.customer(c.id))).value);
  for (const secret of ["52998224725", "Conceição", "91234", "maria@"]) {
    assert.ok(!raw.includes(secret), `${secret} must not be stored in clear`);
  }
  assert.equal((await findCustomerByDocument(db, "52998224725"))?.id, c.id);
  assert.equal((await findCustomerByDocument(db, "529.982.247-25"))?.id, c.id);
  assert.equal(await findCustomerByDocument(db, "11144477735"), null);
  assert.equal(await findCustomerByDocument(db, "123"), null, "not a document");
  // Companies: numeric and alphanumeric CNPJ, typed with punctuation and in lower case.
  const co = await createCustomer(db, { ...maria, cpf: "12.ABC.345/01DE-35" }, SYSTEM);
  assert.equal(co.cpf, "12ABC34501DE35");
  assert.equal((await findCustomerByDocument(db, "12.abc.345/01de-35"))?.id, co.id);
  const num = await createCustomer(db, { ...maria, cpf: "13.723.705/0001-89" }, SYSTEM);
  assert.equal((await findCustomerByDocument(db, "13723705000189"))?.id, num.id);
});

Deno.test("invalid customer data gets pt-BR messages per field and writes nothing", async () => {
  await using db = await testDb();
  const err = await createCustomer(db, {
    ...maria,
    cpf: "123.456.789-00",
    phones: ["123"],
    email: "x",
  }, SYSTEM)
    .catch((e) => e);
  assert.ok(err instanceof ValidationError);
  assert.equal(err.fields.cpf, "CPF inválido.");
  assert.equal(err.fields.phones, "Informe telefones válidos com DDD.");
  assert.equal(err.fields.email, "E-mail inválido.");
  let n = 0;
  for await (const _ of db.kv.list({ prefix: keys.customers() })) n++;
  assert.equal(n, 0);
});

Deno.test("a second customer with the same CPF is refused", async () => {
  await using db = await testDb();
  await createCustomer(db, maria, SYSTEM);
  const err = await createCustomer(db, { ...maria, name: "Outra Pessoa" }, SYSTEM).catch((e) => e);
  assert.ok(err instanceof ValidationError);
  assert.equal(err.fields.cpf, "Já existe um cliente com este CPF.");
});

Deno.test("phones normalise to E.164; impossible ones are refused", () => {
  assert.equal(normalizePhone("+55 (11) 91234-5678"), "5511912345678");
  assert.equal(normalizePhone("1140001234"), "551140001234");
  assert.equal(normalizePhone("(11) 81234-5678"), null);
  assert.equal(normalizePhone("(01) 91234-5678"), null);
});

Deno.test("contacts update with a version check; CPF unchanged", async () => {
  await using db = await testDb();
  const c = await createCustomer(db, maria, SYSTEM);
  const next = await updateCustomerContacts(db, c.id, {
    phones: ["19 99876-5432"],
    email: "nova@ex.com",
  }, SYSTEM);
  assert.deepEqual(next.phones, ["5519998765432"]);
  assert.equal((await getCustomer(db, c.id))!.cpf, "52998224725");
  await assert.rejects(
    () => updateCustomerContacts(db, c.id, { phones: ["x"], email: "nova@ex.com" }, SYSTEM),
    ValidationError,
  );
});

/** A contract whose loyalty ends on 2026-12-20. */
const sampleContract = (customerId: string) => ({
  customerId,
  planId: "p1",
  city: "Campinas",
  startDate: "2024-01-10",
  loyaltyStart: "2025-12-20",
  loyaltyEnd: "2026-12-20",
});

/** What the register step does to the contract: new plan, 12 months from the signing date. */
async function renew(db: Db, id: string, planId: string, signedOn: string): Promise<Contract> {
  const entry = await db.kv.get<Contract>(keys.contract(id));
  const loyaltyEnd = addMonths(signedOn, 12);
  const op = db.kv.atomic();
  const value = stageContractUpdate(db, op, entry as Deno.KvEntry<Contract>, {
    ...entry.value!,
    planId,
    loyaltyStart: signedOn,
    loyaltyEnd,
    nextRenewalDue: loyaltyEnd,
    signedAt: signedOn,
  });
  assert.ok((await op.commit()).ok);
  return value;
}

Deno.test("due index: listed by loyalty end, and moved when the contract is renewed", async () => {
  await using db = await testDb();
  const c = await createCustomer(db, maria, SYSTEM);
  const contract = await createContract(db, sampleContract(c.id), SYSTEM);
  const due = await listDue(db, "2026-12-01", "2026-12-31");
  assert.deepEqual(due.items.map((i) => i.contractId), [contract.id]);
  assert.equal((await listDue(db, "2026-12-21", "2026-12-31")).items.length, 0);

  const renewed = await renew(db, contract.id, "p2", "2026-12-05");
  assert.equal(renewed.loyaltyStart, "2026-12-05");
  assert.equal(renewed.loyaltyEnd, "2027-12-05");
  assert.equal(renewed.nextRenewalDue, "2027-12-05");
  assert.equal((await listDue(db, "2026-12-01", "2026-12-31")).items.length, 0);
  const moved = await listDue(db, "2027-12-01", "2027-12-31");
  assert.deepEqual(moved.items.map((i) => [i.contractId, i.planId]), [[contract.id, "p2"]]);
  assert.equal((await contractsOfCustomer(db, c.id)).length, 1);
});

Deno.test("contract dates are validated", async () => {
  await using db = await testDb();
  const err = await createContract(db, {
    customerId: "x",
    planId: "p",
    city: "X",
    startDate: "2026-02-30",
    loyaltyStart: "2026-01-01",
    loyaltyEnd: "2025-01-01",
  }, SYSTEM).catch((e) => e);
  assert.ok(err instanceof ValidationError);
  assert.equal(err.fields.startDate, "Data inválida.");
  assert.ok(err.fields.loyaltyEnd);
});

Deno.test("contracts with an ERP id are indexed by it, uniquely; the migration fills old ones", async () => {
  await using db = await testDb();
  const c = await createCustomer(db, maria, SYSTEM);
  const base = sampleContract(c.id);
  const a = await createContract(db, { ...base, erpId: "C-1" }, SYSTEM);
  assert.equal((await db.kv.get(keys.contractByErpId("C-1"))).value, a.id);
  await assert.rejects(
    () => createContract(db, { ...base, erpId: "C-1" }, SYSTEM),
    /Já existe um contrato com este código do ERP/,
  );
  assert.equal(
    (await listDue(db, "2026-12-01", "2026-12-31")).items.length,
    1,
    "none half-written",
  );

  // A store from before: a contract with an ERP id and no index entry.
  const b = await createContract(db, { ...base, erpId: "C-2" }, SYSTEM);
  await db.kv.delete(keys.contractByErpId("C-2"));
  assert.equal(await backfillContractErpIndex(db), 1);
  assert.equal((await db.kv.get(keys.contractByErpId("C-2"))).value, b.id);
  assert.equal(await backfillContractErpIndex(db), 0, "running again changes nothing");
  // Old data with one ERP id on two contracts read in the same batch: the first keeps it.
  const d1 = await createContract(db, { ...base, erpId: "C-3" }, SYSTEM);
  await db.kv.delete(keys.contractByErpId("C-3"));
  const d2 = await createContract(db, { ...base, erpId: "C-3" }, SYSTEM);
  await db.kv.delete(keys.contractByErpId("C-3"));
  assert.ok(d1.id < d2.id);
  assert.equal(await backfillContractErpIndex(db), 1);
  assert.equal((await db.kv.get(keys.contractByErpId("C-3"))).value, d1.id);
});
