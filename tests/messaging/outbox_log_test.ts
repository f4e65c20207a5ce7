// What the local outbox prints (#14 item 11): by default nothing; with OUTBOX_LOG=links the
// links and never a one-time code. Console output is captured while real messages are
// delivered through the scan.
import assert from "node:assert/strict";
import { testDb } from "../helpers.ts";
import { caseWithLink } from "./fixtures.ts";
import type { Db } from "../../services/db.ts";
import { stageMessage } from "../../services/messaging/messages.ts";
import { configureMessaging } from "../../services/messaging/runtime.ts";
import { scanDueMessages } from "../../services/messaging/delivery.ts";
import { parseMessagingEnv } from "../../services/messaging/settings.ts";
import { renderMessage } from "../../services/messaging/templates.ts";

const LINK = "https://renova.test/r/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
const CODE = "482915";

/** Delivers one link and one code message with these settings; returns what reached stdout. */
async function printed(env: Record<string, string>): Promise<string> {
  const db: Db = await testDb();
  const out: string[] = [];
  const original = console.log;
  console.log = (...args: unknown[]) => out.push(args.map(String).join(" "));
  try {
    const settings = parseMessagingEnv(env, {
      port: 8000,
      provider: { name: "Fibra", email: "a@fibra.test" },
    }, (m) => {
      throw new Error(m);
    });
    configureMessaging(db, { ...settings, queue: false });
    const { case: c, customer } = await caseWithLink(db);
    const op = db.kv.atomic();
    await stageMessage(db, op, {
      caseId: c.id,
      channel: "whatsapp",
      template: "first_contact",
      to: customer.phones[0],
      subject: "Renove",
      body: `Olá! Renove pelo link ${LINK}`,
    });
    await stageMessage(db, op, {
      caseId: c.id,
      channel: "email",
      template: "contact_code",
      to: customer.email,
      ...(await renderMessage(db, "contact_code", { codigo: CODE })),
    });
    assert.ok((await op.commit()).ok);
    assert.equal((await scanDueMessages(db)).sent, 2);
  } finally {
    console.log = original;
    db.kv.close();
  }
  return out.join("\n");
}

Deno.test("outbox: nothing reaches stdout by default, neither links nor codes", async () => {
  const text = await printed({});
  assert.doesNotMatch(text, /\/r\//);
  assert.ok(!text.includes(CODE));
});

Deno.test("outbox: OUTBOX_LOG=links prints the link, never the code", async () => {
  const text = await printed({ OUTBOX_LOG: "links" });
  assert.ok(text.includes(LINK), text);
  assert.ok(!text.includes(CODE), text);
});
