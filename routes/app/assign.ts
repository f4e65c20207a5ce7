import { define, MANAGERS } from "../../lib/route.ts";
import { formFields } from "../../lib/render.tsx";
import { staffCtx } from "../../lib/staff.ts";
import { assignContract } from "../../services/renewals/staff_actions.ts";
import { getUser } from "../../services/users.ts";
import { ValidationError } from "../../services/errors.ts";

// Supervisors hand a due contract (or its open case) to an attendant.
export default define({
  access: MANAGERS,
  POST: async (c) => {
    const f = await formFields(c);
    const to = await getUser(c.get("db"), String(f.userId ?? ""));
    if (!to?.active || to.role !== "attendant") {
      throw new ValidationError({ userId: "Escolha um atendente ativo." });
    }
    await assignContract(staffCtx(c), String(f.contractId ?? ""), { id: to.id, name: to.name });
    return c.redirect(`/app?msg=${encodeURIComponent(`Atribuído a ${to.name}.`)}`, 303);
  },
});
