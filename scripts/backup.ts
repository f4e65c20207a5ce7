// deno task backup FILE — a consistent, checksummed dump of the whole store (KV_PATH), safe to
// run while the app runs.
import { loadConfig } from "../app.config.ts";
import { backup } from "../services/ops/backup.ts";
import { retryBusy } from "../services/kv_busy.ts";

const file = Deno.args[0];
if (!file) {
  console.error("Uso: deno task backup ARQUIVO");
  Deno.exit(2);
}
const config = loadConfig();
const kv = retryBusy(await Deno.openKv(config.kvPath || undefined));
const result = await backup(
  kv,
  async () =>
    (await Deno.open(file, { write: true, create: true, truncate: true })).writable.getWriter(),
);
kv.close();
console.log(
  `Backup gravado em ${file}: ${result.entries} registros, SHA-256 ${result.sha256}` +
    (result.consistent
      ? ""
      : ` — ATENÇÃO: o banco mudou durante as ${result.passes} passadas; o backup foi marcado ` +
        `como inconsistente e a restauração vai recusá-lo sem --aceitar-inconsistente.`),
);
if (!result.consistent) Deno.exit(3);
