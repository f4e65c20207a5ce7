// Journey 1 of Pix Automático: the payer's account, where the PSP pushes the authorization
// request (POST /solicrec `destinatario`: ispbParticipante, agencia, conta, cpf). Only the main
// banks are offered, by their ISPB (the 8-digit id the Pix arrangement uses, not the 3-digit
// COMPE code): a free-form ISPB would send the request nowhere the customer could see it.
//
// Source: Banco Central do Brasil, "Participantes do Pix" (relação de participantes,
// https://www.bcb.gov.br/estabilidadefinanceira/participantespix) and the STR participants list
// (https://www.bcb.gov.br/pom/spb/estatistica/port/ParticipantesSTRport.csv), columns ISPB and
// nome reduzido; checked against the list published in 2025.
import { ValidationError } from "../errors.ts";

export interface PayerBank {
  ispb: string;
  /** COMPE code, shown next to the name (customers know "341", not the ISPB). */
  code: string;
  name: string;
}

export const PAYER_BANKS: readonly PayerBank[] = [
  { ispb: "00000000", code: "001", name: "Banco do Brasil" },
  { ispb: "00360305", code: "104", name: "Caixa Econômica Federal" },
  { ispb: "60746948", code: "237", name: "Bradesco" },
  { ispb: "60701190", code: "341", name: "Itaú Unibanco" },
  { ispb: "90400888", code: "033", name: "Santander" },
  { ispb: "18236120", code: "260", name: "Nubank" },
  { ispb: "00416968", code: "077", name: "Banco Inter" },
  { ispb: "31872495", code: "336", name: "C6 Bank" },
  { ispb: "02038232", code: "756", name: "Sicoob" },
  { ispb: "01181521", code: "748", name: "Sicredi" },
  { ispb: "92702067", code: "041", name: "Banrisul" },
  { ispb: "10573521", code: "323", name: "Mercado Pago" },
  { ispb: "22896431", code: "380", name: "PicPay" },
  { ispb: "08561701", code: "290", name: "PagBank (PagSeguro)" },
  { ispb: "30306294", code: "208", name: "BTG Pactual" },
  { ispb: "92894922", code: "212", name: "Banco Original" },
];

export type AccountType = "corrente" | "poupanca" | "pagamento";
export const ACCOUNT_TYPES: Record<AccountType, string> = {
  corrente: "Conta corrente",
  poupanca: "Conta poupança",
  pagamento: "Conta de pagamento (carteira digital)",
};

/** What the PSP needs to reach the payer's bank (the CPF is the customer's own). */
export interface PayerAccount {
  ispb: string;
  agencia: string;
  /** Account number with its check digit, digits only (the standard's `conta`). */
  conta: string;
}

/**
 * The customer's form, checked before anything is written: one pt-BR message per field.
 * The account type is asked (customers recognise their account by it) but not kept: the
 * standard's `destinatario` has no field for it.
 */
export function parsePayerAccount(form: {
  bank?: string;
  agencia?: string;
  conta?: string;
  tipoConta?: string;
}): PayerAccount {
  const errors: Record<string, string> = {};
  const bank = PAYER_BANKS.find((b) => b.ispb === form.bank);
  if (!bank) errors.bank = "Escolha o seu banco na lista.";
  const agencia = (form.agencia ?? "").trim();
  if (!/^\d{1,4}$/.test(agencia)) {
    errors.agencia = "Informe a agência com até 4 números, sem o dígito.";
  }
  // "12345-6", "12.345-6" or "123456": the digit is part of the number the PSP expects.
  const contaRaw = (form.conta ?? "").trim();
  const conta = contaRaw.replace(/[.\-\s]/g, "");
  if (!/^[\d.\-\s]+$/.test(contaRaw) || !/^\d{2,20}$/.test(conta)) {
    errors.conta = "Informe o número da conta com o dígito, por exemplo 12345-6.";
  }
  if (!Object.hasOwn(ACCOUNT_TYPES, form.tipoConta ?? "")) {
    errors.tipoConta = "Escolha o tipo de conta.";
  }
  if (Object.keys(errors).length) throw new ValidationError(errors);
  return { ispb: bank!.ispb, agencia, conta };
}
