import { define, STAFF } from "../../lib/route.ts";
import { formFields } from "../../lib/render.tsx";
import { staffCtx } from "../../lib/staff.ts";
import { claimContract } from "../../services/renewals/staff_actions.ts";

export default define({
  access: STAFF,
  POST: async (c) => {
    const f = await formFields(c);
    const me = c.get("user")!;
    const kase = await claimContract(staffCtx(c), String(f.contractId ?? ""), {
      id: me.id,
      name: me.name,
    });
    return c.redirect(`/app/cases/${kase.id}`, 303);
  },
});
