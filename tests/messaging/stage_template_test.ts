// stageTemplate(): the one way a verb sends a templated message (render the current text, then
// stage it in the caller's atomic), replacing the render-then-stage pairs at every call site.
import assert from "node:assert/strict";
import { testDb } from "../helpers.ts";
import { caseWithLink } from "./fixtures.ts";
import { SYSTEM } from "../../domain/actor.ts";
import { openMessage, stageTemplate } from "../../services/messaging/mod.ts";
import { saveMessageTemplate } from "../../services/messaging/templates.ts";

Deno.test("stageTemplate stages the admin's current text with the values filled in", async () => {
  const db = await testDb();
  try {
    const { case: c, customer } = await caseWithLink(db);
    await saveMessageTemplate(db, "contact_code", {
      subject: "Seu código",
      body: "Código de confirmação: {{codigo}}. Não compartilhe.",
    }, SYSTEM);
    const op = db.kv.atomic();
    const m = await stageTemplate(db, op, {
      caseId: c.id,
      channel: "email",
      template: "contact_code",
      to: customer.email,
      vars: { codigo: "482915" },
    });
    assert.ok((await op.commit()).ok);
    assert.equal(m.subject, "Seu código");
    const opened = await openMessage(db, m);
    assert.equal(opened.body, "Código de confirmação: 482915. Não compartilhe.");
    assert.equal(opened.to, customer.email);
  } finally {
    db.kv.close();
  }
});

Deno.test("stageTemplate keeps the values as WhatsApp parameters only when asked", async () => {
  const db = await testDb();
  try {
    const { case: c, customer } = await caseWithLink(db);
    const vars = { protocolo: "20260101000001", data: "01/01/2026" };
    const base = { caseId: c.id, channel: "whatsapp", template: "protocol", vars } as const;
    const op = db.kv.atomic();
    const plain = await stageTemplate(db, op, { ...base, to: customer.phones[0] });
    const kept = await stageTemplate(db, op, {
      ...base,
      to: customer.phones[0],
      dedupeKey: "other",
      sealVars: true,
    });
    assert.ok((await op.commit()).ok);
    assert.equal((await openMessage(db, plain)).vars, undefined);
    assert.deepEqual((await openMessage(db, kept)).vars, vars);
  } finally {
    db.kv.close();
  }
});
