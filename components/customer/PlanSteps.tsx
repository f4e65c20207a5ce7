// The plan step: the offers compared with today's plan, then the deliberate confirmation.
import { formatMoney } from "../../domain/format.ts";
import { FineTable, PlanCard } from "../PlanCard.tsx";
import { Card, primaryBtn, secondaryBtn } from "./Shell.tsx";
import { FieldError, Rev, type StepProps } from "./parts.tsx";

export function ChoosePlans({ v, base }: StepProps) {
  return (
    <>
      <h2 class="text-xl font-bold mb-1">Escolha seu novo plano</h2>
      <p class="mb-4 text-gray-700">
        Compare com o plano que você tem hoje. Nada é alterado sem a sua confirmação.
      </p>
      <div class="grid gap-3">
        {v.currentPlan && <PlanCard plan={v.currentPlan} current fines={false} />}
        {v.plans.map((p) => (
          <PlanCard key={p.id} plan={p} highlight={p.id === v.chosenPlan?.id} fines={false}>
            <a href={`${base}?plan=${p.id}`} class={`${primaryBtn} block text-center mt-3`}>
              {p.id === v.currentPlan?.id ? "Renovar este plano" : "Escolher este plano"}
            </a>
          </PlanCard>
        ))}
      </div>
    </>
  );
}

/** The deliberate confirmation step ANATEL asks for a new loyalty: nothing pre-ticked. */
export function ConfirmPlan({ v, base, errors, planId }: StepProps & { planId: string }) {
  const plan = v.plans.find((p) => p.id === planId);
  if (!plan) return <ChoosePlans v={v} base={base} retentionDays={0} />;
  return (
    <Card>
      <h2 class="text-xl font-bold mb-2">Confirme sua escolha</h2>
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
