// Over 400 lines on purpose: one fixture per ERP preset, each test short; splitting would scatter the presets' shared setup.
// ERP import on an in-memory store: each preset's fixture, the bad-row report, dry runs that
// write nothing, idempotent re-imports, changed rows moving their indexes, Latin-1 with ";".
import assert from "node:assert/strict";
import { testDb } from "../helpers.ts";
import type { Db } from "../../services/db.ts";
import { keys } from "../../services/keys.ts";
import { staffActor, SYSTEM } from "../../domain/actor.ts";
import { DEMO_PLANS } from "../../services/seed.ts";
import { createPlan, setPlanErpMapping } from "../../services/plans.ts";
import {
  createCustomer,
  customerIdsByPhone,
  findCustomerByDocument,
  getCustomer,
} from "../../services/customers.ts";
import { type Contract, listDue } from "../../services/contracts.ts";
import {
  createJob,
  getJob,
  listIssues,
  type Mode,
  runJob,
  saveMapping,
} from "../../services/import/jobs.ts";
import { presetMapping } from "../../services/import/presets.ts";
import { openCase } from "../../services/renewals/cases.ts";

const FIX = new URL("../fixtures/import/", import.meta.url);
const ADMIN = staffActor({ id: "test-admin", name: "Admin de teste", role: "admin" });

async function setup(): Promise<{ db: Db; plan: Record<string, string> }> {
  const db = await testDb();
  const plan: Record<string, string> = {};
  for (const p of DEMO_PLANS) plan[p.offerCode] = (await createPlan(db, p)).id;
  return { db, plan };
}

function bytesOf(text: string): ReadableStream<Uint8Array> {
  return ReadableStream.from([new TextEncoder().encode(text)]);
}

async function upload(db: Db, name: string, text?: string) {
  const stream = text === undefined
    ? (await Deno.open(new URL(name, FIX))).readable
    : bytesOf(text);
  return await createJob(db, { name, stream }, ADMIN);
}

async function run(db: Db, id: string, mode: Mode) {
  await runJob(db, id, mode, { actor: ADMIN });
  return await getJob(db, id);
}

async function issues(db: Db, id: string, mode: Mode) {
  const out: Record<number, string> = {};
  for (const x of (await listIssues(db, id, mode, "", 500)).items) out[x.line] = x.reason;
  return out;
}

/** Every data key with its versionstamp (import bookkeeping and audit left out). */
async function snapshot(db: Db): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (
    const prefix of [
      "customers",
      "customers_by_cpf",
      "customers_by_erp_id",
      "customers_by_phone",
      "contracts",
      "contracts_by_customer",
      "contracts_by_due",
      "contracts_by_erp_id",
    ]
  ) {
    for await (const e of db.kv.list({ prefix: [prefix] })) {
      out.set(JSON.stringify(e.key), e.versionstamp);
    }
  }
  return out;
}

async function contractByErp(db: Db, erpId: string): Promise<Contract> {
  const id = (await db.kv.get<string>(keys.contractByErpId(erpId))).value!;
  return (await db.kv.get<Contract>(keys.contract(id))).value!;
}

Deno.test("renova preset: dry run writes nothing, reports every bad row; import writes the good", async () => {
  const { db, plan } = await setup();
  try {
    // Already in Renova: one customer from another ERP id, one created by hand (no ERP id).
    const base = {
      phones: ["(19) 99000-1111"],
      email: "x@exemplo.com.br",
      address: {
        street: "Rua Z",
        number: "1",
        district: "",
        city: "Campinas",
        state: "SP",
        zip: "",
      },
    };
    await createCustomer(db, {
      ...base,
      name: "Outra Pessoa",
      cpf: "063.522.268-09",
      erpId: "DEMO-1",
    }, SYSTEM);
    const manual = await createCustomer(db, {
      ...base,
      name: "Helena Castro",
      cpf: "450.942.757-39",
    }, SYSTEM);
    const before = await snapshot(db);

    const job = await upload(db, "renova.csv");
    assert.equal(job.preset, "renova");
    assert.equal(job.rows, 8);
    const dry = await run(db, job.id, "dry");
    assert.equal(dry.status, "dry_done");
    assert.deepEqual(await snapshot(db), before, "a dry run writes no data");
    assert.deepEqual(dry.dry!.counts, {
      rows: 8,
      bad: 5,
      created: 3,
      updated: 0,
      unchanged: 0,
      kept: 0,
    });
    const reasons = await issues(db, job.id, "dry");
    assert.deepEqual(Object.keys(reasons).map(Number), [4, 5, 6, 7, 8]);
    assert.match(reasons[4], /CPF\/CNPJ inválido/);
    assert.match(reasons[5], /Sem telefone válido/);
    assert.match(reasons[6], /Plano desconhecido: PLANO-X/);
    assert.match(reasons[7], /Data inválida no fim da fidelidade/);
    assert.match(reasons[8], /Duplicado: CPF\/CNPJ já cadastrado para o cliente DEMO-1/);

    const done = await run(db, job.id, "run");
    assert.equal(done.status, "done");
    assert.deepEqual(done.result!.counts, dry.dry!.counts, "the import does what the dry run said");
    assert.deepEqual(await issues(db, job.id, "run"), reasons);
    const ana = (await findCustomerByDocument(db, "12641982307"))!;
    assert.equal(ana.name, "Ana Paula Ribeiro");
    assert.equal(ana.erpId, "1001");
    assert.deepEqual(ana.phones, ["5543991234567"]);
    const c = await contractByErp(db, "5001");
    assert.deepEqual(
      [c.customerId, c.planId, c.loyaltyStart, c.loyaltyEnd, c.status],
      [ana.id, plan["FIBRA300-26"], "2026-02-01", "2027-02-01", "active"],
    );
    const due = await listDue(db, "2027-02-01", "2027-02-01");
    assert.deepEqual(due.items.map((i) => i.contractId), [c.id]);
    // The plan given by name, the quoted address with a comma, the landline kept.
    const bruno = (await findCustomerByDocument(db, "51384031251"))!;
    assert.equal(bruno.address.street, "Avenida Rondon Pacheco, bloco B");
    assert.deepEqual(bruno.phones, ["5534992345678", "553432123456"]);
    assert.equal((await contractByErp(db, "5002")).planId, plan["FIBRA500-26"]);
    // The hand-made customer was adopted (same id), now with the ERP's data and id.
    const helena = (await getCustomer(db, manual.id))!;
    assert.equal(helena.name, 'Helena "Lena" Castro');
    assert.equal(helena.erpId, "1008");
    assert.equal((await db.kv.get(keys.customerByErpId("1008"))).value, manual.id);
    // Personal data stays sealed.
    const raw = JSON.stringify((await db.kv.get(keys.customer(ana.id))).value);
    assert.ok(!raw.includes("Ribeiro") && !raw.includes("12641982307"));
    assert.equal((await getJob(db, job.id)).chunks, 0, "the uploaded file is deleted after import");
  } finally {
    db.kv.close();
  }
});

Deno.test("ixc preset: joined cliente + cliente_contrato export with ERP plan ids", async () => {
  const { db, plan } = await setup();
  try {
    await setPlanErpMapping(db, "12", plan["FIBRA300-26"]);
    await setPlanErpMapping(db, "15", plan["FIBRA500-26"]);
    const job = await upload(db, "ixc.csv");
    assert.equal(job.preset, "ixc");
    assert.equal(job.mapping.customerErpId, 1, "id_cliente is the customer");
    assert.equal(job.mapping.contractErpId, 0, "id is the contract");
    assert.deepEqual(job.planValues.map((p) => p.value).sort(), ["12", "15", "99"]);
    await run(db, job.id, "dry");
    const done = await run(db, job.id, "run");
    assert.deepEqual(done.result!.counts, {
      rows: 9,
      bad: 6,
      created: 3,
      updated: 0,
      unchanged: 0,
      kept: 0,
    });
    const reasons = await issues(db, job.id, "run");
    assert.deepEqual(Object.keys(reasons).map(Number), [5, 6, 7, 8, 9, 10]);
    assert.match(reasons[5], /CPF\/CNPJ inválido/);
    assert.match(reasons[6], /Sem telefone válido/);
    assert.match(reasons[7], /Plano desconhecido: 99/);
    assert.match(reasons[8], /Data inválida no fim da fidelidade/);
    assert.match(reasons[9], /Duplicado: CPF\/CNPJ já usado pelo cliente 77/);
    assert.match(reasons[10], /Duplicado: o contrato 501 aparece de novo/);
    const jose = (await findCustomerByDocument(db, "18931737807"))!;
    assert.equal(jose.name, "José da Silva Araújo");
    assert.deepEqual(jose.phones, ["5519998765432", "551932324545"], "mobile first");
    assert.equal((await contractByErp(db, "501")).customerId, jose.id);
    assert.equal(
      (await contractByErp(db, "502")).customerId,
      jose.id,
      "two contracts, one customer",
    );
    assert.equal((await contractByErp(db, "502")).startDate, "2025-05-20");
    const company = (await findCustomerByDocument(db, "11222333000181"))!;
    assert.equal(company.cpf, "11222333000181", "a company's CNPJ in the document field");
    assert.equal(company.email, "", "e-mail is optional on import");
    assert.deepEqual(await customerIdsByPhone(db, "5516981234567"), [company.id]);
  } finally {
    db.kv.close();
  }
});

Deno.test("Latin-1 file with ';', CRLF, quoted ';' and dd/mm/yyyy dates", async () => {
  const { db, plan } = await setup();
  try {
    await setPlanErpMapping(db, "12", plan["FIBRA300-26"]);
    await setPlanErpMapping(db, "15", plan["FIBRA500-26"]);
    const job = await upload(db, "ixc_latin1.csv");
    assert.equal(job.encoding, "latin1");
    assert.equal(job.delimiter, ";");
    assert.equal(job.headers[2], "razao");
    const done = await run(db, (await run(db, job.id, "dry")).id, "run");
    assert.deepEqual(done.result!.counts, {
      rows: 2,
      bad: 1,
      created: 1,
      updated: 0,
      unchanged: 0,
      kept: 0,
    });
    assert.match((await issues(db, job.id, "run"))[3], /Data inválida no fim da fidelidade/);
    const joao = (await findCustomerByDocument(db, "83836324601"))!;
    assert.equal(joao.name, "João Conceição");
    assert.equal(joao.address.street, "Av. Getúlio Vargas; bloco 2");
    assert.equal(joao.address.district, "Kalilândia");
    const c = await contractByErp(db, "9001");
    assert.deepEqual([c.startDate, c.loyaltyEnd], ["2024-01-15", "2027-01-15"]);
  } finally {
    db.kv.close();
  }
});

Deno.test("re-import of the same file changes nothing: same keys, same versionstamps", async () => {
  const { db } = await setup();
  try {
    const first = await upload(db, "renova.csv");
    await run(db, first.id, "dry");
    await run(db, first.id, "run");
    const before = await snapshot(db);
    assert.ok(before.size > 10);
    const again = await upload(db, "renova.csv");
    await run(db, again.id, "dry");
    const done = await run(db, again.id, "run");
    assert.deepEqual(done.result!.counts, {
      rows: 8,
      bad: 4,
      created: 0,
      updated: 0,
      unchanged: 4,
      kept: 0,
    });
    assert.deepEqual(await snapshot(db), before);
  } finally {
    db.kv.close();
  }
});

Deno.test("a changed row updates the record and moves its due-date and phone indexes", async () => {
  const { db } = await setup();
  try {
    const text = await Deno.readTextFile(new URL("renova.csv", FIX));
    const first = await upload(db, "renova.csv", text);
    await run(db, first.id, "dry");
    await run(db, first.id, "run");
    const c1 = await contractByErp(db, "5001");
    const ana = (await findCustomerByDocument(db, "12641982307"))!;
    const anaKey = keys.customer(ana.id);
    const brunoVs =
      (await db.kv.get(keys.customer((await findCustomerByDocument(db, "51384031251"))!.id)))
        .versionstamp;

    // The ERP renewed Ana's contract (new term) and she changed her mobile.
    const changed = text.replace("2026-02-01,2027-02-01", "2027-02-01,2028-02-01")
      .replace("(43) 99123-4567", "(43) 99999-0000");
    const second = await upload(db, "renova.csv", changed);
    await run(db, second.id, "dry");
    const done = await run(db, second.id, "run");
    assert.deepEqual(done.result!.counts, {
      rows: 8,
      bad: 4,
      created: 0,
      updated: 1,
      unchanged: 3,
      kept: 0,
    });
    const c2 = await contractByErp(db, "5001");
    assert.equal(c2.id, c1.id);
    assert.deepEqual([c2.loyaltyStart, c2.loyaltyEnd, c2.nextRenewalDue], [
      "2027-02-01",
      "2028-02-01",
      "2028-02-01",
    ]);
    assert.equal((await db.kv.get(keys.contractsByDue("2027-02-01", c1.id))).versionstamp, null);
    assert.ok((await db.kv.get(keys.contractsByDue("2028-02-01", c1.id))).value);
    assert.deepEqual((await getCustomer(db, ana.id))!.phones, ["5543999990000"]);
    assert.deepEqual(await customerIdsByPhone(db, "5543999990000"), [ana.id]);
    assert.deepEqual(await customerIdsByPhone(db, "5543991234567"), []);
    assert.notEqual((await db.kv.get(anaKey)).versionstamp, null);
    const brunoNow = await db.kv.get(
      keys.customer((await findCustomerByDocument(db, "51384031251"))!.id),
    );
    assert.equal(brunoNow.versionstamp, brunoVs, "unchanged rows are not rewritten");
  } finally {
    db.kv.close();
  }
});

Deno.test("a contract with a renewal in progress is kept as it is, with a warning", async () => {
  const { db } = await setup();
  try {
    const text = await Deno.readTextFile(new URL("renova.csv", FIX));
    const first = await upload(db, "renova.csv", text);
    await run(db, first.id, "dry");
    await run(db, first.id, "run");
    const before = await db.kv.get<Contract>(keys.contract((await contractByErp(db, "5001")).id));
    await openCase(db, { contractId: before.value!.id, origin: "list" }, SYSTEM);
    const changed = text.replace("2026-02-01,2027-02-01", "2027-02-01,2028-02-01");
    const second = await upload(db, "renova.csv", changed);
    await run(db, second.id, "dry");
    const done = await run(db, second.id, "run");
    assert.equal(done.result!.counts.kept, 1);
    assert.match((await issues(db, second.id, "run"))[2], /renovação em andamento/);
    const after = await db.kv.get<Contract>(before.key);
    assert.equal(after.versionstamp, before.versionstamp);
  } finally {
    db.kv.close();
  }
});

Deno.test("an import cut off midway resumes from its last committed batch", async () => {
  const { db } = await setup();
  try {
    const { generateCsv } = await import("../../scripts/gen.ts");
    const ts = new TransformStream<Uint8Array, Uint8Array>();
    const chunks: Uint8Array[] = [];
    const reading = (async () => {
      for await (const c of ts.readable) chunks.push(c);
    })();
    await generateCsv(ts.writable, { contracts: 1200, seed: 7, from: "2027-01-01" });
    await reading;
    const text = new TextDecoder().decode(await new Blob(chunks as BlobPart[]).bytes());
    const job = await upload(db, "gen.csv", text);
    assert.equal(job.preset, "renova");
    await run(db, job.id, "dry");
    let batches = 0;
    await assert.rejects(
      runJob(db, job.id, "run", {
        actor: ADMIN,
        onBatch: () => {
          if (++batches === 1) throw new Error("power cut");
        },
      }),
      /power cut/,
    );
    assert.equal((await getJob(db, job.id)).status, "failed");
    const mid = await snapshot(db);
    assert.ok(mid.size > 0, "the first batch was committed");
    await runJob(db, job.id, "run", { actor: ADMIN, resume: true });
    const done = await getJob(db, job.id);
    assert.equal(done.status, "done");
    assert.equal(done.result!.counts.rows, 1200);
    assert.equal(done.result!.counts.bad, 0);
    assert.equal(done.result!.counts.created, 1200);
    let contracts = 0;
    for await (const _ of db.kv.list({ prefix: keys.contracts() })) contracts++;
    assert.equal(contracts, 1200, "no contract twice, none missing");
  } finally {
    db.kv.close();
  }
});

Deno.test("a mapping without the required columns is refused in pt-BR", async () => {
  const { db } = await setup();
  try {
    const job = await upload(db, "ixc.csv");
    const mapping = { ...presetMapping("ixc", job.headers), document: -1, mobile: -1, phone: -1 };
    await assert.rejects(
      saveMapping(db, job.id, { preset: "custom", mapping }),
      (e: Error & { fields?: Record<string, string> }) =>
        /CPF ou CNPJ/.test(e.fields!.mapping) && /telefone/.test(e.fields!.mapping),
    );
  } finally {
    db.kv.close();
  }
});
