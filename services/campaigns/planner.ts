// The campaign planner: for one wave and one day, opens the renewal cases of the contracts the
// wave reaches and stages the first-contact message with the customer's personal link, with
// no attendant click. Exactly once per (wave, loyalty end, contract): the key
// campaign_sends/<wave>/<end>/<contract> is checked and written in the same atomic as the case
// (and its "no open case" check), its link, first message, reminders and audit events. A crash
// mid-run leaves whole contracts done or not started, and a rerun (or a second planner running
// at the same time) finds the key and moves on. A contract's one check is the versionstamp of
// its openings counter (keys.caseOpens), read before its send key and open case: any case
// opened since — by an attendant or by another planner, which also writes the send key — moves
// it. Ten contracts share one atomic (≤ 10 checks, see PER_ATOMIC); a batch that meets a
// concurrent change is retried one by one.
import type { Db } from "../db.ts";
import { getManyBatched } from "../db.ts";
import { keys } from "../keys.ts";
import { addAudit } from "../audit.ts";
import { type Contract } from "../contracts.ts";
import { newCase, type RenewalCase, stageOpenCase } from "../renewals/cases.ts";
import { stageNewLink } from "../renewals/links.ts";
import { firstName, type RenewalEnv } from "../renewals/env.ts";
import {
  loadTemplates,
  REMINDER_TEMPLATES,
  stageReminders,
  stageTemplate,
  type TemplateSet,
} from "../messaging/mod.ts";
import { todayInBrazil } from "../dates.ts";
import { systemActor } from "../../domain/actor.ts";
import {
  type Candidate,
  duePages,
  emptyCounts,
  type Exclusion,
  runContext,
  runRange,
  select,
} from "./audience.ts";
import type { Wave } from "./waves.ts";

/**
 * Contracts per atomic within the 10-check rule: each costs one check (its openings counter,
 * which covers both "no open case" and "not sent"; a first link needs none, see stageNewLink).
 */
export const PER_ATOMIC = 10;
/** Atomics in flight at once (the crypto of the next overlaps the commit of the last). */
const IN_FLIGHT = 4;

export interface SendRecord {
  caseId: string;
  messageId?: string;
  day: string;
  at: string;
}

export interface PlanResult {
  waveId: string;
  day: string;
  from: string;
  to: string;
  /** Contracts in the range (the whole due index slice, before the filter). */
  considered: number;
  /** Would be / were contacted. */
  contact: number;
  messages: number;
  excluded: Record<Exclusion, number>;
  already: number;
  filtered: number;
  /** Over the daily cap: left for the next day (still inside the catch-up range). */
  deferred: number;
  /** Lost a race to another writer (another planner, an attendant's claim): next run. */
  raced: number;
}

export interface PlanOptions {
  /** The run's day in Brasília (default: today). */
  day?: string;
  /** Count only, write nothing (the admin's preview). */
  dryRun?: boolean;
  /** Stop after this many contracts were opened (the benchmark's interrupted run). */
  stopAfter?: number;
  /** Loyalty ends to cover instead of the day's range (the benchmark plans a whole month). */
  range?: { from: string; to: string };
}

/** ms from now to the wave's next sending hour (0 inside it), in Brasília time (UTC-3). */
export function delayToSendingHours(wave: Wave, now: Date): number {
  const local = new Date(now.getTime() - 3 * 3600_000);
  const minutes = local.getUTCHours() * 60 + local.getUTCMinutes();
  if (minutes >= wave.fromHour * 60 && minutes < wave.toHour * 60) return 0;
  const start = new Date(local);
  start.setUTCHours(wave.fromHour, 0, 0, 0);
  if (minutes >= wave.toHour * 60) start.setUTCDate(start.getUTCDate() + 1);
  return start.getTime() - local.getTime();
}

async function dayCount(db: Db, wave: Wave, day: string): Promise<number> {
  const e = await db.kv.get<Deno.KvU64>(keys.campaignDayCount(wave.id, day));
  return e.value ? Number(e.value.value) : 0;
}

/** Stages one contract's whole first contact in `op`; returns whether a message went in. */
async function stageContact(
  env: RenewalEnv,
  op: Deno.AtomicOperation,
  wave: Wave,
  contract: Contract,
  cand: Candidate,
  run: Run,
): Promise<boolean> {
  const { day, delayMs, templates } = run;
  const db = env.db;
  const actor = systemActor(`Campanha ${wave.name}`);
  const c: RenewalCase = newCase(db, contract, { origin: "campaign" });
  c.campaign = { waveId: wave.id, loyaltyEnd: cand.loyaltyEnd };
  const sendKey = keys.campaignSend(wave.id, cand.loyaltyEnd, contract.id);
  const rec: SendRecord = { caseId: c.id, day, at: db.now().toISOString() };
  if (wave.channel !== "call") {
    const token = await stageNewLink(db, op, c, env.linkTtlDays);
    const email = wave.channel === "email";
    const phone = cand.customer.phones.find((p) => p.length === 13) ?? cand.customer.phones[0];
    const m = await stageTemplate(db, op, {
      caseId: c.id,
      channel: wave.channel,
      template: "first_contact",
      to: email ? cand.customer.email : phone,
      step: "contact",
      kind: "campaign",
      dedupeKey: `campaign:${wave.id}:${cand.loyaltyEnd}:${contract.id}`,
      delayMs,
      vars: {
        nome: firstName(cand.customer.name),
        operadora: env.providerName,
        link: `${env.baseUrl}/r/${token}`,
      },
      sealVars: true,
      templates,
    });
    rec.messageId = m.id;
    await stageReminders(db, op, c, { customer: cand.customer, token, templates });
    addAudit(db, op, `case:${c.id}`, "link.sent", actor, { channel: wave.channel });
  }
  // After the link is on the case: stageOpenCase seals the case as it is now. Its check on the
  // openings counter also guards the send key (a planner that wrote it opened a case).
  await stageOpenCase(db, op, c, actor, cand.opens);
  op.set(sendKey, rec);
  return rec.messageId !== undefined;
}

/**
 * Runs (or, with dryRun, counts) one wave for one day. Paused or cancelled waves do nothing
 * unless dryRun (the preview of a wave an admin is about to activate).
 */
export async function planWave(
  env: RenewalEnv,
  wave: Wave,
  opts: PlanOptions = {},
): Promise<PlanResult> {
  const db = env.db;
  const day = opts.day ?? todayInBrazil(db.now());
  const { from, to } = opts.range ?? runRange(wave, day);
  const r: PlanResult = {
    waveId: wave.id,
    day,
    from,
    to,
    considered: 0,
    contact: 0,
    messages: 0,
    excluded: emptyCounts(),
    already: 0,
    filtered: 0,
    deferred: 0,
    raced: 0,
  };
  if (!opts.dryRun && wave.status !== "active") return r;
  const ctx = await runContext(db, wave);
  let room = Math.max(0, wave.dailyCap - await dayCount(db, wave, day));
  const run: Run = {
    day,
    delayMs: delayToSendingHours(wave, db.now()),
    templates: opts.dryRun ? new Map() : await loadTemplates(db, RUN_TEMPLATES),
  };
  const inFlight = new Set<Promise<void>>();
  let started = 0;
  const stop = () => opts.stopAfter !== undefined && started >= opts.stopAfter;
  // Reads of the next page of the due index overlap the commits of this one.
  const prepare = async (page: DuePage) => {
    const sel = await select(db, wave, ctx, page, !opts.dryRun);
    const contracts = opts.dryRun ? [] : await getManyBatched<Contract>(
      db.kv,
      sel.chosen.slice(0, room).map((t) => keys.contract(t.contractId)),
    );
    return { size: page.length, sel, contracts };
  };
  const pages = duePages(db, from, to);
  let next = await pages.next();
  let ready = next.done ? null : prepare(next.value);
  while (ready) {
    const { size, sel, contracts } = await ready;
    next = await pages.next();
    ready = next.done || stop() ? null : prepare(next.value);
    r.considered += size;
    for (const k of Object.keys(sel.excluded) as Exclusion[]) r.excluded[k] += sel.excluded[k];
    r.already += sel.already;
    r.filtered += sel.filtered;
    const take = sel.chosen.slice(0, room);
    r.deferred += sel.chosen.length - take.length;
    room -= take.length;
    if (opts.dryRun) {
      r.contact += take.length;
      continue;
    }
    for (let i = 0; i < take.length && !stop(); i += PER_ATOMIC) {
      const batch = take.slice(i, i + PER_ATOMIC).map((cand, j) => ({
        cand,
        contract: contracts[i + j]?.value ?? null,
      }));
      const p = commitBatch(env, wave, batch, run, r).finally(() => inFlight.delete(p));
      inFlight.add(p);
      started += batch.length;
      if (inFlight.size >= IN_FLIGHT) await Promise.race(inFlight);
    }
    if (stop()) break;
  }
  await ready?.catch(() => {}); // a prefetch left behind by stopAfter
  await Promise.all(inFlight);
  if (!opts.dryRun && (r.contact || r.already)) {
    const op = db.kv.atomic();
    addAudit(db, op, `wave:${wave.id}`, "campaign.planned", systemActor("Campanhas"), {
      day,
      opened: r.contact,
      already: r.already,
    });
    await op.commit();
  }
  return r;
}

type Item = { cand: Candidate; contract: Contract | null };
type DuePage = Parameters<typeof select>[3];
/** What every contract of one run shares. */
interface Run {
  day: string;
  delayMs: number;
  templates: TemplateSet;
}
const RUN_TEMPLATES = ["first_contact" as const, ...REMINDER_TEMPLATES];

async function commitBatch(
  env: RenewalEnv,
  wave: Wave,
  batch: Item[],
  run: Run,
  r: PlanResult,
) {
  const live = batch.filter((b) => b.contract?.status === "active");
  r.filtered += batch.length - live.length;
  if (!live.length) return;
  const op = env.db.kv.atomic();
  let messages = 0;
  for (const b of live) {
    if (await stageContact(env, op, wave, b.contract!, b.cand, run)) messages++;
  }
  op.sum(keys.campaignDayCount(wave.id, run.day), BigInt(live.length));
  if ((await op.commit()).ok) {
    r.contact += live.length;
    r.messages += messages;
    return;
  }
  // Someone else wrote one of these contracts meanwhile: one by one, each re-read.
  for (const b of live) await commitOne(env, wave, b, run, r);
}

async function commitOne(
  env: RenewalEnv,
  wave: Wave,
  b: Item,
  run: Run,
  r: PlanResult,
) {
  const db = env.db;
  // One read, one snapshot: the counter's versionstamp covers the two answers beside it.
  const [opens, sent, open] = await db.kv.getMany([
    keys.caseOpens(b.cand.contractId),
    keys.campaignSend(wave.id, b.cand.loyaltyEnd, b.cand.contractId),
    keys.openCaseByContract(b.cand.contractId),
  ]);
  if (sent.value) return void r.already++;
  if (open.value) return void r.excluded.open_case++;
  const op = db.kv.atomic();
  const cand = { ...b.cand, opens: { versionstamp: opens.versionstamp } };
  const sentMessage = await stageContact(env, op, wave, b.contract!, cand, run);
  op.sum(keys.campaignDayCount(wave.id, run.day), 1n);
  if ((await op.commit()).ok) {
    r.contact++;
    if (sentMessage) r.messages++;
  } else {
    r.raced++;
  }
}
