// The renewal routes in-process: every refusal gets a clear pt-BR message and changes nothing.
import assert from "node:assert/strict";
import { postForm, signInAs } from "../helpers.ts";
import { caseWithLink, customerPost, PNG, setup, toHolderVerified } from "./renewal_fixtures.ts";
import { listPlans } from "../../services/plans.ts";
import { getCase } from "../../services/renewals/cases.ts";
import { readOutbox } from "../../services/messaging/messages.ts";
import { keys } from "../../services/keys.ts";

Deno.test("list: due contracts show with claim buttons; filters narrow them", async () => {
  await using t = await setup();
  const html = await (await t.app.request("/app", { headers: { cookie: t.att.cookie } })).text();
  assert.equal(html.match(/data-testid="due-row"/g)?.length, 25);
  // The rest of the window is one click away ("Mais resultados"), nobody skipped.
  const more = html.match(/href="(\/app\?cursor=[^"]+)"[^>]*>Mais resultados/)!;
  const page2 = await (await t.app.request(more[1].replaceAll("&amp;", "&"), {
    headers: { cookie: t.att.cookie },
  })).text();
  assert.equal(page2.match(/data-testid="due-row"/g)?.length, t.due.length - 25);
  const plans = await listPlans(t.db);
  const byCity =
    await (await t.app.request("/app?city=londrina", { headers: { cookie: t.att.cookie } }))
      .text();
  const rows = byCity.match(/data-testid="due-row"/g)?.length ?? 0;
  assert.ok(rows > 0 && rows < 25);
  assert.ok(!byCity.includes("Campinas ·"), "only Londrina");
  const byPlan = await (await t.app.request(`/app?planId=${plans[5].id}`, {
    headers: { cookie: t.att.cookie },
  })).text();
  assert.equal(byPlan.match(/data-testid="due-row"/g), null, "nobody has the 1 Giga plan yet");
});

Deno.test("claim: a missing or unknown contract is 404", async () => {
  await using t = await setup();
  assert.equal((await postForm(t.app, "/app/claim", {}, t.att)).status, 404);
  assert.equal(
    (await postForm(t.app, "/app/claim", { contractId: "nao-existe" }, t.att)).status,
    404,
  );
});

Deno.test("claim: a claimed contract leaves the due list and shows under my cases", async () => {
  await using t = await setup();
  const { caseId } = await caseWithLink(t);
  const html = await (await t.app.request("/app", { headers: { cookie: t.att.cookie } })).text();
  assert.ok(html.includes(`/app/cases/${caseId}`), "shown under my cases");
  assert.ok(!html.includes(`value="${t.due[0].contractId}"`), "no longer offered to claim");
});

Deno.test("claim: a contract a colleague holds is 409 naming them", async () => {
  await using t = await setup();
  await caseWithLink(t);
  const other = await signInAs(t.app, "atendente2");
  const again = await postForm(t.app, "/app/claim", { contractId: t.due[0].contractId }, other);
  assert.equal(again.status, 409);
  assert.match(await again.text(), /já está com Bruna Atendente/);
});

Deno.test("claim: a colleague cannot act on a claimed case (403)", async () => {
  await using t = await setup();
  const { caseId } = await caseWithLink(t);
  const other = await signInAs(t.app, "atendente2");
  // The other attendant cannot act on it either.
  const act = await postForm(t.app, `/app/cases/${caseId}/contact`, {
    channel: "phone",
    outcome: "answered",
  }, other);
  assert.equal(act.status, 403);
});

Deno.test("case actions: missing fields and stale versions are refused with pt-BR messages", async () => {
  await using t = await setup();
  const { caseId } = await caseWithLink(t);
  const before = (await getCase(t.db, caseId))!;
  const missing = await postForm(t.app, `/app/cases/${caseId}/contact`, {
    rev: String(before.rev),
  }, t.att);
  assert.equal(missing.status, 400);
  const html = await missing.text();
  assert.match(html, /Verifique os campos destacados|Escolha o canal/);
  const stale = await postForm(t.app, `/app/cases/${caseId}/contact`, {
    rev: String(before.rev - 1),
    channel: "phone",
    outcome: "answered",
  }, t.att);
  assert.equal(stale.status, 409);
  assert.match(await stale.text(), /alterado por outra pessoa; recarregue/);
  const illegal = await postForm(
    t.app,
    `/app/cases/${caseId}/close`,
    { rev: String(before.rev) },
    t.att,
  );
  assert.equal(illegal.status, 409);
  assert.match(await illegal.text(), /não está disponível na etapa atual/);
  const reject = await postForm(t.app, `/app/cases/${caseId}/reject_photo`, {
    rev: String(before.rev),
    reason: "x",
  }, t.att);
  assert.ok([400, 409].includes(reject.status));
  assert.deepEqual(await getCase(t.db, caseId), before, "nothing changed");
  assert.equal((await postForm(t.app, `/app/cases/${caseId}/fly`, {}, t.att)).status, 404);
  const cancel = await postForm(t.app, `/app/cases/${caseId}/cancel`, {
    rev: String(before.rev),
    reason: "teste",
  }, t.att);
  assert.equal(cancel.status, 403, "attendants cannot cancel");
});

Deno.test("customer link: made-up, revoked and expired tokens get a clear page and change nothing", async () => {
  let now = Date.now();
  await using t = await setup({ LINK_TTL_DAYS: "2" }, () => new Date(now));
  const { caseId, token } = await caseWithLink(t);
  const ok = await t.app.request(`/r/${token}`);
  assert.equal(ok.status, 200);
  assert.match(await ok.text(), /Escolha seu novo plano/);

  const madeUp = await t.app.request(`/r/${"x".repeat(43)}`);
  assert.equal(madeUp.status, 404);
  assert.match(await madeUp.text(), /não é válido/);
  const short = await t.app.request("/r/abc");
  assert.match(await short.text(), /Confira se copiou o endereço inteiro/);

  const rev = (await getCase(t.db, caseId))!.rev;
  await postForm(
    t.app,
    `/app/cases/${caseId}/send_link`,
    { rev: String(rev), channel: "email" },
    t.att,
  );
  const revoked = await t.app.request(`/r/${token}`);
  assert.equal(revoked.status, 404);
  assert.match(await revoked.text(), /substituído por um mais recente/);
  const plans = await listPlans(t.db);
  const post = await customerPost(t, token, "choose_plan", { planId: plans[0].id, consent: "on" });
  assert.equal(post.status, 404);
  assert.equal((await getCase(t.db, caseId))!.step, "contact", "a revoked link changes nothing");

  const [msg] = await readOutbox(t.db, 1);
  const fresh = msg.body.match(/\/r\/([A-Za-z0-9_-]{43})/)![1];
  now += 3 * 86400_000;
  const expired = await t.app.request(`/r/${fresh}`);
  assert.equal(expired.status, 404);
  assert.match(await expired.text(), /Este link expirou/);
  assert.ok((await t.db.kv.get(keys.link("x"))).value === null);
});

Deno.test("customer: consent is required, the photo is type- and size-checked, nothing half-written", async () => {
  await using t = await setup();
  const { caseId, token } = await caseWithLink(t);
  const plans = await listPlans(t.db);
  const noConsent = await customerPost(t, token, "choose_plan", { planId: plans[5].id });
  assert.equal(noConsent.status, 400);
  assert.match(await noConsent.text(), /marque que você leu e aceita a fidelidade/);
  const badPlan = await customerPost(t, token, "choose_plan", { planId: "nope", consent: "on" });
  assert.equal(badPlan.status, 400);
  assert.match(await badPlan.text(), /Escolha um dos planos oferecidos/);
  assert.equal((await getCase(t.db, caseId))!.step, "contact");
  const rev = String((await getCase(t.db, caseId))!.rev);
  assert.equal(
    (await customerPost(t, token, "choose_plan", { planId: plans[5].id, consent: "on", rev }))
      .status,
    303,
  );
  assert.equal(
    (await customerPost(t, token, "choose_plan", { planId: plans[5].id, consent: "on", rev }))
      .status,
    303,
    "double submit is harmless",
  );

  const noFile = new FormData();
  const r0 = await customerPost(t, token, "upload_photo", noFile);
  assert.equal(r0.status, 400);
  assert.match(await r0.text(), /Escolha ou tire uma foto/);
  const pdf = new FormData();
  pdf.set(
    "photo",
    new File([new TextEncoder().encode("%PDF-1.7 fake")], "doc.jpg", { type: "image/jpeg" }),
  );
  const r1 = await customerPost(t, token, "upload_photo", pdf);
  assert.equal(r1.status, 400);
  assert.match(await r1.text(), /JPG, PNG ou WEBP/);
  const big = new FormData();
  big.set(
    "photo",
    new File([new Uint8Array(10 * 1024 * 1024)], "big.jpg", { type: "image/jpeg" }),
  );
  const r2 = await customerPost(t, token, "upload_photo", big);
  assert.equal(r2.status, 413);
  assert.match(await r2.text(), /passa de 8 MB/);
  let blobs = 0;
  for await (const _ of t.db.kv.list({ prefix: ["blobs"] })) blobs++;
  assert.equal(blobs, 0);
  assert.equal((await getCase(t.db, caseId))!.step, "plan_chosen");

  const good = new FormData();
  good.set("photo", new File([PNG], "eu.png", { type: "image/png" }));
  assert.equal((await customerPost(t, token, "upload_photo", good)).status, 303);
  assert.equal((await getCase(t.db, caseId))!.step, "photo_sent");
  const photo = await t.app.request(`/app/cases/${caseId}/photo`, {
    headers: { cookie: t.att.cookie },
  });
  assert.equal(photo.status, 200);
  assert.equal(photo.headers.get("content-type"), "image/jpeg", "stored re-encoded");
  assert.match(photo.headers.get("cache-control")!, /no-store/);
  const other = await signInAs(t.app, "atendente2");
  assert.equal(
    (await t.app.request(`/app/cases/${caseId}/photo`, { headers: { cookie: other.cookie } }))
      .status,
    403,
  );
});

Deno.test("customer: a changed e-mail needs its code; bad codes and bad contacts are refused", async () => {
  await using t = await setup();
  const { caseId, token } = await caseWithLink(t);
  await toHolderVerified(t, caseId, token, 5);

  const bad = await customerPost(t, token, "submit_contacts", { phone: "123", email: "nope" });
  assert.equal(bad.status, 400);
  const badHtml = await bad.text();
  assert.match(badHtml, /celular válido com DDD/);
  assert.match(badHtml, /e-mail válido/);
  const changed = await customerPost(t, token, "submit_contacts", {
    phone: "(19) 99876-5432",
    email: "novo@exemplo.com.br",
  });
  assert.equal(changed.status, 303);
  const page = await (await t.app.request(`/r/${token}`)).text();
  assert.match(page, /Digite o código de confirmação/);
  const wrong = await customerPost(t, token, "confirm_data", { code_0: "abc", code_1: "000000" });
  assert.equal(wrong.status, 400);
  assert.match(await wrong.text(), /Código incorreto/);
  assert.equal((await getCase(t.db, caseId))!.step, "holder_verified");
});

Deno.test("SSE: the case page's event stream sends the current version", async () => {
  await using t = await setup();
  const { caseId, token } = await caseWithLink(t);
  const res = await t.app.request(`/r/${token}/events`);
  assert.equal(res.headers.get("content-type"), "text/event-stream");
  const reader = res.body!.getReader();
  const { value } = await reader.read();
  const text = new TextDecoder().decode(value);
  assert.match(text, /event: case/);
  assert.match(text, new RegExp(`"rev":${(await getCase(t.db, caseId))!.rev}`));
  await reader.cancel();
  assert.equal(
    (await t.app.request(`/app/cases/nao-existe/events`, { headers: { cookie: t.att.cookie } }))
      .status,
    404,
  );
});
