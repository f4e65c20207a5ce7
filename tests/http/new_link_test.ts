// Issue #16 item 3: an invalid or expired link's page names the provider, gives its contacts
// and a throttled "Pedir novo link" that reaches the case's attendant; the case page shows
// "expirado" once the link ran out. A made-up token learns nothing new.
import assert from "node:assert/strict";
import { caseWithLink, customerPost, setup } from "./renewal_fixtures.ts";
import { postForm, signInAs } from "../helpers.ts";
import { getCase } from "../../services/renewals/cases.ts";
import { auditOf } from "../../services/audit.ts";
import { expireStaleCases } from "../../services/ops/stale_cases.ts";
import { purgeExpired } from "../../services/ops/retention.ts";

const DAY = 86400_000;
const MADE_UP = "A".repeat(43);

async function expiredLink() {
  let at = Date.now();
  const t = await setup({}, () => new Date(at));
  const { caseId, token } = await caseWithLink(t);
  at += 16 * DAY; // LINK_TTL_DAYS is 15
  const att = await signInAs(t.app, "atendente1"); // the first session idled out
  return { t, caseId, token, att };
}

Deno.test("invalid link: the page names the provider, its phone, WhatsApp and Pedir novo link", async () => {
  await using t = await setup();
  const res = await t.app.request(`/r/${MADE_UP}`);
  assert.equal(res.status, 404);
  const html = await res.text();
  assert.match(html, /Fibra Exemplo Telecom/);
  assert.match(html, /href="tel:\+551140001234"/);
  assert.match(html, /href="https:\/\/wa\.me\/551140001234"/);
  assert.match(html, new RegExp(`action="/r/${MADE_UP}/new_link"`));
  assert.match(html, />Pedir novo link</);
});

Deno.test("new link: asked from an expired link, the attendant sees it on the case page and the list", async () => {
  const { t, caseId, token, att } = await expiredLink();
  await using _ = t;
  const res = await customerPost(t, token, "new_link", {});
  assert.equal(res.status, 200);
  assert.match(await res.text(), /Pedido enviado/);
  const events = await auditOf(t.db, `case:${caseId}`);
  assert.ok(events.some((e) => e.action === "link.requested"), "audited on the case");
  const page = await (await t.app.request(`/app/cases/${caseId}`, {
    headers: { cookie: att.cookie },
  })).text();
  assert.match(page, /data-testid="link-requested"/);
  assert.match(page, /O cliente pediu um novo link/);
  const list = await (await t.app.request("/app", { headers: { cookie: att.cookie } })).text();
  assert.match(list, /data-testid="asked-link"/);
});

Deno.test("new link: a made-up token gets the generic answer and changes nothing", async () => {
  await using t = await setup();
  const { caseId } = await caseWithLink(t);
  const before = (await getCase(t.db, caseId))!;
  const res = await customerPost(t, MADE_UP, "new_link", {});
  assert.equal(res.status, 200);
  const html = await res.text();
  assert.match(html, /Pedido registrado\. Se este link for de uma renovação/);
  assert.match(html, /não é válido ou foi substituído/);
  assert.equal((await getCase(t.db, caseId))!.rev, before.rev);
});

Deno.test("new link: a replaced link gets the same answer as a made-up one", async () => {
  await using t = await setup();
  const { caseId, token: old } = await caseWithLink(t);
  // Re-sending the link replaces the old token.
  const rev = String((await getCase(t.db, caseId))!.rev);
  await postForm(t.app, `/app/cases/${caseId}/send_link`, { rev, channel: "whatsapp" }, t.att);
  const made = await (await customerPost(t, MADE_UP, "new_link", {})).text();
  const replaced = await (await customerPost(t, old, "new_link", {})).text();
  // Only the token in the form's URL may differ.
  const strip = (s: string) => s.replace(/\/r\/[A-Za-z0-9_-]{43}/g, "/r/T");
  assert.equal(strip(replaced), strip(made));
});

Deno.test("new link: throttled per link (3 a day) with a pt-BR 429", async () => {
  const { t, token } = await expiredLink();
  await using _ = t;
  for (let i = 0; i < 3; i++) {
    assert.equal((await customerPost(t, token, "new_link", {})).status, 200);
  }
  const res = await customerPost(t, token, "new_link", {});
  assert.equal(res.status, 429);
  assert.ok(Number(res.headers.get("retry-after")) > 0);
  assert.match(await res.text(), /Você já pediu um novo link há pouco/);
});

Deno.test("new link: throttled per client address across tokens", async () => {
  await using t = await setup();
  for (let i = 0; i < 10; i++) {
    const tok = `${"B".repeat(40)}${String(i).padStart(3, "0")}`;
    assert.equal((await customerPost(t, tok, "new_link", {})).status, 200, `try ${i}`);
  }
  const res = await customerPost(t, `${"C".repeat(43)}`, "new_link", {});
  assert.equal(res.status, 429);
});

Deno.test("case page: the link shows 'expirado' once it ran out", async () => {
  const { t, caseId, att } = await expiredLink();
  await using _ = t;
  const page = await (await t.app.request(`/app/cases/${caseId}`, {
    headers: { cookie: att.cookie },
  })).text();
  assert.match(page, /data-testid="link-status"[^>]*>[\s\S]*?expirado/);
});

Deno.test("new link: still reaches the attendant after the daily jobs expired the case and ran retention", async () => {
  let at = Date.now();
  const t = await setup({}, () => new Date(at));
  await using _ = t;
  const { caseId, token } = await caseWithLink(t);
  at += 25 * DAY; // the link ran out 10 days ago: the stale-case job ends the renewal
  await expireStaleCases(t.db, { caseExpireDays: 7 });
  assert.equal((await getCase(t.db, caseId))!.step, "expired");
  await purgeExpired(t.db, { photoRetentionDays: 90 });
  const res = await customerPost(t, token, "new_link", {});
  assert.match(await res.text(), /Pedido enviado/);
  const c = (await getCase(t.db, caseId))!;
  assert.ok(c.linkRequestedAt, "marked on the ended case");
  const ev = (await auditOf(t.db, `case:${caseId}`)).find((e) => e.action === "link.requested");
  assert.deepEqual(ev?.data, { ended: true });
});
