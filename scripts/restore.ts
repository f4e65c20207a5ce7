// deno task restore FILE [--force] [--aceitar-inconsistente] — loads a dump into an empty store
// (KV_PATH) after checking its checksum; --force replaces a non-empty store (keys not in the
// dump are deleted); a dump marked inconsistent is refused unless --aceitar-inconsistente.
import { loadConfig } from "../app.config.ts";
import { restore, RestoreError } from "../services/ops/backup.ts";
import { retryBusy } from "../services/kv_busy.ts";

const file = Deno.args.find((a) => !a.startsWith("--"));
if (!file) {
  console.error("Uso: deno task restore ARQUIVO [--force] [--aceitar-inconsistente]");
  Deno.exit(2);
}
const config = loadConfig();
const kv = retryBusy(await Deno.openKv(config.kvPath || undefined));
try {
  const r = await restore(kv, async () => (await Deno.open(file)).readable, {
    force: Deno.args.includes("--force"),
    acceptInconsistent: Deno.args.includes("--aceitar-inconsistente"),
  });
  console.log(
    `Restaurados ${r.entries} registros de ${file}` +
      (r.removed ? `; ${r.removed} registros que não estavam no backup foram apagados` : "") +
      (r.expired ? `; ${r.expired} já expirados não voltaram` : "") + ".",
  );
  if (r.consistent === false) {
    console.error(
      "ATENÇÃO: este backup foi marcado como inconsistente (o banco mudava durante ele).",
    );
  } else if (r.consistent === undefined) {
    console.error("Aviso: backup antigo, sem a marca de consistência.");
  }
} catch (e) {
  if (e instanceof RestoreError || e instanceof Deno.errors.NotFound) {
    console.error(`Restauração recusada: ${(e as Error).message}`);
    Deno.exit(1);
  }
  throw e;
} finally {
  kv.close();
}
