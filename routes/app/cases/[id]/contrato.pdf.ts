import { define, STAFF } from "../../../../lib/route.ts";
import { caseForReader } from "../../../../services/renewals/read_access.ts";
import { staffCtx } from "../../../../lib/staff.ts";
import { contractFileOf } from "../../../../services/renewals/signing.ts";
import { contractFileName, pdfResponse } from "../../../../lib/pdf_response.ts";

export default define({
  access: STAFF,
  GET: async (c) => {
    // Need to know (read_access.ts): 403 for a colleague's case; the read is audited.
    const kase = await caseForReader(staffCtx(c), c.req.param("id")!, "contract_pdf");
    const { data } = await contractFileOf(c.get("db"), kase);
    return pdfResponse(c, data, contractFileName(!!kase.signature));
  },
});
