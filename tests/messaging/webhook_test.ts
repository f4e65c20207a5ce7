// The WhatsApp webhook in-process: the verification handshake, the signature over the raw
// body, and what processing does (the reply on the case, statuses on our message records).
import { staffActor } from "../../domain/actor.ts";
import assert from "node:assert/strict";
import { testApp } from "../helpers.ts";
import { caseWithLink, graphStandIn, until } from "./fixtures.ts";
import { keys } from "../../services/keys.ts";
import { toHex } from "../../services/crypto.ts";
import { getCase } from "../../services/renewals/cases.ts";
import { auditOf } from "../../services/audit.ts";
import { getMessage, stageMessage } from "../../services/messaging/messages.ts";
import { scanOnce, startMessaging } from "../../services/messaging/dispatcher.ts";
import { windowOpen } from "../../services/messaging/window.ts";
import { retryDeadLetter } from "../../services/messaging/dead_letters.ts";

const SECRET = "app-secret-de-teste";
const ENV = { WHATSAPP_VERIFY_TOKEN: "token-de-verificacao", WHATSAPP_APP_SECRET: SECRET };

async function sign(body: string, secret = SECRET) {
  const key = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const mac = await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(body));
  return `sha256=${toHex(new Uint8Array(mac))}`;
}

function post(app: Awaited<ReturnType<typeof testApp>>["app"], body: string, sig?: string) {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (sig) headers["x-hub-signature-256"] = sig;
  return app.request("/webhooks/whatsapp", { method: "POST", headers, body });
}

function payload(value: Record<string, unknown>) {
  return JSON.stringify({
    object: "whatsapp_business_account",
    entry: [{ id: "WABA", changes: [{ field: "messages", value }] }],
  });
}

Deno.test("webhook handshake: the challenge comes back only with the right verify token", async () => {
  const t = await testApp(ENV);
  try {
    const q = (mode: string, token: string) =>
      `/webhooks/whatsapp?hub.mode=${mode}&hub.verify_token=${token}&hub.challenge=1158201444`;
    const ok = await t.app.request(q("subscribe", "token-de-verificacao"));
    assert.equal(ok.status, 200);
    assert.equal(await ok.text(), "1158201444");
    assert.equal((await t.app.request(q("subscribe", "outro"))).status, 403);
    assert.equal((await t.app.request(q("unsubscribe", "token-de-verificacao"))).status, 403);
    assert.equal((await t.app.request("/webhooks/whatsapp")).status, 403);
  } finally {
    t.close();
  }
  const unset = await testApp();
  try {
    const res = await unset.app.request(
      "/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=&hub.challenge=1",
    );
    assert.equal(res.status, 403, "no token configured: nobody verifies");
  } finally {
    unset.close();
  }
});

Deno.test("webhook signature: missing or wrong is 401 and stores nothing; right is 200", async () => {
  const t = await testApp(ENV);
  try {
    const body = payload({ statuses: [] });
    assert.equal((await post(t.app, body)).status, 401);
    assert.equal((await post(t.app, body, await sign(body, "outro-segredo"))).status, 401);
    assert.equal((await post(t.app, body + " ", await sign(body))).status, 401, "other bytes");
    assert.equal((await post(t.app, body, "sha1=abc")).status, 401);
    let stored = 0;
    for await (const _ of t.db.kv.list({ prefix: keys.inboundsDue() })) stored++;
    assert.equal(stored, 0);
    const ok = await post(t.app, body, await sign(body));
    assert.equal(ok.status, 200);
    assert.deepEqual(await ok.json(), { ok: true, events: 0 });
    // No Origin header needed: webhooks are exempt from the form-origin check.
  } finally {
    t.close();
  }
});

Deno.test("inbound reply: recorded on the customer's open case, version bumped, window open", async () => {
  await using t = await testApp(ENV);
  const f = await caseWithLink(t.db);
  const before = (await getCase(t.db, f.case.id))!;
  // WhatsApp ids of older Brazilian mobiles lack the 9th digit: still the same customer.
  const waId = f.customer.phones[0].slice(0, 4) + f.customer.phones[0].slice(5);
  const at = Math.floor(Date.now() / 1000);
  const body = payload({
    contacts: [{ wa_id: waId, profile: { name: "Joana" } }],
    messages: [{
      from: waId,
      id: "wamid.HBgM1",
      timestamp: String(at),
      type: "text",
      text: { body: "Oi, quero renovar sim" },
    }],
  });
  const res = await post(t.app, body, await sign(body));
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), { ok: true, events: 1 });
  assert.equal((await getCase(t.db, f.case.id))!.rev, before.rev, "processed later, not inline");

  await scanOnce(t.db);
  const after = (await getCase(t.db, f.case.id))!;
  assert.equal(after.rev, before.rev + 1);
  assert.deepEqual(after.customerReply, {
    at: new Date(at * 1000).toISOString(),
    text: "Oi, quero renovar sim",
  });
  const events = await auditOf(t.db, `case:${f.case.id}`);
  assert.equal(events.at(-1)?.action, "customer.replied");
  assert.ok(await windowOpen(t.db, f.customer.phones[0]), "free text allowed for 24 h");

  // Meta delivers the same event again: nothing changes.
  await post(t.app, body, await sign(body));
  await scanOnce(t.db);
  assert.equal((await getCase(t.db, f.case.id))!.rev, after.rev);
  // The sealed payload is gone once processed.
  for await (
    const e of t.db.kv.list<{ sealed: string; status: string }>({ prefix: ["inbound_events"] })
  ) {
    assert.equal(e.value.status, "done");
    assert.equal(e.value.sealed, "");
  }
});

Deno.test("inbound through the queue: statuses update the message record (delivered, read)", async () => {
  const graph = graphStandIn();
  const t = await testApp(ENV);
  const messaging = startMessaging(t.db, {
    ...t.config.messaging,
    outboxLog: false,
    rate: { email: 0, whatsapp: 0 },
    quiet: { startMin: 0, endMin: 0, days: [], timeZone: "America/Sao_Paulo" },
    whatsapp: {
      token: "t",
      phoneNumberId: "55",
      apiBase: graph.url,
      templatePrefix: "renova_",
      templateLanguage: "pt_BR",
    },
  });
  try {
    const f = await caseWithLink(t.db);
    const op = t.db.kv.atomic();
    const msg = await stageMessage(t.db, op, {
      caseId: f.case.id,
      channel: "whatsapp",
      template: "protocol",
      to: f.customer.phones[0],
      subject: "Protocolo",
      body: "O protocolo do seu atendimento é 20260302000001.",
    });
    await op.commit();
    await until(async () => (await getMessage(t.db, msg.id))?.status === "sent");
    const wamid = (await getMessage(t.db, msg.id))!.providerId!;
    const ts = String(Math.floor(Date.now() / 1000));
    for (const status of ["delivered", "read", "delivered"]) {
      const body = payload({
        statuses: [{ id: wamid, status, timestamp: ts, recipient_id: f.customer.phones[0] }],
      });
      assert.equal((await post(t.app, body, await sign(body))).status, 200);
    }
    await until(async () => (await getMessage(t.db, msg.id))?.status === "read");
    await new Promise((r) => setTimeout(r, 100));
    const m = (await getMessage(t.db, msg.id))!;
    assert.equal(m.status, "read", "a late 'delivered' never moves it back");
    assert.ok(m.deliveredAt && m.readAt);
  } finally {
    await messaging.stop();
    t.close();
    await graph.close();
  }
});

// Replays (#14 item 14): a captured signed body must change nothing.

function replyBody(from: string, id: string, unixSeconds: number, text = "Quero renovar") {
  return payload({
    messages: [{ from, id, timestamp: String(unixSeconds), type: "text", text: { body: text } }],
  });
}

async function countPrefix(t: { db: { kv: Deno.Kv } }, prefix: Deno.KvKey) {
  let n = 0;
  for await (const _ of t.db.kv.list({ prefix })) n++;
  return n;
}

Deno.test("webhook replay: the same signed body twice is stored once and records one reply", async () => {
  await using t = await testApp(ENV);
  const f = await caseWithLink(t.db);
  const body = replyBody(f.customer.phones[0], "wamid.REPLAY1", Math.floor(Date.now() / 1000));
  const sig = await sign(body);
  const first = await post(t.app, body, sig);
  const second = await post(t.app, body, sig);
  assert.equal(first.status, 200);
  assert.equal(second.status, 200, "answered 200 so Meta stops retrying");
  assert.deepEqual(await second.json(), { ok: true, events: 0 });
  assert.equal(await countPrefix(t, ["inbound_events"]), 1, "the replay stores nothing");
  await scanOnce(t.db);
  const replies = (await auditOf(t.db, `case:${f.case.id}`))
    .filter((e) => e.action === "customer.replied");
  assert.equal(replies.length, 1);
});

Deno.test("webhook replay: an event older than the window is ignored (200, nothing stored)", async () => {
  await using t = await testApp({ ...ENV, WHATSAPP_WEBHOOK_MAX_AGE_MINUTES: "15" });
  const f = await caseWithLink(t.db);
  const before = (await getCase(t.db, f.case.id))!;
  const old = Math.floor(Date.now() / 1000) - 16 * 60;
  const body = replyBody(f.customer.phones[0], "wamid.OLD1", old);
  const res = await post(t.app, body, await sign(body));
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), { ok: true, events: 0 });
  await scanOnce(t.db);
  assert.equal(await countPrefix(t, ["inbound_events"]), 0);
  assert.equal((await getCase(t.db, f.case.id))!.rev, before.rev, "no reply recorded");
  // Inside the window the same kind of event is taken.
  const fresh = replyBody(f.customer.phones[0], "wamid.NEW1", old + 2 * 60);
  assert.deepEqual(await (await post(t.app, fresh, await sign(fresh))).json(), {
    ok: true,
    events: 1,
  });
});

Deno.test("webhook replay: a replayed 'failed' status does not fail the message again after a retry", async () => {
  const graph = graphStandIn();
  const t = await testApp(ENV);
  const messaging = startMessaging(t.db, {
    ...t.config.messaging,
    outboxLog: false,
    rate: { email: 0, whatsapp: 0 },
    quiet: { startMin: 0, endMin: 0, days: [], timeZone: "America/Sao_Paulo" },
    whatsapp: {
      token: "t",
      phoneNumberId: "55",
      apiBase: graph.url,
      templatePrefix: "renova_",
      templateLanguage: "pt_BR",
    },
  });
  try {
    const f = await caseWithLink(t.db);
    const op = t.db.kv.atomic();
    const msg = await stageMessage(t.db, op, {
      caseId: f.case.id,
      channel: "whatsapp",
      template: "protocol",
      to: f.customer.phones[0],
      subject: "Protocolo",
      body: "O protocolo do seu atendimento é 20260302000001.",
    });
    await op.commit();
    await until(async () => (await getMessage(t.db, msg.id))?.status === "sent");
    const wamid = (await getMessage(t.db, msg.id))!.providerId!;
    const failed = payload({
      statuses: [{
        id: wamid,
        status: "failed",
        timestamp: String(Math.floor(Date.now() / 1000)),
        recipient_id: f.customer.phones[0],
        errors: [{ code: 131026, title: "Message undeliverable" }],
      }],
    });
    const sig = await sign(failed);
    assert.equal((await post(t.app, failed, sig)).status, 200);
    await until(async () => (await getMessage(t.db, msg.id))?.status === "failed");
    // An admin retries it from the dead letters: it goes out again.
    await retryDeadLetter(t.db, msg.id, staffActor({ id: "admin", name: "Admin", role: "admin" }));
    await until(async () => (await getMessage(t.db, msg.id))?.status === "sent");
    // The captured "failed" body is posted again.
    assert.equal((await post(t.app, failed, sig)).status, 200);
    await scanOnce(t.db);
    await new Promise((r) => setTimeout(r, 100));
    assert.equal((await getMessage(t.db, msg.id))!.status, "sent", "one status move only");
  } finally {
    await messaging.stop();
    t.close();
    await graph.close();
  }
});
