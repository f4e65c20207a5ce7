import { define, STAFF } from "../../../../lib/route.ts";
import { caseForReader } from "../../../../services/renewals/read_access.ts";
import { staffCtx } from "../../../../lib/staff.ts";
import { carneOf } from "../../../../services/renewals/carne.ts";
import { pdfResponse } from "../../../../lib/pdf_response.ts";
import { erpBoletosPdf, hasErpInvoices } from "../../../../services/erp/invoices.ts";

export default define({
  access: STAFF,
  GET: async (c) => {
    // Need to know (read_access.ts): 403 for a colleague's case; the read is audited.
    const kase = await caseForReader(staffCtx(c), c.req.param("id")!, "carne_pdf");
    // ERP_INVOICES=erp: the boletos the ERP issued (services/erp/invoices.ts).
    if (await hasErpInvoices(c.get("db"), kase.id)) {
      return pdfResponse(c, await erpBoletosPdf(c.get("db"), kase.id), "boletos.pdf");
    }
    const { data } = await carneOf(c.get("db"), kase, c.get("config").provider);
    return pdfResponse(c, data, "faturas.pdf");
  },
});
