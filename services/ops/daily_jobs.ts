// The daily jobs (LGPD retention, stale renewals, campaigns), due at 06:00 UTC (03:00 in
// Brasília), and the work queues' distribution, due every 15 minutes.
// A server that was down at that hour must not skip a day: each job's last completed run is
// kept in KV, and on start and on every tick any job whose last run is older than its latest
// due time runs now. A lease per job keeps two processes (two instances, a CLI) from running
// it at once.
import { distributeQueue } from "../renewals/queues.ts";
import { systemActor } from "../../domain/actor.ts";
import type { Db } from "../db.ts";
import { keys } from "../keys.ts";
import { withLease } from "../leases.ts";
import { purgeExpired, type RetentionOptions } from "./retention.ts";
import { expireStaleCases } from "./stale_cases.ts";
import { runCampaigns } from "../campaigns/job.ts";
import { refreshDueMarks } from "../due_marks_upkeep.ts";
import type { RenewalEnv } from "../renewals/env.ts";
import { type PixAutoSettings, pspFor, runPixAutoCharges } from "../pix_auto/mod.ts";

/** Hour (UTC) the daily jobs are due. */
export const DAILY_HOUR_UTC = 6;
/** How often the scheduler looks for a due job (catch-up after a pause or a restart). */
const TICK_MS = 15 * 60_000;
/** How often the work queues are handed out (see dailyJobs). */
export const QUEUE_EVERY_MS = TICK_MS;
/** A job's lease; renewed while it runs, so it only bounds how long a dead holder blocks. */
const LEASE_MS = 5 * 60_000;

export interface DailyJob {
  name: string;
  run: (db: Db) => Promise<object>;
  /** Due every this many ms (aligned to the epoch) instead of once a day at DAILY_HOUR_UTC. */
  everyMs?: number;
}

export interface JobRun {
  at: string;
  /** The due time this run covered. */
  dueAt: string;
}

/**
 * The latest due time at or before `now`: today's 06:00 UTC (or yesterday's), or for a job due
 * every `everyMs` the start of the current period.
 */
export function latestDueTime(now: Date, everyMs?: number): Date {
  if (everyMs) return new Date(Math.floor(now.getTime() / everyMs) * everyMs);
  const d = new Date(now);
  d.setUTCHours(DAILY_HOUR_UTC, 0, 0, 0);
  if (d > now) d.setUTCDate(d.getUTCDate() - 1);
  return d;
}

export type JobOutcome = "ran" | "not_due" | "held" | "failed";

/** Runs every job that is due and not running elsewhere; one after the other. */
export async function runDueJobs(
  db: Db,
  jobs: readonly DailyJob[],
  log: (line: Record<string, unknown>) => void = defaultLog,
): Promise<Record<string, JobOutcome>> {
  const out: Record<string, JobOutcome> = {};
  for (const job of jobs) {
    const dueAt = latestDueTime(db.now(), job.everyMs).toISOString();
    const isDue = async () => {
      const last = (await db.kv.get<JobRun>(keys.jobLastRun(job.name))).value;
      return !last || last.dueAt < dueAt;
    };
    if (!await isDue()) {
      out[job.name] = "not_due";
      continue;
    }
    try {
      const r = await withLease(db, `job:${job.name}`, LEASE_MS, async () => {
        // Another process may have finished it between our check and the lease.
        if (!await isDue()) return "not_due" as const;
        const result = await job.run(db);
        const run: JobRun = { at: db.now().toISOString(), dueAt };
        await db.kv.set(keys.jobLastRun(job.name), run);
        log({ job: job.name, dueAt, ...result });
        return "ran" as const;
      });
      out[job.name] = r.ran ? r.result : "held";
    } catch (e) {
      out[job.name] = "failed";
      log({ level: "error", job: job.name, error: String(e) });
    }
  }
  return out;
}

function defaultLog(line: Record<string, unknown>) {
  console.log(JSON.stringify({ t: new Date().toISOString(), ...line }));
}

/** What the jobs need; `campaigns` (the renewal environment) turns the campaign planner on. */
export type DailyJobOptions = RetentionOptions & {
  caseExpireDays: number;
  campaigns?: RenewalEnv;
  /** Pix Automático's PSP and the links' base URL: turns the monthly charges job on. */
  pixAuto?: { settings: PixAutoSettings; baseUrl: string };
};

export function dailyJobs(opts: DailyJobOptions) {
  const jobs: DailyJob[] = [
    { name: "retention", run: (db: Db) => purgeExpired(db, opts) },
    { name: "stale_cases", run: (db: Db) => expireStaleCases(db, opts) },
    // After stale_cases (cases it ended free their contracts): due entries soon on the list
    // get their open-case and refusal marks back (services/due_marks_upkeep.ts).
    { name: "due_marks", run: (db: Db) => refreshDueMarks(db) },
  ];
  // After stale_cases: contracts whose old case just expired are free for today's waves.
  const env = opts.campaigns;
  if (env) jobs.push({ name: "campaigns", run: () => runCampaigns(env) });
  // Monthly cobr charges of approved Pix Automático authorizations (services/pix_auto).
  const pix = opts.pixAuto;
  if (pix) {
    jobs.push({
      name: "pix_auto_charges",
      run: (db: Db) => runPixAutoCharges(db, pspFor(pix.settings), { baseUrl: pix.baseUrl }),
    });
  }
  // Last: cases that now need a person (a reply, a photo, no answer after the last wave) go
  // to attendants by the supervisors' rules (services/renewals/queues.ts). Every tick, not
  // daily: a customer who sends the holder photo at 10:00 should not wait for tomorrow's run.
  jobs.push({
    name: "queues",
    everyMs: QUEUE_EVERY_MS,
    run: (db: Db) => distributeQueue(db, systemActor("Filas")),
  });
  return jobs;
}

/**
 * Starts the daily jobs: a catch-up pass now, then one every TICK_MS (each pass only runs what
 * is due). Returns the stop function; its promise settles once a pass in flight has ended.
 */
export function scheduleDailyJobs(
  db: Db,
  opts: DailyJobOptions,
): () => Promise<void> {
  const jobs = dailyJobs(opts);
  let running: Promise<void> | null = null;
  let stopped = false;
  const tick = () => {
    if (running || stopped) return running ?? Promise.resolve();
    running = pass().finally(() => (running = null));
    return running;
  };
  const pass = async () => {
    try {
      await runDueJobs(db, jobs);
    } catch (e) {
      // A store error outside a job (reading the last runs): the next tick tries again.
      console.error(JSON.stringify({ level: "error", job: "daily_jobs", error: String(e) }));
    }
  };
  tick();
  const ac = new AbortController();
  const cron = (Deno as unknown as {
    cron?: (n: string, s: string, o: { signal: AbortSignal }, h: () => Promise<void>) => void;
  }).cron;
  // Deno Deploy keeps no timers alive between requests: its cron calls the tick there.
  if (typeof cron === "function") {
    cron("renova-daily-jobs", "*/15 * * * *", { signal: ac.signal }, tick);
    return async () => {
      stopped = true;
      ac.abort();
      await running;
    };
  }
  const timer = setInterval(tick, TICK_MS);
  Deno.unrefTimer(timer);
  return async () => {
    stopped = true;
    clearInterval(timer);
    await running;
  };
}
