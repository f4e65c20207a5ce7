// IXC records for the bridge tests, in the stand-in (tests/erp/ixc_standin.ts), and a store
// with Renova's demo plans where ERP plan 11 is mapped to one of them.
import { IxcStandin, type Rec } from "./ixc_standin.ts";
import { generateCpf } from "../../services/billing/documents.ts";
import { seedIfEmpty } from "../../services/seed.ts";
import { listPlans, setPlanErpMapping } from "../../services/plans.ts";
import type { Db } from "../../services/db.ts";
import { type ErpSettings } from "../../services/erp/settings.ts";
import { ixcAdapter } from "../../services/erp/adapters/ixc.ts";
import { addMonths } from "../../services/dates.ts";
import { PDFDocument, StandardFonts } from "pdf-lib";

export const TOKEN = "7:tok-abc";
/** The provider's ids an IXC service order needs (its assunto, setor, filial). */
export const OS_IDS = { IXC_OS_ASSUNTO: "31", IXC_OS_SETOR: "2", IXC_OS_FILIAL: "1" };

/** A one-page PDF standing in for a boleto IXC renders, with its text in it. */
export async function boletoPdf(text: string): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const page = doc.addPage([300, 200]);
  page.drawText(text, {
    x: 20,
    y: 100,
    size: 10,
    font: await doc.embedFont(StandardFonts.Helvetica),
  });
  return await doc.save();
}

/**
 * `n` monthly invoices IXC issued for a contract from `firstDue` (YYYY-MM-DD), each with its
 * linha digitável, a boleto PDF and (the odd ones) a PIX charge. Answers their fn_areceber ids.
 */
export async function ixcInvoices(
  s: IxcStandin,
  contractErpId: string,
  customerErpId: string,
  firstDue: string,
  n: number,
): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const due = addMonths(firstDue, i);
    const rec = s.put("fn_areceber", {
      id_cliente: customerErpId,
      id_contrato: contractErpId,
      documento: String(72000 + i),
      data_emissao: firstDue,
      data_vencimento: due,
      valor: "129.90",
      valor_aberto: "129.90",
      status: "A",
      liberado: "S",
      linha_digitavel: `23790.00009 00000.0000${i} 00000.000000 1 ${String(90000 + i)}0000012990`,
      pix_txid: i % 2 === 0 ? `TXID${i}` : "",
    });
    s.boletos.set(rec.id, await boletoPdf(`Boleto IXC ${rec.id} vencimento ${due}`));
    if (i % 2 === 0) {
      s.pix.set(rec.id, `00020101021226IXCPIX${rec.id}5204000053039865802BR6304ABCD`);
    }
    ids.push(rec.id);
  }
  return ids;
}

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
    ixc: {
      url: s.url,
      token,
      pageSize: 2,
      timeoutMs: 2000,
      os: {
        assunto: OS_IDS.IXC_OS_ASSUNTO,
        setor: OS_IDS.IXC_OS_SETOR,
        filial: OS_IDS.IXC_OS_FILIAL,
      },
    },
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
