import { define, STAFF } from "../../lib/route.ts";
import { page } from "../../lib/render.tsx";
import { dueListPage } from "../../services/due_list.ts";
import { formatDate, formatPhone } from "../../lib/format.ts";

export default define({
  access: STAFF,
  GET: async (c) => {
    const t = c.get("t");
    const days = c.get("config").renewalWindowDays;
    const cursor = c.req.query("cursor")?.slice(0, 500);
    const { rows, cursor: next } = await dueListPage(c.get("db"), { windowDays: days, cursor });
    return page(
      c,
      { title: t("due.title") },
      <section>
        <h1 class="text-2xl font-bold">{t("due.title")}</h1>
        <p class="text-gray-700 mb-4">{t("due.window", { days })}</p>
        {rows.length === 0
          ? <p>{t("due.empty")}</p>
          : (
            <div class="overflow-x-auto bg-white rounded shadow">
              <table class="min-w-full text-sm">
                <thead class="bg-gray-100 text-left">
                  <tr>
                    <th scope="col" class="p-2">{t("due.customer")}</th>
                    <th scope="col" class="p-2">{t("due.city")}</th>
                    <th scope="col" class="p-2">{t("due.plan")}</th>
                    <th scope="col" class="p-2">{t("due.loyalty_end")}</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((r) => (
                    <tr key={r.contractId} class="border-t" data-testid="due-row">
                      <td class="p-2">
                        <div class="font-medium">{r.customerName}</div>
                        <a class="text-brand-700 underline" href={`tel:+${r.phone}`}>
                          {formatPhone(r.phone)}
                        </a>
                      </td>
                      <td class="p-2">{r.city}</td>
                      <td class="p-2">{r.plan?.name ?? "—"}</td>
                      <td class="p-2">{formatDate(r.loyaltyEnd)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        {next && (
          <a
            class="inline-block mt-4 text-brand-700 underline"
            href={`/app?cursor=${encodeURIComponent(next)}`}
          >
            {t("due.more")}
          </a>
        )}
      </section>,
    );
  },
});
