// The page of a customer link that opens nothing (made up, replaced, expired, revoked): who the
// provider is, how to reach them, and "Pedir novo link", which tells the case's attendant when
// the link was a real one (services/renewals/link_requests.ts). Says no more about the token
// than the message it is given.
import type { ProviderInfo } from "../../services/contract/terms.ts";
import { Notice } from "../Form.tsx";
import { ProviderContacts } from "./AfterChoice.tsx";
import { primaryBtn } from "./Shell.tsx";

export function LinkProblem(
  { provider, message, action, notice }: {
    provider: ProviderInfo;
    message: string;
    /** Where "Pedir novo link" posts; absent once it was asked (the notice says so). */
    action?: string;
    notice?: string;
  },
) {
  return (
    <section class="max-w-md mx-auto mt-6 bg-white rounded shadow p-6">
      <p class="text-brand-700 font-bold">{provider.name}</p>
      <h1 class="text-xl font-bold mb-2">Link inválido ou expirado</h1>
      <p>{message}</p>
      <Notice message={notice} />
      {action && (
        <form method="post" action={action} class="mt-4">
          <p class="mb-2 text-sm text-gray-700">
            Peça um novo link: avisamos a equipe da{" "}
            {provider.name}, que envia um novo para o seu WhatsApp ou e-mail.
          </p>
          <button type="submit" class={primaryBtn} data-testid="new-link">Pedir novo link</button>
        </form>
      )}
      <ProviderContacts provider={provider} />
    </section>
  );
}
