// Who is signed in and the session's CSRF token, for the browser's sync agent: the offline
// shell may be an old copy, so the agent asks for a fresh token before every replay.
import { define, STAFF } from "../../../lib/route.ts";

export default define({
  access: STAFF,
  GET: (c) => {
    const u = c.get("user")!;
    const s = c.get("session")!;
    // expiresAt: the absolute end; the agent wipes the device's customer data once it passes.
    return c.json({
      userId: u.id,
      name: u.name,
      role: u.role,
      csrf: s.csrf,
      expiresAt: new Date(s.absoluteExpiresAt).toISOString(),
    });
  },
});
