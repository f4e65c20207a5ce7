// The customer's message preferences page (routes/r/[token]/mensagens.tsx): one sentence on
// where they stand and one button that flips it.
import { ErrorBox, Notice } from "../Form.tsx";
import { Card, primaryBtn, secondaryBtn } from "./Shell.tsx";
import { formatDateTime } from "../../domain/format.ts";
import type { MessagePreference } from "../../services/campaigns/message_preference.ts";

export function MessagePreferencePage(
  p: { pref: MessagePreference; provider: string; base: string; saved?: boolean; error?: string },
) {
  const { pref } = p;
  return (
    <div class="max-w-xl mx-auto">
      <p class="text-brand-700 font-bold">{p.provider}</p>
      <h1 class="text-2xl font-bold mb-3">Lembretes por mensagem</h1>
      <ErrorBox message={p.error} />
      <Notice
        message={p.saved
          ? pref.receives
            ? "Pronto: você volta a receber os lembretes."
            : "Pronto: você não vai mais receber lembretes."
          : undefined}
      />
      <Card>
        <p class="mb-3" data-testid="preference">
          {pref.receives
            ? `Você recebe lembretes da ${p.provider} por WhatsApp ou e-mail quando sua renovação se aproxima.`
            : `Você pediu para não receber lembretes${
              pref.stoppedAt ? ` em ${formatDateTime(pref.stoppedAt)}` : ""
            }.`}
        </p>
        <p class="mb-4 text-sm text-gray-700">
          As mensagens da sua própria renovação (códigos de confirmação, contrato e protocolo)
          continuam chegando quando você pedir por elas.
        </p>
        <form method="post" action={`${p.base}/mensagens`}>
          <input type="hidden" name="want" value={pref.receives ? "off" : "on"} />
          <button type="submit" class={pref.receives ? secondaryBtn : primaryBtn}>
            {pref.receives ? "Parar de receber lembretes" : "Voltar a receber lembretes"}
          </button>
        </form>
      </Card>
      <p class="text-center">
        <a href={p.base} class="underline text-brand-800">Voltar para a renovação</a>
      </p>
    </div>
  );
}
