// The planner as a daily job (services/ops/daily_jobs.ts): it runs the active waves at 06:00
// UTC with no click, once per day, and after days of downtime its run covers the loyalty ends
// the missed days would have contacted.
import assert from "node:assert/strict";
import { activeWave, campaignDb, holder, JOB_TIME, sendsOf } from "./fixtures.ts";
import { dailyJobs, runDueJobs } from "../../services/ops/daily_jobs.ts";

const quiet = () => {};
const DAY = 86400_000;

Deno.test("daily job: runs the active waves once a day and catches up after downtime", async () => {
  const { db, env, clock } = await campaignDb(JOB_TIME + 60_000);
  await using _ = db;
  const jobs = dailyJobs({ photoRetentionDays: 90, caseExpireDays: 7, campaigns: env })
    .filter((j) => j.name === "campaigns");
  await holder(db, 30); // D-30 today
  await holder(db, 31); // D-30 tomorrow: the server will be down then
  await holder(db, 32); // D-30 the day after
  await holder(db, 60); // only for the D-60 wave, which stays paused
  const w = await activeWave(db, 30);

  assert.deepEqual(await runDueJobs(db, jobs, quiet), { campaigns: "ran" });
  assert.equal(await sendsOf(db, w), 1);
  assert.deepEqual(await runDueJobs(db, jobs, quiet), { campaigns: "not_due" });

  clock.now += 3 * DAY; // down for two 06:00s
  assert.deepEqual(await runDueJobs(db, jobs, quiet), { campaigns: "ran" });
  assert.equal(await sendsOf(db, w), 3, "the missed days' contracts are contacted now");
});
