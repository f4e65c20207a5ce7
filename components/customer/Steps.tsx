// The customer's page, one view per stage of the renewal. The plan, photo and signing steps
// live in files of their own (PlanSteps.tsx, PhotoStep.tsx, SignStep.tsx), re-exported here.
import { formatDate, formatDateTime, formatPhone } from "../../domain/format.ts";
import { Card, inputCls, primaryBtn, secondaryBtn } from "./Shell.tsx";
import { RouterIllustration } from "./RouterIllustration.tsx";
import { ErpInvoiceList, InvoiceList } from "./Invoices.tsx";
import type { PaymentView } from "../../services/pix_auto/payment.ts";
import { FieldError, Rev, type StepProps } from "./parts.tsx";

export type { StepProps } from "./parts.tsx";
export { ChoosePlans, ConfirmPlan } from "./PlanSteps.tsx";
export { SendPhoto } from "./PhotoStep.tsx";
export { SignContract } from "./SignStep.tsx";

export function Waiting({ title, body }: { title: string; body: string }) {
  return (
    <Card>
      <div class="flex gap-3 items-center">
        <span
          class="inline-block h-6 w-6 rounded-full border-4 border-brand-600 border-t-transparent animate-spin"
          aria-hidden="true"
        >
        </span>
        <h2 class="text-xl font-bold">{title}</h2>
      </div>
      <p class="mt-2">{body}</p>
      <p class="mt-2 text-sm text-gray-700">Esta página se atualiza sozinha.</p>
    </Card>
  );
}

export function ConfirmContacts({ v, base, errors, values }: StepProps) {
  if (v.pendingChecks?.length) {
    return (
      <Card>
        <h2 class="text-xl font-bold mb-2">Digite o código de confirmação</h2>
        <form method="post" action={`${base}/confirm_data`}>
          <Rev v={v} />
          {v.pendingChecks.map((ch, i) => (
            <div key={i} class="mb-3">
              <label for={`code_${i}`} class="block mb-1">
                Código enviado para {ch.kind === "email" ? "o e-mail" : "o telefone"} {ch.masked}
              </label>
              <input
                id={`code_${i}`}
                name={`code_${i}`}
                inputMode="numeric"
                autocomplete="one-time-code"
                maxLength={6}
                pattern="\d{6}"
                class={inputCls}
                aria-describedby={`code_${i}-err`}
              />
              <FieldError id={`code_${i}-err`} msg={errors?.[`code_${i}`]} />
            </div>
          ))}
          <button type="submit" class={primaryBtn}>Confirmar código</button>
        </form>
        <p class="mt-3 text-sm">
          Não recebeu? Corrija os dados abaixo e envie de novo para receber outro código.
        </p>
        <ContactsForm v={v} base={base} errors={errors} values={values} retentionDays={0} />
      </Card>
    );
  }
  return (
    <Card>
      <h2 class="text-xl font-bold mb-2">Confirme seus contatos</h2>
      <p class="mb-3">
        Você é o titular — obrigado! Confira os telefones e o e-mail. Se algo mudou, corrija:
        enviaremos um código para confirmar.
      </p>
      <ContactsForm v={v} base={base} errors={errors} values={values} retentionDays={0} />
    </Card>
  );
}

function ContactsForm({ v, base, errors, values }: StepProps) {
  const phones = [...v.contacts.phones.map((p) => formatPhone(p).replace("+55 ", "")), ""].slice(
    0,
    3,
  );
  return (
    <form method="post" action={`${base}/submit_contacts`} class="mt-2">
      <Rev v={v} />
      {phones.map((p, i) => (
        <div key={i} class="mb-3">
          <label for={`phone_${i}`} class="block mb-1">
            Telefone {i + 1}
            {i === 0 ? " (celular)" : " (opcional)"}
          </label>
          <input
            id={`phone_${i}`}
            name="phone"
            type="tel"
            inputMode="tel"
            autocomplete="tel"
            value={values?.[`phone_${i}`] ?? p}
            class={inputCls}
          />
        </div>
      ))}
      <FieldError id="phones-err" msg={errors?.phones} />
      <label for="email" class="block mb-1">
        E-mail{v.contacts.email ? "" : " (opcional)"}
      </label>
      <input
        id="email"
        name="email"
        type="email"
        autocomplete="email"
        value={values?.email ?? v.contacts.email}
        class={inputCls}
        aria-describedby="email-err"
      />
      <FieldError id="email-err" msg={errors?.email} />
      <button type="submit" class={`${primaryBtn} mt-4`}>Confirmar dados</button>
    </form>
  );
}

export function AllSet({ v, base, pay }: StepProps & { pay?: PaymentView }) {
  const c = v.case;
  return (
    <Card>
      <h2 class="text-2xl font-bold text-brand-700 mb-2">Tudo pronto, {v.firstName}!</h2>
      <p>
        Sua renovação foi concluída. Seu novo plano: <strong>{v.chosenPlan?.name}</strong>.
      </p>
      <p class="mt-2" data-testid="protocol">
        Protocolo do atendimento: <strong>{c.ticket?.protocol}</strong>
      </p>
      {c.network && c.network.outcome !== "manual"
        ? (
          // The NAS took the new speed (RADIUS CoA): nothing for the customer to do.
          <p class="mt-4 font-medium" data-testid="speed-active">
            Seu novo plano já está ativo. Não precisa desligar o roteador.
          </p>
        )
        : (
          <>
            <h3 class="font-bold mt-4">Para ativar o novo plano</h3>
            <RouterIllustration />
            <ol class="list-decimal pl-5">
              <li>Desligue o roteador da tomada.</li>
              <li>Espere 5 minutos.</li>
              <li>Ligue de novo e aguarde as luzes estabilizarem.</li>
            </ol>
          </>
        )}
      <h3 class="font-bold mt-4">Suas novas faturas</h3>
      {(!!c.carneBlobId || (c.invoices?.length ?? 0) > 0) && (
        <a
          href={`${base}/faturas.pdf`}
          class={`${primaryBtn} block text-center my-2`}
          data-testid="carne"
        >
          Baixar carnê (boleto e PIX)
        </a>
      )}
      {v.erpInvoices
        ? <ErpInvoiceList rec={v.erpInvoices} base={base} />
        : <InvoiceList v={v} pix={pay?.pixAuto} />}
      {c.signature?.signedBlobId && (
        <p class="mt-4">
          <a
            href={`${base}/contrato.pdf`}
            class="text-brand-700 underline"
            data-testid="signed-pdf"
          >
            Baixar o contrato assinado (PDF)
          </a>
        </p>
      )}
      <p class="mt-4 text-sm text-gray-700">
        Fidelidade até {c.renewal ? formatDate(c.renewal.loyaltyEnd) : "—"}. Dúvidas:{" "}
        {formatPhone(v.provider.phone)} · {v.provider.email}
      </p>
    </Card>
  );
}

export function Ended({ v }: StepProps) {
  const texts: Record<string, [string, string]> = {
    declined: [
      "Tudo bem",
      "Registramos que você não quer renovar agora. Seu plano atual continua como está. Se mudar de ideia, fale com a gente.",
    ],
    expired: ["Este pedido expirou", "Fale com a sua operadora para receber um novo link."],
    cancelled: [
      "Renovação cancelada",
      "Esta renovação foi cancelada pela operadora. Seu plano atual continua como está.",
    ],
    unreachable: ["Renovação encerrada", "Fale com a sua operadora para renovar."],
    closed: ["Renovação concluída", "Obrigado!"],
  };
  const [title, body] = texts[v.case.step] ?? texts.closed;
  return (
    <Card>
      <h2 class="text-xl font-bold mb-2">{title}</h2>
      <p>{body}</p>
      {v.case.declined && (
        <p class="mt-2 text-sm text-gray-700">Em {formatDateTime(v.case.declined.at)}.</p>
      )}
    </Card>
  );
}

export function DeclineBox({ v, base }: StepProps) {
  return (
    <details class="mt-6 bg-white rounded-lg shadow p-4">
      <summary class="cursor-pointer font-medium">Não quero renovar</summary>
      <form method="post" action={`${base}/decline`} class="mt-3">
        <Rev v={v} />
        <label for="reason" class="block mb-1">Quer contar o motivo? (opcional)</label>
        <textarea id="reason" name="reason" rows={2} maxLength={500} class={inputCls}></textarea>
        <button type="submit" class={`${secondaryBtn} mt-3`}>Recusar a renovação</button>
      </form>
    </details>
  );
}
