// WhatsApp's customer-service window: free-form text is allowed only within 24 hours of the
// customer's last message to us; outside it, only approved templates. Kept per phone (blind
// index, never the number in clear).
import type { Db } from "../db.ts";
import { keys } from "../keys.ts";
import { phoneIndex } from "../customers.ts";

export const WINDOW_MS = 24 * 3600_000;

/** Records an inbound message time; an older (redelivered) one never moves the window back. */
export async function recordInboundAt(db: Db, phone: string, at: string) {
  const key = keys.whatsappWindow(await phoneIndex(db, phone));
  for (let i = 0; i < 5; i++) {
    const e = await db.kv.get<{ lastInboundAt: string }>(key);
    if (e.value && e.value.lastInboundAt >= at) return;
    const res = await db.kv.atomic().check(e).set(key, { lastInboundAt: at }, {
      expireIn: 2 * WINDOW_MS, // clean-up only: the check below uses the stored time
    }).commit();
    if (res.ok) return;
  }
}

export async function windowOpen(db: Db, phone: string, now = db.now()): Promise<boolean> {
  const e = await db.kv.get<{ lastInboundAt: string }>(
    keys.whatsappWindow(await phoneIndex(db, phone)),
  );
  return !!e.value && now.getTime() - Date.parse(e.value.lastInboundAt) < WINDOW_MS;
}
