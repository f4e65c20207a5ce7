// Personal data at rest: a customer imported from the ERP is walked to a closed renewal through
// the real verbs (contact change with codes, a WhatsApp reply, signature, invoices, an e-mail
// that fails for good), then every raw value in the store is searched for that customer's CPF
// (with and without punctuation), name, phones and e-mail. Only sealed values may hold them.
import { testEnv } from "../factories.ts";
import { customerActor, staffActor } from "../../domain/actor.ts";
import assert from "node:assert/strict";
import { testDb } from "../helpers.ts";
import { standIn } from "../messaging/fixtures.ts";
import type { Db } from "../../services/db.ts";
import { keys } from "../../services/keys.ts";
import { seedIfEmpty } from "../../services/seed.ts";
import { findUserByUsername } from "../../services/users.ts";
import { listPlans } from "../../services/plans.ts";
import { createJob, runJob } from "../../services/import/jobs.ts";
import { getCase } from "../../services/renewals/cases.ts";
import * as staff from "../../services/renewals/staff_actions.ts";
import * as customer from "../../services/renewals/customer_actions.ts";
import * as signing from "../../services/renewals/signing.ts";
import { readOutbox } from "../../services/messaging/messages.ts";
import { configureMessaging } from "../../services/messaging/runtime.ts";
import { scanDueMessages } from "../../services/messaging/delivery.ts";
import { acceptWhatsappWebhook } from "../../services/messaging/inbound.ts";
import { scanDueInbound } from "../../services/messaging/inbound.ts";
import { addDays, todayInBrazil } from "../../services/dates.ts";
import { migrate } from "../../services/migrations.ts";
import { loadConfig } from "../../app.config.ts";
import { auditOf, auditText } from "../../services/audit.ts";
import { walker } from "./renewal_walk.ts";

const provider = loadConfig({}).provider;
import { PNG } from "../fixtures/images/mod.ts";
const ADMIN = staffActor({ id: "test-admin", name: "Admin de teste", role: "admin" });

const PERSON = {
  name: "Marisol Quintanilha Prado",
  cpf: "529.982.247-25",
  phone: "(43) 99123-4567",
  email: "marisol.prado@exemplo.com.br",
  newPhone: "(43) 98877-6655",
  newEmail: "marisol.q.prado@exemplo.net",
};

/** Every form in which these values could land in a record. */
function needles(): string[] {
  const digits = (s: string) => s.replace(/\D/g, "");
  const phoneForms = (p: string) => [p, digits(p), `55${digits(p)}`];
  return [
    PERSON.name.toLowerCase(),
    PERSON.cpf,
    digits(PERSON.cpf),
    ...phoneForms(PERSON.phone),
    ...phoneForms(PERSON.newPhone),
    PERSON.email,
    PERSON.newEmail,
  ];
}

/** A raw KV value as searchable text: nested objects, byte arrays (as text) and numbers. */
function rawText(v: unknown): string {
  if (v instanceof Uint8Array) return new TextDecoder("latin1").decode(v);
  if (v instanceof Deno.KvU64) return String(v.value);
  return JSON.stringify(v, (_k, x) => {
    if (x instanceof Uint8Array) return new TextDecoder("latin1").decode(x);
    if (typeof x === "bigint") return String(x);
    if (x instanceof Map) return [...x];
    if (x instanceof Set) return [...x];
    return x;
  }) ?? String(v);
}

async function scan(db: Db): Promise<string[]> {
  const hits: string[] = [];
  const find = needles();
  for await (const e of db.kv.list({ prefix: [] })) {
    const text = `${rawText(e.key)} ${rawText(e.value)}`.toLowerCase();
    for (const n of find) {
      if (text.includes(n.toLowerCase())) hits.push(`${JSON.stringify(e.key)} holds ${n}`);
    }
  }
  return hits;
}

async function importPerson(db: Db) {
  const today = todayInBrazil(db.now());
  const csv = [
    "id_cliente,id_contrato,nome,cpf_cnpj,celular,telefone,email,logradouro,numero,bairro," +
    "cidade,uf,cep,plano,data_ativacao,inicio_fidelidade,fim_fidelidade,situacao",
    `9901,9902,${PERSON.name},${PERSON.cpf},${PERSON.phone},,${PERSON.email},Rua Sergipe,800,` +
    `Centro,Londrina,PR,86010-360,FIBRA300-26,${addDays(today, -365)},${addDays(today, -365)},${
      addDays(today, 20)
    },A`,
  ].join("\n");
  const job = await createJob(db, {
    name: "erp.csv",
    stream: ReadableStream.from([new TextEncoder().encode(csv)]),
  }, ADMIN);
  await runJob(db, job.id, "dry", { actor: ADMIN });
  await runJob(db, job.id, "run", { actor: ADMIN });
  return (await db.kv.get<string>(keys.contractByErpId("9902"))).value!;
}

function whatsappReply(from: string, text: string, at = new Date()) {
  return new TextEncoder().encode(JSON.stringify({
    entry: [{
      changes: [{
        value: {
          contacts: [{ profile: { name: PERSON.name }, wa_id: from }],
          messages: [{
            id: "wamid.reply1",
            from,
            timestamp: String(Math.floor(at.getTime() / 1000)), // inside the replay window
            type: "text",
            text: { body: text },
          }],
        },
      }],
    }],
  }));
}

const lastCode = async (db: Db) => (await readOutbox(db, 1))[0].body.match(/\d{6}/)![0];

Deno.test("a closed renewal leaves the customer's personal data nowhere in clear", async () => {
  // The e-mail provider refuses every message and, like real ones, quotes the address.
  const api = standIn((r) =>
    Response.json({
      statusCode: 422,
      name: "validation_error",
      message: `Invalid \`to\` field: ${(r.json.to as string[])[0]}`,
    }, { status: 422 })
  );
  const db = await testDb();
  try {
    configureMessaging(db, {
      queue: false,
      outboxLog: false,
      email: { apiKey: "re_test", baseUrl: api.url, from: "Fibra <nao-responda@exemplo.com.br>" },
      rate: { email: 0, whatsapp: 0 },
    });
    await seedIfEmpty(db, {});
    const contractId = await importPerson(db);
    const att = (await findUserByUsername(db, "atendente1"))!;
    const ctx: staff.StaffCtx = {
      db,
      actor: staffActor(att, { ip: "10.0.0.1" }),
      baseUrl: "http://renova.test",
      linkTtlDays: 15,
      providerName: provider.name,
      provider,
    };
    const c0 = await staff.claimContract(ctx, contractId, { id: att.id, name: att.name });
    await staff.recordContact(ctx, c0.id, { channel: "phone", outcome: "answered", note: "ok" });
    await staff.sendLink(ctx, c0.id, "email");
    await staff.sendLink(ctx, c0.id, "whatsapp");
    // The customer answers on WhatsApp, quoting their e-mail.
    await acceptWhatsappWebhook(
      db,
      whatsappReply(
        "5543991234567",
        `Oi, sou ${PERSON.name}, meu e-mail é ${PERSON.email}`,
        db.now(),
      ),
    );
    await scanDueInbound(db, new Date(db.now().getTime() + 1000));
    assert.ok((await getCase(db, c0.id))!.customerReply, "the reply reached the case");

    const cu = { ...testEnv(db), actor: customerActor(c0.id, { ip: "10.0.0.9" }) };
    const plans = await listPlans(db);
    await customer.choosePlan(cu, c0.id, plans[2].id, true);
    await customer.uploadPhoto(cu, c0.id, new File([PNG], "eu.png", { type: "image/png" }));
    await staff.reviewPhoto(ctx, c0.id, { approve: true });
    await customer.submitContacts(cu, c0.id, [PERSON.phone, PERSON.newPhone], PERSON.newEmail);
    const outbox = await readOutbox(db, 2);
    const codes: Record<string, string> = {};
    const pending = await customer.pendingContactsOf(db, (await getCase(db, c0.id))!);
    pending!.checks.forEach((ch, i) => {
      const m = outbox.find((o) => o.to === ch.target)!;
      codes[`code_${i}`] = m.body.match(/\d{6}/)![0];
    });
    await customer.verifyContactCodes(cu, c0.id, codes);
    await staff.changePlan(ctx, c0.id);
    await staff.sendSignature(ctx, c0.id);
    await signing.sendSigningCode(cu, c0.id, "whatsapp");
    const doc = (await getCase(db, c0.id))!.contractDoc!;
    await signing.signContract(cu, c0.id, {
      code: await lastCode(db),
      typedName: PERSON.name.toUpperCase(),
      consent: true,
      documentSha256: doc.sha256,
      ip: "10.0.0.9",
      userAgent: "Teste",
    });
    await staff.registerSignature(ctx, c0.id);
    await staff.notifyCustomer(ctx, c0.id);
    await staff.closeCase(ctx, c0.id);
    assert.equal((await getCase(db, c0.id))!.step, "closed");
    // Deliver everything: WhatsApp to the local outbox, e-mails to the refusing provider.
    await scanDueMessages(db, new Date(db.now().getTime() + 1000));
    assert.ok(api.requests.length > 0, "e-mails were attempted");
    let deadLetters = 0;
    for await (const _ of db.kv.list({ prefix: keys.deadLetters() })) deadLetters++;
    assert.ok(deadLetters > 0, "the refused e-mails are dead letters");

    assert.deepEqual(await scan(db), []);
  } finally {
    db.kv.close();
    await api.close();
  }
});

Deno.test("a case row stored in clear before sealing still reads, and migration 4 seals it", async () => {
  const db = await testDb();
  try {
    await db.kv.set(keys.schemaVersion(), 3);
    const now = db.now().toISOString();
    const sections = [{ title: "Partes", paragraphs: [`${PERSON.name}, CPF ${PERSON.cpf}`] }];
    const legacy = {
      id: "01LEGACYCASE0000000000000",
      rev: 9,
      step: "closed",
      contractId: "k",
      customerId: "c",
      city: "Londrina",
      loyaltyEnd: "2027-01-01",
      currentPlanId: "p",
      origin: "list",
      createdAt: now,
      updatedAt: now,
      failedContacts: 0,
      oldPhotoBlobIds: [],
      contractDoc: { blobId: "b", sha256: "h", templateVersion: "1", renderedAt: now, sections },
      signature: {
        at: now,
        typedName: PERSON.name,
        ip: "10.0.0.9",
        userAgent: "x",
        documentSha256: "h",
      },
    };
    await db.kv.set(keys.case(legacy.id), legacy);
    const before = (await getCase(db, legacy.id))!;
    assert.deepEqual(before.contractDoc!.sections, sections, "the old row reads as it is");

    assert.equal((await migrate(db))[0], 4, "migration 4 runs (later ones may follow)");
    const raw = JSON.stringify((await db.kv.get(keys.case(legacy.id))).value);
    assert.ok(!raw.includes(PERSON.cpf) && !raw.includes(PERSON.name), raw);
    assert.deepEqual(await getCase(db, legacy.id), before, "the sealed row reads the same");
  } finally {
    db.kv.close();
  }
});

Deno.test("reasons people type (a decline quoting a CPF and phone) are sealed in the audit trail", async () => {
  const db = await testDb();
  try {
    await seedIfEmpty(db, {});
    const w = await walker(db);
    await w.steps.toPlanChosen();
    const reason = `Não quero; meu CPF é ${PERSON.cpf}, liguem no ${PERSON.phone}`;
    await customer.declineOffer(w.cu, w.id, reason);
    const hits: string[] = [];
    for await (const e of db.kv.list({ prefix: keys.auditAll() })) {
      const text = rawText(e.value);
      for (const n of [PERSON.cpf, PERSON.phone]) if (text.includes(n)) hits.push(n);
    }
    assert.deepEqual(hits, []);
    const declined = (await auditOf(db, `case:${w.id}`)).find((e) => e.action === "decline")!;
    assert.equal(await auditText(db, declined, "reason"), reason); // still readable with the key
  } finally {
    db.kv.close();
  }
});
