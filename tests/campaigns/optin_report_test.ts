// Opting back in (VOLTAR by WhatsApp, audited) and a wave's report built from what happened
// after the run: WhatsApp statuses from the webhook (sent → delivered → read) and the cases'
// outcomes.
import assert from "node:assert/strict";
import { activeWave, campaignDb, holder } from "./fixtures.ts";
import { testDb } from "../helpers.ts";
import { testEnv } from "../factories.ts";
import { graphStandIn } from "../messaging/fixtures.ts";
import { configureMessaging } from "../../services/messaging/runtime.ts";
import { scanOnce } from "../../services/messaging/dispatcher.ts";
import { acceptWhatsappWebhook } from "../../services/messaging/inbound.ts";
import { getOptOut, isOptIn } from "../../services/messaging/replies.ts";
import { planWave } from "../../services/campaigns/planner.ts";
import { waveReport } from "../../services/campaigns/report.ts";
import { auditOf } from "../../services/audit.ts";
import { keys } from "../../services/keys.ts";
import type { Message } from "../../services/messaging/mod.ts";
import { transition } from "../../services/renewals/cases.ts";
import { customerActor } from "../../domain/actor.ts";
import { createPlan } from "../../services/plans.ts";
import { DEMO_PLANS } from "../../services/seed.ts";
import type { SendRecord } from "../../services/campaigns/planner.ts";

const webhook = (value: Record<string, unknown>) =>
  new TextEncoder().encode(JSON.stringify({
    object: "whatsapp_business_account",
    entry: [{ id: "WABA", changes: [{ field: "messages", value }] }],
  }));

const reply = (from: string, text: string, at: number) =>
  webhook({
    messaging_product: "whatsapp",
    messages: [{
      from,
      id: `wamid.in.${at}.${text}`,
      timestamp: String(Math.floor(at / 1000)),
      type: "text",
      text: { body: text },
    }],
  });

Deno.test("opt-in words: VOLTAR or RECEBER alone, any case", () => {
  for (const yes of ["VOLTAR", " voltar ", "Receber!", "VOLTAR."]) assert.ok(isOptIn(yes), yes);
  for (const no of ["não quero voltar", "SAIR", "", "voltar".repeat(10)]) {
    assert.ok(!isOptIn(no), no);
  }
});

Deno.test("opt-in: VOLTAR by WhatsApp lifts the opt-out (audited) and the next wave contacts", async () => {
  const { db, env, clock } = await campaignDb();
  await using _ = db;
  const h = await holder(db, 30);
  const w = await activeWave(db, 30);
  await acceptWhatsappWebhook(db, reply(h.customer.phones[0], "SAIR", clock.now));
  await scanOnce(db);
  assert.ok(await getOptOut(db, h.customer.id));
  assert.equal((await planWave(env, w, { dryRun: true })).excluded.opt_out, 1);

  clock.now += 60_000;
  await acceptWhatsappWebhook(db, reply(h.customer.phones[0], "Voltar", clock.now));
  await scanOnce(db);
  assert.equal(await getOptOut(db, h.customer.id), null);
  const trail = (await auditOf(db, `customer:${h.customer.id}`)).map((e) => e.action);
  assert.deepEqual(trail.filter((a) => a.startsWith("customer.opted")), [
    "customer.opted_out",
    "customer.opted_in",
  ]);
  assert.equal((await planWave(env, w)).contact, 1);
});

Deno.test("report: sent, delivered, read from the WhatsApp webhook; declines from the cases", async () => {
  const graph = graphStandIn();
  const db = await testDb();
  try {
    configureMessaging(db, {
      queue: false,
      baseUrl: "https://renova.test",
      rate: { email: 0, whatsapp: 0 },
      quiet: { startMin: 0, endMin: 0, days: [], timeZone: "America/Sao_Paulo" },
      whatsapp: {
        token: "t",
        phoneNumberId: "55",
        apiBase: graph.url,
        templatePrefix: "renova_",
        templateLanguage: "pt_BR",
      },
    }, { log: () => {} });
    for (const p of DEMO_PLANS) await createPlan(db, p);
    for (let i = 0; i < 3; i++) await holder(db, 30);
    const w = await activeWave(db, 30, { fromHour: 0, toHour: 24 });
    assert.equal((await planWave(testEnv(db), w)).contact, 3);
    await scanOnce(db);
    const sends: SendRecord[] = [];
    for await (const e of db.kv.list<SendRecord>({ prefix: keys.campaignSendsOfWave(w.id) })) {
      sends.push(e.value);
    }
    const msgs = await Promise.all(
      sends.map(async (s) => (await db.kv.get<Message>(keys.message(s.messageId!))).value!),
    );
    assert.ok(msgs.every((m) => m.status === "sent"), msgs.map((m) => m.status).join());
    const now = String(Math.floor(Date.now() / 1000));
    const status = (m: Message, s: string) =>
      acceptWhatsappWebhook(
        db,
        webhook({ statuses: [{ id: m.providerId, status: s, timestamp: now, recipient_id: "x" }] }),
      );
    await status(msgs[0], "delivered");
    await status(msgs[1], "delivered");
    await status(msgs[1], "read");
    await scanOnce(db);
    await transition(db, {
      caseId: sends[2].caseId,
      action: "decline",
      actor: customerActor(sends[2].caseId),
      apply: (next) => {
        next.declined = { reason: "sem interesse", at: db.now().toISOString(), by: "Cliente" };
      },
    });
    const r = await waveReport(db, w.id);
    assert.deepEqual(
      { ...r },
      {
        contacted: 3,
        sent: 3,
        delivered: 2,
        read: 1,
        failed: 0,
        opened: 0,
        advanced: 0,
        completed: 0,
        declined: 1,
        expired: 0,
      },
    );
  } finally {
    db.kv.close();
    await graph.close();
  }
});
