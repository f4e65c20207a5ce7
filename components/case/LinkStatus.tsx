// The customer link on the staff case page: valid until when, or "expirado" once it ran out,
// and the customer's "Pedir novo link" request (services/renewals/link_requests.ts).
import type { RenewalCase } from "../../services/renewals/cases.ts";
import { askedForNewLink } from "../../services/renewals/link_requests.ts";
import { formatDateTime } from "../../domain/format.ts";

export function LinkStatus({ c, expired }: { c: RenewalCase; expired: boolean }) {
  const link = c.link!;
  return (
    <>
      <p class="text-sm text-gray-700 mt-2" data-testid="link-status">
        Link pessoal enviado em {formatDateTime(link.issuedAt)}; {expired
          ? (
            <>
              <strong class="text-red-800">expirado</strong> desde {formatDateTime(link.expiresAt)}.
            </>
          )
          : <>vale até {formatDateTime(link.expiresAt)}.</>}
      </p>
      {askedForNewLink(c) && (
        <p
          class="mt-2 rounded bg-amber-50 border border-amber-300 p-2 text-sm"
          data-testid="link-requested"
        >
          O cliente pediu um novo link em {formatDateTime(c.linkRequestedAt!)}.
        </p>
      )}
    </>
  );
}
