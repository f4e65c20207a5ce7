// Reading from IXC (services/erp/pull.ts) against the stand-in: a full pull, an incremental
// one, malformed records, bad credentials and the seeded contracts matched by ERP id.
import assert from "node:assert/strict";
import { testDb } from "../helpers.ts";
import { systemActor } from "../../domain/actor.ts";
import { keys } from "../../services/keys.ts";
import { getContract } from "../../services/contracts.ts";
import { getCustomer } from "../../services/customers.ts";
import { pullFromErp } from "../../services/erp/pull.ts";
import { ErpAuthError } from "../../services/erp/types.ts";
import { listIssues, listJobs } from "../../services/import/jobs.ts";
import { adapterOf, customer, fillIxc, IxcStandin, plansMapped } from "./fixtures.ts";

const actor = systemActor("teste");

async function contractOf(db: Awaited<ReturnType<typeof testDb>>, erpId: string) {
  const id = (await db.kv.get<string>(keys.contractByErpId(erpId))).value;
  return id ? await getContract(db, id) : null;
}

Deno.test("erp pull: a full pull creates customers, contracts, plans and logins by ERP id", async () => {
  await using db = await testDb();
  const plans = await plansMapped(db);
  const s = new IxcStandin().start();
  try {
    fillIxc(s, 3);
    const run = await pullFromErp(db, adapterOf(s), { actor });
    assert.equal(run.counts?.created, 3);
    assert.equal(run.counts?.bad, 0);
    const c = (await contractOf(db, "2"))!;
    assert.equal(c.planId, plans[0].id, "ERP plan 11 maps to our plan");
    assert.equal(c.loyaltyEnd, "2026-12-15", "DD/MM/AAAA read as a date");
    const person = (await getCustomer(db, c.customerId))!;
    assert.equal(person.erpId, "2");
    assert.equal(person.address.city, "São Paulo", "IXC's city id resolved to its name");
    assert.equal(person.address.state, "SP");
    assert.equal((await db.kv.get<{ login: string }>(keys.erpLogin("2"))).value?.login, "cliente2");
    assert.equal((await db.kv.get<{ name: string }>(keys.erpPlan("12"))).value?.name, "Fibra 600");
  } finally {
    await s.stop();
  }
});

Deno.test("erp pull: the next pull reads only what changed and updates it in place", async () => {
  await using db = await testDb();
  await plansMapped(db);
  const s = new IxcStandin().start();
  try {
    fillIxc(s, 3);
    await pullFromErp(db, adapterOf(s), { actor });
    const before = await db.kv.get(keys.contract((await contractOf(db, "2"))!.id));
    s.put("cliente_contrato", { id: "1", data_expiracao: "20/01/2027" });
    const run = await pullFromErp(db, adapterOf(s), { actor });
    // The last stamp is read again (">=": a record saved in the same second is not missed).
    assert.ok(run.read.contracts <= 2, "only what changed since the last pull, not all 3");
    assert.equal(run.counts?.updated, 1);
    assert.equal(run.counts?.created, 0);
    assert.equal((await contractOf(db, "1"))!.loyaltyEnd, "2027-01-20");
    const after = await db.kv.get(keys.contract((await contractOf(db, "2"))!.id));
    assert.equal(after.versionstamp, before.versionstamp, "an unchanged contract is not written");
  } finally {
    await s.stop();
  }
});

Deno.test("erp pull: malformed records are refused one by one and write nothing of theirs", async () => {
  await using db = await testDb();
  await plansMapped(db);
  const s = new IxcStandin().start();
  try {
    fillIxc(s, 3);
    s.put("cliente", { ...customer(2, "111.111.111-11") }); // invalid CPF
    s.put("cliente_contrato", { id: "3", data_expiracao: "31/02/2026", fidelidade: "" });
    const run = await pullFromErp(db, adapterOf(s), { actor });
    assert.equal(run.counts?.created, 1);
    assert.equal(run.counts?.bad, 2);
    const issues = (await listIssues(db, run.jobId!, "run")).items;
    assert.deepEqual(issues.map((i) => i.erpId).sort(), ["2", "3"]);
    assert.ok(issues.every((i) => i.reason.length > 5), "each has its pt-BR reason");
    assert.equal((await db.kv.get(keys.customerByErpId("2"))).value, null, "no half row");
    assert.equal(await contractOf(db, "2"), null);
    assert.equal(await contractOf(db, "3"), null);
    assert.ok(await contractOf(db, "1"));
  } finally {
    await s.stop();
  }
});

Deno.test("erp pull: bad credentials give one clear message and write nothing", async () => {
  await using db = await testDb();
  await plansMapped(db);
  const s = new IxcStandin().start();
  try {
    fillIxc(s, 2);
    await assert.rejects(
      () => pullFromErp(db, adapterOf(s, "7:errado"), { actor }),
      (e: Error) => e instanceof ErpAuthError && /IXC_TOKEN/.test(e.message),
    );
    assert.equal(await contractOf(db, "1"), null);
    assert.equal((await listJobs(db)).length, 0, "no import job either");
    assert.equal((await db.kv.get(keys.erpPullState())).value, null);
  } finally {
    await s.stop();
  }
});

Deno.test("erp pull: a seeded contract is matched by its ERP id, not duplicated", async () => {
  await using db = await testDb();
  await plansMapped(db);
  const seeded = (await contractOf(db, "DEMO-C-1000"))!;
  const seededCustomer = (await getCustomer(db, seeded.customerId))!;
  const s = new IxcStandin().start();
  try {
    fillIxc(s, 0);
    s.put("cliente", { ...customer(1, seededCustomer.cpf), id: "DEMO-1000" });
    s.put("cliente_contrato", {
      id: "DEMO-C-1000",
      id_cliente: "DEMO-1000",
      id_vd_contrato: "11",
      status: "A",
      data_ativacao: "01/01/2024",
      data_renovacao: "01/03/2026",
      data_expiracao: "01/03/2027",
    });
    const run = await pullFromErp(db, adapterOf(s), { actor });
    assert.equal(run.counts?.created, 0);
    assert.equal(run.counts?.updated, 1);
    const now = (await contractOf(db, "DEMO-C-1000"))!;
    assert.equal(now.id, seeded.id, "the same contract");
    assert.equal(now.loyaltyEnd, "2027-03-01");
  } finally {
    await s.stop();
  }
});
