import { define } from "../../../lib/route.ts";
import { withTokenCase } from "./_page.tsx";
import { getCase } from "../../../services/renewals/cases.ts";
import { contractFileOf, recordContractViewed } from "../../../services/renewals/signing.ts";
import { customerCtx } from "../../../lib/staff.ts";
import { NotFoundError } from "../../../services/errors.ts";
import { contractFileName, pdfResponse } from "../../../lib/pdf_response.ts";

// The contract PDF: before signing, the exact file offered; after, the sealed signed one.
export default define({
  access: "public",
  GET: async (c) => {
    return await withTokenCase(c, async (caseId) => {
      const kase = await getCase(c.get("db"), caseId);
      if (!kase) throw new NotFoundError();
      const { data } = await contractFileOf(c.get("db"), kase);
      if (kase.step === "signature_sent") {
        await recordContractViewed(c.get("db"), customerCtx(c, caseId).actor, caseId, "pdf");
      }
      return pdfResponse(c, data, contractFileName(!!kase.signature));
    });
  },
});
