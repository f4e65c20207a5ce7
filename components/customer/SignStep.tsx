// The signing step: the contract, the one-time code, the typed name and the consent.
import { formatPhone } from "../../domain/format.ts";
import SignaturePad from "../../islands/SignaturePad.tsx";
import { ContractSections } from "../ContractSections.tsx";
import { Card, inputCls, primaryBtn, secondaryBtn } from "./Shell.tsx";
import { FieldError, Rev, type StepProps } from "./parts.tsx";

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
