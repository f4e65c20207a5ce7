// Journey 1 of Pix Automático: the customer gives their bank and account, and the request to
// authorize arrives in their bank app (no QR to read). Plain form: works without JavaScript.
import { ACCOUNT_TYPES, PAYER_BANKS } from "../../services/pix_auto/payer_banks.ts";
import { inputCls, primaryBtn } from "./Shell.tsx";
import { FieldError } from "./parts.tsx";
import { newSubmissionId } from "../../services/submissions.ts";

export function BankRequestForm(
  { base, errors, values }: {
    base: string;
    errors?: Record<string, string>;
    values?: Record<string, string>;
  },
) {
  const field = (name: string) => ({
    id: `j1-${name}`,
    name,
    "aria-invalid": errors?.[name] ? true : undefined,
    "aria-describedby": errors?.[name] ? `j1-${name}-err` : undefined,
  });
  return (
    <details class="mt-4 border rounded p-3" open={!!errors} data-testid="bank-request">
      <summary class="font-medium cursor-pointer py-1">
        Receber o pedido no app do meu banco
      </summary>
      <p class="text-sm mt-2 mb-3">
        Em vez do QR Code, enviamos o pedido de autorização para o app do seu banco. A conta deve
        estar no seu CPF.
      </p>
      <form method="post" action={`${base}/payment_bank_request`} noValidate>
        <input type="hidden" name="_sub" value={newSubmissionId()} />
        <label for="j1-bank" class="block font-medium">Banco</label>
        <select {...field("bank")} class={inputCls}>
          <option value="">Escolha o seu banco</option>
          {PAYER_BANKS.map((b) => (
            <option value={b.ispb} selected={values?.bank === b.ispb}>{b.code} – {b.name}</option>
          ))}
        </select>
        <FieldError id="j1-bank-err" msg={errors?.bank} />
        <label for="j1-agencia" class="block font-medium mt-3">Agência (sem o dígito)</label>
        <input
          {...field("agencia")}
          class={inputCls}
          inputMode="numeric"
          autoComplete="off"
          maxLength={4}
          value={values?.agencia ?? ""}
        />
        <FieldError id="j1-agencia-err" msg={errors?.agencia} />
        <label for="j1-conta" class="block font-medium mt-3">Conta com o dígito</label>
        <input
          {...field("conta")}
          class={inputCls}
          inputMode="numeric"
          autoComplete="off"
          maxLength={24}
          placeholder="12345-6"
          value={values?.conta ?? ""}
        />
        <FieldError id="j1-conta-err" msg={errors?.conta} />
        <label for="j1-tipoConta" class="block font-medium mt-3">Tipo de conta</label>
        <select {...field("tipoConta")} class={inputCls}>
          <option value="">Escolha o tipo</option>
          {Object.entries(ACCOUNT_TYPES).map(([v, label]) => (
            <option value={v} selected={values?.tipoConta === v}>{label}</option>
          ))}
        </select>
        <FieldError id="j1-tipoConta-err" msg={errors?.tipoConta} />
        <button type="submit" class={`${primaryBtn} mt-4`}>Enviar pedido ao meu banco</button>
      </form>
    </details>
  );
}
