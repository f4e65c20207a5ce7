import { define, STAFF } from "../lib/route.ts";
import { clearSessionCookie } from "../lib/security.ts";
import { destroySession } from "../services/sessions.ts";

export default define({
  access: STAFF,
  POST: async (c) => {
    await destroySession(c.get("db"), c.get("sessionToken")!);
    clearSessionCookie(c);
    // The offline app's data (IndexedDB, the outbox, the service worker's caches) leaves the
    // device with the session; the sync island also clears it before posting here.
    c.header("Clear-Site-Data", '"cache", "storage"');
    return c.redirect("/login", 303);
  },
});
