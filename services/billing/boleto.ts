/** buildBoleto: bank inputs → campo livre, 44-digit bar code and printed linha digitável. */
import { type BankCode, campoLivre, type CampoLivreInput, SUPPORTED_BANKS } from "./banks.ts";
import { BillingError } from "./errors.ts";
import { assembleBarcode, barcodeToLinhaDigits, dueDateFactor, formatLinha } from "./febraban.ts";

export interface BoletoInput extends CampoLivreInput {
  bank: BankCode;
  /** YYYY-MM-DD, or null for "sem vencimento" (factor 0000). */
  dueDate: string | null;
  /** Integer amount in centavos, 0 to 9 999 999 999 (10 digits in the bar code). */
  amountCents: number;
}

export interface Boleto {
  /** 25 digits, bank specific. */
  campoLivre: string;
  /** 44 digits, what the interleaved 2 of 5 bar code encodes. */
  barcode: string;
  /** Formatted as AAAAA.AAAAA BBBBB.BBBBBB CCCCC.CCCCCC D EEEEEEEEEEEEEE. */
  linha: string;
}

const MAX_AMOUNT_CENTS = 9_999_999_999;

export function buildBoleto(input: BoletoInput): Boleto {
  if (!input || typeof input !== "object") {
    throw new BillingError("input", "Dados do boleto ausentes.");
  }
  if (!SUPPORTED_BANKS.includes(input.bank)) {
    throw new BillingError(
      "bank",
      `Banco "${String(input.bank)}" não suportado (use 001, 104, 237 ou 341).`,
    );
  }
  const cents = input.amountCents;
  if (!Number.isSafeInteger(cents) || cents < 0 || cents > MAX_AMOUNT_CENTS) {
    throw new BillingError(
      "amountCents",
      "Valor inválido: informe um número inteiro de centavos entre 0 e 9.999.999.999.",
    );
  }
  const factor = input.dueDate === null ? "0000" : dueDateFactor(String(input.dueDate));
  const free = campoLivre(input);
  const barcode = assembleBarcode(input.bank, factor, cents, free);
  return { campoLivre: free, barcode, linha: formatLinha(barcodeToLinhaDigits(barcode)) };
}
