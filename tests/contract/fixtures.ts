// Shared fixtures for the contract PDF tests: realistic case data and a small process runner.
import { type ContractData, contractSections } from "../../services/contract/terms.ts";
import type { Plan } from "../../services/plans.ts";
import type { Evidence } from "../../services/contract/mod.ts";

export const PLAN: Plan = {
  id: "01JPLAN000000000000000000A",
  name: "Fibra 600 Mega",
  downMbps: 600,
  upMbps: 300,
  priceCents: 11990,
  loyaltyMonths: 12,
  benefit: "Instalação e roteador Wi-Fi 6 sem custo",
  benefitValueCents: 60000,
  offerCode: "RENOVA-600-2026",
  active: true,
  createdAt: "2026-01-10T12:00:00.000Z",
};

export const DATA: ContractData = {
  provider: {
    name: "Renova Telecomunicações Ltda",
    cnpj: "11444777000161",
    phone: "551140001234",
    email: "atendimento@renova.net.br",
    site: "https://renova.net.br",
  },
  customer: {
    name: "João Conceição Araújo",
    cpf: "40364478829",
    phones: ["5516991234567"],
    email: "joao.araujo@example.com.br",
    address: {
      street: "Rua das Acácias",
      number: "1200",
      district: "Jardim São Luís",
      city: "Ribeirão Preto",
      state: "SP",
      zip: "14020-260",
    },
  },
  plan: PLAN,
  date: "2026-03-05",
  caseId: "01JCASE00000000000000000XY",
};

export const SECTIONS = contractSections(DATA);
export const TITLE = "Contrato de renovação — Renova Internet";
export const VERIFY_URL = "https://renova.net.br/verificar/01JCASE00000000000000000XY?h=3f9a";

export function evidence(documentSha256: string): Evidence {
  return {
    documentSha256,
    contractVersion: "2026.1",
    caseId: DATA.caseId,
    signer: {
      name: DATA.customer.name,
      cpf: DATA.customer.cpf,
      phone: DATA.customer.phones[0],
      email: DATA.customer.email,
    },
    signedAt: "2026-03-05T14:07:33.000Z",
    holderPhoto: {
      approvedBy: "Mariana Siqueira (atendimento)",
      approvedAt: "2026-03-05T13:58:10Z",
    },
    events: [
      {
        action: "send_signature",
        at: "2026-03-05T13:59:02.000Z",
        ip: "198.51.100.20",
        userAgent: "Renova/1.0 (painel)",
      },
      {
        action: "link_opened",
        at: "2026-03-05T14:05:41.000Z",
        ip: "203.0.113.45",
        userAgent:
          "Mozilla/5.0 (Linux; Android 14; moto g84 5G) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36",
      },
      {
        action: "sign",
        at: "2026-03-05T14:07:33.000Z",
        ip: "203.0.113.45",
        userAgent:
          "Mozilla/5.0 (Linux; Android 14; moto g84 5G) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36",
      },
    ],
  };
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a tool; a missing binary fails with the package to install. */
export async function run(cmd: string, args: string[]): Promise<RunResult> {
  try {
    const out = await new Deno.Command(cmd, { args, stdout: "piped", stderr: "piped" }).output();
    const dec = new TextDecoder();
    return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) {
      const pkg = cmd === "zbarimg" ? "zbar-tools" : "poppler-utils";
      throw new Error(`${cmd} não está instalado: rode "apt-get install -y ${pkg}".`);
    }
    throw e;
  }
}

export async function hasCommand(cmd: string): Promise<boolean> {
  try {
    await new Deno.Command(cmd, { args: ["--version"], stdout: "null", stderr: "null" }).output();
    return true;
  } catch {
    return false;
  }
}

/** pdftotext of the whole file (or one page), layout kept so table rows stay on one line. */
export async function pdfText(path: string, page?: number): Promise<string> {
  const pages = page ? ["-f", String(page), "-l", String(page)] : [];
  const r = await run("pdftotext", ["-layout", "-enc", "UTF-8", ...pages, path, "-"]);
  if (r.code !== 0) throw new Error(`pdftotext falhou: ${r.stderr}`);
  return r.stdout;
}

export async function writeTemp(dir: string, name: string, bytes: Uint8Array): Promise<string> {
  const path = `${dir}/${name}`;
  await Deno.writeFile(path, bytes);
  return path;
}
