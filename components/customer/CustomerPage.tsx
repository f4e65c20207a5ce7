import type { StepProps } from "./Steps.tsx";
import {
  AllSet,
  ChoosePlans,
  ConfirmContacts,
  ConfirmPlan,
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
import { ClosedNote, DeclineConfirm, Declined, DeclineLink } from "./AfterChoice.tsx";
import { PaymentMethod } from "./PaymentMethod.tsx";
import type { PaymentView } from "../../services/pix_auto/payment.ts";

/** Picks the view for the case's step; steps where the customer waits update themselves. */
export function CustomerPage(
  p: StepProps & {
    planParam?: string;
    error?: string;
    declineAsk?: boolean;
    pay?: PaymentView;
    /** A refused journey-1 form (Pix Automático by the bank app): shown next to its fields. */
    payErrors?: Record<string, string>;
    payValues?: Record<string, string>;
  },
) {
  const { v } = p;
  const step = v.case.step;
  let body;
  let waits = false;
  // Steps that show a refused form's errors themselves (next to the fields, once).
  let ownsErrors = false;
  if (step === "contact" || step === "offer" || (step === "plan_chosen" && p.planParam)) {
    body = p.planParam ? <ConfirmPlan {...p} planId={p.planParam} /> : <ChoosePlans {...p} />;
    ownsErrors = !!p.planParam;
  } else if (step === "plan_chosen" || step === "photo_rejected") {
    body = <SendPhoto {...p} />;
    ownsErrors = true;
  } else if (step === "photo_sent") {
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
  } else if (step === "signature_sent") {
    body = <SignContract {...p} />;
    ownsErrors = true;
  } else if (step === "signed" || step === "registered") {
    waits = true;
    body = (
      <Waiting
        title="Assinatura recebida"
        body="Obrigado! Estamos registrando sua renovação e já enviamos o número de protocolo."
      />
    );
  } else if (step === "notified" || step === "closed") body = <AllSet {...p} />;
  else if (step === "declined") body = <Declined v={v} />;
  else body = <Ended {...p} />;
  // "Não quero renovar" asks once before refusing (AfterChoice.tsx).
  const mayDecline = can(step, "decline", "customer");
  if (mayDecline && p.declineAsk) {
    body = <DeclineConfirm v={v} base={p.base} errors={p.errors} values={p.values} />;
    waits = false;
  }

  return (
    <div class="max-w-xl mx-auto">
      <p class="text-brand-700 font-bold">{v.provider.name}</p>
      <h1 class="text-2xl font-bold mb-3">Olá, {v.firstName}!</h1>
      {!isTerminal(step) && <StepIndicator step={step} />}
      <ErrorBox message={ownsErrors ? undefined : p.error} />
      {step === "closed" && <ClosedNote v={v} />}
      {body}
      {p.pay && (
        <PaymentMethod pay={p.pay} base={p.base} errors={p.payErrors} values={p.payValues} />
      )}
      {mayDecline && !p.declineAsk && <DeclineLink base={p.base} />}
      {waits && (
        <LiveUpdates url={`${p.base}/events`} rev={v.case.rev} message="Sua renovação avançou." />
      )}
      <p class="text-center text-sm mt-6">
        <a href={`${p.base}/mensagens`} class="underline text-gray-700">Lembretes por mensagem</a>
      </p>
    </div>
  );
}
