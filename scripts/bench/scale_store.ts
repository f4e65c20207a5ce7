// The scale generator the benchmarks share: a synthetic ERP file of N contracts (scripts/gen.ts),
// a fresh store with the demo plans and one attendant, and the file imported through the real
// import (services/import/). bench:scale interleaves its raw baseline in `onBatch`;
// bench:campaign plans waves on the result.
import { openDb } from "../../services/db.ts";
import type { Db } from "../../services/db.ts";
import { migrate } from "../../services/migrations.ts";
import { toBase64Url } from "../../services/crypto.ts";
import { SYSTEM, systemActor } from "../../domain/actor.ts";
import { DEMO_PLANS } from "../../services/seed.ts";
import { createPlan } from "../../services/plans.ts";
import { createUser, getUser } from "../../services/users.ts";
import { analyzeCsv } from "../../services/import/files.ts";
import { createCliJob, runJob } from "../../services/import/jobs.ts";
import { presetMapping } from "../../services/import/presets.ts";
import { generateCsv } from "../gen.ts";

/** Writes `${dir}/erp.csv` with N contracts (seed 42); returns its path and the seconds taken. */
export async function generateErpFile(dir: string, contracts: number) {
  const csvPath = `${dir}/erp.csv`;
  const t = performance.now();
  const out = await Deno.open(csvPath, { write: true, create: true, truncate: true });
  await generateCsv(out.writable, { contracts, seed: 42 });
  return { csvPath, genS: (performance.now() - t) / 1000 };
}

/** A fresh store at `${dir}/renova.sqlite` with the demo plans and one attendant. */
export async function openScaleStore(dir: string) {
  const dataKey = toBase64Url(crypto.getRandomValues(new Uint8Array(32)));
  const db = await openDb({ path: `${dir}/renova.sqlite`, dataKey });
  await migrate(db);
  for (const p of DEMO_PLANS) await createPlan(db, p);
  const attendant = await createUser(db, {
    username: "bench",
    name: "Atendente Bench",
    role: "attendant",
    password: "senha-do-benchmark-123",
  }, SYSTEM);
  return { db, attendant, dataKey };
}

/**
 * What a kept store needs to be opened again (`${dir}/store.json`, owner-only): its data key
 * (synthetic data only), the attendant, and the figures of the run that imported it.
 */
export interface ScaleStoreMeta {
  contracts: number;
  dataKey: string;
  attendantId: string;
  imported: Record<string, number>;
}

export async function saveScaleStoreMeta(dir: string, meta: ScaleStoreMeta) {
  await Deno.writeTextFile(`${dir}/store.json`, JSON.stringify(meta), { mode: 0o600 });
}

/** The kept store in `dir`, or null when there is none to reopen. */
export async function reopenScaleStore(dir: string) {
  let meta: ScaleStoreMeta;
  try {
    meta = JSON.parse(await Deno.readTextFile(`${dir}/store.json`));
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return null;
    throw e;
  }
  const db = await openDb({ path: `${dir}/renova.sqlite`, dataKey: meta.dataKey });
  const attendant = await getUser(db, meta.attendantId);
  if (!attendant) throw new Error(`${dir}: the kept store has no benchmark attendant`);
  return { db, attendant, meta };
}

/** `${storeDir}/pristine-N/` when importedStore kept one for N contracts, else null. */
export async function pristineStoreOf(storeDir: string, contracts: number) {
  const kept = `${storeDir}/pristine-${contracts}`;
  return await exists(`${kept}/store.json`) ? kept : null;
}

/** Copies a kept store (renova.sqlite + store.json) into `dir`; the kept one is only read. */
export async function copyPristineStore(pristine: string, dir: string) {
  await Deno.mkdir(dir, { recursive: true });
  await Deno.copyFile(`${pristine}/renova.sqlite`, `${dir}/renova.sqlite`);
  await Deno.copyFile(`${pristine}/store.json`, `${dir}/store.json`);
  await Deno.chmod(`${dir}/store.json`, 0o600);
}

/** Imports the file as the CLI does (preset "renova"); `onBatch` runs after each batch. */
export async function importErpFile(
  db: Db,
  csvPath: string,
  opts: {
    batchRows?: number;
    pipeline?: boolean;
    onBatch?: (counts: { rows: number }) => Promise<void>;
  } = {},
) {
  const open = async () => (await Deno.open(csvPath)).readable;
  const facts = await analyzeCsv(await open(), (h) => presetMapping("renova", h).plan);
  const actor = systemActor("Benchmark");
  const job = await createCliJob(
    db,
    { ...facts, fileName: csvPath, size: (await Deno.stat(csvPath)).size, preset: "renova" },
    actor,
  );
  return await runJob(db, job.id, "run", {
    actor,
    open,
    batchRows: opts.batchRows ?? 500,
    pipeline: opts.pipeline ?? true,
    onBatch: opts.onBatch,
  });
}

/**
 * `${dir}/renova.sqlite` holding N imported contracts, for a run that changes the store
 * (bench:campaign plans waves on it). With `storeDir`, the imported store is kept once in
 * `${storeDir}/pristine-N/` (renova.sqlite + store.json, as `reopenScaleStore` reads it) and
 * copied for every later run: a 1M import takes longer than the runs that use it.
 */
export async function importedStore(
  dir: string,
  contracts: number,
  opts: { storeDir?: string; log?: (s: string) => void } = {},
): Promise<{ db: Db; genS: number; importS: number; reused: boolean }> {
  const log = opts.log ?? (() => {});
  const kept = opts.storeDir && `${opts.storeDir}/pristine-${contracts}`;
  if (kept && await exists(`${kept}/store.json`)) {
    await Deno.copyFile(`${kept}/renova.sqlite`, `${dir}/renova.sqlite`);
    const meta: ScaleStoreMeta = JSON.parse(await Deno.readTextFile(`${kept}/store.json`));
    log(`copied ${kept}`);
    const db = await openDb({ path: `${dir}/renova.sqlite`, dataKey: meta.dataKey });
    await migrate(db); // a migration added since the copy was kept
    return { db, genS: 0, importS: 0, reused: true };
  }
  const { csvPath, genS } = await generateErpFile(dir, contracts);
  let { db, attendant, dataKey } = await openScaleStore(dir);
  const t = performance.now();
  const imported = await importErpFile(db, csvPath, {
    onBatch: async (c) => {
      if (c.rows % 100_000 < 500) log(`imported ${c.rows} / ${contracts}`);
      await Promise.resolve();
    },
  });
  if (imported.counts.created !== contracts) {
    throw new Error(`import: ${JSON.stringify(imported.counts)}`);
  }
  const importS = (performance.now() - t) / 1000;
  await Deno.remove(csvPath);
  if (kept) {
    // Closed first so SQLite folds its write-ahead log into the file being copied.
    db.kv.close();
    await Deno.mkdir(kept, { recursive: true });
    await Deno.copyFile(`${dir}/renova.sqlite`, `${kept}/renova.sqlite`);
    await saveScaleStoreMeta(kept, {
      contracts,
      dataKey,
      attendantId: attendant.id,
      imported: imported.counts as unknown as Record<string, number>,
    });
    log(`kept ${kept}`);
    db = await openDb({ path: `${dir}/renova.sqlite`, dataKey });
  }
  return { db, genS, importS, reused: false };
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}
