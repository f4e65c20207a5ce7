// Send the queued write-backs to the ERP now: deno task erp:push
// Uses the app's settings (IXC_URL, IXC_TOKEN, KV_PATH, RENOVA_DATA_KEY). One line per write
// on stderr; the last stdout line is a JSON summary. Exit 1 when the ERP refused the
// credentials or was unreachable (the writes stay queued).
import { adapterFor } from "../services/erp/settings.ts";
import { openForErp } from "./erp/open.ts";
import { pushErpWrites } from "../services/erp/push.ts";
import { ERP_WRITE_LABELS } from "../services/erp/queue.ts";
import { ErpAuthError } from "../services/erp/types.ts";

if (Deno.args.length) {
  console.error("uso: deno task erp:push");
  Deno.exit(2);
}
const { db, erp } = await openForErp();
try {
  const sum = await pushErpWrites(db, adapterFor(erp), {
    leaseMs: erp.pushLeaseMs,
    onWrite: (w, outcome) => console.error(`${ERP_WRITE_LABELS[w.kind]} (${w.id}): ${outcome}`),
  });
  console.error(
    `Envio ao ERP: ${sum.sent} enviados, ${sum.already} já estavam lá, ${sum.conflicts} ` +
      `conflito(s), ${sum.retrying} para tentar de novo, ${sum.dead} com falha definitiva, ` +
      `${sum.waiting} aguardando o anterior.${sum.unavailable ? ` ${sum.unavailable}` : ""}`,
  );
  console.log(JSON.stringify({ ok: !sum.unavailable, ...sum }));
  if (sum.unavailable) Deno.exitCode = 1;
} catch (e) {
  if (e instanceof ErpAuthError) {
    console.error(e.message);
    console.log(JSON.stringify({ ok: false, error: e.message }));
    Deno.exitCode = 1;
  } else throw e;
} finally {
  db.kv.close();
}
