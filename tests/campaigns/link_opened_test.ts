// Issue #17: a wave's report counts the customers who opened their link. The first open of a
// personal link is recorded once (with a line in the case history), however often it reloads.
import assert from "node:assert/strict";
import { activeWave, campaignDb, holder } from "./fixtures.ts";
import { caseWithLink, setup } from "../http/renewal_fixtures.ts";
import { planWave } from "../../services/campaigns/planner.ts";
import { waveReport } from "../../services/campaigns/report.ts";
import { linksOpened, recordLinkOpened } from "../../services/renewals/link_opened.ts";
import { auditOf } from "../../services/audit.ts";
import { keys } from "../../services/keys.ts";
import type { SendRecord } from "../../services/campaigns/planner.ts";
import { customerActor } from "../../domain/actor.ts";

Deno.test("link opened: the customer's first GET is recorded once, in the case history", async () => {
  await using t = await setup();
  const { caseId, token } = await caseWithLink(t);
  assert.deepEqual(await linksOpened(t.db, [caseId]), [false]);
  for (let i = 0; i < 3; i++) assert.equal((await t.app.request(`/r/${token}`)).status, 200);
  assert.deepEqual(await linksOpened(t.db, [caseId]), [true]);
  const opens = (await auditOf(t.db, `case:${caseId}`)).filter((e) => e.action === "link.opened");
  assert.equal(opens.length, 1);
});

Deno.test("link opened: the wave report counts opens apart from those who went further", async () => {
  const { db, env } = await campaignDb();
  try {
    for (let i = 0; i < 3; i++) await holder(db, 30);
    const w = await activeWave(db, 30, { fromHour: 0, toHour: 24 });
    assert.equal((await planWave(env, w)).contact, 3);
    const sends = await Array.fromAsync(
      db.kv.list<SendRecord>({ prefix: keys.campaignSendsOfWave(w.id) }),
    );
    const caseId = sends[0].value.caseId;
    await recordLinkOpened(db, customerActor(caseId, {}), caseId);
    const r = await waveReport(db, w.id);
    assert.equal(r.contacted, 3);
    assert.equal(r.opened, 1);
    assert.equal(r.advanced, 0);
  } finally {
    db.kv.close();
  }
});
