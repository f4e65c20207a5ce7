// ERP_INVOICES=erp on the staff case page: whether the invoices the ERP issues reached Renova
// (and so the customer), or why they have not yet (services/erp/invoices.ts).
import type { ErpInvoicesStatus } from "../../services/erp/invoices.ts";
import { formatDate, formatDateTime, formatMoney } from "../../domain/format.ts";
import { Panel } from "./ActionForm.tsx";

export function ErpInvoicesPanel({ erp, caseId }: { erp?: ErpInvoicesStatus; caseId: string }) {
  if (!erp) return null;
  const { rec, write } = erp;
  return (
    <Panel title="Faturas do ERP" id="erp-invoices-panel">
      {rec.status === "ready"
        ? (
          <>
            <p class="text-sm" data-testid="erp-invoices-status">
              {rec.items.length} fatura(s) recebidas do ERP em {formatDateTime(rec.receivedAt!)}
              {" "}
              e mostradas ao cliente.{" "}
              <a href={`/app/cases/${caseId}/faturas.pdf`} class="text-brand-700 underline">
                Boletos (PDF)
              </a>
            </p>
            <ul class="text-sm">
              {rec.items.map((i, n) => (
                <li key={i.erpId}>
                  {n + 1}. {formatDate(i.dueDate)} — {formatMoney(i.amountCents)}
                  {i.documento ? ` · documento ${i.documento}` : ""}
                </li>
              ))}
            </ul>
          </>
        )
        : (
          <p class="text-sm" data-testid="erp-invoices-status">
            Aguardando as faturas do ERP (o cliente vê que estão a caminho)
            {write && write.attempts > 0
              ? ` · ${write.attempts} tentativa(s); próxima ${formatDateTime(write.nextAt)}`
              : ""}
            {write?.lastError ? ` · ${write.lastError}` : ""}
            {write && (write.status === "dead" || write.status === "conflict")
              ? " · parado: veja Administração → ERP"
              : ""}
          </p>
        )}
    </Panel>
  );
}
