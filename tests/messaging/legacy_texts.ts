// The texts customers received before templates became editable: the defaults must reproduce them.
import { formatDate, formatMoney } from "../../domain/format.ts";
import type { Invoice } from "../../services/invoices.ts";

export const notices = {
  firstContact: (name: string, provider: string, url: string) => ({
    subject: `${provider}: renove seu plano`,
    body:
      `Olá, ${name}! Sua fidelidade com a ${provider} está terminando. Preparamos novos planos para você. ` +
      `Veja e escolha pelo seu link pessoal (não compartilhe): ${url}`,
  }),
  photoRejected: (name: string, reason: string, url: string) => ({
    subject: "Precisamos de uma nova foto",
    body:
      `Olá, ${name}. Não conseguimos confirmar sua foto: ${reason}. Envie outra pelo seu link: ${url}`,
  }),
  contactCode: (code: string) => ({
    subject: "Código de confirmação",
    body:
      `Seu código de confirmação é ${code}. Ele vale por 10 minutos. Não compartilhe este código.`,
  }),
  signingLink: (name: string, url: string) => ({
    subject: "Seu contrato está pronto para assinar",
    body:
      `Olá, ${name}! Seu novo contrato está pronto. Leia e assine pelo seu link pessoal: ${url}`,
  }),
  protocol: (protocol: string, date: string) => ({
    subject: `Protocolo ${protocol}`,
    body:
      `Recebemos sua assinatura. O protocolo do seu atendimento de renovação é ${protocol}, de ${
        formatDate(date)
      }.`,
  }),
  allSet: (name: string, protocol: string, invoices: Invoice[], url: string) => ({
    subject: "Renovação concluída",
    body: [
      `Tudo pronto, ${name}! Sua renovação foi concluída (protocolo ${protocol}).`,
      "Para ativar o novo plano, desligue o roteador da tomada por 5 minutos e ligue de novo.",
      "Suas novas faturas:",
      ...invoices.map((i) =>
        `${i.seq}. vencimento ${formatDate(i.dueDate)} — ${formatMoney(i.amountCents)}${
          i.linha ? ` — boleto ${i.linha}` : ""
        }`
      ),
      `Carnê em PDF (boleto e PIX): ${url}/faturas.pdf`,
      `Veja tudo pelo seu link: ${url}`,
    ].join("\n"),
  }),
};
