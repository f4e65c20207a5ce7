// The daily campaign job: every active wave, for today (in Brasília). Scheduled with the other
// daily jobs (services/ops/daily_jobs.ts: due at 06:00 UTC, caught up after downtime, one
// process at a time under the job's lease); the loyalty ends a missed day would have covered
// stay in the next run's catch-up range (audience.ts runRange).
import type { RenewalEnv } from "../renewals/env.ts";
import { listWaves } from "./waves.ts";
import { planWave } from "./planner.ts";

export async function runCampaigns(env: RenewalEnv) {
  let opened = 0, messages = 0, waves = 0;
  for (const w of await listWaves(env.db)) {
    if (w.status !== "active") continue;
    const r = await planWave(env, w);
    waves++;
    opened += r.contact;
    messages += r.messages;
  }
  return { waves, opened, messages };
}
