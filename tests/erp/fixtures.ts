// IXC records for the bridge tests, in the stand-in (tests/erp/ixc_standin.ts), and a store
// with Renova's demo plans where ERP plan 11 is mapped to one of them.
import { IxcStandin, type Rec } from "./ixc_standin.ts";
import { generateCpf } from "../../services/billing/documents.ts";
import { seedIfEmpty } from "../../services/seed.ts";
import { listPlans, setPlanErpMapping } from "../../services/plans.ts";
import type { Db } from "../../services/db.ts";
import { type ErpSettings } from "../../services/erp/settings.ts";
import { ixcAdapter } from "../../services/erp/adapters/ixc.ts";

export const TOKEN = "7:tok-abc";

/** A seeded PRNG, so CPFs are the same on every run. */
function rng(seed: number) {
  return () => (seed = (seed * 16807) % 2147483647) / 2147483647;
}

/** `n` customers with one contract each (ids 1…n on both tables), two plans, the places. */
export function fillIxc(s: IxcStandin, n: number, expiry = "15/12/2026"): void {
  const rand = rng(42);
  s.put("uf", { id: "25", sigla: "SP" });
  s.put("cidade", { id: "3550308", nome: "São Paulo", uf: "25" });
  s.put("vd_contratos", { id: "11", nome: "Fibra 300", valor_contrato: "99.90" });
  s.put("vd_contratos", { id: "12", nome: "Fibra 600", valor_contrato: "129.90" });
  for (let i = 1; i <= n; i++) {
    s.put("cliente", customer(i, generateCpf(rand)));
    s.put("cliente_contrato", contract(i, String(i), expiry));
    s.put("radusuarios", {
      id: String(500 + i),
      login: `cliente${i}`,
      id_contrato: String(i),
      ativo: "S",
    });
  }
}

export function customer(i: number, cpf: string): Rec {
  const d = cpf.replace(/\D/g, "");
  return {
    id: String(i),
    razao: `Cliente Número ${i} da Silva`,
    cnpj_cpf: `${d.slice(0, 3)}.${d.slice(3, 6)}.${d.slice(6, 9)}-${d.slice(9)}`,
    telefone_celular: `(11) 98765-${String(4000 + i)}`,
    fone: "",
    email: `cliente${i}@exemplo.com.br`,
    endereco: "Rua das Flores",
    numero: String(10 + i),
    bairro: "Centro",
    cidade: "3550308",
    uf: "25",
    cep: "01001-000",
    ativo: "S",
  };
}

export function contract(i: number, customerId: string, expiry: string): Rec {
  return {
    id: String(i),
    id_cliente: customerId,
    id_vd_contrato: "11",
    contrato: "Fibra 300",
    status: "A",
    status_internet: "A",
    data_ativacao: "15/12/2024",
    data_renovacao: "15/12/2025",
    data_expiracao: expiry,
    fidelidade: "12",
    renovacao_automatica: "N",
    obs: "",
  };
}

export function settingsFor(s: IxcStandin, token = TOKEN): ErpSettings {
  return {
    kind: "ixc",
    ixc: { url: s.url, token, pageSize: 2, timeoutMs: 2000 },
    invoices: "renova",
    pullEveryMinutes: 0,
    pushLeaseMs: 120_000,
  };
}

export const adapterOf = (s: IxcStandin, token = TOKEN) => ixcAdapter(settingsFor(s, token).ixc);

/** Demo plans (and users); ERP plan "11" is mapped to the first plan. */
export async function plansMapped(db: Db) {
  await seedIfEmpty(db, {});
  const plans = await listPlans(db);
  await setPlanErpMapping(db, "11", plans[0].id);
  return plans;
}

export { IxcStandin };
