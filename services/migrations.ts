// Schema version and migration runner. Each migration runs once, in order; the version key is
// moved with a check so two processes starting together never both run one.
import { rebuildCounters } from "./renewals/counters_rebuild.ts";
import type { Db } from "./db.ts";
import { keys } from "./keys.ts";
import { backfillNameIndex, backfillPhoneIndex } from "./customers.ts";
import { backfillContractErpIndex } from "./contracts.ts";
import { sealLegacyCaseRows } from "./renewals/case_seal.ts";
import { backfillDeclineMarks } from "./renewals/cool_off.ts";
import { backfillQueueDue } from "./renewals/queue_sources.ts";
import { backfillDueMarks } from "./due_marks_upkeep.ts";

export interface Migration {
  version: number;
  name: string;
  up(db: Db): Promise<void>;
}

/** The app's migrations, oldest first. Add new ones at the end; never edit a shipped one. */
export const migrations: Migration[] = [
  { version: 1, name: "initial schema", up: async () => {} },
  {
    version: 2,
    name: "customers_by_phone blind index (inbound WhatsApp)",
    up: async (db) => {
      await backfillPhoneIndex(db);
    },
  },
  {
    version: 3,
    name: "contracts_by_erp_id for contracts created outside the import (demo seed)",
    up: async (db) => {
      await backfillContractErpIndex(db);
    },
  },
  {
    version: 4,
    name: "case rows: personal data (contract text, typed name, replies, reasons) sealed",
    up: async (db) => {
      await sealLegacyCaseRows(db);
    },
  },
  {
    version: 5,
    name: "contract_declines: refusal marks for the due list's cool-off",
    up: async (db) => {
      await backfillDeclineMarks(db);
    },
  },
  {
    version: 6,
    name: "customers_by_name_token blind index (staff search by name)",
    up: async (db) => {
      await backfillNameIndex(db);
    },
  },
  {
    version: 7,
    name: "dashboard counters rebuilt from the cases (stores from before the counters)",
    up: async (db) => {
      await rebuildCounters(db);
    },
  },
  {
    version: 8,
    name:
      "queue_due: the work queues' index of open cases nobody holds, by when they need a person",
    up: async (db) => {
      await backfillQueueDue(db);
    },
  },
  {
    version: 9,
    name: "due marks: open cases and refusals read with the due page (issue #21)",
    up: async (db) => {
      await backfillDueMarks(db);
    },
  },
];

export async function schemaVersion(db: Db): Promise<number> {
  return (await db.kv.get<number>(keys.schemaVersion())).value ?? 0;
}

export async function migrate(db: Db, list: Migration[] = migrations): Promise<number[]> {
  const ran: number[] = [];
  for (const m of [...list].sort((a, b) => a.version - b.version)) {
    const current = await db.kv.get<number>(keys.schemaVersion());
    if ((current.value ?? 0) >= m.version) continue;
    await m.up(db);
    const res = await db.kv.atomic().check(current).set(keys.schemaVersion(), m.version).commit();
    if (!res.ok) throw new Error(`migration ${m.version} raced with another process`);
    ran.push(m.version);
  }
  return ran;
}
