// The new invoices issued after a renewal: monthly, at the chosen plan's price, the first on
// the next due day after the signature; each with a Febraban boleto and a PIX BR Code, and all
// of them in one carnê PDF.
import type { Db } from "./db.ts";
import { addMonths } from "./dates.ts";
import { buildBoleto, buildPix } from "./billing/mod.ts";
import { renderCarne } from "./billing/carne.ts";
import type { BillingSettings } from "./billing_settings.ts";
import { putBlob } from "./blobs.ts";
import type { Customer } from "./customers.ts";
import { ValidationError } from "./errors.ts";

export interface Invoice {
  seq: number;
  dueDate: string;
  amountCents: number;
  description: string;
  nossoNumero?: string;
  barcode?: string;
  linha?: string;
  pixPayload?: string;
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
  const count = opts.count ?? 12;
  const [y, m, d] = opts.signedOn.split("-").map(Number);
  // First due date: this month's due day if still ahead, else next month's.
  let first = `${y}-${String(m).padStart(2, "0")}-${String(dueDay).padStart(2, "0")}`;
  if (d >= dueDay) first = addMonths(first, 1);
  return Array.from({ length: count }, (_, i) => ({
    seq: i + 1,
    dueDate: addMonths(first, i),
    amountCents: opts.amountCents,
    description: `${opts.planName} — mensalidade ${i + 1}/${count}`,
  }));
}

/** Nosso número width per bank/layout (what the bank's free field takes). */
function nossoNumeroFor(s: BillingSettings, n: number): string {
  const width = s.bank === "341"
    ? 8
    : s.bank === "237"
    ? 11
    : s.bank === "104"
    ? 15
    : s.convenio.length === 7
    ? 10
    : s.convenio.length === 8
    ? 9
    : s.convenio.length === 6
    ? 5
    : 7;
  const seq = String(n % 10 ** width).padStart(width, "0");
  return s.bank === "104" ? `14${seq}` : seq; // Caixa: modalidade 1 (registrada), emissão 4
}

export function boletoFields(s: BillingSettings) {
  return {
    bank: s.bank,
    agencia: s.agencia || undefined,
    conta: s.conta || undefined,
    carteira: s.carteira || undefined,
    convenio: s.convenio || undefined,
    beneficiario: s.beneficiario || undefined,
  };
}

/**
 * Adds boleto and PIX to each invoice, with nosso número sequence values from `first` on (drawn
 * with services/numbers.ts and taken in the atomic that stores the invoices).
 */
export function issueInvoices(
  s: BillingSettings,
  list: Invoice[],
  txPrefix: string,
  first: number,
) {
  return list.map((inv, i) => {
    const nossoNumero = nossoNumeroFor(s, first + i);
    const b = buildBoleto({
      ...boletoFields(s),
      dueDate: inv.dueDate,
      amountCents: inv.amountCents,
      nossoNumero,
    });
    const pixPayload = buildPix({
      key: s.pixKey,
      name: s.beneficiary.name,
      city: s.pixCity,
      amountCents: inv.amountCents,
      txid: `${txPrefix}${String(inv.seq).padStart(2, "0")}`.replace(/[^A-Za-z0-9]/g, "").slice(
        0,
        25,
      ),
      description: `Mensalidade ${inv.seq}/${list.length}`,
    });
    return { ...inv, nossoNumero, barcode: b.barcode, linha: b.linha, pixPayload };
  });
}

/** Checks that the bank fields build a valid boleto (used before saving settings). */
export function checkBankFields(s: BillingSettings) {
  try {
    buildBoleto({
      ...boletoFields(s),
      dueDate: "2030-01-10",
      amountCents: 100,
      nossoNumero: nossoNumeroFor(s, 1),
    });
    buildPix({
      key: s.pixKey,
      name: s.beneficiary.name,
      city: s.pixCity,
      amountCents: 100,
      txid: "TESTE",
    });
  } catch (e) {
    throw new ValidationError({
      bank: `Os dados bancários não geram um boleto válido: ${(e as Error).message}`,
    });
  }
}

/** The carnê: one page per invoice, stored encrypted and pending (the caller promotes it). */
export async function storeCarne(
  db: Db,
  s: BillingSettings,
  customer: Customer,
  invoices: Invoice[],
) {
  const a = customer.address;
  const pdf = await renderCarne(
    invoices.map((i) => ({
      number: i.nossoNumero!,
      sequence: i.seq,
      total: invoices.length,
      dueDate: i.dueDate,
      amountCents: i.amountCents,
      description: i.description,
      boleto: { barcode: i.barcode!, linha: i.linha!, nossoNumero: i.nossoNumero! },
      pixPayload: i.pixPayload!,
    })),
    {
      title: "Carnê de mensalidades",
      beneficiary: {
        name: s.beneficiary.name,
        document: s.beneficiary.cnpj,
        address: s.beneficiary.address,
      },
      payer: {
        name: customer.name,
        document: customer.cpf,
        address: [
          `${a.street}, ${a.number} — ${a.district}`,
          `${a.city}/${a.state} — CEP ${a.zip}`,
        ],
      },
      instructions: [
        "Após o vencimento, multa de 2% e juros de 1% ao mês.",
        "Pague pelo código de barras ou pelo PIX.",
      ],
    },
  );
  return await putBlob(db, pdf, "application/pdf", "invoices");
}
