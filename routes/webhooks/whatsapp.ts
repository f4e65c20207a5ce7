// WhatsApp Cloud API webhook. GET: Meta's verification handshake. POST: events, accepted only
// with a valid X-Hub-Signature-256 over the raw body; stored and queued, answered at once
// (Meta retries slow or failed deliveries). Public by nature: the signature is the guard, and
// against a captured body's replay, the event age window and per-event markers (inbound.ts).
import { define } from "../../lib/route.ts";
import { safeEqual } from "../../services/crypto.ts";
import { acceptWhatsappWebhook, verifyWhatsappSignature } from "../../services/messaging/mod.ts";

export default define({
  access: "public",
  GET: (c) => {
    const expected = c.get("config").messaging.webhook.verifyToken;
    const token = c.req.query("hub.verify_token") ?? "";
    if (
      c.req.query("hub.mode") === "subscribe" && expected && safeEqual(token, expected)
    ) {
      return c.text(c.req.query("hub.challenge") ?? "", 200);
    }
    return c.text("Forbidden", 403);
  },
  POST: async (c) => {
    const secret = c.get("config").messaging.webhook.appSecret;
    const raw = new Uint8Array(await c.req.arrayBuffer());
    const signature = c.req.header("x-hub-signature-256");
    if (!secret || !(await verifyWhatsappSignature(secret, raw, signature))) {
      return c.text("Unauthorized", 401);
    }
    // Stale or repeated events are ignored yet answered 200: Meta would otherwise retry them
    // for days, and a replayer learns nothing from the status.
    const r = await acceptWhatsappWebhook(c.get("db"), raw, {
      maxAgeMs: c.get("config").messaging.webhook.maxAgeMs,
    });
    return c.json({ ok: true, events: r.accepted });
  },
});
