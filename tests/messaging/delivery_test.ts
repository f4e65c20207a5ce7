// Delivery through the KV queue to local stand-ins of Resend and the WhatsApp Graph API:
// the request each provider gets, exactly-once under retries and races, dead letters and the
// admin's retry.
import assert from "node:assert/strict";
import { makeUser, postForm, signInAs, testApp, testDb } from "../helpers.ts";
import { caseWithLink, graphStandIn, resendStandIn, until } from "./fixtures.ts";
import type { Db } from "../../services/db.ts";
import { keys } from "../../services/keys.ts";
import {
  deliverJob,
  getMessage,
  type OutgoingMessage,
  stageMessage,
} from "../../services/messaging/messages.ts";
import { startMessaging } from "../../services/messaging/dispatcher.ts";
import { configureMessaging } from "../../services/messaging/runtime.ts";
import { deliverMessage, scanDueMessages } from "../../services/messaging/delivery.ts";
import { recordInboundAt } from "../../services/messaging/window.ts";
import type { MessagingSettings } from "../../services/messaging/settings.ts";

const QUIET_OFF = { startMin: 0, endMin: 0, days: [], timeZone: "America/Sao_Paulo" };

function emailSettings(url: string, over: Partial<MessagingSettings> = {}) {
  return {
    email: {
      apiKey: "re_test_123",
      baseUrl: url,
      from: "Fibra Exemplo <nao-responda@exemplo.com.br>",
    },
    rate: { email: 0, whatsapp: 0 },
    quiet: QUIET_OFF,
    outboxLog: false,
    scanIntervalMs: 3_600_000, // the tests drive the scan themselves
    ...over,
  } satisfies Partial<MessagingSettings>;
}

async function stage(db: Db, m: Partial<OutgoingMessage> & { caseId: string }) {
  const op = db.kv.atomic();
  const msg = await stageMessage(db, op, {
    channel: "email",
    template: "protocol",
    to: "cliente@exemplo.com.br",
    subject: "Protocolo 20260305000001",
    body: "Recebemos sua assinatura. O protocolo é 20260305000001.",
    ...m,
  });
  assert.ok((await op.commit()).ok);
  return msg;
}

const statusOf = async (db: Db, id: string) => (await getMessage(db, id))?.status;

Deno.test("e-mail: Resend gets to, subject, text and the message id as idempotency key", async () => {
  const api = resendStandIn();
  const db = await testDb();
  const messaging = startMessaging(db, emailSettings(api.url));
  try {
    const msg = await stage(db, { caseId: "case-1" });
    await until(async () => await statusOf(db, msg.id) === "sent", 10_000, "sent");
    assert.equal(api.requests.length, 1);
    const [r] = api.requests;
    assert.equal(r.path, "/emails");
    assert.equal(r.headers.get("idempotency-key"), msg.id);
    assert.equal(r.headers.get("authorization"), "Bearer re_test_123");
    assert.deepEqual(r.json.to, ["cliente@exemplo.com.br"]);
    assert.equal(r.json.subject, "Protocolo 20260305000001");
    assert.equal(r.json.text, "Recebemos sua assinatura. O protocolo é 20260305000001.");
    assert.equal(r.json.from, "Fibra Exemplo <nao-responda@exemplo.com.br>");
    const sent = (await getMessage(db, msg.id))!;
    assert.equal(sent.provider, "resend");
    assert.equal(sent.providerId, "email-1");
    assert.equal(sent.attempts, 1);
    assert.equal((await db.kv.get(keys.messageDue(msg.nextAttemptAt!, msg.id))).value, null);
  } finally {
    await messaging.stop();
    db.kv.close();
    await api.close();
  }
});

Deno.test("a handler that throws once still sends exactly once; redelivered jobs send nothing", async () => {
  // The first answer is lost after Resend accepted the e-mail: our handler throws, KV retries,
  // and the retry carries the same idempotency key.
  const api = resendStandIn((n) => n === 1 ? "lost" : null);
  const db = await testDb();
  const messaging = startMessaging(db, emailSettings(api.url, { backoffMs: [50, 50] }));
  try {
    const msg = await stage(db, { caseId: "case-2" });
    await until(async () => await statusOf(db, msg.id) === "sent", 10_000, "sent after retry");
    assert.equal(api.requests.length, 2);
    assert.deepEqual(
      api.requests.map((r) => r.headers.get("idempotency-key")),
      [msg.id, msg.id],
    );
    assert.equal(api.sent.get(msg.id), 1, "delivered once");
    assert.equal((await getMessage(db, msg.id))!.attempts, 2);
    // The same job delivered again (as KV may do) and a scan: nothing more goes out.
    await db.kv.enqueue(deliverJob(msg.id));
    await db.kv.enqueue(deliverJob(msg.id));
    await scanDueMessages(db, new Date(Date.now() + 3600_000));
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(api.requests.length, 2);
  } finally {
    await messaging.stop();
    db.kv.close();
    await api.close();
  }
});

Deno.test("workers racing over one message: one claim wins, one request", async () => {
  const api = resendStandIn();
  const db = await testDb();
  configureMessaging(db, emailSettings(api.url, { queue: false }));
  try {
    const msg = await stage(db, { caseId: "case-3" });
    const outcomes = await Promise.all([
      ...Array.from({ length: 6 }, () => deliverMessage(db, msg.id)),
      scanDueMessages(db),
    ]);
    assert.equal(api.requests.length, 1);
    assert.equal(
      outcomes.filter((o) => o === "sent").length +
        ((outcomes.at(-1) as Record<string, number>).sent ?? 0),
      1,
    );
    // A second message with the same purpose and text (a duplicate) is skipped, not sent.
    const dup = await stage(db, { caseId: "case-3" });
    assert.equal(await deliverMessage(db, dup.id), "skipped");
    assert.equal((await getMessage(db, dup.id))!.skipReason, "Mensagem repetida.");
    assert.equal(api.requests.length, 1);
  } finally {
    db.kv.close();
    await api.close();
  }
});

Deno.test("always failing: dead letters after the last attempt; the admin retry re-queues", async () => {
  let down = true;
  const api = resendStandIn(() => down ? 500 : null);
  const t = await testApp();
  const messaging = startMessaging(t.db, emailSettings(api.url, { backoffMs: [30, 30] }));
  try {
    const msg = await stage(t.db, { caseId: "case-4" });
    await until(async () => (await t.db.kv.get(keys.deadLetter(msg.id))).value !== null);
    assert.deepEqual((await t.db.kv.get(keys.deadLetter(msg.id))).value, deliverJob(msg.id));
    const failed = (await getMessage(t.db, msg.id))!;
    assert.equal(failed.status, "failed");
    assert.equal(failed.attempts, 3);
    assert.match(failed.lastError!, /resend 500/);
    assert.equal(api.requests.length, 3);

    const admin = await makeUser(t.db, "admin");
    const b = await signInAs(t.app, admin.username);
    const list =
      await (await t.app.request("/admin/dead-letters", { headers: { cookie: b.cookie } }))
        .text();
    assert.equal(list.match(/data-testid="dead-letter"/g)?.length, 1);
    assert.match(list, /Número de protocolo · E-mail para cl\*+@exemplo\.com\.br/);
    assert.match(list, /Tentar de novo/);

    down = false;
    const res = await postForm(t.app, "/admin/dead-letters", { id: msg.id }, b);
    assert.equal(res.status, 303);
    assert.equal(res.headers.get("location"), "/admin/dead-letters?ok=queued");
    await until(async () => await statusOf(t.db, msg.id) === "sent", 10_000, "sent after retry");
    assert.equal((await t.db.kv.get(keys.deadLetter(msg.id))).value, null);
    assert.equal((await getMessage(t.db, msg.id))!.retries, 1);
    assert.equal(api.sent.get(msg.id), 1);
    const again = await postForm(t.app, "/admin/dead-letters", { id: msg.id }, b);
    assert.equal(again.status, 404, "already resolved");
  } finally {
    await messaging.stop();
    t.close();
    await api.close();
  }
});

Deno.test("a permanent error (422) goes to the dead letters at once, without retries", async () => {
  const api = resendStandIn(() => 422);
  const db = await testDb();
  const messaging = startMessaging(db, emailSettings(api.url, { backoffMs: [30, 30, 30] }));
  try {
    const msg = await stage(db, { caseId: "case-5" });
    await until(async () => await statusOf(db, msg.id) === "failed");
    assert.equal(api.requests.length, 1);
    assert.ok((await db.kv.get(keys.deadLetter(msg.id))).value);
  } finally {
    await messaging.stop();
    db.kv.close();
    await api.close();
  }
});

Deno.test("WhatsApp: template with the link outside the 24-hour window, free text inside", async () => {
  let closeWindowOnce = false;
  const graph = graphStandIn((r) => {
    if (closeWindowOnce && r.json.type === "text") {
      closeWindowOnce = false;
      return Response.json({ error: { code: 131047, message: "Re-engagement message" } }, {
        status: 400,
      });
    }
    return null;
  });
  const db = await testDb();
  const messaging = startMessaging(db, {
    ...emailSettings(""),
    email: undefined,
    whatsapp: {
      token: "EAAG-test",
      phoneNumberId: "1098765",
      apiBase: graph.url,
      templatePrefix: "renova_",
      templateLanguage: "pt_BR",
    },
  });
  try {
    const { customer, case: c } = await caseWithLink(db);
    const link = `http://localhost:8000/r/${"A".repeat(43)}`;
    const first = await stage(db, {
      caseId: c.id,
      channel: "whatsapp",
      template: "first_contact",
      to: customer.phones[0],
      subject: "Renove",
      body: `Olá! Veja e escolha pelo seu link pessoal (não compartilhe): ${link}`,
    });
    await until(async () => await statusOf(db, first.id) === "sent");
    const [t1] = graph.requests;
    assert.equal(t1.path, "/1098765/messages");
    assert.equal(t1.headers.get("authorization"), "Bearer EAAG-test");
    assert.equal(t1.json.to, customer.phones[0]);
    assert.equal(t1.json.type, "template");
    assert.deepEqual(t1.json.template, {
      name: "renova_first_contact",
      language: { code: "pt_BR" },
      components: [{ type: "body", parameters: [{ type: "text", text: link }] }],
    });
    const rec = (await getMessage(db, first.id))!;
    assert.equal(rec.providerId, "wamid.1");
    assert.equal(rec.mode, "template");

    // The customer wrote 1 hour ago: free text.
    await recordInboundAt(db, customer.phones[0], new Date(Date.now() - 3600_000).toISOString());
    const reply = await stage(db, {
      caseId: c.id,
      channel: "whatsapp",
      template: "photo_rejected",
      to: customer.phones[0],
      subject: "Foto",
      body: `Envie outra foto pelo seu link: ${link}`,
    });
    await until(async () => await statusOf(db, reply.id) === "sent");
    assert.equal(graph.requests[1].json.type, "text");
    assert.deepEqual(graph.requests[1].json.text, {
      preview_url: true,
      body: `Envie outra foto pelo seu link: ${link}`,
    });

    // Meta says the window closed after all: the template goes instead, in the same attempt.
    closeWindowOnce = true;
    const third = await stage(db, {
      caseId: c.id,
      channel: "whatsapp",
      template: "sign_code",
      to: customer.phones[0],
      subject: "Código",
      body: "Seu código para assinar o contrato é 482913. Ele vale por 5 minutos.",
    });
    await until(async () => await statusOf(db, third.id) === "sent");
    assert.equal(graph.requests[2].json.type, "text");
    assert.equal(graph.requests[3].json.type, "template");
    assert.deepEqual(
      (graph.requests[3].json.template as { components: unknown }).components,
      [{ type: "body", parameters: [{ type: "text", text: "482913" }] }],
    );
    assert.equal((await getMessage(db, third.id))!.attempts, 1);
  } finally {
    await messaging.stop();
    db.kv.close();
    await graph.close();
  }
});
