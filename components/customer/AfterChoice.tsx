// The customer's page once they decided: asking once before a refusal ("Tem certeza?"), the
// calm page after it, the note on a closed renewal's read-only page, and the provider's
// contacts (also on the invalid-link page, LinkProblem.tsx).
import type { ProviderInfo } from "../../services/contract/terms.ts";
import type { CustomerCaseView } from "../../services/renewals/views.ts";
import { formatDateTime, formatPhone } from "../../domain/format.ts";

/** An instant's calendar day in Brasília (dd/mm/aaaa). */
const day = (iso: string) => formatDateTime(iso).slice(0, 10);
import { DECLINE_REASONS, DECLINE_TEXT_MAX } from "../../domain/decline.ts";
import { Card, inputCls, primaryBtn, secondaryBtn } from "./Shell.tsx";
import { newSubmissionId } from "../../services/submissions.ts";

/** An address that wraps after its "@" on a narrow phone, not in the middle of the domain. */
function emailWithBreak(email: string) {
  const at = email.lastIndexOf("@");
  if (at < 0) return email;
  return (
    <>
      {email.slice(0, at + 1)}
      <wbr />
      {email.slice(at + 1)}
    </>
  );
}

/** The provider's phone (call), WhatsApp and e-mail, as large tap targets. */
export function ProviderContacts({ provider }: { provider: ProviderInfo }) {
  return (
    <div class="mt-4" data-testid="provider-contacts">
      <h2 class="font-bold">Fale com a {provider.name}</h2>
      <ul class="mt-2 grid grid-cols-1 gap-2">
        <li>
          <a href={`tel:+${provider.phone}`} class={`${secondaryBtn} block text-center`}>
            Ligar: {formatPhone(provider.phone)}
          </a>
        </li>
        <li>
          <a
            href={`https://wa.me/${provider.phone}`}
            class={`${secondaryBtn} block text-center`}
            rel="noopener noreferrer"
          >
            Conversar no WhatsApp
          </a>
        </li>
        <li>
          <a
            href={`mailto:${provider.email}`}
            class={`${secondaryBtn} block text-center`}
          >
            Enviar e-mail
            <span class="block text-sm break-words">{emailWithBreak(provider.email)}</span>
          </a>
        </li>
      </ul>
    </div>
  );
}

/** The way out of the renewal: a link to the confirmation, never a one-tap refusal. */
export function DeclineLink({ base }: { base: string }) {
  return (
    <p class="mt-6 text-center">
      <a
        href={`${base}?recusar=1`}
        class="inline-block py-3 px-2 text-gray-800 underline"
        data-testid="decline-link"
      >
        Não quero renovar
      </a>
    </p>
  );
}

/** "Tem certeza?": the one confirmation before a refusal, with an optional reason. */
export function DeclineConfirm(
  { v, base, errors, values }: {
    v: CustomerCaseView;
    base: string;
    errors?: Record<string, string>;
    values?: Record<string, string>;
  },
) {
  const picked = values?.reasonCode ?? "";
  return (
    <Card>
      <h2 class="text-xl font-bold mb-2">Tem certeza que não quer renovar?</h2>
      <p class="mb-3">
        Seu plano atual continua como está. Se quiser, conte o motivo: isso ajuda a{" "}
        {v.provider.name} a melhorar.
      </p>
      <form method="post" action={`${base}/decline`}>
        <input type="hidden" name="rev" value={String(v.case.rev)} />
        <input type="hidden" name="_sub" value={newSubmissionId()} />
        <fieldset class="mb-3" aria-describedby={errors?.reason ? "reason-err" : undefined}>
          <legend class="font-medium mb-1">Motivo (opcional)</legend>
          {Object.entries(DECLINE_REASONS).map(([code, label]) => (
            <label key={code} class="flex gap-3 items-center py-2">
              <input
                type="radio"
                name="reasonCode"
                value={code}
                checked={picked === code}
                class="h-5 w-5 shrink-0"
              />
              <span>{label}</span>
            </label>
          ))}
        </fieldset>
        {errors?.reason && <p id="reason-err" class="text-red-700 mb-2">{errors.reason}</p>}
        <label for="reason" class="block mb-1">Quer contar mais? (opcional)</label>
        <textarea
          id="reason"
          name="reason"
          rows={2}
          maxLength={DECLINE_TEXT_MAX}
          class={inputCls}
          aria-describedby={errors?.reasonText ? "reasonText-err" : undefined}
        >
          {values?.reason ?? ""}
        </textarea>
        {errors?.reasonText && (
          <p id="reasonText-err" class="text-red-700 mt-1">{errors.reasonText}</p>
        )}
        <button type="submit" class={`${secondaryBtn} mt-4`} data-testid="decline-confirm">
          Sim, não quero renovar
        </button>
      </form>
      <a href={base} class={`${primaryBtn} block text-center mt-3`}>
        Voltar e continuar a renovação
      </a>
    </Card>
  );
}

/** After a refusal: calm, with the provider's contacts; the link keeps showing this. */
export function Declined({ v }: { v: CustomerCaseView }) {
  return (
    <Card>
      <h2 class="text-xl font-bold mb-2">Tudo bem, {v.firstName}.</h2>
      <p>
        Registramos que você não quer renovar agora. Seu plano atual continua funcionando como está.
        Se mudar de ideia ou tiver alguma dúvida, é só falar com a gente.
      </p>
      {v.case.declined && (
        <p class="mt-2 text-sm text-gray-700">
          Registrado em {formatDateTime(v.case.declined.at)}.
        </p>
      )}
      <ProviderContacts provider={v.provider} />
    </Card>
  );
}

/** A closed renewal's page: read-only, and until when it stays available. */
export function ClosedNote({ v }: { v: CustomerCaseView }) {
  const until = v.case.link?.expiresAt;
  return (
    <p
      class="mb-4 rounded border border-brand-600 bg-brand-50 p-3 text-brand-800"
      data-testid="closed-note"
    >
      Atendimento encerrado{v.case.closedAt ? ` em ${day(v.case.closedAt)}` : ""}. Esta página fica
      disponível para consulta{until ? ` até ${day(until)}` : ""}: suas faturas, o PIX e o contrato
      assinado continuam aqui.
    </p>
  );
}
