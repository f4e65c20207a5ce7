// Pull from the ERP now: deno task erp:pull [--dry-run] [--full]
// Uses the app's settings (IXC_URL, IXC_TOKEN, KV_PATH, RENOVA_DATA_KEY). Progress goes to
// stderr; refused rows to stdout ("contrato X: motivo"); the last line is a JSON summary.
// --dry-run reads and judges every row and changes nothing; --full reads every record again.
import { systemActor } from "../domain/actor.ts";
import { adapterFor } from "../services/erp/settings.ts";
import { openForErp } from "./erp/open.ts";
import { pullFromErp } from "../services/erp/pull.ts";
import { ErpAuthError, ErpUnavailable } from "../services/erp/types.ts";
import { listIssues } from "../services/import/jobs.ts";

const args = new Set(Deno.args);
const unknown = [...args].filter((a) => a !== "--dry-run" && a !== "--full");
if (unknown.length) {
  console.error("uso: deno task erp:pull [--dry-run] [--full]");
  Deno.exit(2);
}
const { db, erp } = await openForErp();
const dryRun = args.has("--dry-run");
let last = 0;
try {
  const run = await pullFromErp(db, adapterFor(erp), {
    actor: systemActor("erp-pull"),
    dryRun,
    full: args.has("--full"),
    onProgress: (what, done, total) => {
      // Progress on long pulls, at most a line a second.
      if (Date.now() - last < 1000 && done < total) return;
      last = Date.now();
      console.error(`${what}: ${done}/${total}`);
    },
  });
  for (const r of run.refused) console.log(`${r.table} ${r.erpId}: ${r.reason}`);
  const issues = run.jobId ? (await listIssues(db, run.jobId, "run", "", 500)).items : run.issues;
  for (const i of issues ?? []) {
    console.log(`contrato na linha ${i.line} (cliente ${i.erpId}): ${i.reason}`);
  }
  const c = run.counts;
  console.error(
    `${dryRun ? "Simulação" : "Leitura"} do ERP: ${run.read.contracts} contrato(s) lidos; ` +
      `${c?.created ?? 0} novos, ${c?.updated ?? 0} atualizados, ${c?.unchanged ?? 0} iguais, ` +
      `${c?.kept ?? 0} mantidos (renovação aberta), ${(c?.bad ?? 0) + run.refused.length} ` +
      `recusados; ${run.plans} plano(s), ${run.logins} login(s).`,
  );
  console.log(JSON.stringify({ ok: true, ...run }));
} catch (e) {
  if (e instanceof ErpAuthError || e instanceof ErpUnavailable) {
    console.error(e.message);
    console.log(JSON.stringify({ ok: false, error: e.message }));
    Deno.exit(1);
  }
  throw e;
} finally {
  db.kv.close();
}
