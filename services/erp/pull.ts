// The read side: what changed in the ERP since the last pull becomes an import (services/
// import) whose rows come from the webservice instead of a file. The import already matches
// by ERP id (customers_by_erp_id, contracts_by_erp_id), updates instead of duplicating, leaves
// contracts with an open renewal alone, refuses bad rows one by one with a pt-BR reason and
// writes each row's customer and contract in one atomic: the bridge adds only the ERP side.
import type { Db } from "../db.ts";
import { keys } from "../keys.ts";
import { ulid } from "../ulid.ts";
import { addAudit } from "../audit.ts";
import type { Actor } from "../../domain/actor.ts";
import { analyzeCsv } from "../import/files.ts";
import { createCliJob, getJob, runJob } from "../import/jobs.ts";
import { presetMapping } from "../import/presets.ts";
import { type Counts, runEngine } from "../import/engine.ts";
import type { RowIssue } from "../import/decide.ts";
import { listPlans, planErpMappings, planResolver } from "../plans.ts";
import type { ErpStamp } from "./queue.ts";
import type { ErpAdapter, ErpChanges, ErpContractRow } from "./types.ts";

export interface PullState {
  /** The newest last-change stamp read per ERP table: the next pull starts there. */
  since: Record<string, string>;
  lastRunId?: string;
}

export interface PullRun {
  id: string;
  at: string;
  finishedAt?: string;
  dryRun: boolean;
  adapter: string;
  /** Rows read per ERP table. */
  read: Record<string, number>;
  /** The import's counts (created, updated, unchanged, kept, bad) for the contract rows. */
  counts?: Counts;
  /** The import job holding the per-row reasons (/admin/import/<id>). */
  jobId?: string;
  /** A dry run's per-row reasons (first 500): it leaves no import job to hold them. */
  issues?: RowIssue[];
  /** Records the adapter could not shape into a row (first 100). */
  refused: { table: string; erpId: string; reason: string }[];
  plans: number;
  logins: number;
  error?: string;
}

const HEADER = [
  "id_cliente",
  "id_contrato",
  "razao",
  "cnpj_cpf",
  "telefone_celular",
  "fone",
  "email",
  "endereco",
  "numero",
  "bairro",
  "cidade",
  "uf",
  "cep",
  "id_vd_contrato",
  "data_ativacao",
  "data_renovacao",
  "data_expiracao",
  "status",
];
const FIELDS: (keyof ErpContractRow)[] = [
  "customerErpId",
  "contractErpId",
  "name",
  "document",
  "mobile",
  "phone",
  "email",
  "street",
  "number",
  "district",
  "city",
  "state",
  "zip",
  "plan",
  "startDate",
  "loyaltyStart",
  "loyaltyEnd",
  "status",
];

const cell = (v: string) => `"${v.replace(/"/g, '""').replace(/[\r\n]+/g, " ")}"`;

/** The changed contracts as a CSV in IXC's column names (the import's `ixc` preset). */
export function rowsToCsv(rows: ErpContractRow[]): string {
  const lines = [HEADER.join(",")];
  for (const r of rows) lines.push(FIELDS.map((f) => cell(String(r[f] ?? ""))).join(","));
  return lines.join("\n") + "\n";
}

export async function getPullState(db: Db): Promise<PullState> {
  return (await db.kv.get<PullState>(keys.erpPullState())).value ?? { since: {} };
}

export async function listPullRuns(db: Db, limit = 10): Promise<PullRun[]> {
  const out: PullRun[] = [];
  const it = db.kv.list<PullRun>({ prefix: keys.erpPullRuns() }, { reverse: true, limit });
  for await (const e of it) out.push(e.value);
  return out;
}

/**
 * Pulls what changed since the last pull. A dry run reads and judges every row (the import's
 * engine, in memory) and writes no customer, contract, stamp, pull position or import job. Bad credentials or an
 * unreachable ERP throw before anything is written.
 */
export async function pullFromErp(
  db: Db,
  adapter: ErpAdapter,
  o: {
    actor: Actor;
    dryRun?: boolean;
    /** Start from scratch (every record), ignoring the stored position. */
    full?: boolean;
    onProgress?: (what: string, done: number, total: number) => void;
  },
): Promise<PullRun> {
  const state = await getPullState(db);
  const changes: ErpChanges = await adapter.changes(
    o.full ? {} : state.since,
    (t, n, total) => o.onProgress?.(t, n, total),
  );
  const run: PullRun = {
    id: ulid(),
    at: db.now().toISOString(),
    dryRun: !!o.dryRun,
    adapter: adapter.name,
    read: { contracts: changes.contracts.length, plans: changes.plans.length },
    refused: changes.refused.slice(0, 100),
    plans: 0,
    logins: 0,
  };
  if (changes.contracts.length && o.dryRun) {
    // A dry run judges every row with the import's own engine, in memory: no import job, no
    // progress or issue records are left behind (the report is the run itself).
    const csv = new TextEncoder().encode(rowsToCsv(changes.contracts));
    const issues: RowIssue[] = [];
    const out = await runEngine(db, ReadableStream.from([csv]), {
      mapping: presetMapping("ixc", HEADER),
      resolvePlan: planResolver(await listPlans(db), await planErpMappings(db)),
      dryRun: true,
      jobId: `erp-dry-${run.id}`,
      actor: o.actor,
      onIssues: (x) => {
        issues.push(...x);
        return Promise.resolve();
      },
      onBatch: (counts) => o.onProgress?.("import", counts.rows, changes.contracts.length),
    });
    run.counts = out.counts;
    run.issues = issues.slice(0, 500);
  } else if (changes.contracts.length) {
    const csv = new TextEncoder().encode(rowsToCsv(changes.contracts));
    const open = () => Promise.resolve(ReadableStream.from([csv]));
    const facts = await analyzeCsv(await open(), (h) => presetMapping("ixc", h).plan);
    const job = await createCliJob(db, {
      ...facts,
      fileName: `${adapter.name}-${run.at.slice(0, 19)}.csv`,
      size: csv.length,
      preset: "ixc",
    }, o.actor);
    run.jobId = job.id;
    await runJob(db, job.id, "run", {
      actor: o.actor,
      open,
      onBatch: (counts) => o.onProgress?.("import", counts.rows, facts.rows),
    });
    const done = await getJob(db, job.id);
    run.counts = done.result?.counts;
  }
  if (!o.dryRun) {
    await saveSide(db, changes, run);
    state.since = { ...state.since, ...changes.since };
  }
  run.finishedAt = db.now().toISOString();
  state.lastRunId = run.id;
  const op = db.kv.atomic().set(keys.erpPullRun(run.id), run);
  if (!o.dryRun) op.set(keys.erpPullState(), state);
  addAudit(db, op, `erp:${adapter.name}`, "erp.pulled", o.actor, {
    contracts: changes.contracts.length,
    created: run.counts?.created ?? 0,
    updated: run.counts?.updated ?? 0,
    bad: (run.counts?.bad ?? 0) + changes.refused.length,
    dryRun: o.dryRun ? 1 : 0,
  });
  await op.commit();
  return run;
}

/** The ERP-only records: stamps (for conflicts), the plan catalog and the access logins. */
async function saveSide(db: Db, ch: ErpChanges, run: PullRun): Promise<void> {
  const stampKeys = ch.contracts.map((r) => keys.erpStamp("cliente_contrato", r.contractErpId));
  const sets: [Deno.KvKey, unknown][] = [];
  for (let i = 0; i < stampKeys.length; i += 10) {
    const cur = await db.kv.getMany<ErpStamp[]>(stampKeys.slice(i, i + 10));
    cur.forEach((e, j) => {
      sets.push([e.key, { ...e.value, pulled: ch.contracts[i + j].stamp } satisfies ErpStamp]);
    });
  }
  for (const p of ch.plans) sets.push([keys.erpPlan(p.erpId), p]);
  for (const l of ch.logins) {
    if (l.contractErpId) sets.push([keys.erpLogin(l.contractErpId), l]);
  }
  run.plans = ch.plans.length;
  run.logins = ch.logins.length;
  // Plain sets, 200 per atomic: each is the ERP's latest word, re-running is harmless.
  for (let i = 0; i < sets.length; i += 200) {
    const op = db.kv.atomic();
    for (const [k, v] of sets.slice(i, i + 200)) op.set(k, v);
    await op.commit();
  }
}
