// The scale generator the benchmarks share: a synthetic ERP file of N contracts (scripts/gen.ts),
// a fresh store with the demo plans and one attendant, and the file imported through the real
// import (services/import/). bench:scale interleaves its raw baseline in `onBatch`;
// bench:campaign plans waves on the result.
import { openDb } from "../../services/db.ts";
import type { Db } from "../../services/db.ts";
import { migrate } from "../../services/migrations.ts";
import { SYSTEM, systemActor } from "../../domain/actor.ts";
import { DEMO_PLANS } from "../../services/seed.ts";
import { createPlan } from "../../services/plans.ts";
import { createUser } from "../../services/users.ts";
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

/**
 * A fresh store at `${dir}/renova.sqlite` with the demo plans and one attendant. Its data key is
 * kept in the store (the embedded default), so a kept copy reopens (`importedStore`).
 */
export async function openScaleStore(dir: string) {
  const db = await openDb({ path: `${dir}/renova.sqlite` });
  await migrate(db);
  for (const p of DEMO_PLANS) await createPlan(db, p);
  const attendant = await createUser(db, {
    username: "bench",
    name: "Atendente Bench",
    role: "attendant",
    password: "senha-do-benchmark-123",
  }, SYSTEM);
  return { db, attendant };
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
 * `${dir}/renova.sqlite` holding N imported contracts. With `storeDir`, the imported store is
 * built once as `${storeDir}/pristine-N.sqlite` and copied for every later run: a 1M import
 * takes longer than the runs that use it.
 */
export async function importedStore(
  dir: string,
  contracts: number,
  opts: { storeDir?: string; log?: (s: string) => void } = {},
): Promise<{ db: Db; genS: number; importS: number; reused: boolean }> {
  const log = opts.log ?? (() => {});
  const pristine = opts.storeDir && `${opts.storeDir}/pristine-${contracts}.sqlite`;
  if (pristine && await exists(pristine)) {
    await Deno.copyFile(pristine, `${dir}/renova.sqlite`);
    log(`reused ${pristine}`);
    const db = await openDb({ path: `${dir}/renova.sqlite` });
    await migrate(db); // a migration added since the copy was kept
    return { db, genS: 0, importS: 0, reused: true };
  }
  const { csvPath, genS } = await generateErpFile(dir, contracts);
  let { db } = await openScaleStore(dir);
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
  if (pristine) {
    // Closed first so SQLite folds its write-ahead log into the file being copied.
    db.kv.close();
    await Deno.mkdir(opts.storeDir!, { recursive: true });
    await Deno.copyFile(`${dir}/renova.sqlite`, `${pristine}.tmp`);
    await Deno.rename(`${pristine}.tmp`, pristine);
    log(`kept ${pristine}`);
    db = await openDb({ path: `${dir}/renova.sqlite` });
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
