// The staff view of the case's payment method and Pix Automático status (services/pix_auto).
import type { PaymentView } from "../../services/pix_auto/payment.ts";
import { formatDate, formatDateTime } from "../../domain/format.ts";
import type { PixAutoCharge } from "../../services/pix_auto/recurrences.ts";
import type { Invoice } from "../../services/invoices.ts";
import { Panel } from "./ActionForm.tsx";

export const PIX_AUTO_STATUS_LABELS: Record<string, string> = {
  creating: "em criação no PSP",
  unavailable: "PSP indisponível (segue boleto + PIX)",
  pending: "aguardando autorização do cliente",
  approved: "autorizado",
  rejected: "recusado pelo cliente",
  cancelled: "cancelado",
  expired: "expirado",
};

const CHARGE_LABELS: Record<PixAutoCharge["status"], string> = {
  sending: "enviando ao PSP",
  sent: "enviada ao banco do cliente",
  paid: "paga",
  failed: "não debitada (boleto + PIX)",
};

export function PaymentPanel({ pay, invoices }: { pay?: PaymentView; invoices?: Invoice[] }) {
  if (!pay?.offered) return null;
  const rec = pay.pixAuto;
  const charged = rec?.status === "approved" || Object.keys(rec?.charges ?? {}).length > 0;
  return (
    <Panel title="Forma de pagamento" id="payment-panel">
      {!pay.choice && <p class="text-sm">O cliente ainda não escolheu.</p>}
      {pay.choice?.method === "boleto_pix" && <p class="text-sm">Boleto + PIX.</p>}
      {pay.choice?.method === "pix_auto" && (
        <p class="text-sm" data-testid="pix-auto-staff-status">
          Pix Automático: {PIX_AUTO_STATUS_LABELS[rec?.status ?? "creating"]}
          {rec && <span class="text-gray-700">· {formatDateTime(rec.updatedAt)}</span>}
        </p>
      )}
      {charged && invoices && (
        <ul class="text-sm" data-testid="pix-auto-charges">
          {invoices.map((i) => {
            const ch = rec?.charges?.[i.seq];
            return (
              <li key={i.seq}>
                {i.seq}. {formatDate(i.dueDate)} — {ch?.status === "failed"
                  ? "Boleto + PIX (débito não feito)"
                  : `Débito via Pix Automático: ${ch ? CHARGE_LABELS[ch.status] : "a enviar"}`}
              </li>
            );
          })}
        </ul>
      )}
    </Panel>
  );
}
