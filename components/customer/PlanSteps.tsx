// The plan step: the offers compared with today's plan, then the deliberate confirmation.
import { formatMoney } from "../../domain/format.ts";
import { FineTable } from "../PlanCard.tsx";
import { Card, primaryBtn, secondaryBtn } from "./Shell.tsx";
import { FieldError, leftoverError, Rev, type StepProps } from "./parts.tsx";
import { ErrorBox } from "../Form.tsx";

/** "R$ x a mais/menos por mês que hoje": what the choice changes on the monthly bill. */
export function priceDiff(priceCents: number, todayCents: number): string {
  const d = priceCents - todayCents;
  if (d === 0) return "Mesmo preço de hoje";
  return `${formatMoney(Math.abs(d))} a ${d > 0 ? "mais" : "menos"} por mês que hoje`;
}

/**
 * The offers in the provider's order (views.ts), today's plan shown once (marked in the list
 * while it is still offered), today's price above as the reference for the differences. Each
 * card leads with what
 * decides (name, speed, price, difference to today) and its button, so on a 360×640 phone the
 * first choice and its button show without scrolling.
 */
export function ChoosePlans({ v, base }: StepProps) {
  const current = v.currentPlan;
  return (
    <>
      <h2 class="text-xl font-bold mb-1">Escolha seu novo plano</h2>
      <p class="mb-3 text-gray-700" data-testid="plans-intro">
        {/* The reference for "a mais/menos que hoje"; its card, when offered, is in the list. */}
        {current ? `Hoje você paga ${formatMoney(current.priceCents)}/mês. ` : ""}Nada muda sem a
        sua confirmação.
      </p>
      <div class="grid gap-3">
        {v.plans.map((p) => (
          <OfferCard
            key={p.id}
            plan={p}
            base={base}
            current={p.id === current?.id}
            recommended={p.id === v.recommendedPlanId}
            highlight={p.id === v.chosenPlan?.id}
            todayCents={current?.priceCents}
          />
        ))}
      </div>
    </>
  );
}

function OfferCard(
  { plan, base, current, recommended, highlight, todayCents }: {
    plan: StepProps["v"]["plans"][number];
    base: string;
    current: boolean;
    recommended: boolean;
    highlight: boolean;
    todayCents?: number;
  },
) {
  return (
    <article
      class={`rounded-lg border-2 bg-white p-3 flex flex-col ${
        highlight || recommended ? "border-brand-600" : "border-gray-300"
      }`}
      aria-label={plan.name}
      data-testid="plan-card"
    >
      <div class="flex flex-wrap items-center justify-between gap-x-2">
        <h3 class="text-lg font-bold">{plan.name}</h3>
        {recommended && (
          <span class="rounded bg-brand-700 px-2 text-sm font-medium text-white">
            Recomendado
          </span>
        )}
        {current && (
          <span class="rounded bg-gray-200 px-2 text-sm font-medium text-gray-900">
            Seu plano atual
          </span>
        )}
      </div>
      <p class="text-sm">{plan.downMbps} Mbps download · {plan.upMbps} Mbps upload</p>
      <p class="flex flex-wrap items-baseline gap-x-2">
        <span class="text-2xl font-bold text-brand-700">
          {formatMoney(plan.priceCents)}
          <span class="text-sm font-normal text-gray-700">/mês</span>
        </span>
        {todayCents !== undefined && !current && (
          <span class="text-sm font-medium" data-testid="price-diff">
            {priceDiff(plan.priceCents, todayCents)}
          </span>
        )}
      </p>
      <a href={`${base}?plan=${plan.id}`} class={`${primaryBtn} block text-center mt-2`}>
        {current ? "Renovar este plano" : "Escolher este plano"}
      </a>
      <p class="text-sm mt-2">
        <strong>Benefício:</strong> {plan.benefit} ({formatMoney(plan.benefitValueCents)}) ·{" "}
        <strong>Fidelidade:</strong> {plan.loyaltyMonths} meses · <strong>Oferta:</strong>{" "}
        {plan.offerCode}
      </p>
      <p class="text-xs text-gray-700">
        Multa proporcional aos meses restantes: tabela completa na confirmação.
      </p>
    </article>
  );
}

/** The deliberate confirmation step ANATEL asks for a new loyalty: nothing pre-ticked. */
export function ConfirmPlan(
  { v, base, errors, error, planId }: StepProps & { planId: string; error?: string },
) {
  const plan = v.plans.find((p) => p.id === planId);
  if (!plan) {
    return (
      <>
        <ErrorBox message={error} />
        <ChoosePlans v={v} base={base} retentionDays={0} />
      </>
    );
  }
  return (
    <Card>
      <h2 class="text-xl font-bold mb-2">Confirme sua escolha</h2>
      {/* The missing tick is said once, next to it; anything else here. */}
      <ErrorBox message={leftoverError(error, errors, ["consent"])} />
      <p class="text-lg font-bold">{plan.name} — {formatMoney(plan.priceCents)}/mês</p>
      <ul class="list-disc pl-5 my-2">
        <li>{plan.downMbps} Mbps de download e {plan.upMbps} Mbps de upload</li>
        <li>Benefício: {plan.benefit} (valor {formatMoney(plan.benefitValueCents)})</li>
        <li>Fidelidade de {plan.loyaltyMonths} meses a partir da assinatura</li>
        <li>Código da oferta: {plan.offerCode}</li>
      </ul>
      <h3 class="font-bold mt-3">Multa se cancelar antes do fim da fidelidade</h3>
      <FineTable plan={plan} />
      <form method="post" action={`${base}/choose_plan`} class="mt-4">
        <Rev v={v} />
        <input type="hidden" name="planId" value={plan.id} />
        <label class="flex gap-3 items-start">
          <input
            type="checkbox"
            name="consent"
            class="mt-1 h-6 w-6"
            aria-describedby="consent-err"
          />
          <span>
            Li e aceito a fidelidade de {plan.loyaltyMonths}{" "}
            meses, com o benefício e a tabela de multa acima, para o plano {plan.name} (oferta{" "}
            {plan.offerCode}).
          </span>
        </label>
        <FieldError id="consent-err" msg={errors?.consent} />
        <button type="submit" class={`${primaryBtn} mt-4`}>Confirmar escolha</button>
      </form>
      <a href={base} class={`${secondaryBtn} block text-center mt-2`}>Voltar aos planos</a>
    </Card>
  );
}
