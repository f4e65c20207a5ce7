// /app/filas: an attendant sees their own queue counts; the supervision saves rules, distributes
// and reassigns in bulk; attendants may not; bad input changes nothing.
import assert from "node:assert/strict";
import { makeUser, postForm, signInAs, testApp } from "../helpers.ts";
import { caseAt } from "../factories.ts";
import { getCase } from "../../services/renewals/cases.ts";
import { getQueueRules } from "../../services/renewals/queues.ts";
import { findUserByUsername, resetPassword } from "../../services/users.ts";
import { SYSTEM } from "../../domain/actor.ts";

async function signInSeeded(t: Awaited<ReturnType<typeof testApp>>, username: string) {
  // Seeded users have generated passwords: give this one a known password.
  const u = (await findUserByUsername(t.db, username))!;
  await resetPassword(t.db, u.id, "senha-forte-123", SYSTEM);
  return await signInAs(t.app, username);
}

Deno.test("filas: an attendant sees the counts of their own queues", async () => {
  await using t = await testApp();
  await caseAt(t.db, "photo_sent");
  await caseAt(t.db, "offer");
  await caseAt(t.db, "contact");
  const b = await signInSeeded(t, "atendente1");
  const res = await t.app.request("/app/filas", { headers: { cookie: b.cookie } });
  assert.equal(res.status, 200);
  const html = await res.text();
  assert.match(html, /data-testid="queue-count-review">1</);
  assert.match(html, /data-testid="queue-count-call">1</);
  assert.match(html, /data-testid="queue-count-waiting">1</);
  assert.match(html, /data-testid="queue-count-overdue">0</);
});

Deno.test("filas: an attendant's home (the renewal list) starts with their queue counts", async () => {
  await using t = await testApp();
  await caseAt(t.db, "photo_sent");
  const b = await signInSeeded(t, "atendente1");
  const html = await (await t.app.request("/app", { headers: { cookie: b.cookie } })).text();
  assert.match(html, /data-testid="queue-count-review">1</);
  assert.match(html, /href="\/app\/filas#fila-review"/);
});

Deno.test("filas: a supervisor's list has no personal queue counts", async () => {
  await using t = await testApp();
  const sup = await makeUser(t.db, "supervisor");
  const b = await signInAs(t.app, sup.username);
  const html = await (await t.app.request("/app", { headers: { cookie: b.cookie } })).text();
  assert.doesNotMatch(html, /data-testid="queue-counts"/);
});

Deno.test("filas: an attendant cannot distribute, rebalance or reassign", async () => {
  await using t = await testApp();
  const h = await caseAt(t.db, "contact");
  const b = await signInSeeded(t, "atendente2");
  for (const action of ["distribute", "rebalance", "reassign", "rules"]) {
    const res = await postForm(t.app, "/app/filas", {
      action,
      caseId: h.id,
      userId: h.ctx.actor.userId,
      cap: "5",
    }, b);
    assert.equal(res.status, 403, action);
  }
  assert.equal((await getQueueRules(t.db)).cap, 40);
});

Deno.test("filas: a bad cap is a pt-BR message and the rules stay", async () => {
  await using t = await testApp();
  const sup = await makeUser(t.db, "supervisor");
  const b = await signInAs(t.app, sup.username);
  const res = await postForm(t.app, "/app/filas", { action: "rules", cap: "0" }, b);
  assert.equal(res.status, 400);
  assert.match(await res.text(), /Informe um limite entre 1 e 1000 casos abertos/);
  assert.equal((await getQueueRules(t.db)).cap, 40);
});

Deno.test("filas: a supervisor sets the shift and reassigns selected cases in bulk", async () => {
  await using t = await testApp();
  const a = await caseAt(t.db, "contact");
  const c = await caseAt(t.db, "photo_sent");
  const to = await makeUser(t.db, "attendant");
  const sup = await makeUser(t.db, "supervisor");
  const b = await signInAs(t.app, sup.username);
  const saved = await postForm(t.app, "/app/filas", {
    action: "rules",
    cap: "7",
    [`shift_${to.id}`]: "on",
    [`cities_${to.id}`]: "Campinas, Sumaré",
  }, b);
  assert.equal(saved.status, 303);
  const r = await getQueueRules(t.db);
  assert.equal(r.cap, 7);
  assert.deepEqual(r.attendants[to.id], { onShift: true, cities: ["Campinas", "Sumaré"] });
  const body = new URLSearchParams({ action: "reassign", userId: to.id, _csrf: b.csrf });
  body.append("caseId", a.id);
  body.append("caseId", c.id);
  const res = await t.app.request("/app/filas", {
    method: "POST",
    headers: {
      origin: "http://localhost",
      cookie: b.cookie,
      "content-type": "application/x-www-form-urlencoded",
    },
    body,
  });
  assert.equal(res.status, 303);
  assert.equal(res.headers.get("location"), "/app/filas?ok=reassign&n=2");
  assert.equal((await getCase(t.db, a.id))!.assigneeId, to.id);
  assert.equal((await getCase(t.db, c.id))!.assigneeId, to.id);
});
