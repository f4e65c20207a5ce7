// What erp:pull and erp:push both do first: read the settings (a bad one or no ERP exits 2 with
// a pt-BR line), open and migrate the store, and record which ERP is connected.
import { ConfigError, loadConfig } from "../../app.config.ts";
import { type Db, openDb } from "../../services/db.ts";
import { migrate } from "../../services/migrations.ts";
import { saveErpSwitch } from "../../services/erp/settings.ts";

export async function openForErp() {
  let config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(`Configuração inválida: ${e.message}`);
      Deno.exit(2);
    }
    throw e;
  }
  if (!config.erp) {
    console.error("Nenhum ERP configurado: defina IXC_URL e IXC_TOKEN.");
    Deno.exit(2);
  }
  const db: Db = await openDb({ path: config.kvPath || undefined, dataKey: config.dataKey });
  await migrate(db);
  await saveErpSwitch(db, config.erp);
  return { db, erp: config.erp };
}
