import { define, STAFF } from "../../../../lib/route.ts";
import { caseEvents } from "../../../_case_events.ts";
import { staffCtx } from "../../../../lib/staff.ts";
import { caseForReader } from "../../../../services/renewals/read_access.ts";

export default define({
  access: STAFF,
  GET: async (c) => {
    // Need to know: the same rule as the case page (403 for a colleague's case).
    await caseForReader(staffCtx(c), c.req.param("id")!, "live");
    return caseEvents(c, c.req.param("id")!);
  },
});
