// Replays the attendant's offline outbox: JSON in, one result per action out. The guard already
// required the session, the X-CSRF-Token header and our Origin.
import { define, STAFF } from "../../lib/route.ts";
import { staffCtx } from "../../lib/staff.ts";
import { applyMutations } from "../../services/offline_sync.ts";
import { ValidationError } from "../../services/errors.ts";

export default define({
  access: STAFF,
  POST: async (c) => {
    if (!(c.req.header("content-type") ?? "").includes("application/json")) {
      throw new ValidationError({ body: "Envie as ações em JSON." });
    }
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      throw new ValidationError({ body: "JSON inválido." });
    }
    const results = await applyMutations(staffCtx(c), c.get("user")!, body);
    return c.json({ results });
  },
});
