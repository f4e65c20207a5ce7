// Campaign fixtures: a store with the demo plans and customers whose loyalty ends on chosen
// days, an active wave, and the renewal environment the daily job runs with.
import { SAMPLE_ADDRESS, type TestDb, testDb } from "../helpers.ts";
import { testEnv } from "../factories.ts";
import type { Db } from "../../services/db.ts";
import { createCustomer, type Customer } from "../../services/customers.ts";
import { type Contract, createContract } from "../../services/contracts.ts";
import { createPlan, listPlans } from "../../services/plans.ts";
import { DEMO_PLANS } from "../../services/seed.ts";
import { generateCpf } from "../../services/billing/documents.ts";
import { SYSTEM } from "../../domain/actor.ts";
import { addDays, todayInBrazil } from "../../services/dates.ts";
import { configureMessaging } from "../../services/messaging/runtime.ts";
import { keys } from "../../services/keys.ts";
import { defaultWave, saveWave, setWaveStatus, type Wave } from "../../services/campaigns/waves.ts";

/** Monday 2 March 2026, 06:00 UTC (03:00 in Brasília): when the daily jobs run. */
export const JOB_TIME = Date.parse("2026-03-02T06:00:00Z");

let seq = 0;

export async function campaignDb(start = JOB_TIME, path?: string) {
  const clock = { now: start };
  const db = await testDb(() => new Date(clock.now), path);
  configureMessaging(db, { queue: false, baseUrl: "https://renova.test" }, { log: () => {} });
  if (!(await listPlans(db)).length) { for (const p of DEMO_PLANS) await createPlan(db, p); }
  return { db, clock, env: testEnv(db) };
}

export interface Holder {
  customer: Customer;
  contract: Contract;
}

/** A customer with one active contract whose loyalty ends `daysAhead` days from today. */
export async function holder(
  db: Db,
  daysAhead: number,
  opts: { city?: string; email?: string; phone?: string; plan?: number } = {},
): Promise<Holder> {
  seq++;
  const customer = await createCustomer(db, {
    name: `Rita Campanha ${seq}`,
    cpf: generateCpf(),
    phones: [opts.phone ?? `55199${String(60000000 + seq * 7919).slice(0, 8)}`],
    email: opts.email ?? `rita${seq}@exemplo.com.br`,
    address: SAMPLE_ADDRESS,
  }, SYSTEM);
  const plans = await listPlans(db);
  const today = todayInBrazil(db.now());
  const contract = await createContract(db, {
    customerId: customer.id,
    planId: plans[opts.plan ?? 0].id,
    city: opts.city ?? "Campinas",
    startDate: addDays(today, -365),
    loyaltyStart: addDays(today, -365),
    loyaltyEnd: addDays(today, daysAhead),
  }, SYSTEM);
  return { customer, contract };
}

/** An active D-`offset` wave (WhatsApp by default) with the given changes. */
export async function activeWave(
  db: Db,
  offset = 30,
  over: Partial<ReturnType<typeof defaultWave>> = {},
): Promise<Wave> {
  const base = { ...defaultWave(offset), ...over };
  const w = await saveWave(db, {
    name: base.name,
    offsetDays: base.offsetDays,
    channel: base.channel,
    filter: base.filter,
    dailyCap: base.dailyCap,
    fromHour: base.fromHour,
    toHour: base.toHour,
    declineDays: base.declineDays,
  }, SYSTEM);
  return await setWaveStatus(db, w.id, "activate", SYSTEM);
}

/** Every key under a prefix (counting what the planner wrote). */
export async function countKeys(db: Db, prefix: Deno.KvKey) {
  let n = 0;
  for await (const _ of db.kv.list({ prefix })) n++;
  return n;
}

export const sendsOf = (db: Db, w: Wave) => countKeys(db, keys.campaignSendsOfWave(w.id));
export type { TestDb };
