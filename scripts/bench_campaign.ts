// Campaign benchmark: generate N contracts (the shared scale generator), plan the D-30 wave
// over one month of loyalty ends — a first run interrupted halfway, then rerun to the end, then
// a whole rerun that must add nothing — and count duplicates; against a raw baseline of batched
// atomics writing the same case and message keys, measured in the same run.
//   deno task bench:campaign --contracts N [--keep] [--dir DIR] [--store DIR]
// Progress goes to stderr; the last line of stdout is one JSON object (docs/benchmarks.md).
import { arg, contractsArg } from "./bench/args.ts";
import { readCounterKeysRaw, renderDashboard } from "../lib/dashboard.tsx";
import { dashboardData, parsePeriod } from "../services/renewals/dashboard.ts";
import { keys } from "../services/keys.ts";
import type { Db } from "../services/db.ts";
import { ulid } from "../services/ulid.ts";
import { addDays, addMonths, todayInBrazil } from "../services/dates.ts";
import { SYSTEM } from "../domain/actor.ts";
import { loadConfig } from "../app.config.ts";
import type { RenewalEnv } from "../services/renewals/env.ts";
import { defaultWave, saveWave, setWaveStatus, type Wave } from "../services/campaigns/waves.ts";
import { type PlanResult, planWave } from "../services/campaigns/planner.ts";
import type { RenewalCase } from "../services/renewals/cases.ts";
import type { Message } from "../services/messaging/mod.ts";
import {
  keyBytes,
  MAX_BYTES,
  MAX_KEY_BYTES,
  MAX_MUTATIONS,
  valueBytes,
} from "../services/import/engine.ts";
import { importedStore } from "./bench/scale_store.ts";

const N = contractsArg();
const keep = Deno.args.includes("--keep");
const storeDir = arg("store", "");
const givenDir = arg("dir", "");
const dir = givenDir || await Deno.makeTempDir({ prefix: "renova-bench-campaign-" });
if (givenDir) await Deno.mkdir(dir, { recursive: true });
const log = (s: string) =>
  console.error(`[campaign ${new Date().toISOString().slice(11, 19)}] ${s}`);
const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;

// 1. The store: N contracts imported as an ERP file would be (copied from --store when kept).
const { db, genS, importS } = await importedStore(dir, N, { storeDir: storeDir || undefined, log });
log(`generated in ${round(genS)} s, imported in ${round(importS)} s`);
let t = 0;

// 2. The D-30 wave over next month's loyalty ends, with no cap in the way.
const config = loadConfig({ KV_PATH: `${dir}/renova.sqlite`, LOG_REQUESTS: "false" });
const env: RenewalEnv = {
  db,
  provider: config.provider,
  providerName: config.provider.name,
  baseUrl: "https://renova.example.com.br",
  linkTtlDays: config.linkTtlDays,
};
const base = defaultWave(30);
const created = await saveWave(db, {
  name: base.name,
  offsetDays: 30,
  channel: "whatsapp",
  filter: base.filter,
  dailyCap: 100_000,
  fromHour: 9,
  toHour: 20,
  declineDays: 90,
}, SYSTEM);
const wave: Wave = await setWaveStatus(db, created.id, "activate", SYSTEM);
const month = addMonths(todayInBrazil(db.now()), 1).slice(0, 7);
const range = { from: `${month}-01`, to: addDays(addMonths(`${month}-01`, 1), -1) };
t = performance.now();
const preview = await planWave(env, wave, { range, dryRun: true });
const previewS = (performance.now() - t) / 1000;
const waveContracts = preview.contact;
log(`month ${month}: ${preview.considered} loyalty ends, ${waveContracts} to contact`);

// The raw baseline: the same keys (case, indexes, audit events, link, four messages with their indexes
// and jobs, send key, day counter) with values of the same size taken from one planned case,
// no reads, crypto or checks, packed by the import's atomic limits, in their own store.
async function sampleRow(db: Db) {
  const send = (await Array.fromAsync(
    db.kv.list<{ caseId: string }>({ prefix: keys.campaignSendsOfWave(wave.id) }, { limit: 1 }),
  ))[0];
  const caseId = send.value.caseId;
  const c = (await db.kv.get<RenewalCase>(keys.case(caseId))).value!;
  const link = (await db.kv.get(keys.link(c.link!.hash))).value;
  const msgs: Message[] = [];
  for await (const e of db.kv.list<string>({ prefix: keys.messagesOfCase(caseId) })) {
    msgs.push((await db.kv.get<Message>(keys.message(e.value))).value!);
  }
  const audits = [];
  for await (const e of db.kv.list<string>({ prefix: keys.auditOfSubject(`case:${caseId}`) })) {
    audits.push((await db.kv.get(keys.audit(e.value))).value);
  }
  return { c, link, msgs, audits, send: send.value };
}
const rawKv = await Deno.openKv(`${dir}/raw.sqlite`);
let op = rawKv.atomic(), muts = 0, kb = 0, vb = 0, rawAtomics = 0;
async function flush() {
  if (!muts) return;
  if (!(await op.commit()).ok) throw new Error("raw commit failed");
  rawAtomics++;
  op = rawKv.atomic();
  muts = kb = vb = 0;
}
/** Writes `count` contracts' keys raw; returns the seconds it took. */
async function writeRaw(sample: Awaited<ReturnType<typeof sampleRow>>, count: number) {
  const t = performance.now();
  for (let i = 0; i < count; i++) {
    const caseId = ulid(), contractId = ulid();
    const row: [Deno.KvKey, unknown][] = [
      [keys.case(caseId), { ...sample.c, id: caseId }],
      [keys.openCaseByContract(contractId), caseId],
      [keys.caseOpens(contractId), new Deno.KvU64(1n)],
      [keys.queueDue(sample.c.link!.expiresAt, caseId), { caseId, city: sample.c.city }],
      [keys.casesByStep("contact", caseId), {
        customerId: sample.c.customerId,
        city: sample.c.city,
      }],
      [keys.link(ulid() + ulid() + ulid().slice(0, 12)), sample.link],
      [keys.campaignSend(wave.id, sample.c.loyaltyEnd, contractId), sample.send],
    ];
    for (const a of sample.audits) {
      const id = ulid();
      row.push([keys.audit(id), a], [keys.auditBySubject(`case:${caseId}`, id), id]);
    }
    const jobs: string[] = [];
    for (const m of sample.msgs) {
      const id = ulid();
      jobs.push(id);
      row.push(
        [keys.message(id), { ...m, id, caseId }],
        [keys.messagesByCase(caseId, id), id],
        [keys.messageDue(m.nextAttemptAt!, id), id],
      );
    }
    let k = 0, v = 0;
    for (const [key, value] of row) k += keyBytes(key), v += valueBytes(value);
    const extra = jobs.length + 1; // enqueues and the day counter
    if (
      muts + row.length + extra > MAX_MUTATIONS || kb + k > MAX_KEY_BYTES ||
      kb + vb + k + v > MAX_BYTES
    ) {
      await flush();
    }
    for (const [key, value] of row) op.set(key, value);
    for (const id of jobs) {
      op.enqueue({ type: "deliver_message", v: 1, messageId: id }, { delay: 3600_000 });
    }
    op.sum(keys.campaignDayCount(wave.id, "raw"), 1n);
    muts += row.length + extra, kb += k, vb += v;
  }
  await flush();
  return (performance.now() - t) / 1000;
}

// 3. Planned: a run cut off halfway, the rerun that finishes it, and a rerun of everything.
// Each planned half is followed by the raw baseline for as many contracts, so a change of load
// on the machine during the run weighs on both sides alike (the raw's values come from a
// planned case of the first half).
const runs: PlanResult[] = [];
const planHalves: number[] = [], rawHalves: number[] = [];
t = performance.now();
runs.push(await planWave(env, wave, { range, stopAfter: Math.floor(waveContracts / 2) }));
planHalves.push((performance.now() - t) / 1000);
log(`first run stopped after ${runs[0].contact}`);
const sample = await sampleRow(db);
rawHalves.push(await writeRaw(sample, runs[0].contact));
t = performance.now();
runs.push(await planWave(env, wave, { range }));
planHalves.push((performance.now() - t) / 1000);
rawHalves.push(await writeRaw(sample, runs[1].contact));
const planS = planHalves[0] + planHalves[1], rawS = rawHalves[0] + rawHalves[1];
log(`rerun finished ${runs[1].contact} more (already ${runs[1].already}) — ${round(planS)} s`);
t = performance.now();
runs.push(await planWave(env, wave, { range }));
const rerunS = (performance.now() - t) / 1000;

// 4. Duplicates: cases of this wave per contract, first messages per contract.
async function countDuplicates(db: Db) {
  const contractOf = new Map<string, string>();
  const casesPer = new Map<string, number>();
  for await (const e of db.kv.list<RenewalCase>({ prefix: keys.cases() })) {
    if (e.value.campaign?.waveId !== wave.id) continue;
    contractOf.set(e.value.id, e.value.contractId);
    casesPer.set(e.value.contractId, (casesPer.get(e.value.contractId) ?? 0) + 1);
  }
  const msgsPer = new Map<string, number>();
  for await (const e of db.kv.list<Message>({ prefix: keys.messages() })) {
    const contract = contractOf.get(e.value.caseId);
    if (!contract || e.value.template !== "first_contact") continue;
    msgsPer.set(contract, (msgsPer.get(contract) ?? 0) + 1);
  }
  let dup = 0;
  for (const n of [...casesPer.values(), ...msgsPer.values()]) dup += Math.max(0, n - 1);
  return {
    dup,
    cases: contractOf.size,
    messages: [...msgsPer.values()].reduce((a, b) => a + b, 0),
  };
}
const counted = await countDuplicates(db);

log(`raw ${round(rawS)} s (${rawAtomics} atomics) vs planned ${round(planS)} s`);

// The supervisor's dashboard for the planned month, against reading the same counter keys raw
// (median of 11 each, after 10 warm-ups: a server renders it warm, and the first calls of a
// function run in the interpreter before the JIT compiles it).
const period = parsePeriod({}, db.now());
const median = async (f: () => Promise<unknown>) => {
  for (let i = 0; i < 10; i++) await f();
  const ms: number[] = [];
  for (let i = 0; i < 11; i++) {
    const t0 = performance.now();
    await f();
    ms.push(performance.now() - t0);
  }
  return ms.sort((x, y) => x - y)[5];
};
const dashboardMs = await median(() => renderDashboard(db, period));
// The same page when its input changed every time (no kept render): reads + Preact + CSS.
const dashboardRenderMs = await median(() => renderDashboard(db, period, true));
const dashboardDataMs = await median(() => dashboardData(db, period));
const dashboardRawMs = await median(() => readCounterKeysRaw(db, period));
db.kv.close();
rawKv.close();
if (keep) log(`kept ${dir}`);
else if (!givenDir) await Deno.remove(dir, { recursive: true });
else {
  for await (const e of Deno.readDir(dir)) {
    if (/^(erp\.csv|(renova|raw)\.sqlite.*)$/.test(e.name)) await Deno.remove(`${dir}/${e.name}`);
  }
}

console.log(JSON.stringify({
  contracts: N,
  month,
  wave_contracts: waveContracts,
  plan_s: round(planS, 2),
  raw_s: round(rawS, 2),
  plan_ratio_vs_raw: round(rawS / planS, 3),
  cases_opened: counted.cases,
  messages_staged: counted.messages,
  duplicates: counted.dup,
  first_run_opened: runs[0].contact,
  rerun_opened: runs[1].contact,
  rerun_already: runs[1].already,
  final_rerun_opened: runs[2].contact,
  final_rerun_s: round(rerunS, 2),
  raw_atomics: rawAtomics,
  plan_halves_s: planHalves.map((x) => round(x, 2)),
  raw_halves_s: rawHalves.map((x) => round(x, 2)),
  dashboard_ms: round(dashboardMs, 2),
  dashboard_raw_ms: round(dashboardRawMs, 2),
  dashboard_ratio_vs_raw: round(dashboardMs / dashboardRawMs, 2),
  dashboard_render_ms: round(dashboardRenderMs, 2),
  dashboard_render_ratio_vs_raw: round(dashboardRenderMs / dashboardRawMs, 2),
  dashboard_data_ms: round(dashboardDataMs, 2),
  dashboard_data_ratio_vs_raw: round(dashboardDataMs / dashboardRawMs, 2),
  preview_s: round(previewS, 2),
}));
