import { define, STAFF } from "../../../lib/route.ts";
import { findCustomerByDocument, normalizeDocument } from "../../../services/customers.ts";

// Find a customer by CPF or CNPJ (through the blind index) and open their record.
export default define({
  access: STAFF,
  GET: async (c) => {
    const doc = (c.req.query("cpf") ?? "").slice(0, 40);
    const back = (msg: string) => c.redirect(`/app?msg=${encodeURIComponent(msg)}`);
    if (!normalizeDocument(doc)) return back("CPF ou CNPJ inválido. Confira os dígitos.");
    const customer = await findCustomerByDocument(c.get("db"), doc);
    if (!customer) return back("Nenhum cliente com este CPF ou CNPJ.");
    return c.redirect(`/app/customers/${customer.id}`);
  },
});
