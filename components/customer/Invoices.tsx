// The new invoices on the customer's final page ("Tudo pronto", also after closing): the next
// one to pay first, with its PIX QR code (drawn on the server) and a "Copiar" button for the
// copia-e-cola code; every invoice keeps its line and code one tap away. One QR only: the
// carnê PDF has one per invoice, and twelve on a phone page would weigh on mobile data.
import type { CustomerCaseView } from "../../services/renewals/views.ts";
import type { Invoice } from "../../services/invoices.ts";
import { formatDate, formatMoney } from "../../domain/format.ts";
import { todayInBrazil } from "../../services/dates.ts";
import { pixQrDataUrl } from "../../services/billing/pix_qr.ts";
import CopyCode from "../../islands/CopyCode.tsx";
import type { PixAutoRecord } from "../../services/pix_auto/recurrences.ts";
import type { ErpInvoicesRecord } from "../../services/erp/invoices.ts";
import { primaryBtn } from "./Shell.tsx";

/** The first invoice not yet due (today counts), else the last one. */
export function nextInvoice(invoices: Invoice[], today: string): Invoice | undefined {
  return invoices.find((i) => i.dueDate >= today) ?? invoices.at(-1);
}

/** A month's line when Pix Automático pays it (the charge's status), else undefined. */
export function pixAutoLine(pix: PixAutoRecord | undefined, seq: number): string | undefined {
  const charge = pix?.charges?.[seq];
  if (charge?.status === "failed") return undefined; // that month fell back to boleto + PIX
  if (charge) return `Débito via Pix Automático — ${CHARGE_LABELS[charge.status]}`;
  return pix?.status === "approved"
    ? `Débito via Pix Automático — ${CHARGE_LABELS.scheduled}`
    : undefined;
}

const CHARGE_LABELS = {
  scheduled: "será enviado ao seu banco perto do vencimento",
  sending: "enviando ao seu banco",
  sent: "agendado no seu banco",
  paid: "pago",
  failed: "não debitado",
} as const;

export function InvoiceList(
  { v, now = new Date(), pix }: { v: CustomerCaseView; now?: Date; pix?: PixAutoRecord },
) {
  const invoices = v.case.invoices ?? [];
  // Months paid by Pix Automático need no QR; a month that fell back does.
  const next = nextInvoice(
    invoices.filter((i) => i.pixPayload && !pixAutoLine(pix, i.seq)),
    todayInBrazil(now),
  );
  return (
    <>
      {next && (
        <div class="my-3 rounded-lg border border-gray-300 p-3" data-testid="pix-next">
          <h4 class="font-bold">
            Próxima fatura: {formatDate(next.dueDate)} —{" "}
            {/* The amount never splits between "R$" and its figures on a narrow phone. */}
            <span class="whitespace-nowrap">{formatMoney(next.amountCents)}</span>
          </h4>
          <p class="text-sm text-gray-700">
            Pague com PIX: aponte a câmera do app do seu banco para o código ou copie o código
            abaixo.
          </p>
          <img
            src={pixQrDataUrl(next.pixPayload!)}
            alt={`QR code PIX da fatura com vencimento em ${formatDate(next.dueDate)}`}
            width={220}
            height={220}
            class="mx-auto my-2 h-[220px] w-[220px]"
            data-testid="pix-qr"
          />
          <CopyCode id={`pix-${next.seq}`} label="PIX copia e cola" text={next.pixPayload!} />
        </div>
      )}
      <ul class="divide-y" data-testid="invoices">
        {invoices.map((i) => (
          <li key={i.seq} class="py-2">
            <div class="flex justify-between gap-2">
              <span>{i.seq}. Vencimento {formatDate(i.dueDate)}</span>
              <strong class="whitespace-nowrap">{formatMoney(i.amountCents)}</strong>
            </div>
            {pixAutoLine(pix, i.seq) && (
              <p class="text-sm text-green-800" data-testid="pix-auto-installment">
                {pixAutoLine(pix, i.seq)}
              </p>
            )}
            {pix?.charges?.[i.seq]?.status === "failed" && (
              <p class="text-sm text-amber-800" data-testid="pix-auto-fallback">
                O débito pelo Pix Automático não foi feito: pague esta fatura por boleto ou PIX.
              </p>
            )}
            {i.linha && !pixAutoLine(pix, i.seq) && (
              <details class="text-sm">
                <summary class="cursor-pointer text-brand-700 underline py-1">
                  Código de barras e PIX
                </summary>
                <p class="break-all mt-1">
                  Linha digitável: <span class="font-mono">{i.linha}</span>
                </p>
                {i.pixPayload && (
                  <CopyCode id={`pix-all-${i.seq}`} label="PIX copia e cola" text={i.pixPayload} />
                )}
              </details>
            )}
          </li>
        ))}
      </ul>
    </>
  );
}

/**
 * ERP_INVOICES=erp: the invoices the provider's ERP issued (services/erp/invoices.ts), with
 * the boletos as one PDF through Renova; until they arrive, a note that they are on their way.
 */
export function ErpInvoiceList({ rec, base }: { rec: ErpInvoicesRecord; base: string }) {
  if (rec.status === "waiting") {
    return (
      <p class="my-2 rounded-lg border border-gray-300 p-3" data-testid="erp-invoices-waiting">
        Suas faturas estão a caminho: a operadora está emitindo os boletos e eles aparecem aqui
        assim que ficarem prontos. Avisaremos você por mensagem.
      </p>
    );
  }
  return (
    <>
      {rec.items.some((i) => i.blobId) && (
        <a
          href={`${base}/faturas.pdf`}
          class={`${primaryBtn} block text-center my-2`}
          data-testid="erp-boletos"
        >
          Baixar boletos (PDF)
        </a>
      )}
      <ul class="divide-y" data-testid="erp-invoices">
        {rec.items.map((i, n) => (
          <li key={i.erpId} class="py-2">
            <div class="flex justify-between gap-2">
              <span>{n + 1}. Vencimento {formatDate(i.dueDate)}</span>
              <strong class="whitespace-nowrap">{formatMoney(i.amountCents)}</strong>
            </div>
            {i.linha && (
              <p class="text-sm break-all">
                Linha digitável: <span class="font-mono">{i.linha}</span>
              </p>
            )}
            {i.pix && <CopyCode id={`erp-pix-${n}`} label="PIX copia e cola" text={i.pix} />}
            {i.blobId && (
              <a
                href={`${base}/faturas.pdf?fatura=${encodeURIComponent(i.erpId)}`}
                class="text-sm text-brand-700 underline"
              >
                Boleto desta fatura (PDF)
              </a>
            )}
          </li>
        ))}
      </ul>
    </>
  );
}
