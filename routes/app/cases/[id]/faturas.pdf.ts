import { define, STAFF } from "../../../../lib/route.ts";
import { caseForReader } from "../../../../services/renewals/read_access.ts";
import { staffCtx } from "../../../../lib/staff.ts";
import { carneOf } from "../../../../services/renewals/carne.ts";

export default define({
  access: STAFF,
  GET: async (c) => {
    // Need to know (read_access.ts): 403 for a colleague's case; the read is audited.
    const kase = await caseForReader(staffCtx(c), c.req.param("id")!, "carne_pdf");
    const { data } = await carneOf(c.get("db"), kase, c.get("config").provider);
    c.header("Content-Type", "application/pdf");
    c.header("Cache-Control", "no-store, private");
    return c.body(data as Uint8Array<ArrayBuffer>);
  },
});
