import { define } from "../../../lib/route.ts";
import { withTokenCase } from "./_page.tsx";
import { getCase } from "../../../services/renewals/cases.ts";
import { carneOf } from "../../../services/renewals/carne.ts";
import { NotFoundError } from "../../../services/errors.ts";
import { pdfResponse } from "../../../lib/pdf_response.ts";

// The customer's carnê: one page per invoice with boleto and PIX.
export default define({
  access: "public",
  GET: async (c) => {
    return await withTokenCase(c, async (caseId) => {
      const kase = await getCase(c.get("db"), caseId);
      if (!kase) throw new NotFoundError();
      const { data } = await carneOf(c.get("db"), kase, c.get("config").provider);
      return pdfResponse(c, data, "faturas.pdf");
    });
  },
});
