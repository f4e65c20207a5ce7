// The staff view of the case's payment method and Pix Automático status (services/pix_auto).
import type { PaymentView } from "../../services/pix_auto/payment.ts";
import { formatDateTime } from "../../domain/format.ts";
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

export function PaymentPanel({ pay }: { pay?: PaymentView }) {
  if (!pay?.offered) return null;
  const rec = pay.pixAuto;
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
    </Panel>
  );
}
