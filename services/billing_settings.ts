// Billing settings (admin page): the beneficiary, the bank and its fields, the PIX key, the due
// day and how many invoices a renewal issues. One record, updated with a version check.
import type { Db } from "./db.ts";
import { commitOrConflict } from "./db.ts";
import { keys } from "./keys.ts";
import { addAudit } from "./audit.ts";
import { type Actor } from "../domain/actor.ts";
import { ValidationError } from "./errors.ts";
import { type BankCode, isValidCnpj, SUPPORTED_BANKS } from "./billing/mod.ts";

export interface BillingSettings {
  beneficiary: { name: string; cnpj: string; address: string };
  bank: BankCode;
  agencia: string;
  conta: string;
  carteira: string;
  convenio: string;
  /** Caixa SIGCB: código do beneficiário (6 digits). */
  beneficiario: string;
  pixKey: string;
  pixCity: string;
  dueDay: number;
  count: number;
}

export const BANK_NAMES: Record<BankCode, string> = {
  "001": "Banco do Brasil",
  "104": "Caixa Econômica Federal",
  "237": "Bradesco",
  "341": "Itaú",
};

/** Demo defaults: Itaú carteira 109 (a public example account), PIX key = the CNPJ. */
export function defaultBillingSettings(provider: { name: string; cnpj: string }): BillingSettings {
  return {
    beneficiary: {
      name: provider.name,
      cnpj: provider.cnpj,
      address: "Av. Paulista, 1000 — São Paulo/SP",
    },
    bank: "341",
    agencia: "0810",
    conta: "53678",
    carteira: "109",
    convenio: "",
    beneficiario: "",
    pixKey: provider.cnpj,
    pixCity: "SAO PAULO",
    dueDay: 10,
    count: 12,
  };
}

export async function getBillingSettings(db: Db, provider: { name: string; cnpj: string }) {
  const e = await db.kv.get<BillingSettings>(keys.billingSettings());
  return { settings: e.value ?? defaultBillingSettings(provider), versionstamp: e.versionstamp };
}

const digits = (s: unknown) => String(s ?? "").replace(/\D/g, "");

export function validateBillingSettings(f: Record<string, string>): BillingSettings {
  const e: Record<string, string> = {};
  const name = (f.name ?? "").trim();
  if (name.length < 3 || name.length > 120) e.name = "Informe a razão social do beneficiário.";
  const cnpj = (f.cnpj ?? "").replace(/[^0-9A-Za-z]/g, "").toUpperCase();
  if (!isValidCnpj(cnpj)) e.cnpj = "CNPJ inválido.";
  const address = (f.address ?? "").trim();
  if (address.length < 5 || address.length > 200) e.address = "Informe o endereço do beneficiário.";
  const bank = f.bank as BankCode;
  if (!SUPPORTED_BANKS.includes(bank)) e.bank = "Escolha um dos bancos suportados.";
  const pixKey = (f.pixKey ?? "").trim();
  if (!pixKey || pixKey.length > 77) e.pixKey = "Informe a chave PIX (até 77 caracteres).";
  const pixCity = (f.pixCity ?? "").trim();
  if (!pixCity || pixCity.length > 15) e.pixCity = "Informe a cidade do PIX (até 15 letras).";
  const dueDay = Number(f.dueDay);
  if (!Number.isInteger(dueDay) || dueDay < 1 || dueDay > 28) {
    e.dueDay = "O dia de vencimento vai de 1 a 28.";
  }
  const count = Number(f.count);
  if (!Number.isInteger(count) || count < 1 || count > 24) e.count = "Emita de 1 a 24 faturas.";
  if (Object.keys(e).length) throw new ValidationError(e);
  return {
    beneficiary: { name, cnpj, address },
    bank,
    agencia: digits(f.agencia),
    conta: digits(f.conta),
    carteira: digits(f.carteira),
    convenio: digits(f.convenio),
    beneficiario: digits(f.beneficiario),
    pixKey,
    pixCity,
    dueDay,
    count,
  };
}

export async function saveBillingSettings(
  db: Db,
  next: BillingSettings,
  actor: Actor,
  check: () => Promise<void>,
) {
  // The bank fields must actually build a boleto before they are saved.
  await check();
  const cur = await db.kv.get<BillingSettings>(keys.billingSettings());
  const op = db.kv.atomic().check(cur).set(keys.billingSettings(), next);
  addAudit(db, op, "billing_settings", "billing_settings.saved", actor, { bank: next.bank });
  await commitOrConflict(op);
}
