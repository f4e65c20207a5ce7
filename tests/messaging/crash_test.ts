// A worker killed between the provider's answer and the "sent" record leaves the message in
// `sending` with a lease that runs out. WhatsApp has no idempotency key: such a message must
// never go out again by itself; staff resend it by hand. E-mail goes out again with the same
// Resend idempotency key, so the provider sends it once.
import assert from "node:assert/strict";
import { makeUser, postForm, signInAs, testApp } from "../helpers.ts";
import { caseWithLink, graphStandIn, resendStandIn } from "./fixtures.ts";
import type { Db } from "../../services/db.ts";
import { keys } from "../../services/keys.ts";
import { getMessage, type Message, stageMessage } from "../../services/messaging/messages.ts";
import { configureMessaging } from "../../services/messaging/runtime.ts";
import { scanDueMessages, stageRewrite } from "../../services/messaging/delivery.ts";
import { Resend } from "resend";

const QUIET_OFF = { startMin: 0, endMin: 0, days: [], timeZone: "America/Sao_Paulo" };

function settings(graphUrl: string, resendUrl: string) {
  return {
    email: {
      apiKey: "re_test_123",
      baseUrl: resendUrl,
      from: "Fibra <nao-responda@exemplo.com.br>",
    },
    whatsapp: {
      token: "EAAG-test",
      phoneNumberId: "1098765",
      apiBase: graphUrl,
      templatePrefix: "renova_",
      templateLanguage: "pt_BR",
    },
    rate: { email: 0, whatsapp: 0 },
    quiet: QUIET_OFF,
    outboxLog: false,
    queue: false,
    scanIntervalMs: 3_600_000,
  };
}

/** Leaves the message as a worker killed mid-send does: `sending`, lease already over. */
async function crashWhileSending(db: Db, id: string) {
  const e = await db.kv.get<Message>(keys.message(id));
  const stuck: Message = {
    ...e.value!,
    status: "sending",
    attempts: 1,
    nextAttemptAt: new Date(Date.now() - 1_000).toISOString(),
  };
  assert.ok((await stageRewrite(db.kv.atomic(), e as Deno.KvEntry<Message>, stuck).commit()).ok);
}

async function whatsappSetup() {
  const graph = graphStandIn();
  const resend = resendStandIn();
  const t = await testApp();
  configureMessaging(t.db, settings(graph.url, resend.url));
  const { customer, case: c } = await caseWithLink(t.db);
  const op = t.db.kv.atomic();
  const msg = await stageMessage(t.db, op, {
    caseId: c.id,
    channel: "whatsapp",
    template: "first_contact",
    to: customer.phones[0],
    subject: "Renove",
    body: `Olá! Veja e escolha pelo seu link pessoal: http://localhost:8000/r/${"A".repeat(43)}`,
  });
  assert.ok((await op.commit()).ok);
  const close = async () => {
    t.close();
    await graph.close();
    await resend.close();
  };
  return { ...t, graph, caseId: c.id, msg, close };
}

Deno.test("WhatsApp left in 'sending' by a crash: the scan sends nothing and marks it possibly sent", async () => {
  const s = await whatsappSetup();
  try {
    await crashWhileSending(s.db, s.msg.id);
    const counts = await scanDueMessages(s.db, new Date(Date.now() + 3600_000));
    assert.equal(counts.unknown, 1);
    assert.equal(s.graph.requests.length, 0, "never resent by itself");
    const m = (await getMessage(s.db, s.msg.id))!;
    assert.equal(m.status, "unknown");
    assert.ok((await s.db.kv.get(keys.deadLetter(s.msg.id))).value, "listed for the admin");
    // Later scans leave it alone too.
    await scanDueMessages(s.db, new Date(Date.now() + 7200_000));
    assert.equal(s.graph.requests.length, 0);
  } finally {
    await s.close();
  }
});

Deno.test("staff 'Reenviar' on the case page sends a possibly-sent WhatsApp exactly once, audited", async () => {
  const s = await whatsappSetup();
  try {
    await crashWhileSending(s.db, s.msg.id);
    await scanDueMessages(s.db, new Date(Date.now() + 3600_000));
    const sup = await makeUser(s.db, "supervisor");
    const b = await signInAs(s.app, sup.username);
    const page = await (await s.app.request(`/app/cases/${s.caseId}`, {
      headers: { cookie: b.cookie },
    })).text();
    assert.match(page, /Possivelmente enviada/);
    assert.match(page, /data-testid="resend-message"/);

    const other = await makeUser(s.db, "attendant");
    const ob = await signInAs(s.app, other.username);
    const notTheirs = await postForm(s.app, `/app/cases/${s.caseId}/resend`, {
      messageId: s.msg.id,
    }, ob);
    assert.equal(notTheirs.status, 403, "an attendant who does not hold the case cannot");

    const noCsrf = await postForm(
      s.app,
      `/app/cases/${s.caseId}/resend`,
      {
        messageId: s.msg.id,
      },
      b,
      { csrf: false },
    );
    assert.equal(noCsrf.status, 403);
    assert.equal(s.graph.requests.length, 0);

    const res = await postForm(s.app, `/app/cases/${s.caseId}/resend`, {
      messageId: s.msg.id,
    }, b);
    assert.equal(res.status, 303);
    await scanDueMessages(s.db, new Date(Date.now() + 3600_000));
    await scanDueMessages(s.db, new Date(Date.now() + 7200_000));
    assert.equal(s.graph.requests.length, 1, "exactly one new attempt");
    const m = (await getMessage(s.db, s.msg.id))!;
    assert.equal(m.status, "sent");
    assert.equal(m.retries, 1);
    assert.equal((await s.db.kv.get(keys.deadLetter(s.msg.id))).value, null);
    const after = await (await s.app.request(`/app/cases/${s.caseId}`, {
      headers: { cookie: b.cookie },
    })).text();
    assert.match(after, /Mensagem reenviada/, "the resend is in the case history");
    // A second click finds nothing to resend.
    const again = await postForm(s.app, `/app/cases/${s.caseId}/resend`, {
      messageId: s.msg.id,
    }, b);
    assert.equal(again.status, 404);
    assert.equal(s.graph.requests.length, 1);
  } finally {
    await s.close();
  }
});

Deno.test("e-mail left in 'sending' by a crash goes again with the same idempotency key: sent once", async () => {
  const resend = resendStandIn();
  const graph = graphStandIn();
  const t = await testApp();
  configureMessaging(t.db, settings(graph.url, resend.url));
  try {
    const op = t.db.kv.atomic();
    const msg = await stageMessage(t.db, op, {
      caseId: "case-crash",
      channel: "email",
      template: "protocol",
      to: "cliente@exemplo.com.br",
      subject: "Protocolo",
      body: "Seu protocolo é 1.",
    });
    assert.ok((await op.commit()).ok);
    // The crashed worker's request reached Resend (real SDK, same key) before the process died.
    await new Resend("re_test_123", { baseUrl: resend.url } as never).emails.send(
      { from: "a@exemplo.com.br", to: ["cliente@exemplo.com.br"], subject: "P", text: "x" },
      { idempotencyKey: msg.id },
    );
    await crashWhileSending(t.db, msg.id);
    await scanDueMessages(t.db, new Date(Date.now() + 3600_000));
    assert.equal(resend.requests.length, 2);
    assert.deepEqual(resend.requests.map((r) => r.headers.get("idempotency-key")), [
      msg.id,
      msg.id,
    ]);
    assert.equal(resend.sent.get(msg.id), 1, "Resend delivered it once");
    assert.equal((await getMessage(t.db, msg.id))!.status, "sent");
  } finally {
    t.close();
    await graph.close();
    await resend.close();
  }
});
