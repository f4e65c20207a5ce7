/**
 * FEBRABAN "boleto de cobrança" primitives: check digits, due-date factor, the 44-digit bar
 * code and the 47-digit linha digitável.
 *
 * Bar code layout (44 digits):
 *   0-2  bank code            3     currency code (9 = Real)
 *   4    general check digit  5-8   due-date factor (0000 = no due date)
 *   9-18 amount in cents      19-43 campo livre (bank specific, see banks.ts)
 *
 * Linha digitável (47 digits): field 1 = bar code 0-3 + 19-23 + DV, field 2 = 24-33 + DV,
 * field 3 = 34-43 + DV, field 4 = general DV, field 5 = factor + amount.
 */
import { BillingError } from "./errors.ts";

const DAY_MS = 86_400_000;
/** Day 0 of the due-date factor (Banco Central Carta-Circular 2.926/2000). */
const FACTOR_BASE_DAY = Date.UTC(1997, 9, 7) / DAY_MS;
/** The window parseBoleto reads a factor in, relative to today (FEBRABAN guidance). */
const WINDOW_PAST_DAYS = 3000;
const WINDOW_FUTURE_DAYS = 5500;

/** Modulo 10 check digit (weights 2,1,2,1... from the right, products' digits summed). */
export function mod10(digits: string): number {
  let sum = 0;
  let weight = 2;
  for (let i = digits.length - 1; i >= 0; i--) {
    let product = (digits.charCodeAt(i) - 48) * weight;
    if (product > 9) product = Math.floor(product / 10) + (product % 10);
    sum += product;
    weight = weight === 2 ? 1 : 2;
  }
  return (10 - (sum % 10)) % 10;
}

/** Weighted sum with weights 2..9 cycling from the right, the base of every mod-11 variant. */
export function mod11Sum(digits: string, maxWeight = 9): number {
  let sum = 0;
  let weight = 2;
  for (let i = digits.length - 1; i >= 0; i--) {
    sum += (digits.charCodeAt(i) - 48) * weight;
    weight = weight === maxWeight ? 2 : weight + 1;
  }
  return sum;
}

/** General bar-code check digit: 11 - (sum mod 11); results 0, 10 and 11 become 1. */
export function barcodeCheckDigit(digits43: string): number {
  const dv = 11 - (mod11Sum(digits43) % 11);
  return dv === 0 || dv === 10 || dv === 11 ? 1 : dv;
}

/** Strict YYYY-MM-DD → whole days since 1970-01-01 (UTC), rejecting e.g. 2025-02-30. */
export function isoToDays(value: string, field = "dueDate"): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) throw new BillingError(field, `Data inválida: "${value}" (use o formato AAAA-MM-DD).`);
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) {
    throw new BillingError(field, `Data inexistente: "${value}".`);
  }
  return ms / DAY_MS;
}

export function daysToIso(days: number): string {
  return new Date(days * DAY_MS).toISOString().slice(0, 10);
}

/**
 * Due-date factor: days since 1997-10-07. It reached 9999 on 2025-02-21 and restarted at 1000
 * on 2025-02-22, so every later cycle is ((days - 1000) mod 9000) + 1000.
 */
export function dueDateFactor(dueDate: string): string {
  const days = isoToDays(dueDate) - FACTOR_BASE_DAY;
  if (days < 1) {
    throw new BillingError("dueDate", `Vencimento ${dueDate} anterior ao início do fator (1997).`);
  }
  const factor = days < 1000 ? days : ((days - 1000) % 9000) + 1000;
  return String(factor).padStart(4, "0");
}

/** Today's date in Brazil, where the slips are paid. */
function todayIso(): string {
  // en-CA formats as YYYY-MM-DD.
  return new Intl.DateTimeFormat("en-CA", { timeZone: "America/Sao_Paulo" }).format(new Date());
}

/**
 * Reads a factor back into a date. Factors repeat every 9000 days, so the cycle is the one
 * that falls inside [today - 3000, today + 5500]; 0000 means "no due date".
 */
export function factorToDate(factor: string, today: string | Date = todayIso()): string | null {
  if (!/^\d{4}$/.test(factor)) throw new BillingError("fator", "Fator de vencimento inválido.");
  const f = Number(factor);
  if (f === 0) return null;
  const todayStr = typeof today === "string" ? today : today.toISOString().slice(0, 10);
  const todayDays = isoToDays(todayStr, "today") - FACTOR_BASE_DAY;
  const lo = todayDays - WINDOW_PAST_DAYS;
  const hi = todayDays + WINDOW_FUTURE_DAYS;
  // Factors below 1000 only existed in the first cycle (1997-2000).
  const candidates = f < 1000 ? [f] : [];
  if (f >= 1000) {
    for (let k = Math.max(0, Math.floor((lo - f) / 9000)); f + 9000 * k <= hi; k++) {
      candidates.push(f + 9000 * k);
    }
  }
  const hit = candidates.find((d) => d >= lo && d <= hi);
  if (hit === undefined) {
    throw new BillingError(
      "fator",
      `Fator de vencimento ${factor} fora da janela aceita (hoje −3000 a +5500 dias).`,
    );
  }
  return daysToIso(hit + FACTOR_BASE_DAY);
}

/** Assembles the 44-digit bar code, computing the general check digit. */
export function assembleBarcode(
  bank: string,
  factor: string,
  amountCents: number,
  campoLivre: string,
): string {
  if (!/^\d{3}$/.test(bank)) throw new BillingError("bank", "Código do banco inválido.");
  if (!/^\d{25}$/.test(campoLivre)) {
    throw new BillingError("campoLivre", "Campo livre deve ter 25 dígitos.");
  }
  const amount = String(amountCents).padStart(10, "0");
  const body = `${bank}9${factor}${amount}${campoLivre}`;
  const dv = barcodeCheckDigit(body);
  return `${body.slice(0, 4)}${dv}${body.slice(4)}`;
}

/** Bar code → linha digitável digits (47, unformatted). */
export function barcodeToLinhaDigits(barcode: string): string {
  const f1 = barcode.slice(0, 4) + barcode.slice(19, 24);
  const f2 = barcode.slice(24, 34);
  const f3 = barcode.slice(34, 44);
  return `${f1}${mod10(f1)}${f2}${mod10(f2)}${f3}${mod10(f3)}${barcode[4]}${barcode.slice(5, 19)}`;
}

/** Prints a 47-digit linha as AAAAA.AAAAA BBBBB.BBBBBB CCCCC.CCCCCC D EEEEEEEEEEEEEE. */
export function formatLinha(d: string): string {
  return `${d.slice(0, 5)}.${d.slice(5, 10)} ${d.slice(10, 15)}.${d.slice(15, 21)} ` +
    `${d.slice(21, 26)}.${d.slice(26, 32)} ${d[32]} ${d.slice(33)}`;
}

/** Linha digitável digits → bar code, checking the three field check digits first. */
function linhaDigitsToBarcode(d: string): string {
  const fields: Array<[string, string]> = [
    [d.slice(0, 9), d[9]],
    [d.slice(10, 20), d[20]],
    [d.slice(21, 31), d[31]],
  ];
  fields.forEach(([body, dv], i) => {
    if (mod10(body) !== Number(dv)) {
      throw new BillingError(
        "linha",
        `Linha digitável inválida: o dígito verificador do campo ${i + 1} não confere.`,
      );
    }
  });
  return d.slice(0, 4) + d[32] + d.slice(33, 47) + d.slice(4, 9) + d.slice(10, 20) +
    d.slice(21, 31);
}

export interface ParsedBoleto {
  bank: string;
  dueDate: string | null;
  amountCents: number;
  barcode: string;
  linha: string;
}

/** Validates a bar code's structure and general check digit (no date window involved). */
export function checkBarcode(barcode: string, field = "barcode"): void {
  if (!/^\d{44}$/.test(barcode)) {
    throw new BillingError(field, "Código de barras deve ter 44 dígitos.");
  }
  if (barcode[3] !== "9") {
    throw new BillingError(
      field,
      `Código de moeda ${barcode[3]} não suportado (esperado 9, Real).`,
    );
  }
  if (barcodeCheckDigit(barcode.slice(0, 4) + barcode.slice(5)) !== Number(barcode[4])) {
    throw new BillingError(
      field,
      "Código de barras inválido: o dígito verificador geral (módulo 11) não confere.",
    );
  }
}

/**
 * Parses a boleto de cobrança given as linha digitável (47 digits) or bar code (44 digits).
 * Dots, spaces and hyphens are ignored; anything else is rejected.
 */
export function parseBoleto(input: string, opts: { today?: string | Date } = {}): ParsedBoleto {
  if (typeof input !== "string" || input.trim() === "") {
    throw new BillingError("linha", "Informe a linha digitável ou o código de barras.");
  }
  if (/[^\d\s.\-]/.test(input)) {
    throw new BillingError(
      "linha",
      "Linha digitável ou código de barras contém caracteres inválidos (apenas dígitos).",
    );
  }
  const digits = input.replace(/[\s.\-]/g, "");
  let barcode: string;
  if (digits.length === 47) {
    barcode = linhaDigitsToBarcode(digits);
  } else if (digits.length === 44) {
    barcode = digits;
  } else if (digits.length === 48 && digits[0] === "8") {
    throw new BillingError(
      "linha",
      "Boleto de arrecadação (contas de consumo/tributos) não é suportado, apenas cobrança.",
    );
  } else {
    throw new BillingError(
      "linha",
      `Tamanho inválido: ${digits.length} dígitos (esperado 47 na linha digitável ` +
        "ou 44 no código de barras).",
    );
  }
  checkBarcode(barcode, digits.length === 47 ? "linha" : "barcode");
  return {
    bank: barcode.slice(0, 3),
    dueDate: factorToDate(barcode.slice(5, 9), opts.today),
    amountCents: Number(barcode.slice(9, 19)),
    barcode,
    linha: formatLinha(barcodeToLinhaDigits(barcode)),
  };
}
