// Issue #16 item 11: viewing the holder photo adds "Foto do titular visualizada" to the case's
// history once per person per visit (READ_AUDIT_WINDOW_MS), not on every automatic reload.
import assert from "node:assert/strict";
import { caseWithLink, customerPost, PNG, setup } from "./renewal_fixtures.ts";
import { signInAs } from "../helpers.ts";
import { auditOf } from "../../services/audit.ts";
import { listPlans } from "../../services/plans.ts";
import { READ_AUDIT_WINDOW_MS } from "../../services/renewals/read_access.ts";

async function caseWithPhoto(t: Awaited<ReturnType<typeof setup>>) {
  const { caseId, token } = await caseWithLink(t);
  const plans = await listPlans(t.db);
  await customerPost(t, token, "choose_plan", { planId: plans[2].id, consent: "on" });
  const fd = new FormData();
  fd.set("photo", new File([PNG], "eu.png", { type: "image/png" }));
  assert.equal((await customerPost(t, token, "upload_photo", fd)).status, 303);
  return caseId;
}

async function viewPhoto(t: Awaited<ReturnType<typeof setup>>, caseId: string, cookie: string) {
  const res = await t.app.request(`/app/cases/${caseId}/photo`, { headers: { cookie } });
  assert.equal(res.status, 200);
  await res.arrayBuffer();
}

const photoLines = async (t: Awaited<ReturnType<typeof setup>>, caseId: string) =>
  (await auditOf(t.db, `case:${caseId}`)).filter((e) => e.action === "photo.viewed");

Deno.test("photo history: reloads within one visit add one line per person", async () => {
  const t = await setup();
  try {
    const caseId = await caseWithPhoto(t);
    for (let i = 0; i < 5; i++) await viewPhoto(t, caseId, t.att.cookie);
    assert.equal((await photoLines(t, caseId)).length, 1);
    const sup = await signInAs(t.app, "supervisora");
    await viewPhoto(t, caseId, sup.cookie);
    await viewPhoto(t, caseId, sup.cookie);
    const lines = await photoLines(t, caseId);
    assert.equal(lines.length, 2, "the supervisor's visit is its own line");
    assert.notEqual(lines[0].actor.id, lines[1].actor.id);
  } finally {
    await t.db.kv.close();
  }
});

Deno.test("photo history: a later visit by the same person adds a new line", async () => {
  let now = Date.now();
  const t = await setup({}, () => new Date(now));
  try {
    const caseId = await caseWithPhoto(t);
    await viewPhoto(t, caseId, t.att.cookie);
    now += READ_AUDIT_WINDOW_MS + 60_000;
    const again = await signInAs(t.app, "atendente1"); // an idle session ends meanwhile
    await viewPhoto(t, caseId, again.cookie);
    assert.equal((await photoLines(t, caseId)).length, 2);
  } finally {
    await t.db.kv.close();
  }
});
