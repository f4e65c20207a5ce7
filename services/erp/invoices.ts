// ERP_INVOICES=erp: the ERP issues the boletos, Renova fetches them for the customer. The
// register step stages an "on its way" record in its own atomic; the invoices write
// (push.ts) fetches the ERP's invoices with their PIX and boleto PDFs and stores them here,
// in the atomic that marks the write done. The customer page, the all-set message and the
// PDF download read this record: the customer never sees the ERP's host or token.
import { PDFDocument } from "pdf-lib";
import type { Db } from "../db.ts";
import { keys } from "../keys.ts";
import { getBlob, type PendingBlob, promoteBlob, putBlob } from "../blobs.ts";
import { NotFoundError } from "../errors.ts";
import { getCustomer } from "../customers.ts";
import { runtimeOf, stageTemplate } from "../messaging/mod.ts";
import { currentLinkToken } from "../renewals/links.ts";
import { getCaseEntry } from "../renewals/cases.ts";
import type { ErpInvoice } from "./types.ts";
import {
  type ErpInvoiceItem,
  erpInvoiceLines,
  type ErpInvoicesRecord,
  getErpInvoices,
} from "./invoice_record.ts";
export * from "./invoice_record.ts";

/**
 * Before the invoices write is marked done: stores the boleto PDFs and answers a stager that
 * writes the record and — when the all-set message already went out without them — stages the
 * follow-up message, in the atomic that marks the write done. The files are promoted first, 8
 * per atomic (a year of boletos would pass KV's 10 checks in one): if that last atomic fails,
 * they are unreferenced leftovers the daily sweep removes (blobs.ts).
 */
export async function prepareErpInvoices(db: Db, caseId: string, invoices: ErpInvoice[]) {
  const files: (PendingBlob | undefined)[] = [];
  for (const inv of invoices) {
    files.push(inv.pdf ? await putBlob(db, inv.pdf, "application/pdf", "erp_boleto") : undefined);
  }
  const stored = files.filter((f): f is PendingBlob => !!f);
  for (let i = 0; i < stored.length; i += 8) {
    const op = db.kv.atomic();
    for (const f of stored.slice(i, i + 8)) promoteBlob(op, f);
    await op.commit();
  }
  const items: ErpInvoiceItem[] = invoices.map((inv, i) => ({
    erpId: inv.erpId,
    dueDate: inv.dueDate,
    amountCents: inv.amountCents,
    documento: inv.documento,
    linha: inv.linha,
    pix: inv.pix,
    blobId: files[i]?.id,
  }));
  const [current, kase] = await Promise.all([getErpInvoices(db, caseId), getCaseEntry(db, caseId)]);
  return async (op: Deno.AtomicOperation) => {
    const rec: ErpInvoicesRecord = {
      caseId,
      status: "ready",
      items,
      since: current.value?.since ?? db.now().toISOString(),
      receivedAt: db.now().toISOString(),
      writeId: current.value?.writeId,
    };
    // The case as read: a notify committing meanwhile makes this fail (and the write re-run).
    op.check(current).check(kase).set(keys.erpInvoices(caseId), rec);
    const c = kase.value;
    if (!c.notifiedAt || current.value?.status === "ready") return;
    const customer = await getCustomer(db, c.customerId);
    const token = await currentLinkToken(db, c);
    if (!customer || !token) return;
    const vars = {
      nome: customer.name.split(" ")[0],
      faturas: erpInvoiceLines(items),
      link: `${runtimeOf(db).settings.baseUrl}/r/${token}`,
    };
    const sends = [["whatsapp", customer.phones[0]], ["email", customer.email]] as const;
    for (const [channel, to] of sends) {
      if (to) await stageTemplate(db, op, { caseId, channel, template: "erp_invoices", to, vars });
    }
  };
}

/** The staff case page: where the ERP's invoices stand (null when Renova issues them). */
export async function erpInvoicesStatus(db: Db, caseId: string) {
  const rec = (await getErpInvoices(db, caseId)).value;
  if (!rec) return null;
  const w = rec.writeId
    ? (await db.kv.get<{ status: string; attempts: number; lastError?: string; nextAt: string }>(
      keys.erpWrite(rec.writeId),
    )).value
    : null;
  return {
    rec,
    write: w
      ? { status: w.status, attempts: w.attempts, lastError: w.lastError, nextAt: w.nextAt }
      : null,
  };
}

export type ErpInvoicesStatus = Awaited<ReturnType<typeof erpInvoicesStatus>>;

/** The ERP's boletos of a case as one PDF (all of them, or the one with `erpId`). */
export async function erpBoletosPdf(db: Db, caseId: string, erpId?: string): Promise<Uint8Array> {
  const rec = (await getErpInvoices(db, caseId)).value;
  if (!rec) throw new NotFoundError("Faturas não encontradas.");
  const items = rec.items.filter((i) => i.blobId && (!erpId || i.erpId === erpId));
  if (!items.length) {
    throw new NotFoundError(
      rec.status === "waiting"
        ? "Suas faturas estão a caminho: a operadora ainda está emitindo os boletos."
        : "Boleto não encontrado.",
    );
  }
  if (items.length === 1) return (await getBlob(db, items[0].blobId!)).data;
  const out = await PDFDocument.create();
  for (const i of items) {
    const src = await PDFDocument.load((await getBlob(db, i.blobId!)).data);
    for (const p of await out.copyPages(src, src.getPageIndices())) out.addPage(p);
  }
  return await out.save();
}
