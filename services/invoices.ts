// The new invoices issued after a renewal: 12 monthly invoices at the plan's price, the first
// on the next due day after the signature. Barcodes (boleto) and PIX come with the Invoices
// issue, behind this same interface.
import { addMonths } from "./dates.ts";

export interface Invoice {
  seq: number;
  dueDate: string;
  amountCents: number;
  description: string;
}

export function invoiceSchedule(
  opts: {
    signedOn: string;
    amountCents: number;
    planName: string;
    dueDay?: number;
    count?: number;
  },
): Invoice[] {
  const dueDay = opts.dueDay ?? 10;
  const [y, m, d] = opts.signedOn.split("-").map(Number);
  // First due date: this month's due day if still ahead, else next month's.
  let first = `${y}-${String(m).padStart(2, "0")}-${String(dueDay).padStart(2, "0")}`;
  if (d >= dueDay) first = addMonths(first, 1);
  return Array.from({ length: opts.count ?? 12 }, (_, i) => ({
    seq: i + 1,
    dueDate: addMonths(first, i),
    amountCents: opts.amountCents,
    description: `${opts.planName} — mensalidade ${i + 1}/${opts.count ?? 12}`,
  }));
}
