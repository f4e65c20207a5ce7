// The record of the invoices the ERP issued for a case (ERP_INVOICES=erp) and the reads the
// renewal verbs need: kept apart from invoices.ts (which fetches, stores and serves them) so the
// renewal core can stage and read it without importing the bridge's heavier parts.
import type { Db } from "../db.ts";
import { keys } from "../keys.ts";
import { formatDate, formatMoney } from "../../domain/format.ts";

export interface ErpInvoiceItem {
  erpId: string;
  dueDate: string;
  amountCents: number;
  documento?: string;
  linha?: string;
  pix?: string;
  /** The boleto PDF as the ERP rendered it (an encrypted blob). */
  blobId?: string;
}

export interface ErpInvoicesRecord {
  caseId: string;
  /** "waiting": queued, not fetched yet; "ready": the ERP's invoices are here. */
  status: "waiting" | "ready";
  items: ErpInvoiceItem[];
  since: string;
  receivedAt?: string;
  /** The queued write that fetches them (its attempts and last error show on the case page). */
  writeId?: string;
}

/** The line the messages carry while the ERP's invoices are not here yet. */
export const ERP_INVOICES_ON_THEIR_WAY =
  "As faturas estão sendo emitidas pela operadora e aparecem no seu link assim que ficarem prontas.";

/** Register step (ERP_INVOICES=erp): the case's invoices will come from the ERP. */
export function stageErpInvoicesWaiting(
  op: Deno.AtomicOperation,
  caseId: string,
  now: string,
  writeId: string,
) {
  const rec: ErpInvoicesRecord = { caseId, status: "waiting", items: [], since: now, writeId };
  op.set(keys.erpInvoices(caseId), rec);
}

export async function getErpInvoices(db: Db, caseId: string) {
  return await db.kv.get<ErpInvoicesRecord>(keys.erpInvoices(caseId));
}

/** Whether this case's invoices come from the ERP (ERP_INVOICES=erp when it was registered). */
export async function hasErpInvoices(db: Db, caseId: string): Promise<boolean> {
  return !!(await getErpInvoices(db, caseId)).value;
}

/** The message lines of the ERP's invoices (the same shape as Renova's, messaging/templates). */
export function erpInvoiceLines(items: ErpInvoiceItem[]): string {
  return items.map((i, n) =>
    `${n + 1}. vencimento ${formatDate(i.dueDate)} — ${formatMoney(i.amountCents)}${
      i.linha ? ` — boleto ${i.linha}` : ""
    }`
  ).join("\n");
}

/**
 * The all-set message's invoice lines when the ERP issues them, with a check of the record in
 * `op` (the fetch landing meanwhile would otherwise send neither list); null in Renova's mode.
 */
export async function stageErpInvoiceLines(
  db: Db,
  op: Deno.AtomicOperation,
  caseId: string,
): Promise<string | null> {
  const e = await getErpInvoices(db, caseId);
  if (!e.value) return null;
  op.check(e);
  return e.value.status === "ready" ? erpInvoiceLines(e.value.items) : ERP_INVOICES_ON_THEIR_WAY;
}
