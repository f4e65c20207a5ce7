import { define, STAFF } from "../../../../lib/route.ts";
import { page } from "../../../../lib/render.tsx";
import { customerRecordView } from "../../../../services/renewals/views.ts";
import { staffCtx } from "../../../../lib/staff.ts";
import { formatCpf, formatDate } from "../../../../domain/format.ts";
import { CsrfField } from "../../../../components/Form.tsx";
import { PhoneLinks } from "../../../../components/PhoneLinks.tsx";

// The customer's record: where a renewal can be started on demand when the customer calls first.
export default define({
  access: STAFF,
  GET: async (c) => {
    const v = await customerRecordView(staffCtx(c), c.req.param("id")!);
    const cu = v.customer;
    const csrf = c.get("session")?.csrf;
    return page(
      c,
      { title: cu.name },
      <section class="max-w-3xl">
        <a href="/app" class="text-brand-700 underline text-sm">← Renovações</a>
        <h1 class="text-2xl font-bold mt-2">{cu.name}</h1>
        <dl class="bg-white rounded shadow p-4 grid grid-cols-1 sm:grid-cols-2 gap-2 my-4 text-sm">
          <div>
            <dt class="text-gray-700">CPF</dt>
            <dd>{formatCpf(cu.cpf)}</dd>
          </div>
          <div>
            <dt class="text-gray-700">E-mail</dt>
            <dd>{cu.email}</dd>
          </div>
          <div>
            <dt class="text-gray-700">Telefones</dt>
            <dd>
              <PhoneLinks phones={cu.phones} />
            </dd>
          </div>
          <div>
            <dt class="text-gray-700">Endereço</dt>
            <dd>
              {cu.address.street}, {cu.address.number} — {cu.address.district},{" "}
              {cu.address.city}/{cu.address.state}
            </dd>
          </div>
        </dl>
        <h2 class="text-lg font-bold mb-2">Contratos</h2>
        <ul class="bg-white rounded shadow divide-y">
          {v.contracts.map((ct) => (
            <li key={ct.id} class="p-3 flex flex-wrap gap-3 items-center">
              <span class="font-medium">{ct.plan?.name}</span>
              <span class="text-sm">
                Fidelidade {formatDate(ct.loyaltyStart)} a {formatDate(ct.loyaltyEnd)}
              </span>
              {ct.openCaseId
                ? (
                  <a class="ml-auto text-brand-700 underline" href={`/app/cases/${ct.openCaseId}`}>
                    Ver renovação em andamento
                  </a>
                )
                : (
                  <form method="post" action={`/app/customers/${cu.id}/renewal`} class="ml-auto">
                    <CsrfField token={csrf} />
                    <input type="hidden" name="contractId" value={ct.id} />
                    <button
                      type="submit"
                      class="rounded bg-brand-600 text-white px-3 py-1.5 text-sm hover:bg-brand-700"
                    >
                      Iniciar renovação
                    </button>
                  </form>
                )}
            </li>
          ))}
        </ul>
      </section>,
    );
  },
});
