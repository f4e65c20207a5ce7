// A planner killed (kill -9) between planning and sending: what it committed is whole (case,
// link, first message, send key together), nothing was sent yet, the next run finishes the
// rest without repeating anyone, and delivery then sends each customer exactly one message.
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { activeWave, campaignDb, countKeys, holder, JOB_TIME, sendsOf } from "./fixtures.ts";
import { keys } from "../../services/keys.ts";
import type { Message } from "../../services/messaging/mod.ts";
import { planWave } from "../../services/campaigns/planner.ts";
import { getWave } from "../../services/campaigns/waves.ts";
import { scanOnce } from "../../services/messaging/dispatcher.ts";
import type { Db } from "../../services/db.ts";

const CHILD = fileURLToPath(new URL("../fixtures/campaign_planner_child.ts", import.meta.url));
const N = 400;

async function firstContacts(db: Db) {
  const byCase = new Map<string, Message[]>();
  for await (const e of db.kv.list<Message>({ prefix: keys.messages() })) {
    if (e.value.template !== "first_contact") continue;
    byCase.set(e.value.caseId, [...byCase.get(e.value.caseId) ?? [], e.value]);
  }
  return byCase;
}

Deno.test({
  name: "crash: a planner killed mid-run leaves whole contacts; the rerun completes, once",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const dir = await Deno.makeTempDir({ prefix: "renova-campaign-crash-" });
    const path = `${dir}/kv.sqlite`;
    try {
      let waveId: string;
      {
        const { db } = await campaignDb(JOB_TIME, path);
        for (let i = 0; i < N; i++) await holder(db, 30 - (i % 5));
        waveId = (await activeWave(db, 30)).id;
        db.kv.close();
      }
      const child = new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", CHILD, path, String(JOB_TIME), waveId],
        stdout: "piped",
        stderr: "null",
      }).spawn();
      // Kill it once some contacts are committed and before it is done.
      const { db, env, clock } = await campaignDb(JOB_TIME, path);
      await using _ = db;
      let seen = 0;
      for (let i = 0; i < 3000 && seen < 20; i++) {
        seen = await countKeys(db, keys.campaignSendsOfWave(waveId));
        await new Promise((r) => setTimeout(r, 5));
      }
      child.kill("SIGKILL");
      await child.status;
      await child.stdout.cancel();
      const atCrash = await countKeys(db, keys.campaignSendsOfWave(waveId));
      assert.ok(atCrash > 0 && atCrash < N, `killed midway (${atCrash} of ${N})`);
      // Whole contacts only: each send key has its case and one first message, none sent yet.
      const staged = await firstContacts(db);
      assert.equal(staged.size, atCrash);
      for (const [, ms] of staged) {
        assert.equal(ms.length, 1);
        assert.equal(ms[0].status, "queued");
      }
      const rest = await planWave(env, await getWave(db, waveId));
      assert.equal(rest.already, atCrash);
      assert.equal(rest.contact, N - atCrash);
      assert.equal(await sendsOf(db, await getWave(db, waveId)), N);

      // Sending: delivery runs at 09:00 in Brasília; every customer gets one message.
      clock.now = JOB_TIME + 7 * 3600_000;
      await scanOnce(db);
      const after = await firstContacts(db);
      assert.equal(after.size, N);
      for (const [, ms] of after) {
        assert.equal(ms.length, 1);
        assert.equal(ms[0].status, "delivered");
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
