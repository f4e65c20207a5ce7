// Over 400 lines on purpose: the job record, its progress record and the runner's lock are written in the same atomics; kept together so every write is seen at once.
// Import jobs: the record (file facts, preset, column and plan mapping, results), a small
// progress record rewritten by every batch atomic (what the progress bar polls, so it survives
// a reload), the bad-row report, and the runner with its lock. The web and the command line
// share all of it.
import type { Db } from "../db.ts";
import { keys } from "../keys.ts";
import { ulid } from "../ulid.ts";
import { addAudit } from "../audit.ts";
import { type Actor } from "../../domain/actor.ts";
import { ConflictError, NotFoundError, ValidationError } from "../errors.ts";
import { listPlans, planErpMappings, planResolver, setPlanErpMapping } from "../plans.ts";
import {
  type ColumnMapping,
  guessPreset,
  mappingProblems,
  presetMapping,
  type PresetName,
} from "./presets.ts";
import { type Counts, type Guard, ImportConflict, runEngine, zeroCounts } from "./engine.ts";
import type { RowIssue } from "./decide.ts";
import {
  analyzeCsv,
  deleteImportFile,
  type FileFacts,
  importFileStream,
  storeImportFile,
} from "./files.ts";
import { acquireLease, readLease, releaseLease } from "../leases.ts";
import { heartbeat, LIVE_MS, liveLease, releaseLock, stillRunning, takeLock } from "./run_lock.ts";
export { LIVE_MS } from "./run_lock.ts";

export type JobStatus = "uploaded" | "dry_running" | "dry_done" | "running" | "done" | "failed";
export type Mode = "dry" | "run";

export interface ImportJob extends FileFacts {
  id: string;
  source: "web" | "cli";
  fileName: string;
  size: number;
  chunks: number;
  preset: PresetName | "custom";
  mapping: ColumnMapping;
  status: JobStatus;
  /** The last dry run: its counts and the mapping it ran with (the import needs the same). */
  dry?: { counts: Counts; mappingKey: string; finishedAt: string };
  result?: { counts: Counts; seconds: number; finishedAt: string };
  error?: string;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

export interface Progress {
  mode: Mode;
  counts: Counts;
  bytes: number;
  runner: string;
  startedAt: string;
  at: string;
  done: boolean;
}

const running = new Map<string, Promise<void>>();

export async function getJob(db: Db, id: string): Promise<ImportJob> {
  const job = (await db.kv.get<ImportJob>(keys.importJob(id))).value;
  if (!job) throw new NotFoundError("Importação não encontrada.");
  return job;
}

export async function getProgress(db: Db, id: string) {
  return await db.kv.get<Progress>(keys.importProgress(id));
}

export async function listJobs(db: Db, limit = 20): Promise<ImportJob[]> {
  const out: ImportJob[] = [];
  for await (
    const e of db.kv.list<ImportJob>({ prefix: keys.importJobs() }, { reverse: true, limit })
  ) {
    out.push(e.value);
  }
  return out;
}

/** Bad rows (and warnings) of a run, by line, one page at a time. */
export async function listIssues(db: Db, id: string, mode: Mode, cursor = "", limit = 100) {
  const it = db.kv.list<RowIssue>({ prefix: keys.importIssues(id, mode) }, {
    limit,
    cursor: cursor || undefined,
  });
  const items: RowIssue[] = [];
  for await (const e of it) items.push(e.value);
  return { items, cursor: items.length === limit ? it.cursor : "" };
}

/** The mapping's identity (columns + how each plan value resolves) for the dry-run gate. */
export async function mappingKey(db: Db, job: ImportJob): Promise<string> {
  const resolve = planResolver(await listPlans(db), await planErpMappings(db));
  return JSON.stringify([job.mapping, job.planValues.map((p) => [p.value, resolve(p.value)])]);
}

/** Web upload: store the file sealed, read its shape, guess the preset. */
export async function createJob(
  db: Db,
  file: { name: string; stream: ReadableStream<Uint8Array> },
  actor: Actor,
): Promise<ImportJob> {
  const id = ulid();
  const { size, chunks } = await storeImportFile(db, id, file.stream);
  let preset: PresetName = "ixc";
  const facts = await analyzeCsv(importFileStream(db, id, chunks), (h) => {
    preset = guessPreset(h);
    return presetMapping(preset, h).plan;
  }).catch(async (e) => {
    await deleteImportFile(db, id); // refused (e.g. mixed encodings): keep nothing
    throw e;
  });
  if (!facts.headers.length || !facts.rows) {
    await deleteImportFile(db, id);
    throw new ValidationError({ file: "O arquivo está vazio ou não é um CSV." });
  }
  return await saveNewJob(db, {
    ...facts,
    id,
    source: "web",
    fileName: file.name.slice(0, 200),
    size,
    chunks,
    preset,
    mapping: presetMapping(preset, facts.headers),
  }, actor);
}

/** Command line: a job record without a stored file (the CLI streams from disk). */
export async function createCliJob(
  db: Db,
  facts: FileFacts & { fileName: string; size: number; preset: PresetName },
  actor: Actor,
): Promise<ImportJob> {
  return await saveNewJob(db, {
    ...facts,
    id: ulid(),
    source: "cli",
    chunks: 0,
    mapping: presetMapping(facts.preset, facts.headers),
  }, actor);
}

async function saveNewJob(
  db: Db,
  j: Omit<ImportJob, "status" | "createdBy" | "createdAt" | "updatedAt">,
  actor: Actor,
): Promise<ImportJob> {
  const now = db.now().toISOString();
  const job: ImportJob = {
    ...j,
    status: "uploaded",
    createdBy: actor.id,
    createdAt: now,
    updatedAt: now,
  };
  const op = db.kv.atomic().check({ key: keys.importJob(job.id), versionstamp: null })
    .set(keys.importJob(job.id), job);
  addAudit(db, op, `import:${job.id}`, "import.created", actor, {
    file: job.fileName,
    rows: job.rows,
  });
  if (!(await op.commit()).ok) throw new ConflictError();
  return job;
}

/** New preset / columns; the plan values are read again when the plan column moved. */
export async function saveMapping(
  db: Db,
  id: string,
  change: {
    preset: PresetName | "custom";
    mapping: ColumnMapping;
    /** ERP plan value → our plan id ("" = none), saved for every later import too. */
    plans?: Record<string, string>;
  },
): Promise<ImportJob> {
  const entry = await db.kv.get<ImportJob>(keys.importJob(id));
  const job = entry.value;
  if (!job) throw new NotFoundError("Importação não encontrada.");
  if (isBusy(job)) throw new ConflictError("A importação está em andamento.");
  const problems = mappingProblems(change.mapping, job.headers.length);
  if (problems.length) throw new ValidationError({ mapping: problems.join(" ") });
  const current = await planErpMappings(db);
  for (const [value, planId] of Object.entries(change.plans ?? {})) {
    if ((current[value] ?? "") !== planId) await setPlanErpMapping(db, value, planId);
  }
  let planValues = job.planValues;
  if (change.mapping.plan !== job.mapping.plan && job.source === "web") {
    planValues = (await analyzeCsv(importFileStream(db, id, job.chunks), () => change.mapping.plan))
      .planValues;
  }
  const next: ImportJob = {
    ...job,
    preset: change.preset,
    mapping: change.mapping,
    planValues,
    status: job.status === "done" ? "done" : "uploaded",
    dry: undefined,
    updatedAt: db.now().toISOString(),
  };
  if (!(await db.kv.atomic().check(entry).set(entry.key, next).commit()).ok) {
    throw new ConflictError("A importação foi alterada; recarregue a página.");
  }
  return next;
}

function isBusy(job: ImportJob) {
  return (job.status === "running" || job.status === "dry_running") && running.has(job.id);
}

/** What the progress bar shows. `stale`: a run that stopped without finishing (restart). */
export async function jobStatus(db: Db, id: string) {
  const job = await getJob(db, id);
  const p = (await getProgress(db, id)).value;
  const active = job.status === "running" || job.status === "dry_running";
  // Cut off: not running here and its process stopped beating.
  const stale = active && !running.has(id) && !(await readLease(db, liveLease(id)));
  const total = job.rows || 0;
  const done = p?.counts.rows ?? 0;
  return {
    status: job.status,
    mode: p?.mode ?? null,
    counts: p?.counts ?? zeroCounts(),
    total,
    percent: p?.done ? 100 : total ? Math.min(99, Math.floor((done / total) * 100)) : 0,
    stale,
    error: job.error ?? null,
  };
}

export interface RunOptions {
  actor: Actor;
  /** Where the bytes come from (the stored file, or the CLI's file on disk). */
  open?: () => Promise<ReadableStream<Uint8Array>>;
  /** Continue a cut-off import from its last committed batch. */
  resume?: boolean;
  onBatch?: (counts: Counts, bytes: number) => Promise<void> | void;
  onIssues?: (issues: RowIssue[]) => Promise<void> | void;
  /** Tuning knobs for the benchmark (see EngineOptions). */
  batchRows?: number;
  pipeline?: boolean;
}

/** Starts a dry run or an import in the background (the web); `waitForJob` awaits it. */
export async function startJob(db: Db, id: string, mode: Mode, opts: RunOptions): Promise<void> {
  const job = await getJob(db, id);
  if (running.has(id)) throw new ConflictError("Esta importação já está em andamento.");
  if (job.source === "cli") {
    throw new ValidationError({
      file: "Esta importação foi feita pela linha de comando: para continuar de onde parou, " +
        `rode deno task import ${job.fileName} --resume ${job.id}.`,
    });
  }
  if (!job.chunks) {
    throw new ValidationError({ file: "O arquivo desta importação não está mais guardado." });
  }
  if (mode === "run" && !opts.resume && job.dry?.mappingKey !== await mappingKey(db, job)) {
    throw new ValidationError({ dry: "Faça a simulação com este mapeamento antes de importar." });
  }
  // Claimed before answering, so the page that follows already shows the progress bar.
  const run = await beginRun(db, job, mode, opts);
  const p = run().then(() => {}, (e) => {
    console.error(`import ${id}: ${e instanceof Error ? e.stack : e}`);
  }).finally(() => running.delete(id));
  running.set(id, p);
}

export async function waitForJob(id: string): Promise<void> {
  await running.get(id);
}

/** Runs a dry run or an import to the end (the CLI awaits this; the web runs it unawaited). */
export async function runJob(db: Db, id: string, mode: Mode, opts: RunOptions) {
  return await (await beginRun(db, await getJob(db, id), mode, opts))();
}

/** Takes the lock (imports) and the progress record, marks the job; returns the run itself. */
async function beginRun(db: Db, job: ImportJob, mode: Mode, opts: RunOptions) {
  const id = job.id;
  const runner = ulid();
  const live = await acquireLease(db, liveLease(id), LIVE_MS, runner);
  if (!live) {
    const other = await readLease(db, liveLease(id));
    throw new ConflictError(
      `Esta importação já está em andamento em outro processo${stillRunning(other)}`,
    );
  }
  let lock: string | null = null;
  try {
    lock = mode === "run" ? await takeLock(db, id, runner, (other) => markCutOff(db, other)) : null;
  } catch (e) {
    await releaseLease(db, live);
    throw e;
  }
  let prog = await getProgress(db, id);
  const resume = mode === "run" && !!opts.resume && prog.value?.mode === "run" &&
    !prog.value.done;
  const startedAt = db.now().toISOString();
  const first: Progress = {
    mode,
    counts: resume ? prog.value!.counts : zeroCounts(),
    bytes: 0,
    runner,
    startedAt: resume ? prog.value!.startedAt : startedAt,
    at: startedAt,
    done: false,
  };
  const res = await db.kv.atomic().check(prog).set(keys.importProgress(id), first).commit();
  if (!res.ok) {
    if (lock) await releaseLock(db, id);
    await releaseLease(db, live);
    throw new ConflictError("Esta importação já está em andamento.");
  }
  await setStatus(db, id, mode === "run" ? "running" : "dry_running", { error: undefined });
  let vs = res.versionstamp;
  const progressOf = (counts: Counts, bytes: number): Progress => ({
    ...first,
    counts,
    bytes,
    at: db.now().toISOString(),
  });
  const guard: Guard = {
    checks: 2,
    stage(op, counts, bytes) {
      op.check({ key: keys.importLock(), versionstamp: lock! })
        .check({ key: keys.importProgress(id), versionstamp: vs })
        .set(keys.importProgress(id), progressOf({ ...counts }, bytes));
    },
    committed(v) {
      vs = v;
    },
  };
  const open = opts.open ?? (() => Promise.resolve(importFileStream(db, id, job.chunks)));

  return async () => {
    const beat = heartbeat(db, live);
    try {
      if (!resume) await clearIssues(db, id, mode);
      const resolve = planResolver(await listPlans(db), await planErpMappings(db));
      const key = await mappingKey(db, job);
      for (let attempt = 0;; attempt++) {
        prog = await getProgress(db, id);
        try {
          const out = await runEngine(db, await open(), {
            mapping: job.mapping,
            resolvePlan: resolve,
            dryRun: mode === "dry",
            jobId: id,
            actor: opts.actor,
            skipRows: mode === "run" ? prog.value!.counts.rows : 0,
            initial: mode === "run" ? prog.value!.counts : undefined,
            guard: mode === "run" ? guard : undefined,
            batchRows: opts.batchRows,
            pipeline: opts.pipeline,
            onIssues: async (issues) => {
              await saveIssues(db, id, mode, issues);
              await opts.onIssues?.(issues);
            },
            onBatch: async (counts, bytes) => {
              // A dry run writes nothing else: its progress is a plain write.
              if (mode === "dry") {
                await db.kv.set(keys.importProgress(id), progressOf(counts, bytes));
              }
              await opts.onBatch?.(counts, bytes);
            },
          });
          const now = db.now().toISOString();
          await db.kv.set(keys.importProgress(id), {
            ...progressOf(out.counts, job.size),
            done: true,
          });
          await setStatus(
            db,
            id,
            mode === "run" ? "done" : "dry_done",
            mode === "run"
              ? { result: { counts: out.counts, seconds: out.seconds, finishedAt: now } }
              : { dry: { counts: out.counts, mappingKey: key, finishedAt: now } },
          );
          const op = db.kv.atomic();
          const action = mode === "run" ? "import.finished" : "import.simulated";
          addAudit(db, op, `import:${id}`, action, opts.actor, { ...out.counts });
          await op.commit();
          if (mode === "run" && job.source === "web") {
            await deleteImportFile(db, id);
            await setStatus(db, id, "done", { chunks: 0 });
          }
          return out;
        } catch (e) {
          // A record changed under a batch: go on from the last committed batch, a few times.
          if (!(e instanceof ImportConflict) || attempt >= 4) throw e;
          const current = await getProgress(db, id);
          if (current.value?.runner !== runner) {
            throw new ConflictError("A importação foi assumida por outro processo.");
          }
          vs = current.versionstamp!;
        }
      }
    } catch (e) {
      const message = e instanceof ConflictError || e instanceof ValidationError
        ? e.message
        : e instanceof TypeError && /encoded data|decode/i.test(e.message)
        ? "O arquivo mistura codificações (UTF-8 no começo, outra depois). Salve-o como UTF-8."
        : "A importação parou por um erro. Veja o registro do servidor e tente retomar.";
      await setStatus(db, id, "failed", { error: message });
      throw e;
    } finally {
      clearInterval(beat);
      if (lock) await releaseLock(db, id);
      await releaseLease(db, live);
    }
  };
}

async function setStatus(db: Db, id: string, status: JobStatus, extra: Partial<ImportJob>) {
  for (let i = 0; i < 5; i++) {
    const e = await db.kv.get<ImportJob>(keys.importJob(id));
    if (!e.value) return;
    const next = { ...e.value, ...extra, status, updatedAt: db.now().toISOString() };
    if ((await db.kv.atomic().check(e).set(e.key, next).commit()).ok) return;
  }
}

async function markCutOff(db: Db, id: string) {
  const job = (await db.kv.get<ImportJob>(keys.importJob(id))).value;
  if (job?.status !== "running") return;
  await setStatus(db, id, "failed", {
    error: "A importação parou antes do fim (o processo foi interrompido). Retome-a para " +
      "continuar da última parte gravada.",
  });
}

async function saveIssues(db: Db, id: string, mode: Mode, issues: RowIssue[]) {
  // Plain writes keyed by line: a resumed run rewrites the same keys.
  for (let i = 0; i < issues.length; i += 200) {
    const op = db.kv.atomic();
    for (const x of issues.slice(i, i + 200)) op.set(keys.importIssue(id, mode, x.line), x);
    await op.commit();
  }
}

async function clearIssues(db: Db, id: string, mode: Mode) {
  let op = db.kv.atomic(), n = 0;
  for await (const e of db.kv.list({ prefix: keys.importIssues(id, mode) })) {
    op.delete(e.key);
    if (++n % 200 === 0) {
      await op.commit();
      op = db.kv.atomic();
    }
  }
  await op.commit();
}
