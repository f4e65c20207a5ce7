// Pix Automático public API: settings, the PSP client (one per settings object, so the OAuth
// token and the mTLS connection are shared by every request) and the case's authorization.
import { PspClient } from "./client.ts";
import type { PixAutoSettings } from "./settings.ts";
import type { Db } from "../db.ts";
import { idRecsOf, refreshFromPsp } from "./recurrences.ts";
import { refreshChargeFromPsp, txidsOf } from "./charges.ts";
import type { NoticeEnv } from "./notices.ts";

export { chargeTxid, runPixAutoCharges } from "./charges.ts";
export type { NoticeEnv } from "./notices.ts";

export { PspClient, PspError } from "./client.ts";
export { parsePixAutoEnv, type PixAutoSettings } from "./settings.ts";
export {
  getPixAuto,
  offerPixAuto,
  type PixAutoCharge,
  type PixAutoRecord,
  type PixAutoStatus,
  type RecurrenceTerms,
  refreshFromPsp,
} from "./recurrences.ts";

const clients = new WeakMap<PixAutoSettings, PspClient>();

export function pspFor(settings: PixAutoSettings): PspClient {
  let c = clients.get(settings);
  if (!c) clients.set(settings, c = new PspClient(settings));
  return c;
}

/**
 * A PSP callback (webhookrec): each recurrence named in it is re-read from the PSP. Throws
 * PspError when the PSP cannot be asked, so the route answers 503 and the PSP retries later.
 */
export async function acceptPixAutoWebhook(
  db: Db,
  psp: PspClient,
  body: unknown,
  notice?: NoticeEnv,
): Promise<{ changed: number }> {
  let changed = 0;
  for (const idRec of idRecsOf(body)) {
    if (await refreshFromPsp(db, psp, idRec, notice)) changed++;
  }
  // webhookcobr: the monthly charges named in the body, each re-read from the PSP.
  for (const txid of txidsOf(body)) {
    if (await refreshChargeFromPsp(db, psp, txid, notice)) changed++;
  }
  return { changed };
}
