// Pix Automático callbacks from the provider's PSP (registered with PUT /webhookrec as
// <origin>/webhooks/pix-auto/<secret>). Public by nature: the secret in the path keeps
// strangers out, and the body is never trusted: each recurrence it names is re-read from the
// PSP itself (services/pix_auto), so a forged, repeated or reordered call changes nothing.
import { define } from "../../../lib/route.ts";
import { baseUrl } from "../../../lib/staff.ts";
import { safeEqual } from "../../../services/crypto.ts";
import { acceptPixAutoWebhook, PspError, pspFor } from "../../../services/pix_auto/mod.ts";

export default define({
  access: "public",
  POST: async (c) => {
    const settings = c.get("config").pixAuto;
    if (!settings || !safeEqual(c.req.param("secret") ?? "", settings.webhookSecret)) {
      return c.text("Not Found", 404);
    }
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      return c.json({ error: "JSON inválido." }, 400);
    }
    try {
      return c.json({
        ok: true,
        ...(await acceptPixAutoWebhook(c.get("db"), pspFor(settings), body, {
          baseUrl: baseUrl(c),
        })),
      });
    } catch (e) {
      if (e instanceof PspError) return c.json({ error: "PSP indisponível; tente depois." }, 503);
      throw e;
    }
  },
});
