// Issue #16 item 10: once the customer's link is sent, the case page says the case is waiting
// on the customer (with when the link was sent and until when it works), not "send the link".
import assert from "node:assert/strict";
import { caseWithLink, setup } from "./renewal_fixtures.ts";
import { signInAs } from "../helpers.ts";

function nextAction(html: string): string {
  const m = html.match(/data-testid="next-action"[^>]*>([\s\S]*?)<\/p>/);
  assert.ok(m, "the page has a next-action line");
  return m[1].replace(/<[^>]+>/g, "").replace(/\s+/g, " ").trim();
}

Deno.test("case page: a sent link reads as waiting on the customer, with sent and valid-until", async () => {
  const t = await setup();
  try {
    const { caseId } = await caseWithLink(t);
    const html = await (await t.app.request(`/app/cases/${caseId}`, {
      headers: { cookie: t.att.cookie },
    })).text();
    const line = nextAction(html);
    assert.match(
      line,
      /^Aguardando o cliente — link enviado em \d{2}\/\d{2}\/\d{4}.*, válido até \d{2}\/\d{2}\/\d{4}/,
    );
    assert.doesNotMatch(html, /Enviar o link com os planos|Ligar ou enviar mensagem/);
  } finally {
    await t.db.kv.close();
  }
});

Deno.test("case page: an expired link no longer reads as waiting on the customer", async () => {
  let now = Date.now();
  const t = await setup({}, () => new Date(now));
  try {
    const { caseId } = await caseWithLink(t);
    now += 16 * 24 * 3600_000; // past the default 15-day link
    const att = await signInAs(t.app, "atendente1"); // the session from before has ended too
    const html = await (await t.app.request(`/app/cases/${caseId}`, {
      headers: { cookie: att.cookie },
    })).text();
    assert.doesNotMatch(nextAction(html), /Aguardando o cliente/);
  } finally {
    await t.db.kv.close();
  }
});
