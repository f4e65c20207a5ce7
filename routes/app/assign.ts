import { define, MANAGERS } from "../../lib/route.ts";
import { formFields } from "../../lib/render.tsx";
import { staffCtx } from "../../lib/staff.ts";
import { assignContract } from "../../services/renewals/staff_actions.ts";

// Supervisors hand a due contract (or its open case) to an attendant.
export default define({
  access: MANAGERS,
  POST: async (c) => {
    const f = await formFields(c);
    const { assignee } = await assignContract(
      staffCtx(c),
      String(f.contractId ?? ""),
      String(f.userId ?? ""),
    );
    return c.redirect(`/app?msg=${encodeURIComponent(`Atribuído a ${assignee.name}.`)}`, 303);
  },
});
