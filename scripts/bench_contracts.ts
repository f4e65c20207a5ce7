// Contract PDF throughput: N contracts through the real pipeline, timed per contract, next to a
// plain pdf-lib baseline measured in the same loop (same machine, same moment).
//
//   deno run -A scripts/bench_contracts.ts [--n 1000]
//
// Per contract:
//   baseline  PDFDocument.create → one A4 page with the contract text in Helvetica (standard
//             font, nothing embedded) → save
//   render    renderUnsigned(sections): DejaVu Sans embedded and subset, table, footers, SHA-256
//   full      render + finalizeSigned: signature stamp, evidence page with QR code, PAdES seal
// 20 warm-up iterations run first and are not counted. The last stdout line is one JSON object.
import { PDFDocument, StandardFonts } from "pdf-lib";
import { loadConfig } from "../app.config.ts";
import { openDb } from "../services/db.ts";
import { migrate } from "../services/migrations.ts";
import { seedIfEmpty } from "../services/seed.ts";
import { listCustomers } from "../services/customers.ts";
import { listPlans } from "../services/plans.ts";
import { todayInBrazil } from "../services/dates.ts";
import { A4 } from "../services/contract/pdf.ts";
import {
  CONTRACT_VERSION,
  type ContractSection,
  contractSections,
  contractText,
} from "../services/contract/terms.ts";
import { CONTRACT_TITLE, finalizeSigned, renderUnsigned } from "../services/contract/pipeline.ts";
import { loadSigner, type Signer } from "../services/contract/signer.ts";
import type { Evidence } from "../services/contract/stamp.ts";
import type { Customer } from "../services/customers.ts";
import { cpuMs } from "./bench/cpu.ts";

const WARMUP = 20;
const DEFAULT_N = 1000;
const USAGE = "Uso: deno run -A scripts/bench_contracts.ts [--n 1000]";
const UA =
  "Mozilla/5.0 (Linux; Android 14; moto g84 5G) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36";

/** `--n 1000`, `--n=1000`; a bare "--" (what `deno task x -- …` forwards) is ignored. */
export function parseBenchArgs(args: string[]): { n: number } {
  let n = DEFAULT_N;
  const rest = args.filter((a) => a !== "--");
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    let raw: string | undefined;
    if (a === "--n" || a === "-n") raw = rest[++i];
    else if (a.startsWith("--n=")) raw = a.slice(4);
    else throw new Error(`Argumento desconhecido: "${a}".\n${USAGE}`);
    if (raw === undefined || !/^\d+$/.test(raw) || Number(raw) < 1) {
      throw new Error(
        `--n precisa ser um número inteiro ≥ 1 (recebido: "${raw ?? ""}").\n${USAGE}`,
      );
    }
    n = Number(raw);
  }
  return { n };
}

export interface Stats {
  median: number;
  p90: number;
  p99: number;
  mean: number;
  min: number;
  max: number;
}

/** Nearest-rank percentiles over the samples (ms). */
export function stats(samples: number[]): Stats {
  const s = [...samples].sort((a, b) => a - b);
  const rank = (p: number) =>
    s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
  return {
    median: s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2,
    p90: rank(90),
    p99: rank(99),
    mean: s.reduce((a, b) => a + b, 0) / s.length,
    min: s[0],
    max: s[s.length - 1],
  };
}

/** The baseline: the same words on one page, standard Helvetica, no font program embedded. */
export async function baselinePdf(title: string, text: string): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const page = doc.addPage(A4);
  page.drawText(`${title}\n\n${text}`, {
    x: 36,
    y: page.getHeight() - 40,
    size: 7,
    lineHeight: 8.4,
    maxWidth: page.getWidth() - 72,
    font,
  });
  return await doc.save();
}

interface Case {
  customer: Customer;
  sections: ContractSection[];
  text: string;
}

function evidenceFor(c: Case, documentSha256: string, signedAt: string): Evidence {
  const at = (minutes: number) => new Date(Date.parse(signedAt) - minutes * 60_000).toISOString();
  return {
    documentSha256,
    contractVersion: CONTRACT_VERSION,
    caseId: "bench",
    signer: {
      name: c.customer.name,
      cpf: c.customer.cpf,
      phone: c.customer.phones[0],
      email: c.customer.email,
    },
    signedAt,
    holderPhoto: { approvedBy: "Bruna Atendente", approvedAt: at(15) },
    events: [
      { action: "contract.viewed", label: "Contrato visualizado", at: at(6) },
      { action: "sign.code_sent", label: "Código de assinatura enviado", at: at(4) },
      { action: "sign.code_accepted", label: "Código de assinatura aceito", at: at(1) },
      { action: "sign", label: "Contrato assinado", at: signedAt },
    ].map((e) => ({ ...e, ip: "127.0.0.1", userAgent: UA })),
  };
}

// Moved to scripts/bench/cpu.ts (bench:scale uses it too); re-exported for existing imports.
export { cpuMs };

const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;
const ms = (x: number) => x.toFixed(2).padStart(9);

async function main() {
  let n: number;
  try {
    ({ n } = parseBenchArgs(Deno.args));
  } catch (e) {
    console.error((e as Error).message);
    Deno.exit(2);
  }

  const setupStart = performance.now();
  const db = await openDb({ path: ":memory:" });
  let signer: Signer;
  let cases: (i: number) => Case;
  const provider = loadConfig({}).provider;
  try {
    await migrate(db);
    await seedIfEmpty(db, {});
    const customers = (await listCustomers(db, { limit: 500 })).items;
    const plans = await listPlans(db);
    if (!customers.length || !plans.length) throw new Error("Seed sem clientes ou planos.");
    signer = await loadSigner(db, undefined, { name: provider.name, cnpj: provider.cnpj });
    const date = todayInBrazil(new Date());
    // Every customer × plan pair (60 × 6 with the demo seed) before any repeats.
    cases = (i: number) => {
      const customer = customers[i % customers.length];
      const plan = plans[Math.floor(i / customers.length) % plans.length];
      const sections = contractSections({ provider, customer, plan, date, caseId: "bench" });
      return { customer, sections, text: contractText(sections) };
    };
  } finally {
    db.kv.close();
  }
  const setupMs = performance.now() - setupStart;

  const baseline: number[] = [];
  const render: number[] = [];
  const full: number[] = [];
  const size = { baseline: 0, render: 0, full: 0 };
  const cpu = { baseline: 0, full: 0 };
  const total = WARMUP + n;
  const step = Math.max(1, Math.floor(n / 10));
  let runStart = performance.now();

  for (let i = 0; i < total; i++) {
    if (i === WARMUP) runStart = performance.now();
    const c = cases(i);
    const counted = i >= WARMUP;

    const c0 = cpuMs();
    const b0 = performance.now();
    const plain = await baselinePdf(CONTRACT_TITLE, c.text);
    const b1 = performance.now();
    const c1 = cpuMs();

    const t0 = performance.now();
    const unsigned = await renderUnsigned(c.sections);
    const t1 = performance.now();
    const signedAt = new Date().toISOString();
    const signed = await finalizeSigned({
      unsignedPdf: unsigned.pdf,
      typedName: c.customer.name,
      signedAt,
      evidence: evidenceFor(c, unsigned.sha256, signedAt),
      verifyUrl: "http://localhost:8000/verificar/bench",
      signer,
      location: c.customer.address.city,
      providerName: provider.name,
    });
    const t2 = performance.now();
    const c2 = cpuMs();

    if (!counted) continue;
    cpu.baseline += c1 - c0;
    cpu.full += c2 - c1;
    baseline.push(b1 - b0);
    render.push(t1 - t0);
    full.push(t2 - t0);
    size.baseline += plain.length;
    size.render += unsigned.pdf.length;
    size.full += signed.pdf.length;
    const done = i - WARMUP + 1;
    if (done % step === 0 || done === n) {
      const secs = (performance.now() - runStart) / 1000;
      console.error(`  ${done}/${n} contratos (${secs.toFixed(1)} s)`);
    }
  }
  const wallS = (performance.now() - runStart) / 1000;

  const sb = stats(baseline);
  const sr = stats(render);
  const sf = stats(full);
  const rssMb = Deno.memoryUsage().rss / 1024 / 1024;
  const perS = 1000 / sf.mean;
  const kb = (bytes: number) => `${(bytes / n / 1024).toFixed(1)} KiB`;

  console.log(
    `contracts: ${n} (after ${WARMUP} warm-up), ${Deno.build.target}, deno ${Deno.version.deno}`,
  );
  console.log(`setup (seed + demo certificate, not timed below): ${(setupMs / 1000).toFixed(2)} s`);
  console.log(
    `wall time of the measured loop (baseline + full, warm-up excluded): ${wallS.toFixed(1)} s`,
  );
  console.log("");
  console.log(
    `ms per contract      median       p90       p99      mean       min       max   avg size`,
  );
  for (
    const [name, s, bytes] of [
      ["baseline", sb, size.baseline],
      ["render", sr, size.render],
      ["full", sf, size.full],
    ] as const
  ) {
    console.log(
      `${name.padEnd(16)} ${ms(s.median)} ${ms(s.p90)} ${ms(s.p99)} ${ms(s.mean)} ${ms(s.min)} ${
        ms(s.max)
      }  ${kb(bytes).padStart(9)}`,
    );
  }
  console.log("");
  console.log(`full / baseline (median): ${(sf.median / sb.median).toFixed(1)}×`);
  console.log(`render / baseline (median): ${(sr.median / sb.median).toFixed(1)}×`);
  console.log(`full pipeline: ${perS.toFixed(2)} contracts/s (1000 / mean, one at a time)`);
  console.log(`RSS at the end: ${rssMb.toFixed(1)} MB`);
  console.log(
    `CPU ms per contract (mean, 10 ms ticks summed): baseline ${
      (cpu.baseline / n).toFixed(1)
    }, full ${(cpu.full / n).toFixed(1)}, full / baseline ${(cpu.full / cpu.baseline).toFixed(1)}×`,
  );
  console.log(JSON.stringify({
    contracts: n,
    render_median_ms: round(sr.median),
    render_p99_ms: round(sr.p99),
    full_median_ms: round(sf.median),
    full_p99_ms: round(sf.p99),
    baseline_median_ms: round(sb.median),
    full_ratio_vs_baseline: round(sf.median / sb.median, 1),
    contracts_per_s: round(perS),
    rss_mb: round(rssMb, 1),
    baseline_cpu_ms: round(cpu.baseline / n),
    full_cpu_ms: round(cpu.full / n),
    full_cpu_ratio_vs_baseline: round(cpu.full / cpu.baseline, 1),
  }));
}

if (import.meta.main) await main();
