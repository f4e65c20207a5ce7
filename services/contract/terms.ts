// The renewal contract's text, built once as structured sections from the case data. The HTML
// page shows these sections; the PDF (Signature issue) renders the same sections, so what the
// customer reads is what they sign. The SHA-256 of the canonical text is the document hash.
import { sha256Hex } from "../crypto.ts";
import {
  formatCnpj,
  formatCpf,
  formatDate,
  formatMoney,
  formatPhone,
} from "../../domain/format.ts";
import { fineTable, type Plan } from "../plans.ts";
import type { Customer } from "../customers.ts";

export const CONTRACT_VERSION = "2026.1";

export interface ProviderInfo {
  name: string;
  cnpj: string;
  phone: string;
  email: string;
  site: string;
}

export interface ContractData {
  provider: ProviderInfo;
  customer: Pick<Customer, "name" | "cpf" | "phones" | "email" | "address">;
  plan: Plan;
  /** The date shown on the contract (YYYY-MM-DD): the day it is offered for signature. */
  date: string;
  caseId: string;
}

export interface ContractSection {
  title: string;
  paragraphs: string[];
  /** Fine table rows, when the section has one. */
  table?: { head: string[]; rows: string[][] };
}

export function contractSections(d: ContractData): ContractSection[] {
  const a = d.customer.address;
  const p = d.plan;
  return [
    {
      title: "1. Partes",
      paragraphs: [
        `CONTRATADA: ${d.provider.name}, CNPJ ${formatCnpj(d.provider.cnpj)}, atendimento ${
          formatPhone(d.provider.phone)
        }, ${d.provider.email}, ${d.provider.site}.`,
        `CONTRATANTE: ${d.customer.name}, CPF ${
          formatCpf(d.customer.cpf)
        }, residente em ${a.street}, ${a.number}, ${a.district}, ${a.city}/${a.state}, CEP ${a.zip}; telefones ${
          d.customer.phones.map(formatPhone).join(", ")
        }; e-mail ${d.customer.email || "não informado"}.`,
      ],
    },
    {
      title: "2. Plano contratado",
      paragraphs: [
        `${p.name}: ${p.downMbps} Mbps de download e ${p.upMbps} Mbps de upload, por fibra óptica, pelo valor mensal de ${
          formatMoney(p.priceCents)
        }. Código da oferta: ${p.offerCode}.`,
      ],
    },
    {
      title: "3. Fidelidade e benefício",
      paragraphs: [
        `Em troca do benefício "${p.benefit}", no valor de ${
          formatMoney(p.benefitValueCents)
        }, o CONTRATANTE aceita permanecer por ${p.loyaltyMonths} meses contados da data da assinatura.`,
        "Se cancelar antes do fim da fidelidade, pagará multa proporcional aos meses que faltarem, conforme a tabela abaixo (Resolução ANATEL nº 765/2023). Não há multa após o fim da fidelidade, nem quando o cancelamento decorrer de falha da CONTRATADA.",
      ],
      table: {
        head: ["Meses restantes", "Multa"],
        rows: fineTable(p).map((r) => [String(r.monthsLeft), formatMoney(r.fineCents)]),
      },
    },
    {
      title: "4. Cobrança",
      paragraphs: [
        "As mensalidades são cobradas por boleto bancário ou PIX, com vencimento mensal. As novas faturas são enviadas ao CONTRATANTE após a assinatura.",
      ],
    },
    {
      title: "5. Cancelamento e atendimento",
      paragraphs: [
        `O CONTRATANTE pode cancelar a qualquer momento, inclusive pela internet em ${d.provider.site}, pelo telefone ${
          formatPhone(d.provider.phone)
        } ou pelo e-mail ${d.provider.email}. Toda interação recebe um número de protocolo.`,
      ],
    },
    {
      title: "6. Assinatura eletrônica",
      paragraphs: [
        "As partes aceitam a assinatura eletrônica deste contrato (MP 2.200-2/2001, art. 10, § 2º; Lei 14.063/2020), feita por link pessoal enviado ao CONTRATANTE, após a verificação de titularidade por foto com documento. São registrados data, hora, endereço IP, navegador e o resumo criptográfico (SHA-256) deste documento.",
      ],
    },
    {
      title: "7. Dados pessoais",
      paragraphs: [
        "Os dados pessoais são tratados para a execução deste contrato (LGPD, art. 7º, V). A foto com documento serve apenas para prevenir fraude e é apagada após o prazo de guarda.",
      ],
    },
    {
      title: "8. Data",
      paragraphs: [
        `${a.city}/${a.state}, ${formatDate(d.date)}. Versão do contrato: ${CONTRACT_VERSION}.`,
      ],
    },
  ];
}

/** Canonical text of the contract: what the hash covers. */
export function contractText(sections: ContractSection[]): string {
  return sections.map((s) =>
    [
      s.title,
      ...s.paragraphs,
      ...(s.table ? [s.table.head.join(" | "), ...s.table.rows.map((r) => r.join(" | "))] : []),
    ]
      .join("\n")
  ).join("\n\n");
}

export async function contractHash(sections: ContractSection[]): Promise<string> {
  return await sha256Hex(contractText(sections));
}
