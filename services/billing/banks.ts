/**
 * Campo livre (bar-code positions 20-44, 25 digits) for each supported bank.
 *
 * All inputs are digit strings exactly as the bank assigns them. Shorter values are left-padded
 * with zeros to the field width; longer values are rejected.
 *
 * 001 Banco do Brasil — the layout follows the length of `convenio`:
 *   - convênio 4 digits: nossoNumero = sequence of up to 7 digits (or the full 11-digit nosso
 *     número, convênio + sequence); agencia (4), conta (8, without DV), carteira (2).
 *     campo livre = convênio(4) + sequence(7) + agência(4) + conta(8) + carteira(2)
 *   - convênio 6 digits, nossoNumero of up to 5 digits (or 11 = convênio + 5); agencia, conta,
 *     carteira as above.
 *     campo livre = convênio(6) + sequence(5) + agência(4) + conta(8) + carteira(2)
 *   - convênio 6 digits with a free 17-digit nossoNumero (carteiras 16/18, "código de serviço
 *     21"): nossoNumero must have exactly 17 digits; carteira optional (16, 18 or 21).
 *     campo livre = convênio(6) + nosso número(17) + "21"
 *   - convênio 7 digits: nossoNumero = sequence of up to 10 digits (or the full 17 digits,
 *     convênio + sequence); carteira (2). campo livre = "000000" + convênio(7) + seq(10) + cart.
 *   - convênio 8 digits: nossoNumero = sequence of up to 9 digits (or the full 17 digits);
 *     carteira (2). campo livre = "000000" + convênio(8) + sequence(9) + carteira(2)
 *
 * 104 Caixa — SIGCB: beneficiario = código do beneficiário (6 digits); nossoNumero = the full
 *   17-digit nosso número (modalidade 1 registrada / 2 sem registro, emissão 4 = beneficiário,
 *   then 15 digits). agencia and carteira are not part of the bar code.
 *   campo livre = beneficiário(6) + DV(1) + NN 3-5 + NN 1 + NN 6-8 + NN 2 + NN 9-17 + DV(1);
 *   both DVs are mod 11 (weights 2..9, 11 - rest, values above 9 become 0).
 *
 * 237 Bradesco — agencia (4, without DV), carteira (2), nossoNumero (11, without DV),
 *   conta (7, without DV). campo livre = agência + carteira + nosso número + conta + "0".
 *
 * 341 Itaú — carteira (3), nossoNumero (8, without DAC).
 *   - Carteiras 106, 107, 122, 142, 143, 195, 196, 198: seuNumero (7) and codigoCliente (5).
 *     campo livre = carteira + nosso número + seu número + código do cliente + DAC + "0",
 *     DAC = mod 10 of the preceding 23 digits.
 *   - Every other carteira (109, 112, 175, 126, ...): agencia (4) and conta (5, without DAC).
 *     campo livre = carteira + nosso número + DAC(NN) + agência + conta + DAC(ag+conta) + "000",
 *     DAC(NN) = mod 10 of agência + conta + carteira + nosso número, except carteiras 126, 131,
 *     146, 150 and 168 where it is mod 10 of carteira + nosso número.
 */
import { BillingError } from "./errors.ts";
import { mod10, mod11Sum } from "./febraban.ts";

export type BankCode = "001" | "104" | "237" | "341";
export const SUPPORTED_BANKS: readonly BankCode[] = ["001", "104", "237", "341"];

export interface CampoLivreInput {
  bank: BankCode;
  agencia?: string;
  conta?: string;
  carteira?: string;
  convenio?: string;
  nossoNumero: string;
  beneficiario?: string;
  seuNumero?: string;
  codigoCliente?: string;
}

const LABELS: Record<string, string> = {
  agencia: "Agência",
  conta: "Conta",
  carteira: "Carteira",
  convenio: "Convênio",
  nossoNumero: "Nosso número",
  beneficiario: "Código do beneficiário",
  seuNumero: "Seu número",
  codigoCliente: "Código do cliente",
};

/** Reads a required field made only of digits. */
function digitString(value: string | undefined, field: string): string {
  const label = LABELS[field] ?? field;
  if (value === undefined || value === null || value === "") {
    throw new BillingError(field, `${label} é obrigatório(a) para este banco.`);
  }
  if (typeof value !== "string" || !/^\d+$/.test(value)) {
    throw new BillingError(field, `${label} deve conter apenas dígitos.`);
  }
  return value;
}

/** Reads a required digit field, left-padding it to `width`. */
function digits(value: string | undefined, field: string, width: number): string {
  const label = LABELS[field] ?? field;
  const v = digitString(value, field);
  if (v.length > width) {
    throw new BillingError(field, `${label} deve ter no máximo ${width} dígitos.`);
  }
  return v.padStart(width, "0");
}

/** Accepts either the bare sequence (≤ seqWidth) or convênio + sequence (fullWidth). */
function bbSequence(nn: string, convenio: string, seqWidth: number, fullWidth: number): string {
  if (nn.length === fullWidth && nn.startsWith(convenio)) return nn.slice(convenio.length);
  if (nn.length <= seqWidth) return nn.padStart(seqWidth, "0");
  throw new BillingError(
    "nossoNumero",
    `Nosso número deve ter até ${seqWidth} dígitos para convênio de ${convenio.length} ` +
      `dígitos (ou ${fullWidth} dígitos começando pelo convênio).`,
  );
}

function bancoDoBrasil(i: CampoLivreInput): string {
  const convenio = i.convenio ?? "";
  if (!/^\d+$/.test(convenio) || ![4, 6, 7, 8].includes(convenio.length)) {
    throw new BillingError(
      "convenio",
      "Convênio do Banco do Brasil deve ter 4, 6, 7 ou 8 dígitos.",
    );
  }
  const nn = digitString(i.nossoNumero, "nossoNumero");
  switch (convenio.length) {
    case 4:
    case 6: {
      if (convenio.length === 6 && nn.length === 17) {
        if (i.carteira !== undefined && !["16", "18", "21"].includes(i.carteira)) {
          throw new BillingError(
            "carteira",
            "Nosso número de 17 dígitos com convênio de 6 só é permitido nas carteiras 16 ou 18.",
          );
        }
        return `${convenio}${nn}21`;
      }
      const seq = convenio.length === 4
        ? bbSequence(nn, convenio, 7, 11)
        : bbSequence(nn, convenio, 5, 11);
      return convenio + seq + digits(i.agencia, "agencia", 4) + digits(i.conta, "conta", 8) +
        digits(i.carteira, "carteira", 2);
    }
    case 7:
      return `000000${convenio}${bbSequence(nn, convenio, 10, 17)}${
        digits(i.carteira, "carteira", 2)
      }`;
    default:
      return `000000${convenio}${bbSequence(nn, convenio, 9, 17)}${
        digits(i.carteira, "carteira", 2)
      }`;
  }
}

/** Caixa's mod-11 variant: 11 - rest, anything above 9 becomes 0. */
function caixaDv(s: string): number {
  const dv = 11 - (mod11Sum(s) % 11);
  return dv > 9 ? 0 : dv;
}

function caixaSigcb(i: CampoLivreInput): string {
  const ben = digits(i.beneficiario, "beneficiario", 6);
  const nn = i.nossoNumero ?? "";
  if (!/^\d{17}$/.test(nn)) {
    throw new BillingError(
      "nossoNumero",
      "Nosso número da Caixa (SIGCB) deve ter exatamente 17 dígitos (modalidade, emissão e 15 " +
        "dígitos).",
    );
  }
  const body = `${ben}${caixaDv(ben)}${nn.slice(2, 5)}${nn[0]}${nn.slice(5, 8)}${nn[1]}${
    nn.slice(8)
  }`;
  return `${body}${caixaDv(body)}`;
}

function bradesco(i: CampoLivreInput): string {
  return digits(i.agencia, "agencia", 4) + digits(i.carteira, "carteira", 2) +
    digits(i.nossoNumero, "nossoNumero", 11) + digits(i.conta, "conta", 7) + "0";
}

export const ITAU_SPECIAL_CARTEIRAS = ["106", "107", "122", "142", "143", "195", "196", "198"];
const ITAU_SHORT_DAC_CARTEIRAS = ["126", "131", "146", "150", "168"];

function itau(i: CampoLivreInput): string {
  const carteira = digits(i.carteira, "carteira", 3);
  const nn = digits(i.nossoNumero, "nossoNumero", 8);
  if (ITAU_SPECIAL_CARTEIRAS.includes(carteira)) {
    const body = carteira + nn + digits(i.seuNumero, "seuNumero", 7) +
      digits(i.codigoCliente, "codigoCliente", 5);
    return `${body}${mod10(body)}0`;
  }
  const agencia = digits(i.agencia, "agencia", 4);
  const conta = digits(i.conta, "conta", 5);
  const nnDac = ITAU_SHORT_DAC_CARTEIRAS.includes(carteira)
    ? mod10(carteira + nn)
    : mod10(agencia + conta + carteira + nn);
  return `${carteira}${nn}${nnDac}${agencia}${conta}${mod10(agencia + conta)}000`;
}

/** Builds the 25-digit campo livre for the given bank. */
export function campoLivre(input: CampoLivreInput): string {
  switch (input.bank) {
    case "001":
      return bancoDoBrasil(input);
    case "104":
      return caixaSigcb(input);
    case "237":
      return bradesco(input);
    case "341":
      return itau(input);
    default:
      throw new BillingError(
        "bank",
        `Banco "${String(input.bank)}" não suportado (use 001, 104, 237 ou 341).`,
      );
  }
}
