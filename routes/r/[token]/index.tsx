import { define } from "../../../lib/route.ts";
import { getCase } from "../../../services/renewals/cases.ts";
import { recordContractViewed } from "../../../services/renewals/signing.ts";
import { customerCtx } from "../../../lib/staff.ts";
import { renderCustomerPage, withTokenCase } from "../../../lib/customer_page.tsx";

// The customer's personal page: public, opened only by the token in the URL.
export default define({
  access: "public",
  GET: (c) =>
    withTokenCase(c, async (caseId) => {
      const res = await renderCustomerPage(c, caseId);
      // Evidence for the signature: the customer opened the contract page.
      if (res.status === 200 && (await getCase(c.get("db"), caseId))?.step === "signature_sent") {
        await recordContractViewed(c.get("db"), customerCtx(c, caseId).actor, caseId, "page");
      }
      return res;
    }),
});
