// Synthetic ERP export for benchmarks and demos, in the "renova" preset's columns:
//   deno task gen --contracts N [--out FILE.csv] [--seed 1] [--from YYYY-MM-DD] [--bad 0]
// Brazilian names, unique valid CPFs (and a few CNPJs), mobiles with the city's DDD, plans by
// offer code (the demo plans), loyalty ends spread over the 12 months from --from. Rows are
// written as they are made: a million contracts never sit in memory.
import { DEMO_PLANS } from "../services/seed.ts";
import { addDays, addMonths, todayInBrazil } from "../services/dates.ts";

export const GEN_HEADER = [
  "id_cliente",
  "id_contrato",
  "nome",
  "cpf_cnpj",
  "celular",
  "telefone",
  "email",
  "logradouro",
  "numero",
  "bairro",
  "cidade",
  "uf",
  "cep",
  "plano",
  "data_ativacao",
  "inicio_fidelidade",
  "fim_fidelidade",
  "situacao",
];

const PLACES: [string, string, string, string, string[]][] = [
  ["Campinas", "SP", "19", "130", ["Cambuí", "Taquaral", "Barão Geraldo"]],
  ["Ribeirão Preto", "SP", "16", "140", ["Centro", "Jardim Irajá", "Ribeirânia"]],
  ["São José dos Campos", "SP", "12", "122", ["Jardim Aquarius", "Vila Ema"]],
  ["Londrina", "PR", "43", "860", ["Gleba Palhano", "Centro"]],
  ["Maringá", "PR", "44", "870", ["Zona 7", "Jardim Alvorada"]],
  ["Uberlândia", "MG", "34", "384", ["Santa Mônica", "Tibery"]],
  ["Juiz de Fora", "MG", "32", "360", ["São Mateus", "Centro"]],
  ["Feira de Santana", "BA", "75", "440", ["Centro", "Kalilândia"]],
  ["Caruaru", "PE", "81", "550", ["Maurício de Nassau", "Universitário"]],
  ["Joinville", "SC", "47", "892", ["América", "Bucarein"]],
  ["Caxias do Sul", "RS", "54", "950", ["Centro", "Exposição"]],
  ["Anápolis", "GO", "62", "750", ["Jundiaí", "Centro"]],
];
const FIRST = (
  "Ana João Maria José Francisca Antônio Luíza Carlos Patrícia Paulo Fernanda Lucas Juliana " +
  "Marcos Aline Rafael Camila Thiago Letícia Sérgio Beatriz Gabriel Larissa Pedro Vitória " +
  "Mateus Júlia Gustavo Raquel Felipe Sônia Rodrigo Débora Leandro Cláudia André Márcia Bruno"
).split(" ");
const LAST = (
  "Silva Santos Oliveira Souza Lima Pereira Ferreira Costa Rodrigues Almeida Nascimento Araújo " +
  "Gonçalves Ribeiro Conceição Carvalho Gomes Martins Rocha Barbosa Moura Cardoso Teixeira " +
  "Correia Dias Mendes Freitas Vieira Monteiro Cavalcanti"
).split(" ");
const STREETS = [
  "Rua das Flores",
  "Avenida Brasil",
  "Rua XV de Novembro",
  "Rua São João",
  "Avenida Getúlio Vargas",
  "Rua Sete de Setembro",
  "Rua Tiradentes",
  "Avenida Independência",
];
const COMPANY = ["Comércio", "Serviços", "Transportes", "Padaria", "Oficina", "Mercado"];

/** mulberry32: a small seeded generator, so the same seed gives the same file. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function dv(values: number[], weights: number[]) {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i] * weights[i];
  const rest = sum % 11;
  return rest < 2 ? 0 : 11 - rest;
}

/** The i-th CPF of a bijection over 9-digit bases: unique for every i below 10^9. */
export function cpfFor(i: number): string {
  let base = (i * 387_420_489 + 123_456_789) % 1_000_000_000; // 3^18 is coprime with 10^9
  if (/^(\d)\1{8}$/.test(String(base).padStart(9, "0"))) base = (base + 1) % 1_000_000_000;
  const b = [...String(base).padStart(9, "0")].map(Number);
  const d1 = dv(b, [10, 9, 8, 7, 6, 5, 4, 3, 2]);
  const d2 = dv([...b, d1], [11, 10, 9, 8, 7, 6, 5, 4, 3, 2]);
  return b.join("") + d1 + d2;
}

export function cnpjFor(i: number): string {
  const root = String((i * 7_919 + 10_000_000) % 100_000_000).padStart(8, "0");
  const b = [...(root + "0001")].map(Number);
  const d1 = dv(b, [5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2]);
  const d2 = dv([...b, d1], [6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2]);
  return b.join("") + d1 + d2;
}

const csv = (s: string) => /[",;\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
const fold = (s: string) => s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();

export interface GenOptions {
  contracts: number;
  seed?: number;
  /** Loyalty ends fall in the 365 days from this date (default: today in Brazil). */
  from?: string;
  /** Share of rows made invalid on purpose (0..1), for demos of the dry-run report. */
  bad?: number;
}

/** Writes the CSV to `out`, a few hundred rows per write. Returns the rows written. */
export async function generateCsv(out: WritableStream<Uint8Array>, o: GenOptions) {
  const rand = seeded(o.seed ?? 1);
  const pick = <T>(l: T[]) => l[Math.floor(rand() * l.length)];
  const from = o.from ?? todayInBrazil(new Date());
  const enc = new TextEncoder();
  const w = out.getWriter();
  let buf = GEN_HEADER.join(",") + "\n";
  let customer = 0;
  let person: string[] = [];
  for (let i = 0; i < o.contracts; i++) {
    // About 1 customer in 30 has a second contract, on the next row with the same data.
    if (i === 0 || rand() >= 1 / 30) {
      customer++;
      const [city, uf, ddd, zip, districts] = PLACES[Math.floor(rand() * PLACES.length)];
      const company = rand() < 0.03;
      const name = company
        ? `${pick(COMPANY)} ${pick(LAST)} Ltda`
        : `${pick(FIRST)} ${pick(LAST)} ${pick(LAST)}`;
      const m = String(Math.floor(rand() * 1e8)).padStart(8, "0");
      const mobile = `(${ddd}) 9${m.slice(0, 4)}-${m.slice(4)}`;
      const l = String(Math.floor(rand() * 1e7)).padStart(7, "0");
      const land = rand() < 0.3 ? `(${ddd}) 3${l.slice(0, 3)}-${l.slice(3)}` : "";
      const email = rand() < 0.85
        ? `${fold(name).replace(/[^a-z]+/g, ".")}.${customer}@exemplo.com.br`
        : "";
      person = [
        String(customer),
        "",
        name,
        company ? cnpjFor(customer) : cpfFor(customer),
        mobile,
        land,
        email,
        pick(STREETS),
        String(1 + Math.floor(rand() * 2000)),
        pick(districts),
        city,
        uf,
        `${zip}${String(Math.floor(rand() * 100)).padStart(2, "0")}-${
          String(Math.floor(rand() * 1000)).padStart(3, "0")
        }`,
      ];
    }
    const end = addDays(from, Math.floor(rand() * 365));
    const start = addMonths(end, -12);
    const row = [...person];
    row[1] = String(100_000 + i);
    let plan = DEMO_PLANS[Math.floor(rand() * 4)].offerCode;
    if (o.bad && rand() < o.bad) {
      const k = Math.floor(rand() * 3);
      if (k === 0) row[3] = "123.456.789-00";
      if (k === 1) row[4] = row[5] = "";
      if (k === 2) plan = "PLANO-X";
    }
    row.push(plan, addMonths(start, -Math.floor(rand() * 36)), start, end, "A");
    buf += row.map(csv).join(",") + "\n";
    if (buf.length > 256 * 1024) {
      await w.write(enc.encode(buf));
      buf = "";
    }
  }
  await w.write(enc.encode(buf));
  await w.close();
  return o.contracts;
}

function arg(name: string, def: string): string {
  const i = Deno.args.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (i < 0) return def;
  const a = Deno.args[i];
  return a.includes("=") ? a.slice(a.indexOf("=") + 1) : Deno.args[i + 1] ?? def;
}

if (import.meta.main) {
  const contracts = Number(arg("contracts", "1000"));
  if (!Number.isInteger(contracts) || contracts < 1 || contracts > 20_000_000) {
    console.error("--contracts precisa ser um número inteiro entre 1 e 20.000.000.");
    Deno.exit(2);
  }
  const outPath = arg("out", "");
  const file = outPath
    ? await Deno.open(outPath, { write: true, create: true, truncate: true })
    : null;
  await generateCsv(file ? file.writable : Deno.stdout.writable, {
    contracts,
    seed: Number(arg("seed", "1")),
    from: arg("from", "") || undefined,
    bad: Number(arg("bad", "0")),
  });
  if (outPath) console.error(`${contracts} contratos em ${outPath}`);
}
