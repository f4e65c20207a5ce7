// Import an ERP export from the command line (any size: the file is streamed from disk):
//   deno task import FILE.csv [--preset ixc|renova] [--dry-run] [--plan ERP=CODE ...]
//   deno task import FILE.csv --resume JOB   (goes on with an import that was cut off)
// Uses the app's store and key (KV_PATH, RENOVA_DATA_KEY). Bad rows go to stdout, one per line
// ("linha N (cliente X): motivo"); progress goes to stderr; the last line is a JSON summary.
// The job shows up on /admin/import too, and takes the same lock as the web import.
import { systemActor } from "../domain/actor.ts";
import { ConfigError, loadConfig } from "../app.config.ts";
import { openDb } from "../services/db.ts";
import { migrate } from "../services/migrations.ts";
import { listPlans, planErpMappings, planResolver, setPlanErpMapping } from "../services/plans.ts";
import { analyzeCsv } from "../services/import/files.ts";
import {
  createCliJob,
  getJob,
  getProgress,
  jobStatus,
  listJobs,
  runJob,
} from "../services/import/jobs.ts";
import {
  FIELDS,
  guessPreset,
  isPreset,
  mappingProblems,
  presetMapping,
} from "../services/import/presets.ts";

const USAGE = "uso: deno task import ARQUIVO.csv [--preset ixc|renova] [--dry-run] " +
  "[--plan ID_NO_ERP=CODIGO_DA_OFERTA ...] [--resume IMPORTACAO]";

function fail(message: string, code = 2): never {
  console.error(message);
  Deno.exit(code);
}

const args = [...Deno.args];
const flag = (name: string) => {
  const i = args.indexOf(name);
  if (i >= 0) args.splice(i, 1);
  return i >= 0;
};
const option = (name: string): string[] => {
  const out: string[] = [];
  for (let i = 0; i < args.length;) {
    if (args[i] === name && i + 1 < args.length) out.push(...args.splice(i, 2).slice(1));
    else if (args[i].startsWith(`${name}=`)) out.push(args.splice(i, 1)[0].slice(name.length + 1));
    else i++;
  }
  return out;
};

const dryRun = flag("--dry-run");
const presetArg = option("--preset")[0];
const planArgs = option("--plan");
const resumeId = option("--resume")[0];
const file = args.find((a) => !a.startsWith("--"));
if (!file || args.length !== 1) fail(USAGE);
if (presetArg && !isPreset(presetArg)) fail(`Predefinição desconhecida: ${presetArg}. ${USAGE}`);

let config;
try {
  config = loadConfig();
} catch (e) {
  if (e instanceof ConfigError) fail(`Configuração inválida: ${e.message}`);
  throw e;
}
const stat = await Deno.stat(file).catch(() => fail(`Arquivo não encontrado: ${file}`));
const db = await openDb({ path: config.kvPath || undefined, dataKey: config.dataKey });
await migrate(db);
const actor = systemActor("Importação (linha de comando)");
const open = async () => (await Deno.open(file)).readable;

// ERP plan ids given on the command line are saved like the mapping screen saves them.
const plans = await listPlans(db);
if (!plans.length) fail("Nenhum plano cadastrado no Renova: cadastre os planos antes de importar.");
for (const p of planArgs) {
  const [erp, code] = p.split("=");
  const plan = plans.find((x) => x.offerCode === code || x.id === code);
  if (!erp || !plan) {
    fail(
      `--plan ${p}: use ID_NO_ERP=CODIGO_DA_OFERTA (${plans.map((x) => x.offerCode).join(", ")}).`,
    );
  }
  await setPlanErpMapping(db, erp, plan.id);
}

let preset = presetArg as "ixc" | "renova" | undefined;
const facts = await analyzeCsv(await open(), (headers) => {
  preset ??= guessPreset(headers);
  return presetMapping(preset, headers).plan;
});
const mapping = presetMapping(preset!, facts.headers);
const problems = mappingProblems(mapping, facts.headers.length);
console.error(
  `${file}: ${facts.rows} linhas, ${facts.encoding === "latin1" ? "Latin-1" : "UTF-8"}, ` +
    `separador "${facts.delimiter}", predefinição ${preset}`,
);
for (const f of FIELDS) {
  const i = mapping[f.key];
  if (i >= 0) console.error(`  ${f.label.padEnd(40)} ← ${facts.headers[i]}`);
}
if (problems.length) fail(problems.join("\n"));
const resolve = planResolver(plans, await planErpMappings(db));
const unknown = facts.planValues.filter((p) => !resolve(p.value));
if (unknown.length) {
  console.error(
    `Planos sem correspondência (linhas recusadas): ${unknown.map((p) => p.value).join(", ")}. ` +
      `Use --plan ID_NO_ERP=CODIGO ou o mapeamento em /admin/import.`,
  );
}

/** An earlier import of this same file that stopped midway (its process died or failed). */
async function cutOffImport() {
  for (const j of await listJobs(db, 20)) {
    if (j.source !== "cli" || j.fileName !== file || j.size !== stat.size) continue;
    const p = (await getProgress(db, j.id)).value;
    if (p?.mode !== "run" || p.done) continue;
    if (j.status === "failed" || (await jobStatus(db, j.id)).stale) {
      return { id: j.id, rows: p.counts.rows };
    }
  }
  return null;
}

let job;
if (resumeId) {
  job = await getJob(db, resumeId).catch(() => fail(`Importação não encontrada: ${resumeId}`));
  if (job.source !== "cli" || job.size !== stat.size) {
    fail(`A importação ${resumeId} não é deste arquivo: rode sem --resume.`);
  }
} else {
  const previous = dryRun ? null : await cutOffImport();
  if (previous) {
    console.error(
      `Uma importação anterior deste arquivo (${previous.id}) parou na linha ${previous.rows}. ` +
        `Para continuar de onde ela parou: deno task import ${file} --resume ${previous.id}`,
    );
  }
  job = await createCliJob(
    db,
    { ...facts, fileName: file, size: stat.size, preset: preset! },
    actor,
  );
}
let last = 0;
const started = performance.now();
try {
  await runJob(db, job.id, dryRun ? "dry" : "run", {
    actor,
    open,
    resume: !!resumeId,
    onIssues: (issues) => {
      for (const x of issues) {
        console.log(
          `linha ${x.line} (cliente ${x.erpId || "?"}): ${
            x.level === "warning" ? "aviso: " : ""
          }${x.reason}`,
        );
      }
    },
    onBatch: (counts) => {
      if (performance.now() - last < 2000) return;
      last = performance.now();
      const pct = facts.rows ? Math.floor((counts.rows / facts.rows) * 100) : 0;
      const rate = Math.round(counts.rows / ((last - started) / 1000));
      console.error(`  ${pct}% — ${counts.rows} linhas (${rate}/s), ${counts.bad} com problema`);
    },
  });
} catch (e) {
  console.error(`Falhou: ${e instanceof Error ? e.message : e}`);
  if (!dryRun && (await getProgress(db, job.id)).value?.mode === "run") {
    console.error(`Para continuar de onde parou: deno task import ${file} --resume ${job.id}`);
  }
  db.kv.close();
  Deno.exit(1);
}
const done = await getJob(db, job.id);
const counts = dryRun ? done.dry!.counts : done.result!.counts;
console.error(dryRun ? "Simulação concluída: nada foi gravado." : "Importação concluída.");
console.log(
  JSON.stringify({ job: job.id, dryRun, ...counts, seconds: (performance.now() - started) / 1000 }),
);
db.kv.close();
