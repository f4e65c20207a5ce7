// deno task restore FILE [--force] — loads a dump into an empty store (KV_PATH) after checking
// its checksum; refuses a non-empty store unless --force.
import { loadConfig } from "../app.config.ts";
import { restore, RestoreError } from "../services/ops/backup.ts";

const file = Deno.args.find((a) => !a.startsWith("--"));
if (!file) {
  console.error("Uso: deno task restore ARQUIVO [--force]");
  Deno.exit(2);
}
const config = loadConfig();
const kv = await Deno.openKv(config.kvPath || undefined);
try {
  const { entries } = await restore(kv, async () => (await Deno.open(file)).readable, {
    force: Deno.args.includes("--force"),
  });
  console.log(`Restaurados ${entries} registros de ${file}.`);
} catch (e) {
  if (e instanceof RestoreError || e instanceof Deno.errors.NotFound) {
    console.error(`Restauração recusada: ${(e as Error).message}`);
    Deno.exit(1);
  }
  throw e;
} finally {
  kv.close();
}
