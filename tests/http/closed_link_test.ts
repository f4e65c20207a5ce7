// Issue #16 item 1: after "Encerrar atendimento" the customer's link, carnê and signed
// contract keep working read-only for the documents' useful life; every form is refused.
import assert from "node:assert/strict";
import { customerPost, setup } from "./renewal_fixtures.ts";
import { caseAt, walkTo } from "../factories.ts";
import { getCase } from "../../services/renewals/cases.ts";
import { keys } from "../../services/keys.ts";
import { auditOf } from "../../services/audit.ts";
import { PNG } from "../fixtures/images/mod.ts";

async function closedCase(now?: () => Date) {
  const t = await setup({}, now);
  const h = await caseAt(t.db, "notified");
  await walkTo(h, "closed");
  return { t, h, token: h.token! };
}

Deno.test("closed: the link still shows Tudo pronto with the invoices, PIX and contract", async () => {
  const { t, token } = await closedCase();
  await using _ = t;
  const res = await t.app.request(`/r/${token}`);
  assert.equal(res.status, 200);
  const html = await res.text();
  assert.match(html, /Tudo pronto/);
  assert.match(html, /data-testid="closed-note"/);
  assert.match(html, /data-testid="invoices"/);
  assert.match(html, /data-testid="pix-qr"/);
  assert.match(html, /data-testid="signed-pdf"/);
  assert.doesNotMatch(html, /Link inválido/);
});

Deno.test("closed: the carnê and the signed contract PDFs still download", async () => {
  const { t, token } = await closedCase();
  await using _ = t;
  for (const file of ["faturas.pdf", "contrato.pdf"]) {
    const res = await t.app.request(`/r/${token}/${file}`);
    assert.equal(res.status, 200, file);
    assert.equal(res.headers.get("content-type"), "application/pdf", file);
    assert.equal(new TextDecoder().decode((await res.arrayBuffer()).slice(0, 5)), "%PDF-");
  }
});

Deno.test("closed: the link lasts until the last invoice's due date plus 30 days, then expires", async () => {
  let at = Date.now();
  const { t, h, token } = await closedCase(() => new Date(at));
  await using _ = t;
  const c = (await getCase(t.db, h.id))!;
  const lastDue = c.invoices!.map((i) => i.dueDate).sort().at(-1)!;
  const until = new Date(Date.parse(`${lastDue}T23:59:59-03:00`) + 30 * 86400_000);
  assert.equal(c.link!.expiresAt, until.toISOString());
  const rec = (await t.db.kv.get<{ expiresAt: string }>(keys.link(c.link!.hash))).value!;
  assert.equal(rec.expiresAt, until.toISOString());
  at = until.getTime() - 60_000;
  assert.equal((await t.app.request(`/r/${token}/faturas.pdf`)).status, 200);
  at = until.getTime() + 60_000;
  const late = await t.app.request(`/r/${token}`);
  assert.equal(late.status, 404);
  assert.match(await late.text(), /expirou/);
});

Deno.test("closed: every form posted on the link is refused in pt-BR and changes nothing", async () => {
  const { t, h, token } = await closedCase();
  await using _ = t;
  const before = (await getCase(t.db, h.id))!;
  const events = (await auditOf(t.db, `case:${h.id}`)).length;
  const photo = new FormData();
  photo.set("rev", String(before.rev));
  photo.set("photo", new File([PNG], "eu.png", { type: "image/png" }));
  const rev = String(before.rev);
  const posts: [string, FormData | Record<string, string>][] = [
    ["choose_plan", { rev, planId: before.choice!.planId, consent: "on" }],
    ["decline", { rev, reasonCode: "price" }],
    ["upload_photo", photo],
    ["submit_contacts", { rev, phone: "11987654321", email: "x@example.com" }],
    ["confirm_data", { rev, code_0: "123456" }],
    ["send_code", { rev, channel: "whatsapp" }],
    ["sign", { rev, code: "123456", typedName: "Fulano", consent: "on" }],
  ];
  for (const [action, body] of posts) {
    const res = await customerPost(t, token, action, body);
    assert.equal(res.status, 409, action);
    assert.match(await res.text(), /só para consulta e nada foi alterado/, action);
  }
  const after = (await getCase(t.db, h.id))!;
  assert.equal(after.rev, before.rev);
  assert.equal(after.step, "closed");
  assert.equal((await auditOf(t.db, `case:${h.id}`)).length, events);
});
