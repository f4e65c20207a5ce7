import { define, STAFF } from "../lib/route.ts";
import { clearSessionCookie } from "../lib/security.ts";
import { destroySession } from "../services/sessions.ts";

export default define({
  access: STAFF,
  POST: async (c) => {
    await destroySession(c.get("db"), c.get("sessionToken")!);
    clearSessionCookie(c);
    return c.redirect("/login", 303);
  },
});
