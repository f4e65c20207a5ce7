import { define, STAFF } from "../../../lib/route.ts";
import { page } from "../../../lib/render.tsx";
import { searchCustomers } from "../../../services/customer_search.ts";
import { maskCpf, maskPhone } from "../../../domain/format.ts";
import { CustomerSearch } from "../../../components/CustomerSearch.tsx";
import { ErrorBox } from "../../../components/Form.tsx";

const VIA: Record<string, string> = {
  document: "pelo CPF/CNPJ",
  phone: "pelo telefone",
  protocol: "pelo protocolo",
  name: "pelo nome",
};

// Finds a customer by name, phone, CPF/CNPJ or protocol: one match opens the record, several
// are listed (names only with masked CPF and phone, to tell them apart).
export default define({
  access: STAFF,
  GET: async (c) => {
    // `cpf` is the former field name (bookmarks, the offline app).
    const q = (c.req.query("q") ?? c.req.query("cpf") ?? "").slice(0, 200);
    const r = await searchCustomers(c.get("db"), q);
    if (r.customers.length === 1) return c.redirect(`/app/customers/${r.customers[0].id}`);
    return page(
      c,
      { title: "Buscar cliente" },
      <section class="max-w-3xl">
        <a href="/app" class="text-brand-700 underline text-sm">← Renovações</a>
        <h1 class="text-2xl font-bold mt-2 mb-3">Buscar cliente</h1>
        <CustomerSearch value={q.slice(0, 100)} />
        <ErrorBox message={r.message} />
        {r.customers.length > 0 && (
          <>
            <h2 class="text-lg font-bold mb-2">
              {`${r.customers.length} clientes encontrados ${VIA[r.via!]}`}
            </h2>
            <ul class="bg-white rounded shadow divide-y" data-testid="search-results">
              {r.customers.map((cu) => (
                <li key={cu.id} class="p-3 flex flex-wrap gap-x-4 gap-y-1 items-center">
                  <a href={`/app/customers/${cu.id}`} class="font-medium text-brand-700 underline">
                    {cu.name}
                  </a>
                  <span class="text-sm text-gray-700">
                    CPF {maskCpf(cu.cpf)} · {cu.phones[0] ? maskPhone(cu.phones[0]) : "—"} ·{" "}
                    {cu.address.city}/{cu.address.state}
                  </span>
                </li>
              ))}
            </ul>
          </>
        )}
      </section>,
    );
  },
});
