import { define } from "../../../lib/route.ts";
import { withTokenCase } from "./_page.tsx";
import { getCase } from "../../../services/renewals/cases.ts";
import { carneOf } from "../../../services/renewals/carne.ts";
import { NotFoundError } from "../../../services/errors.ts";
import { pdfResponse } from "../../../lib/pdf_response.ts";
import { erpBoletosPdf, hasErpInvoices } from "../../../services/erp/invoices.ts";

// The customer's carnê: one page per invoice with boleto and PIX (or the ERP's boletos).
export default define({
  access: "public",
  GET: async (c) => {
    return await withTokenCase(c, async (caseId) => {
      const kase = await getCase(c.get("db"), caseId);
      if (!kase) throw new NotFoundError();
      // ERP_INVOICES=erp: the boletos the ERP issued, served by Renova (never the ERP's host).
      if (await hasErpInvoices(c.get("db"), caseId)) {
        const one = c.req.query("fatura")?.slice(0, 40);
        return pdfResponse(c, await erpBoletosPdf(c.get("db"), caseId, one), "boletos.pdf");
      }
      const { data } = await carneOf(c.get("db"), kase, c.get("config").provider);
      return pdfResponse(c, data, "faturas.pdf");
    });
  },
});
