import { define } from "../../../lib/route.ts";
import { recordContractViewed } from "../../../services/renewals/signing.ts";
import { customerCtx } from "../../../lib/staff.ts";
import { customerPageResponse } from "./_page.tsx";
import { recordLinkOpened } from "../../../services/renewals/link_opened.ts";

// The customer's personal page: public, opened only by the token in the URL.
export default define({
  access: "public",
  GET: async (c) => {
    const { res, caseId, step } = await customerPageResponse(c);
    // The campaign report's "link aberto": before the customer acts, the open is the signal.
    if (caseId && (step === "contact" || step === "offer")) {
      await recordLinkOpened(c.get("db"), customerCtx(c, caseId).actor, caseId);
    }
    // Evidence for the signature: the customer opened the contract page (cached or not).
    if (caseId && step === "signature_sent") {
      await recordContractViewed(c.get("db"), customerCtx(c, caseId).actor, caseId, "page");
    }
    return res;
  },
});
