// The signing step, phone first: a summary of what is signed (plan, price, loyalty, benefit,
// fine table, offer code), the full contract one tap away, and the signing form with its one
// primary action kept in view (sticky). The form spans the whole step so that action is there
// from the first screen; "Enviar código" posts the same form elsewhere (formaction).
import { formatMoney, formatPhone } from "../../domain/format.ts";
import SignaturePad from "../../islands/SignaturePad.tsx";
import FormMemory from "../../islands/FormMemory.tsx";
import { ContractSections } from "../ContractSections.tsx";
import { ErrorBox } from "../Form.tsx";
import { FineTable } from "../PlanCard.tsx";
import { Card, inputCls, primaryBtn, secondaryBtn } from "./Shell.tsx";
import { FieldError, leftoverError, Rev, type StepProps } from "./parts.tsx";

/** Errors this step shows next to their fields; anything else goes in the form's one box. */
export const SIGN_FIELDS = ["code", "typedName", "consent", "document", "channel"] as const;

// Where the page lands after a post: the fragment of the form's action is kept by the 303
// redirect and by a refused form's page, so the customer is back at the code, not at the top.
export const SIGN_ANCHOR = "assinar";
export const CODE_ANCHOR = "codigo";

export function SignContract(
  { v, base, errors, values, error }: StepProps & { error?: string },
) {
  const doc = v.contractDoc!;
  const code = v.case.signCode;
  const plan = v.chosenPlan;
  // A refused form is shown again with what was typed (never the code); a wrong code must not
  // cost the name and the tick. FormMemory also keeps them across a reload or a code request.
  const typedName = values?.typedName ?? "";
  const consent = values?.consent === "on";
  return (
    <form method="post" action={`${base}/sign#${SIGN_ANCHOR}`} id="sign-form">
      <Rev v={v} />
      <input type="hidden" name="documentSha256" value={doc.hash} />
      <Card>
        <h2 class="text-xl font-bold mb-2">Leia seu novo contrato</h2>
        {plan && (
          <dl class="grid grid-cols-2 gap-x-3 gap-y-1 text-base" data-testid="sign-summary">
            <dt class="text-gray-700">Plano</dt>
            <dd class="font-bold">{plan.name}</dd>
            <dt class="text-gray-700">Preço</dt>
            <dd class="font-bold">{formatMoney(plan.priceCents)}/mês</dd>
            <dt class="text-gray-700">Fidelidade</dt>
            <dd>{plan.loyaltyMonths} meses</dd>
            <dt class="text-gray-700">Benefício</dt>
            <dd>{plan.benefit} ({formatMoney(plan.benefitValueCents)})</dd>
            <dt class="text-gray-700">Código da oferta</dt>
            <dd>{plan.offerCode}</dd>
          </dl>
        )}
        {plan && (
          <details class="mt-3">
            <summary class="cursor-pointer text-brand-700 underline py-2">
              Tabela de multa por cancelamento
            </summary>
            <FineTable plan={plan} />
          </details>
        )}
        <details class="mt-1" data-testid="contract-full">
          <summary class="cursor-pointer text-brand-700 underline py-2">
            Ler o contrato completo
          </summary>
          <ContractSections sections={doc.sections} label="Contrato" testId="contract" />
          <p class="text-xs text-gray-700 break-all">Resumo SHA-256 do PDF: {doc.hash}</p>
        </details>
        <a
          href={`${base}/contrato.pdf`}
          class="inline-block text-brand-700 underline py-2"
          target="_blank"
          rel="noopener"
        >
          Abrir o contrato em PDF
        </a>
      </Card>
      <section id={SIGN_ANCHOR} class="bg-white rounded-lg shadow p-4 mb-4 scroll-mt-4">
        <h2 class="text-xl font-bold mb-2">Assinar</h2>
        <p class="mb-2">
          Para assinar, enviaremos um código de 6 dígitos para o seu celular ou e-mail confirmado.
        </p>
        <div id={CODE_ANCHOR} class="scroll-mt-4">
          {/* Here, not above: both landings (#assinar, #codigo) show it. */}
          <ErrorBox message={leftoverError(error, errors, SIGN_FIELDS)} />
          <div class="flex flex-wrap gap-2 items-end mb-2">
            <label class="flex-1">
              <span class="block mb-1">Enviar o código por</span>
              <select name="channel" class={inputCls} aria-describedby="channel-err">
                <option value="whatsapp">WhatsApp ({formatPhone(v.contacts.phones[0])})</option>
                {v.contacts.email && <option value="email">E-mail ({v.contacts.email})</option>}
              </select>
            </label>
            <button
              type="submit"
              formAction={`${base}/send_code#${CODE_ANCHOR}`}
              formNoValidate
              class={`${secondaryBtn} sm:w-auto`}
            >
              {code ? "Enviar outro código" : "Enviar código"}
            </button>
          </div>
          <FieldError id="channel-err" msg={errors?.channel} />
          {code && (
            <p class="mb-3 text-sm" role="status">
              Código enviado para {code.toMasked}. Ele vale por 5 minutos.
            </p>
          )}
          <label for="code" class="block mb-1 mt-2">Código recebido</label>
          <input
            id="code"
            name="code"
            inputMode="numeric"
            autocomplete="one-time-code"
            maxLength={6}
            class={`${inputCls} scroll-mb-24`}
            aria-invalid={errors?.code ? "true" : undefined}
            aria-describedby="code-err"
          />
          <FieldError id="code-err" msg={errors?.code} />
        </div>
        <label for="typedName" class="block mb-1 mt-3">Digite seu nome completo</label>
        <input
          id="typedName"
          name="typedName"
          autocomplete="name"
          value={typedName}
          class={`${inputCls} scroll-mb-24`}
          aria-invalid={errors?.typedName ? "true" : undefined}
          aria-describedby="typedName-err"
        />
        <FieldError id="typedName-err" msg={errors?.typedName} />
        <SignaturePad />
        <label class="flex gap-3 items-start mt-3 scroll-mb-24">
          <input
            type="checkbox"
            name="consent"
            checked={consent}
            class="mt-1 h-6 w-6"
            aria-invalid={errors?.consent ? "true" : undefined}
            aria-describedby="sconsent-err"
          />
          <span>Li o contrato inteiro e concordo em assiná-lo eletronicamente.</span>
        </label>
        {errors?.consent
          ? <FieldError id="sconsent-err" msg={errors.consent} />
          : <FieldError id="sconsent-err" msg={errors?.document} />}
        {errors?.consent && errors?.document && (
          <FieldError id="document-err" msg={errors.document} />
        )}
      </section>
      {/* The primary action stays in view on a phone while the customer reads and fills in. */}
      <div class="sticky bottom-0 z-10 -mx-4 px-4 py-3 bg-white border-t border-gray-300 shadow">
        <button type="submit" class={primaryBtn} data-testid="sign-submit">
          Assinar contrato
        </button>
      </div>
      <FormMemory
        form="sign-form"
        scope={doc.hash.slice(0, 16)}
        fields={["typedName", "consent"]}
        focusOn={{ [CODE_ANCHOR]: "code" }}
      />
    </form>
  );
}
