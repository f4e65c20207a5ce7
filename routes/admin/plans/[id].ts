import { ADMINS, define } from "../../../lib/route.ts";
import { formFields } from "../../../lib/render.tsx";
import { actorOf } from "../../../lib/actor.ts";
import { setPlanActive } from "../../../services/plans.ts";
import { ValidationError } from "../../../services/errors.ts";

// Retire a plan (no longer offered) or offer it again.
export default define({
  access: ADMINS,
  POST: async (c) => {
    const f = await formFields(c);
    if (f.action !== "retire" && f.action !== "offer") {
      throw new ValidationError({ action: "Ação desconhecida." });
    }
    await setPlanActive(c.get("db"), c.req.param("id")!, f.action === "offer", actorOf(c));
    return c.redirect(`/admin/plans?ok=${f.action === "offer" ? "offered" : "retired"}`, 303);
  },
});
