import { ADMINS, define } from "../../../lib/route.ts";
import { formFields } from "../../../lib/render.tsx";
import { resetPassword, setUserActive } from "../../../services/users.ts";
import { ValidationError } from "../../../services/errors.ts";
import { actorOf } from "../../../lib/actor.ts";

export default define({
  access: ADMINS,
  POST: async (c) => {
    const f = await formFields(c);
    const id = c.req.param("id")!;
    const db = c.get("db");
    if (f.action === "deactivate" || f.action === "activate") {
      await setUserActive(db, id, f.action === "activate", actorOf(c));
    } else if (f.action === "reset") {
      await resetPassword(db, id, f.password ?? "", actorOf(c));
    } else {
      throw new ValidationError({ action: "Ação desconhecida." });
    }
    return c.redirect("/admin/users?ok=updated", 303);
  },
});
