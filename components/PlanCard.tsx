import type { ComponentChildren } from "preact";
import { fineTable, type Plan } from "../services/plans.ts";
import { formatMoney } from "../domain/format.ts";

/** One plan with everything ANATEL asks to show before acceptance. */
export function PlanCard(
  { plan, current, highlight, children, fines = true }: {
    plan: Plan;
    current?: boolean;
    highlight?: boolean;
    children?: ComponentChildren;
    /** The fine table; the customer's plan list leaves it to the confirmation step. */
    fines?: boolean;
  },
) {
  return (
    <article
      class={`rounded-lg border-2 bg-white p-4 flex flex-col gap-1 ${
        highlight ? "border-brand-600" : current ? "border-gray-400" : "border-gray-200"
      }`}
      aria-label={plan.name}
      data-testid="plan-card"
    >
      {current && <p class="text-xs font-semibold uppercase text-gray-700">Seu plano atual</p>}
      <h3 class="text-lg font-bold">{plan.name}</h3>
      <p class="text-sm">{plan.downMbps} Mbps download · {plan.upMbps} Mbps upload</p>
      <p class="text-2xl font-bold text-brand-700">
        {formatMoney(plan.priceCents)}
        <span class="text-sm font-normal text-gray-700">/mês</span>
      </p>
      <p class="text-sm">
        <strong>Benefício:</strong> {plan.benefit} ({formatMoney(plan.benefitValueCents)})
      </p>
      <p class="text-sm">
        <strong>Fidelidade:</strong> {plan.loyaltyMonths} meses
      </p>
      <p class="text-sm">
        <strong>Código da oferta:</strong> {plan.offerCode}
      </p>
      {fines
        ? (
          <details class="text-sm">
            <summary class="cursor-pointer text-brand-700 underline">
              Tabela de multa por cancelamento
            </summary>
            <FineTable plan={plan} />
          </details>
        )
        : (
          <p class="text-sm">
            Multa proporcional aos meses restantes: tabela completa na confirmação.
          </p>
        )}
      {children}
    </article>
  );
}

export function FineTable({ plan }: { plan: Plan }) {
  return (
    <table class="mt-2 w-full text-sm">
      <caption class="sr-only">Multa proporcional aos meses restantes</caption>
      <thead>
        <tr class="text-left">
          <th scope="col" class="pr-2">Meses restantes</th>
          <th scope="col">Multa</th>
        </tr>
      </thead>
      <tbody>
        {fineTable(plan).map((r) => (
          <tr key={r.monthsLeft} class="border-t">
            <td class="pr-2">{r.monthsLeft}</td>
            <td>{formatMoney(r.fineCents)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
