/**
 * Billing module public API: boletos (FEBRABAN cobrança for BB, Caixa, Bradesco, Itaú),
 * PIX BR Code, CPF/CNPJ validation and the carnê PDF (server only).
 *
 * Browser code (islands) should import ./documents.ts, ./pix.ts or ./boleto.ts directly:
 * this file also re-exports ./carne.ts, which loads pdf-lib, fontkit, bwip-js and reads fonts
 * from disk.
 */
export { BillingError } from "./errors.ts";
export { type Boleto, type BoletoInput, buildBoleto } from "./boleto.ts";
export { type BankCode, ITAU_SPECIAL_CARTEIRAS, SUPPORTED_BANKS } from "./banks.ts";
export {
  barcodeCheckDigit,
  dueDateFactor,
  factorToDate,
  formatLinha,
  mod10,
  parseBoleto,
  type ParsedBoleto,
} from "./febraban.ts";
export { buildPix, crc16, type ParsedPix, parsePix, type PixInput } from "./pix.ts";
export { generateCpf, isValidCnpj, isValidCpf } from "./documents.ts";
export { type CarneInvoice, type CarneOptions, type CarneParty, renderCarne } from "./carne.ts";
