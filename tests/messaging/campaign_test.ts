// Campaign messages (reminders) with an injected clock and the scan as the delivery path:
// reminders that find the case moved on do nothing, opt-outs and quiet hours are respected.
// The local outbox is the channel; its console line is captured to see what went out.
import assert from "node:assert/strict";
import { testDb } from "../helpers.ts";
import { caseWithLink } from "./fixtures.ts";
import type { Db } from "../../services/db.ts";
import { customerActor, SYSTEM } from "../../domain/actor.ts";
import { getMessage, readOutbox, stageMessage } from "../../services/messaging/messages.ts";
import { transition, updateCase } from "../../services/renewals/cases.ts";
import { currentLinkToken, stageNewLink } from "../../services/renewals/links.ts";
import { configureMessaging } from "../../services/messaging/runtime.ts";
import { scanDueMessages } from "../../services/messaging/delivery.ts";
import { scanOnce } from "../../services/messaging/dispatcher.ts";
import { stageReminders } from "../../services/messaging/reminders.ts";
import { acceptWhatsappWebhook } from "../../services/messaging/inbound.ts";
import { getOptOut, isOptOut, setCustomerReply } from "../../services/messaging/replies.ts";
import { isQuiet, nextAllowedTime } from "../../services/messaging/quiet_hours.ts";
import { DEFAULT_SETTINGS } from "../../services/messaging/settings.ts";

const H = 3600_000;
/** Monday 2 March 2026, 10:00 in São Paulo. */
const MONDAY_10H = Date.parse("2026-03-02T13:00:00Z");

async function setup(start: number) {
  const clock = { now: start };
  const db = await testDb(() => new Date(clock.now));
  const lines: string[] = [];
  configureMessaging(db, { queue: false, baseUrl: "https://renova.test" }, {
    log: (l) => lines.push(l),
  });
  return { db, clock, lines };
}

async function remind(db: Db, c: Parameters<typeof stageReminders>[2]) {
  const op = db.kv.atomic();
  const staged = await stageReminders(db, op, c);
  assert.ok((await op.commit()).ok);
  return staged;
}

Deno.test("reminders: sent when the case waits; nothing when it moved on, got a new link or a reply", async () => {
  const { db, clock, lines } = await setup(MONDAY_10H);
  try {
    const waits = await caseWithLink(db);
    const moved = await caseWithLink(db);
    const relinked = await caseWithLink(db);
    const replied = await caseWithLink(db);
    for (const f of [waits, moved, relinked, replied]) {
      const staged = await remind(db, f.case);
      assert.deepEqual(staged.map((m) => m.template), [
        "reminder_1",
        "reminder_2",
        "link_expiring",
      ]);
      assert.ok(staged.every((m) => m.kind === "campaign" && m.step === "contact"));
    }
    assert.equal((await readOutbox(db)).length, 0, "future reminders are not in the outbox yet");

    await transition(db, {
      caseId: moved.case.id,
      action: "choose_plan",
      actor: customerActor(moved.case.id),
      apply: (next) => {
        next.choice = {
          planId: "p",
          at: new Date(clock.now).toISOString(),
          by: "customer",
          consent: true,
        };
      },
    });
    await updateCase(db, {
      caseId: relinked.case.id,
      actor: SYSTEM,
      action: "link.sent",
      apply: async (next, op) => {
        await stageNewLink(db, op, next, 15);
      },
    });
    clock.now += H;
    await updateCase(db, {
      caseId: replied.case.id,
      actor: SYSTEM,
      action: "customer.replied",
      apply: (next) =>
        setCustomerReply(next, { at: new Date(clock.now).toISOString(), text: "oi" }),
    });

    clock.now = MONDAY_10H + 23 * H;
    assert.equal((await scanDueMessages(db)).due, 0, "nothing before 24 h");
    clock.now = MONDAY_10H + 25 * H; // Tuesday 11:00
    const counts = await scanDueMessages(db);
    assert.equal(counts.due, 4);
    assert.equal(counts.sent, 1);
    assert.equal(counts.skipped, 3);
    assert.equal(lines.length, 1);
    const token = await currentLinkToken(db, waits.case);
    assert.ok(lines[0].includes(`https://renova.test/r/${token}`), lines[0]);
    assert.match(lines[0], /^\[caixa de saída\] WhatsApp para \+55 \(11\) 9\*+-\d{4} · /);

    const reasons = new Map<string, string>();
    for (const f of [moved, relinked, replied]) {
      for await (const e of db.kv.list<string>({ prefix: ["messages_by_case", f.case.id] })) {
        const m = (await getMessage(db, e.value))!;
        if (m.template === "reminder_1") reasons.set(f.case.id, m.skipReason!);
      }
    }
    assert.equal(reasons.get(moved.case.id), "O caso mudou de etapa.");
    assert.equal(reasons.get(relinked.case.id), "Um link mais novo foi enviado.");
    assert.equal(reasons.get(replied.case.id), "O cliente respondeu.");
  } finally {
    db.kv.close();
  }
});

function waPayload(from: string, text: string, at: number) {
  return new TextEncoder().encode(JSON.stringify({
    object: "whatsapp_business_account",
    entry: [{
      id: "WABA",
      changes: [{
        field: "messages",
        value: {
          messaging_product: "whatsapp",
          messages: [{
            from,
            id: `wamid.in.${at}`,
            timestamp: String(Math.floor(at / 1000)),
            type: "text",
            text: { body: text },
          }],
        },
      }],
    }],
  }));
}

Deno.test("opt-out: after SAIR campaign messages are skipped; the renewal's own messages still go", async () => {
  const { db, clock, lines } = await setup(MONDAY_10H);
  try {
    const f = await caseWithLink(db);
    await acceptWhatsappWebhook(db, waPayload(f.customer.phones[0], "  Sair ", clock.now));
    await scanOnce(db);
    const optOut = await getOptOut(db, f.customer.id);
    assert.equal(optOut?.word, "SAIR");
    assert.equal(optOut?.at, new Date(Math.floor(clock.now / 1000) * 1000).toISOString());

    clock.now += H;
    await remind(db, f.case);
    const op = db.kv.atomic();
    const receipt = await stageMessage(db, op, {
      caseId: f.case.id,
      channel: "whatsapp",
      template: "protocol",
      to: f.customer.phones[0],
      subject: "Protocolo 20260302000001",
      body: "O protocolo do seu atendimento de renovação é 20260302000001.",
    });
    await op.commit();
    await scanDueMessages(db);
    assert.equal((await getMessage(db, receipt.id))!.status, "delivered");
    assert.equal(lines.length, 1);

    clock.now = MONDAY_10H + 80 * H;
    const counts = await scanDueMessages(db);
    assert.equal(counts.skipped, 2, "both reminders");
    assert.equal(lines.length, 1, "no campaign message went out");
    const skipped = (await readOutbox(db)).filter((m) => m.template.startsWith("reminder"));
    assert.equal(skipped.length, 0);
  } finally {
    db.kv.close();
  }
});

Deno.test("quiet hours: a campaign message due at 22:00 waits until 08:00; transactional goes now", async () => {
  const monday22h = Date.parse("2026-03-03T01:00:00Z");
  const { db, clock, lines } = await setup(monday22h);
  try {
    const f = await caseWithLink(db);
    const op = db.kv.atomic();
    const base = { caseId: f.case.id, channel: "whatsapp" as const, to: f.customer.phones[0] };
    const campaign = await stageMessage(db, op, {
      ...base,
      template: "reminder_1",
      subject: "Lembrete",
      body: "Lembrete: https://renova.test/r/x",
      kind: "campaign",
    });
    const code = await stageMessage(db, op, {
      ...base,
      template: "sign_code",
      subject: "Código",
      body: "Seu código é 123456.",
    });
    await op.commit();
    await scanDueMessages(db);
    assert.equal((await getMessage(db, code.id))!.status, "delivered");
    const waiting = (await getMessage(db, campaign.id))!;
    assert.equal(waiting.status, "queued");
    assert.equal(waiting.nextAttemptAt, "2026-03-03T11:00:00.000Z", "Tuesday 08:00 in São Paulo");
    assert.equal(lines.length, 1);

    clock.now = Date.parse("2026-03-03T10:59:00Z");
    assert.equal((await scanDueMessages(db)).due, 0);
    clock.now = Date.parse("2026-03-03T11:00:00Z");
    await scanDueMessages(db);
    assert.equal((await getMessage(db, campaign.id))!.status, "delivered");
    assert.equal(lines.length, 2);
  } finally {
    db.kv.close();
  }
});

Deno.test("quiet hours: nights and Sundays, in São Paulo time", () => {
  const q = DEFAULT_SETTINGS.quiet;
  const at = (s: string) => new Date(s);
  assert.equal(isQuiet(at("2026-03-02T13:00:00Z"), q), false, "Monday 10:00");
  assert.equal(isQuiet(at("2026-03-02T10:59:00Z"), q), true, "Monday 07:59");
  assert.equal(isQuiet(at("2026-03-02T11:00:00Z"), q), false, "Monday 08:00");
  assert.equal(isQuiet(at("2026-03-02T22:59:00Z"), q), false, "Monday 19:59");
  assert.equal(isQuiet(at("2026-03-02T23:00:00Z"), q), true, "Monday 20:00");
  assert.equal(isQuiet(at("2026-03-01T15:00:00Z"), q), true, "Sunday noon");
  // Saturday 21:00 → Monday 08:00 (Sunday is quiet all day).
  assert.equal(
    nextAllowedTime(at("2026-03-08T00:00:00Z"), q).toISOString(),
    "2026-03-09T11:00:00.000Z",
  );
  const noon = at("2026-03-04T15:00:00Z");
  assert.equal(nextAllowedTime(noon, q), noon, "allowed: unchanged");
  const lunch = { ...q, startMin: 12 * 60, endMin: 14 * 60, days: [] };
  assert.equal(nextAllowedTime(noon, lunch).toISOString(), "2026-03-04T17:00:00.000Z");
  const off = { ...q, startMin: 0, endMin: 0, days: [] };
  assert.equal(isQuiet(at("2026-03-01T05:00:00Z"), off), false);
});

Deno.test("opt-out words: SAIR, PARAR, STOP alone, any case; not inside a sentence", () => {
  for (const yes of ["SAIR", " sair ", "Parar", "stop", "Sair!", "PARAR."]) {
    assert.equal(isOptOut(yes), true, yes);
  }
  for (const no of ["sair agora", "não quero sair", "stopped", ""]) {
    assert.equal(isOptOut(no), false, no);
  }
});
