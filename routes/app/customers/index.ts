import { define, STAFF } from "../../../lib/route.ts";
import { findCustomerByCpf } from "../../../services/customers.ts";
import { isValidCpf } from "../../../services/billing/documents.ts";

// Find a customer by CPF (through the blind index) and open their record.
export default define({
  access: STAFF,
  GET: async (c) => {
    const cpf = (c.req.query("cpf") ?? "").replace(/\D/g, "");
    if (!isValidCpf(cpf)) return c.redirect(`/app?msg=${encodeURIComponent("CPF inválido.")}`);
    const customer = await findCustomerByCpf(c.get("db"), cpf);
    if (!customer) {
      return c.redirect(`/app?msg=${encodeURIComponent("Nenhum cliente com este CPF.")}`);
    }
    return c.redirect(`/app/customers/${customer.id}`);
  },
});
