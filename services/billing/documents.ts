/**
 * CPF and CNPJ check digits (Receita Federal). Formatting characters (dots, hyphen, slash,
 * spaces) are ignored; anything else makes the document invalid.
 *
 * CNPJ also accepts the alphanumeric form (IN RFB 2.229/2024, issued from July 2026): the first
 * 12 positions are 0-9 or A-Z, each valued as its ASCII code − 48, the two check digits stay
 * numeric and use the same mod-11 weights as the numeric form.
 */

import { BillingError } from "./errors.ts";

const SEPARATORS = /[\s.\-/]/g;

function allSame(s: string): boolean {
  return /^(.)\1*$/.test(s);
}

/** Mod-11 check digit used by both documents: rest < 2 → 0, otherwise 11 − rest. */
function dv(values: number[], weights: number[]): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i] * weights[i];
  const rest = sum % 11;
  return rest < 2 ? 0 : 11 - rest;
}

const CPF_W1 = [10, 9, 8, 7, 6, 5, 4, 3, 2];
const CPF_W2 = [11, 10, 9, 8, 7, 6, 5, 4, 3, 2];

function cpfDigits(base9: number[]): [number, number] {
  const d1 = dv(base9, CPF_W1);
  return [d1, dv([...base9, d1], CPF_W2)];
}

export function isValidCpf(value: string): boolean {
  if (typeof value !== "string") return false;
  const s = value.replace(SEPARATORS, "");
  if (!/^\d{11}$/.test(s) || allSame(s)) return false;
  const nums = [...s].map(Number);
  const [d1, d2] = cpfDigits(nums.slice(0, 9));
  return nums[9] === d1 && nums[10] === d2;
}

/**
 * Random valid CPF (11 digits, unformatted) for demo data. `rand` must return numbers in
 * [0, 1) like Math.random; pass a seeded generator for reproducible seeds.
 */
export function generateCpf(rand: () => number = Math.random): string {
  for (let attempt = 0; attempt < 1000; attempt++) {
    const base = Array.from({ length: 9 }, () => Math.min(9, Math.max(0, Math.floor(rand() * 10))));
    // All-equal numbers (000.000.000-00 …) are valid by the formula but never issued.
    if (allSame(base.join(""))) continue;
    return [...base, ...cpfDigits(base)].join("");
  }
  throw new BillingError("rand", "Gerador aleatório inválido: só produz CPFs de dígitos iguais.");
}

const CNPJ_W1 = [5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2];
const CNPJ_W2 = [6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2];

export function isValidCnpj(value: string): boolean {
  if (typeof value !== "string") return false;
  const s = value.replace(SEPARATORS, "").toUpperCase();
  if (!/^[0-9A-Z]{12}\d{2}$/.test(s) || allSame(s)) return false;
  // ASCII − 48 maps '0'..'9' to 0..9 and 'A'..'Z' to 17..42, as the Receita specifies.
  const vals = [...s].map((c) => c.charCodeAt(0) - 48);
  const d1 = dv(vals.slice(0, 12), CNPJ_W1);
  const d2 = dv([...vals.slice(0, 12), d1], CNPJ_W2);
  return vals[12] === d1 && vals[13] === d2;
}
