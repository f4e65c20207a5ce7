// Retention beyond photos (#14 item 24), on a controlled clock: message bodies, one-time codes,
// WhatsApp replies and the personal data of audit events go after their documented periods.
import { staffCtx } from "../factories.ts";
import assert from "node:assert/strict";
import type { Db } from "../../services/db.ts";
import { keys } from "../../services/keys.ts";
import { type Message, messagesOfCase, openMessage } from "../../services/messaging/messages.ts";
import { configureMessaging } from "../../services/messaging/runtime.ts";
import { scanDueMessages } from "../../services/messaging/delivery.ts";
import { acceptWhatsappWebhook, scanDueInbound } from "../../services/messaging/inbound.ts";
import { auditOf } from "../../services/audit.ts";
import { getCase } from "../../services/renewals/cases.ts";
import { getCustomer } from "../../services/customers.ts";
import { cancelCase, reviewPhoto } from "../../services/renewals/staff_actions.ts";
import * as customer from "../../services/renewals/customer_actions.ts";
import { purgeExpired } from "../../services/ops/retention.ts";
import { ConfigError, loadConfig } from "../../app.config.ts";
import { clockDb, PNG, walker } from "./renewal_walk.ts";

const DAY = 86400_000;
const retention = (db: Db) =>
  purgeExpired(db, {
    photoRetentionDays: 90,
    messageRetentionDays: 90,
    codeRetentionDays: 1,
    auditPiiRetentionDays: 365,
  });

async function quietStore() {
  const t = await clockDb();
  configureMessaging(t.db, { queue: false, outboxLog: false, rate: { email: 0, whatsapp: 0 } });
  return t;
}

const bodies = async (db: Db, caseId: string) =>
  await Promise.all((await messagesOfCase(db, caseId)).map(async (m) => ({
    template: m.template,
    body: (await openMessage(db, m)).body,
  })));

Deno.test("message bodies go after MESSAGE_RETENTION_DAYS, code messages after CODE_RETENTION_DAYS", async () => {
  const { db, advance } = await quietStore();
  try {
    const w = await walker(db);
    await w.steps.toPlanChosen();
    await w.steps.toSignatureSent();
    await w.steps.toClosed();
    await scanDueMessages(db, db.now());
    // One message failed for good: its dead letter must not outlive its body.
    const [first] = await messagesOfCase(db, w.id);
    await db.kv.set(keys.message(first.id), { ...first, status: "failed" } satisfies Message);
    await db.kv.set(keys.deadLetter(first.id), {
      type: "deliver_message",
      v: 1,
      messageId: first.id,
    });

    advance(2 * DAY);
    await scanDueMessages(db, db.now()); // the running scan: reminders of the closed case skip
    await retention(db);
    for (const m of await bodies(db, w.id)) {
      if (m.template === "sign_code") assert.equal(m.body, "", "the code is erased");
      else assert.notEqual(m.body, "", `${m.template} is kept for now`);
    }
    advance(89 * DAY);
    await scanDueMessages(db, db.now());
    const r = await retention(db);
    assert.ok(r.messages > 0);
    const left = (await messagesOfCase(db, w.id)).filter((m) => m.sealed)
      .map((m) => [m.template, m.status, m.at, m.nextAttemptAt]);
    assert.deepEqual(left, [], "every body is erased");
    for (const m of await messagesOfCase(db, w.id)) {
      assert.equal(m.sealed, "");
      assert.ok(m.bodyPurgedAt, "the record says when");
      assert.ok(m.toMasked && m.template, "the trail of what was sent stays");
    }
    assert.equal((await db.kv.get(keys.deadLetter(first.id))).value, null);
  } finally {
    db.kv.close();
  }
});

Deno.test("an ended case loses its pending codes at once and the customer's reply after the period", async () => {
  const { db, advance } = await quietStore();
  try {
    const w = await walker(db);
    await w.steps.toPlanChosen();
    const person = (await getCustomer(db, (await getCase(db, w.id))!.customerId))!;
    const raw = new TextEncoder().encode(JSON.stringify({
      entry: [{
        changes: [{
          value: {
            messages: [{
              id: "wamid.r1",
              from: person.phones[0],
              timestamp: String(Math.floor(db.now().getTime() / 1000)),
              type: "text",
              text: { body: "Meu outro número é 11 98888-7777" },
            }],
          },
        }],
      }],
    }));
    await acceptWhatsappWebhook(db, raw);
    await scanDueInbound(db, db.now());
    await customer.uploadPhoto(w.cu, w.id, new File([PNG], "eu.png", { type: "image/png" }));
    await reviewPhoto(w.ctx, w.id, { approve: true });
    await customer.submitContacts(w.cu, w.id, [person.phones[0]], "outro.email@exemplo.com");
    const sup = await staffCtx(db, "supervisora");
    await cancelCase(sup, w.id, "Cliente desistiu");
    const ended = (await getCase(db, w.id))!;
    assert.ok(ended.pendingContacts && ended.customerReply, "the ended case still holds both");

    await retention(db);
    const after = (await getCase(db, w.id))!;
    assert.equal(after.pendingContacts, undefined, "pending contact change and its codes: gone");
    assert.ok(after.customerReply, "the reply is kept for the period");
    advance(91 * DAY);
    await retention(db);
    assert.equal((await getCase(db, w.id))!.customerReply, undefined);
    let inbound = 0;
    for await (const _ of db.kv.list({ prefix: keys.inboundEvents() })) inbound++;
    assert.equal(inbound, 0, "the stored WhatsApp event is gone too");
  } finally {
    db.kv.close();
  }
});

Deno.test("audit events lose IP, user agent and free text after AUDIT_PII_RETENTION_DAYS", async () => {
  const { db, advance } = await quietStore();
  try {
    const w = await walker(db);
    await w.steps.toPlanChosen();
    await w.steps.toSignatureSent();
    await w.steps.toClosed();
    const before = await auditOf(db, `case:${w.id}`, 500);
    const personal = (e: (typeof before)[number]) =>
      e.actor.ip !== undefined || e.actor.userAgent !== undefined ||
      ["ip", "userAgent", "note", "to"].some((k) => e.data && k in e.data);
    assert.ok(before.some(personal), "the walk records IPs, user agents and notes");

    advance(364 * DAY);
    await retention(db);
    // Only the walk's events (retention adds its own, e.g. the photo purge).
    const walkEvents = async () =>
      (await auditOf(db, `case:${w.id}`, 500)).filter((e) => before.some((b) => b.id === e.id));
    assert.deepEqual(await walkEvents(), before, "kept within the period");
    advance(2 * DAY);
    const r = await retention(db);
    assert.ok(r.audit > 0);
    const after = await walkEvents();
    assert.deepEqual(after.filter(personal), []);
    assert.deepEqual(
      after.map((e) => [e.action, e.at, e.actor.id, e.actor.name]),
      before.map((e) => [e.action, e.at, e.actor.id, e.actor.name]),
      "who did what and when stays",
    );
  } finally {
    db.kv.close();
  }
});

Deno.test("the retention periods are settings with defaults, and a bad one is refused by name", () => {
  const d = loadConfig({});
  assert.deepEqual(
    [d.messageRetentionDays, d.codeRetentionDays, d.auditPiiRetentionDays],
    [90, 1, 365],
  );
  assert.equal(loadConfig({ MESSAGE_RETENTION_DAYS: "30" }).messageRetentionDays, 30);
  assert.throws(
    () => loadConfig({ AUDIT_PII_RETENTION_DAYS: "um ano" }),
    (e) => e instanceof ConfigError && /AUDIT_PII_RETENTION_DAYS/.test(e.message),
  );
});
