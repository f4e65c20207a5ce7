// /app/painel: supervisors and admins see the funnel and the rest from the counters (never the
// cases); attendants get 403; a bad period is a pt-BR message; the CSV has the same figures.
import assert from "node:assert/strict";
import { makeUser, signInAs, testApp } from "../helpers.ts";
import { caseAt, claimCase } from "../factories.ts";
import { recordRefusal } from "../../services/renewals/offer.ts";
import { keys } from "../../services/keys.ts";
import { todayInBrazil } from "../../services/dates.ts";

const get = (app: Awaited<ReturnType<typeof testApp>>["app"], path: string, cookie: string) =>
  app.request(path, { headers: { cookie } });

Deno.test("painel: attendants get 403, supervisors and admins see it", async () => {
  await using t = await testApp();
  for (const [role, status] of [["attendant", 403], ["supervisor", 200], ["admin", 200]] as const) {
    const u = await makeUser(t.db, role);
    const b = await signInAs(t.app, u.username);
    assert.equal((await get(t.app, "/app/painel", b.cookie)).status, status, role);
    const csv = await get(t.app, "/app/painel.csv", b.cookie);
    assert.equal(csv.status, status, `${role} csv`);
    await csv.body?.cancel();
  }
});

Deno.test("painel: the funnel, declines and drop-off come from the counters, not the cases", async () => {
  await using t = await testApp();
  await caseAt(t.db, "plan_chosen");
  const d = await claimCase(t.db);
  await recordRefusal(d.ctx, d.id, "Ficou caro demais", 1);
  // The page must not need the case rows: remove them all.
  for await (const e of t.db.kv.list({ prefix: keys.cases() })) await t.db.kv.delete(e.key);
  const sup = await makeUser(t.db, "supervisor");
  const b = await signInAs(t.app, sup.username);
  const res = await get(t.app, "/app/painel", b.cookie);
  assert.equal(res.status, 200);
  const html = await res.text();
  const funnel = html.match(/data-testid="funnel-table"[\s\S]*?<\/table>/)![0];
  assert.match(funnel, /Contatar cliente<\/th><td[^>]*>2<\/td><td[^>]*>50%/);
  assert.match(html, /Recusa: Preço \/ valor<\/th><td[^>]*>1</);
  assert.match(html, /data-testid="drop-off">Maior perda: Contatar cliente \(não seguiram: 1\)/);
  assert.match(html, /<svg role="img" aria-labelledby="funil-title"/);
  assert.ok(!html.includes("caro demais"), "a decline's text never shows");
});

Deno.test("painel: a bad period shows a pt-BR message with status 400", async () => {
  await using t = await testApp();
  const sup = await makeUser(t.db, "supervisor");
  const b = await signInAs(t.app, sup.username);
  const res = await get(t.app, "/app/painel?de=2026-05-10&ate=2026-05-01", b.cookie);
  assert.equal(res.status, 400);
  assert.match(await res.text(), /A data final deve ser igual ou posterior à inicial/);
  const csv = await get(t.app, "/app/painel.csv?de=ontem", b.cookie);
  assert.equal(csv.status, 400);
  assert.match(await csv.text(), /Data inicial inválida/);
});

Deno.test("painel: the CSV export has the period's figures and neutralises formulas", async () => {
  await using t = await testApp();
  const h = await caseAt(t.db, "offer");
  await t.db.kv.set(keys.user(h.ctx.actor.userId), {
    ...(await t.db.kv.get<Record<string, unknown>>(keys.user(h.ctx.actor.userId))).value,
    name: '=HYPERLINK("x")',
  });
  await recordRefusal(h.ctx, h.id, "sem motivo", h.case.rev);
  const sup = await makeUser(t.db, "admin");
  const b = await signInAs(t.app, sup.username);
  const today = todayInBrazil(t.db.now());
  const res = await get(t.app, `/app/painel.csv?de=${today}&ate=${today}`, b.cookie);
  assert.equal(res.status, 200);
  assert.match(res.headers.get("content-type")!, /text\/csv/);
  assert.match(res.headers.get("content-disposition")!, /attachment; filename="painel-/);
  const csv = await res.text();
  assert.ok(csv.startsWith("\uFEFFsecao;item;medida;valor\r\n"));
  assert.match(csv, /\r\nfunil;Contatar cliente;entradas;1\r\n/);
  assert.match(csv, /\r\nfunil;Oferta apresentada;entradas;1\r\n/);
  assert.match(csv, /\r\natendente;"'=HYPERLINK\(""x""\)";encerrados;1\r\n/);
  // Another period has none of it.
  const old = await (await get(t.app, "/app/painel.csv?de=2020-01-01&ate=2020-01-31", b.cookie))
    .text();
  assert.match(old, /\r\nfunil;Contatar cliente;entradas;0\r\n/);
});

Deno.test("painel: a refresh after a counter moved shows the new figure (the kept render follows its input)", async () => {
  await using t = await testApp();
  await caseAt(t.db, "plan_chosen");
  const sup = await makeUser(t.db, "supervisor");
  const b = await signInAs(t.app, sup.username);
  const funnel = async () =>
    (await (await get(t.app, "/app/painel", b.cookie)).text())
      .match(/data-testid="funnel-table"[\s\S]*?<\/table>/)![0];
  const before = await funnel();
  assert.equal(await funnel(), before, "unchanged counters, same page");
  await caseAt(t.db, "plan_chosen");
  const after = await funnel();
  assert.match(before, /Contatar cliente<\/th><td[^>]*>1</);
  assert.match(after, /Contatar cliente<\/th><td[^>]*>2</);
});
