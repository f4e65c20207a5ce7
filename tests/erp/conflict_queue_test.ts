// A write to the ERP stopped on a conflict puts its case in the work queues' conflict queue
// (the assignee's, or handed out by the rules when nobody holds it), and the supervisors see
// every conflict, ended renewals included; settling it (retry) takes it out.
import assert from "node:assert/strict";
import { makeUser, postForm, signInAs, testApp, testDb } from "../helpers.ts";
import { staffCtx } from "../factories.ts";
import { systemActor } from "../../domain/actor.ts";
import { pushErpWrites } from "../../services/erp/push.ts";
import { retryErpWrite } from "../../services/erp/queue.ts";
import { getCase, setAssignee } from "../../services/renewals/cases.ts";
import {
  distributeQueue,
  queuesOf,
  saveQueueRules,
  teamQueues,
} from "../../services/renewals/queues.ts";
import { findUserByUsername } from "../../services/users.ts";
import { adapterOf, IxcStandin, TOKEN } from "./fixtures.ts";
import { erpRenewal, erpWrites } from "./writeback.ts";

/** A renewal whose plan change meets a contract changed in IXC meanwhile. */
async function conflicted(db: Awaited<ReturnType<typeof testDb>>, s: IxcStandin) {
  const r = await erpRenewal(db, s, { until: "plan_changed" });
  s.put("cliente_contrato", { id: r.erpId, obs: "Mudou no IXC" });
  assert.equal((await pushErpWrites(db, adapterOf(s))).conflicts, 1);
  return r;
}

Deno.test("conflict queue: the case's attendant sees it first, the supervisors see it listed", async () => {
  await using db = await testDb();
  const s = new IxcStandin().start();
  try {
    const { c } = await conflicted(db, s);
    const mine = await queuesOf(db, c.assigneeId!);
    assert.equal(mine.counts.conflict, 1);
    assert.deepEqual(mine.cases.conflict.map((x) => x.id), [c.id]);
    assert.equal(mine.counts.review + mine.counts.waiting + mine.counts.call, 0, "counted once");
    const team = await teamQueues(db);
    assert.equal(team.conflicts.length, 1);
    assert.equal(team.conflicts[0].kind, "contract_plan");
    assert.match(team.conflicts[0].reason, /alterado no IXC/);
    assert.equal(team.conflicts[0].case?.id, c.id);
  } finally {
    await s.stop();
  }
});

Deno.test("conflict queue: settling the write (retry) takes the case out", async () => {
  await using db = await testDb();
  const s = new IxcStandin().start();
  try {
    const { c } = await conflicted(db, s);
    const [plan] = await erpWrites(db);
    await retryErpWrite(db, plan.id, systemActor("admin"));
    assert.equal((await teamQueues(db)).conflicts.length, 0);
    assert.equal((await queuesOf(db, c.assigneeId!)).counts.conflict, 0);
  } finally {
    await s.stop();
  }
});

Deno.test("conflict queue: a conflicted case nobody holds is handed out by the rules", async () => {
  await using db = await testDb();
  const s = new IxcStandin().start();
  try {
    const { c } = await conflicted(db, s);
    await setAssignee(db, c.id, null, systemActor("t"));
    const a2 = (await findUserByUsername(db, "atendente2"))!;
    await saveQueueRules(await staffCtx(db, "supervisora"), {
      cap: 40,
      attendants: { [a2.id]: { onShift: true, cities: [] } },
    });
    const r = await distributeQueue(db, systemActor("Filas"));
    assert.equal(r.assigned, 1);
    assert.equal((await getCase(db, c.id))!.assigneeId, a2.id);
    assert.equal((await queuesOf(db, a2.id)).counts.conflict, 1);
  } finally {
    await s.stop();
  }
});

Deno.test("conflict queue: /app/filas lists it for supervisors, with what stopped and why", async () => {
  await using t = await testApp();
  const s = new IxcStandin().start();
  try {
    const { c } = await conflicted(t.db, s);
    const sup = await makeUser(t.db, "supervisor");
    const b = await signInAs(t.app, sup.username);
    const html = await (await t.app.request("/app/filas", { headers: { cookie: b.cookie } }))
      .text();
    const list = html.match(/data-testid="erp-conflicts"[\s\S]*?<\/ul>/)![0];
    assert.match(list, new RegExp(`href="/app/cases/${c.id}"`));
    assert.match(list, /Troca de plano no contrato/);
    assert.match(list, /alterado no IXC/);
    assert.match(html, /Conflito com o ERP \(1\)/);
  } finally {
    await s.stop();
  }
});

Deno.test("conflict queue: 'Manter o que está no ERP' drops Renova's write, IXC keeps its record", async () => {
  const s = new IxcStandin().start();
  try {
    await using t = await testApp({ IXC_URL: s.url, IXC_TOKEN: TOKEN });
    const { erpId } = await conflicted(t.db, s);
    const [plan] = await erpWrites(t.db);
    const admin = await signInAs(t.app, (await makeUser(t.db, "admin")).username);
    const page = await (await t.app.request("/admin/erp", { headers: { cookie: admin.cookie } }))
      .text();
    assert.match(page, /Manter o que está no ERP/);
    const res = await postForm(t.app, "/admin/erp", { action: "keep", id: plan.id }, admin);
    assert.equal(res.headers.get("location"), "/admin/erp?ok=kept");
    const now = (await erpWrites(t.db)).find((w) => w.id === plan.id)!;
    assert.equal(now.status, "dropped");
    assert.equal((await teamQueues(t.db)).conflicts.length, 0, "out of the conflict queue");
    await pushErpWrites(t.db, adapterOf(s));
    assert.equal(s.table("cliente_contrato").get(erpId)!.obs, "Mudou no IXC", "not overwritten");
    assert.equal(s.writesTo(`PUT cliente_contrato/${erpId}`), 0);
    // Only a conflict can be settled this way: a second click is refused, nothing changes.
    const again = await postForm(t.app, "/admin/erp", { action: "keep", id: plan.id }, admin);
    assert.equal(again.status, 400);
    assert.match(await again.text(), /Só um envio em conflito/);
  } finally {
    await s.stop();
  }
});
