import { define, STAFF } from "../../../../lib/route.ts";
import { formFields } from "../../../../lib/render.tsx";
import { staffCtx } from "../../../../lib/staff.ts";
import { startOnDemand } from "../../../../services/renewals/staff_actions.ts";
import { getContract } from "../../../../services/contracts.ts";
import { NotFoundError } from "../../../../services/errors.ts";

export default define({
  access: STAFF,
  POST: async (c) => {
    const f = await formFields(c);
    const contract = await getContract(c.get("db"), String(f.contractId ?? ""));
    if (!contract || contract.customerId !== c.req.param("id")) {
      throw new NotFoundError("Contrato não encontrado.");
    }
    const me = c.get("user")!;
    const kase = await startOnDemand(staffCtx(c), contract.id, { id: me.id, name: me.name });
    return c.redirect(`/app/cases/${kase.id}`, 303);
  },
});
