import { ADMINS, define } from "../../../lib/route.ts";
import { formFields } from "../../../lib/render.tsx";
import { actorOf } from "../../../lib/actor.ts";
import { deleteNas } from "../../../services/network/nas.ts";
import { ValidationError } from "../../../services/errors.ts";

// Removes a NAS: renewals in its cities fall back to the router instructions.
export default define({
  access: ADMINS,
  POST: async (c) => {
    const f = await formFields(c);
    if (f.action !== "delete") throw new ValidationError({ action: "Ação desconhecida." });
    await deleteNas(c.get("db"), c.req.param("id")!, actorOf(c));
    return c.redirect("/admin/network?ok=deleted", 303);
  },
});
