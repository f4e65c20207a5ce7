// Import runs beat a heartbeat (a lease renewed while they live). A run whose process died is
// recognised within LIVE_MS, taken over and marked failed (it can be resumed); one still alive
// refuses a second import and says until when.
import { staffActor } from "../../domain/actor.ts";
import assert from "node:assert/strict";
import { testDb } from "../helpers.ts";
import type { Db } from "../../services/db.ts";
import { DEMO_PLANS } from "../../services/seed.ts";
import { createPlan } from "../../services/plans.ts";
import { createJob, getJob, jobStatus, LIVE_MS, runJob } from "../../services/import/jobs.ts";

const FIX = new URL("../fixtures/import/", import.meta.url);
const ADMIN = staffActor({ id: "test-admin", name: "Admin de teste", role: "admin" });

async function setup() {
  let now = Date.parse("2026-03-05T13:00:00Z");
  const clock = { advance: (ms: number) => (now += ms) };
  const db = await testDb(() => new Date(now));
  for (const p of DEMO_PLANS) await createPlan(db, p);
  return { db, clock };
}

async function dryRunJob(db: Db, name: string) {
  const job = await createJob(db, {
    name,
    stream: (await Deno.open(new URL(name, FIX))).readable,
  }, ADMIN);
  await runJob(db, job.id, "dry", { actor: ADMIN });
  return job;
}

/**
 * Starts an import that stops inside its first batch, as a process frozen or killed there:
 * no more batches, and (in this test's clock) no more heartbeats. `end` lets it fail.
 */
function stuckImport(db: Db, id: string) {
  let end!: (e: Error) => void;
  const stopped = new Promise<never>((_, reject) => (end = reject));
  let entered!: () => void;
  const inBatch = new Promise<void>((r) => (entered = r));
  const run = runJob(db, id, "run", {
    actor: ADMIN,
    batchRows: 1,
    onBatch: () => {
      entered();
      return stopped;
    },
  }).catch(() => {});
  return { inBatch, finish: async () => (end(new Error("killed")), await run) };
}

Deno.test("a second import while one is alive is refused, saying when it may try again", async () => {
  const { db } = await setup();
  const a = await dryRunJob(db, "ixc.csv");
  const b = await dryRunJob(db, "renova.csv");
  const stuck = stuckImport(db, a.id);
  try {
    await stuck.inBatch;
    await assert.rejects(
      runJob(db, b.id, "run", { actor: ADMIN }),
      /último sinal de vida em \d\d\/\d\d\/\d{4},? \d\d:\d\d.*tente de novo a partir de \d\d\/\d\d/,
    );
  } finally {
    await stuck.finish();
    db.kv.close();
  }
});

Deno.test("an import whose process died is stale within LIVE_MS, taken over, marked failed, resumable", async () => {
  const { db, clock } = await setup();
  const a = await dryRunJob(db, "ixc.csv");
  const b = await dryRunJob(db, "renova.csv");
  const stuck = stuckImport(db, a.id);
  try {
    await stuck.inBatch;
    assert.equal((await jobStatus(db, a.id)).stale, false);
    clock.advance(LIVE_MS + 1_000); // no heartbeat since: the process is gone
    assert.equal((await jobStatus(db, a.id)).stale, true);
    await runJob(db, b.id, "run", { actor: ADMIN });
    assert.equal((await getJob(db, b.id)).status, "done", "took the lock over");
    const cut = await getJob(db, a.id);
    assert.equal(cut.status, "failed", "no longer 'running' for ever");
    assert.match(cut.error!, /parou antes do fim/);
    await stuck.finish();
    await runJob(db, a.id, "run", { actor: ADMIN, resume: true });
    assert.equal((await getJob(db, a.id)).status, "done", "resumed to the end");
  } finally {
    await stuck.finish();
    db.kv.close();
  }
});
