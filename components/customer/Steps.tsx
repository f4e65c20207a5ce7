// Over 400 lines on purpose: one view per customer step, kept together so the customer's
// wording reads as one flow in one place.
// The customer's page, one view per stage of the renewal.
import type { CustomerCaseView } from "../../services/renewals/views.ts";
import { formatDate, formatDateTime, formatMoney, formatPhone } from "../../domain/format.ts";
import { FineTable, PlanCard } from "../PlanCard.tsx";
import { Card, inputCls, primaryBtn, secondaryBtn } from "./Shell.tsx";
import { RouterIllustration } from "./RouterIllustration.tsx";
import PhotoPicker from "../../islands/PhotoPicker.tsx";
import SignaturePad from "../../islands/SignaturePad.tsx";
import { ContractSections } from "../ContractSections.tsx";
import { MAX_PHOTO_BYTES } from "../../domain/limits.ts";
import { newSubmissionId } from "../../services/submissions.ts";
import { InvoiceList } from "./Invoices.tsx";

export interface StepProps {
  v: CustomerCaseView;
  base: string;
  errors?: Record<string, string>;
  values?: Record<string, string>;
  retentionDays: number;
}

/** The case version the form was made from, and its submission id (a repeat is one change). */
function Rev({ v }: { v: CustomerCaseView }) {
  return (
    <>
      <input type="hidden" name="rev" value={String(v.case.rev)} />
      <input type="hidden" name="_sub" value={newSubmissionId()} />
    </>
  );
}

function FieldError({ msg, id }: { msg?: string; id: string }) {
  return msg ? <p id={id} class="text-red-700 mt-1" role="alert">{msg}</p> : null;
}

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

export function SendPhoto({ v, base, errors, retentionDays }: StepProps) {
  const rejected = v.case.step === "photo_rejected" ? v.case.photo?.reason : undefined;
  return (
    <Card>
      <h2 class="text-xl font-bold mb-2">Foto segurando seu documento</h2>
      {rejected && (
        <p role="alert" class="mb-3 rounded border border-red-700 bg-red-50 p-3 text-red-800">
          Não conseguimos confirmar a foto anterior:{" "}
          <strong>{rejected}</strong>. Por favor, envie outra.
        </p>
      )}
      <p class="mb-2">
        Para proteger você contra fraudes, precisamos confirmar que quem renova é o titular. Tire
        uma foto do seu rosto segurando seu documento com foto (RG ou CNH), com o documento legível.
      </p>
      <p class="mb-4 text-sm text-gray-700">
        A foto é usada só para esta verificação, fica guardada de forma criptografada e é apagada
        {" "}
        {retentionDays} dias após o fim da renovação (LGPD).
      </p>
      <form method="post" action={`${base}/upload_photo`} encType="multipart/form-data">
        <Rev v={v} />
        <PhotoPicker maxBytes={MAX_PHOTO_BYTES} error={errors?.photo} />
        <button type="submit" class={primaryBtn}>Enviar foto</button>
      </form>
    </Card>
  );
}

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

export function SignContract({ v, base, errors }: StepProps) {
  const doc = v.contractDoc!;
  const code = v.case.signCode;
  return (
    <>
      <Card>
        <h2 class="text-xl font-bold mb-2">Leia seu novo contrato</h2>
        <a
          href={`${base}/contrato.pdf`}
          class="text-brand-700 underline"
          target="_blank"
          rel="noopener"
        >
          Abrir o contrato em PDF
        </a>
        <ContractSections sections={doc.sections} label="Contrato" testId="contract" />
        <p class="text-xs text-gray-700 break-all">Resumo SHA-256 do PDF: {doc.hash}</p>
      </Card>
      <Card>
        <h2 class="text-xl font-bold mb-2">Assinar</h2>
        <p class="mb-2">
          Para assinar, enviaremos um código de 6 dígitos para o seu celular ou e-mail confirmado.
        </p>
        <form
          method="post"
          action={`${base}/send_code`}
          class="flex flex-wrap gap-2 items-end mb-4"
        >
          <Rev v={v} />
          <label class="flex-1">
            <span class="block mb-1">Enviar o código por</span>
            <select name="channel" class={inputCls}>
              <option value="whatsapp">WhatsApp ({formatPhone(v.contacts.phones[0])})</option>
              {v.contacts.email && <option value="email">E-mail ({v.contacts.email})</option>}
            </select>
          </label>
          <button type="submit" class={`${secondaryBtn} sm:w-auto`}>
            {code ? "Enviar outro código" : "Enviar código"}
          </button>
        </form>
        {code && (
          <p class="mb-3 text-sm" role="status">
            Código enviado para {code.toMasked}. Ele vale por 5 minutos.
          </p>
        )}
        <form method="post" action={`${base}/sign`}>
          <Rev v={v} />
          <input type="hidden" name="documentSha256" value={doc.hash} />
          <label for="code" class="block mb-1">Código recebido</label>
          <input
            id="code"
            name="code"
            inputMode="numeric"
            autocomplete="one-time-code"
            maxLength={6}
            class={inputCls}
            aria-describedby="code-err"
          />
          <FieldError id="code-err" msg={errors?.code} />
          <label for="typedName" class="block mb-1 mt-3">Digite seu nome completo</label>
          <input
            id="typedName"
            name="typedName"
            autocomplete="name"
            class={inputCls}
            aria-describedby="typedName-err"
          />
          <FieldError id="typedName-err" msg={errors?.typedName} />
          <SignaturePad />
          <label class="flex gap-3 items-start mt-3">
            <input
              type="checkbox"
              name="consent"
              class="mt-1 h-6 w-6"
              aria-describedby="sconsent-err"
            />
            <span>Li o contrato inteiro e concordo em assiná-lo eletronicamente.</span>
          </label>
          <FieldError id="sconsent-err" msg={errors?.consent ?? errors?.document} />
          <button type="submit" class={`${primaryBtn} mt-4`}>Assinar contrato</button>
        </form>
      </Card>
    </>
  );
}

export function AllSet({ v, base }: StepProps) {
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
      <InvoiceList v={v} />
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
