// Daily jobs must not skip a day when the server was down at their hour: on start (and on
// every tick) a job whose last run is older than its latest due time runs.
import assert from "node:assert/strict";
import { testDb } from "../helpers.ts";
import { keys } from "../../services/keys.ts";
import {
  type DailyJob,
  dailyJobs,
  type JobRun,
  QUEUE_EVERY_MS,
  runDueJobs,
  scheduleDailyJobs,
} from "../../services/ops/daily_jobs.ts";
import { until } from "../messaging/fixtures.ts";

const quiet = () => {};

Deno.test("a job missed while the server was down runs once when it comes back, then at its hour", async () => {
  let now = Date.parse("2026-03-05T10:00:00Z");
  await using db = await testDb(() => new Date(now));
  // Last run two days ago: the server was down at 06:00 yesterday and today.
  await db.kv.set(
    keys.jobLastRun("retention"),
    {
      at: "2026-03-03T06:00:05Z",
      dueAt: "2026-03-03T06:00:00.000Z",
    } satisfies JobRun,
  );
  let runs = 0;
  const jobs = [{ name: "retention", run: () => Promise.resolve({ n: ++runs }) }];
  assert.deepEqual(await runDueJobs(db, jobs, quiet), { retention: "ran" });
  assert.deepEqual(await runDueJobs(db, jobs, quiet), { retention: "not_due" });
  now = Date.parse("2026-03-06T05:59:00Z");
  assert.deepEqual(await runDueJobs(db, jobs, quiet), { retention: "not_due" }, "before 06:00");
  now = Date.parse("2026-03-06T06:01:00Z");
  assert.deepEqual(await runDueJobs(db, jobs, quiet), { retention: "ran" });
  assert.equal(runs, 2);
});

Deno.test("starting the scheduler catches up at once on the daily jobs", async () => {
  const db = await testDb();
  const stop = scheduleDailyJobs(db, { photoRetentionDays: 90, caseExpireDays: 30 });
  try {
    await until(
      async () =>
        (await db.kv.get(keys.jobLastRun("retention"))).value !== null &&
        (await db.kv.get(keys.jobLastRun("stale_cases"))).value !== null,
      5_000,
      "catch-up",
    );
  } finally {
    await stop();
    db.kv.close();
  }
});

Deno.test("the work queues are handed out every 15 minutes, the daily jobs once a day", async () => {
  let now = Date.parse("2026-03-05T10:00:00Z");
  await using db = await testDb(() => new Date(now));
  const ran: string[] = [];
  const jobs: DailyJob[] = dailyJobs({ photoRetentionDays: 90, caseExpireDays: 30 }).map((
    j,
  ) => ({ ...j, run: async (d) => (ran.push(j.name), await j.run(d)) }));
  await runDueJobs(db, jobs, quiet);
  now += 5 * 60_000; // 10:05: same period
  await runDueJobs(db, jobs, quiet);
  now += 11 * 60_000; // 10:16: the next quarter hour
  await runDueJobs(db, jobs, quiet);
  assert.deepEqual(ran.filter((n) => n === "queues").length, 2);
  assert.deepEqual(ran.filter((n) => n === "retention").length, 1);
  assert.equal(QUEUE_EVERY_MS, 15 * 60_000);
});
