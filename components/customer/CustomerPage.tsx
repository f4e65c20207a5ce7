import type { StepProps } from "./Steps.tsx";
import {
  AllSet,
  ChoosePlans,
  ConfirmContacts,
  ConfirmPlan,
  DeclineBox,
  Ended,
  SendPhoto,
  SignContract,
  Waiting,
} from "./Steps.tsx";
import { StepIndicator } from "./Shell.tsx";
import { ErrorBox } from "../Form.tsx";
import { isTerminal } from "../../domain/steps.ts";
import { can } from "../../domain/policy.ts";
import LiveUpdates from "../../islands/LiveUpdates.tsx";
import { PaymentMethod } from "./PaymentMethod.tsx";
import type { PaymentView } from "../../services/pix_auto/payment.ts";

/** Picks the view for the case's step; steps where the customer waits update themselves. */
export function CustomerPage(
  p: StepProps & { planParam?: string; error?: string; pay?: PaymentView },
) {
  const { v } = p;
  const step = v.case.step;
  let body;
  let waits = false;
  if (step === "contact" || step === "offer" || (step === "plan_chosen" && p.planParam)) {
    body = p.planParam ? <ConfirmPlan {...p} planId={p.planParam} /> : <ChoosePlans {...p} />;
  } else if (step === "plan_chosen" || step === "photo_rejected") body = <SendPhoto {...p} />;
  else if (step === "photo_sent") {
    waits = true;
    body = (
      <Waiting
        title="Estamos verificando sua foto"
        body="Em instantes um atendente confirma que você é o titular."
      />
    );
  } else if (step === "holder_verified") body = <ConfirmContacts {...p} />;
  else if (step === "data_confirmed" || step === "plan_changed") {
    waits = true;
    body = (
      <Waiting
        title="Estamos preparando seu contrato"
        body="Dados confirmados! Estamos fazendo a troca do plano no seu cadastro e logo enviaremos o contrato para você assinar."
      />
    );
  } else if (step === "signature_sent") body = <SignContract {...p} />;
  else if (step === "signed" || step === "registered") {
    waits = true;
    body = (
      <Waiting
        title="Assinatura recebida"
        body="Obrigado! Estamos registrando sua renovação e já enviamos o número de protocolo."
      />
    );
  } else if (step === "notified") body = <AllSet {...p} />;
  else body = <Ended {...p} />;

  return (
    <div class="max-w-xl mx-auto">
      <p class="text-brand-700 font-bold">{v.provider.name}</p>
      <h1 class="text-2xl font-bold mb-3">Olá, {v.firstName}!</h1>
      {!isTerminal(step) && <StepIndicator step={step} />}
      <ErrorBox message={p.error} />
      {body}
      {p.pay && <PaymentMethod pay={p.pay} base={p.base} />}
      {can(step, "decline", "customer") && <DeclineBox {...p} />}
      {waits && (
        <LiveUpdates url={`${p.base}/events`} rev={v.case.rev} message="Sua renovação avançou." />
      )}
    </div>
  );
}
