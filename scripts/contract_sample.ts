// Writes one sample signed contract PDF from the demo data, through the same pipeline the
// renewal flow uses: render → typed-name signature → evidence page → PAdES seal.
//
//   deno run -A scripts/contract_sample.ts SAIDA.pdf
//
// Everything happens on a throwaway in-memory store: demo seed, self-signed demo certificate.
import { loadConfig } from "../app.config.ts";
import { openDb } from "../services/db.ts";
import { migrate } from "../services/migrations.ts";
import { seedIfEmpty } from "../services/seed.ts";
import { listCustomers } from "../services/customers.ts";
import { listPlans } from "../services/plans.ts";
import { todayInBrazil } from "../services/dates.ts";
import { contractSections } from "../services/contract/terms.ts";
import { finalizeSigned, renderUnsigned } from "../services/contract/pipeline.ts";
import { loadSigner } from "../services/contract/signer.ts";
import type { Evidence } from "../services/contract/stamp.ts";

export const SAMPLE_VERIFY_URL = "http://localhost:8000/verificar/sample";
const SAMPLE_IP = "127.0.0.1";
const SAMPLE_USER_AGENT =
  "Mozilla/5.0 (Linux; Android 14; moto g84 5G) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36";

export interface SampleContract {
  path: string;
  sha256: string;
  bytes: number;
  customerName: string;
  planName: string;
}

/** Builds the sample on a fresh `:memory:` store and writes it to `outPath`. */
export async function writeSampleContract(outPath: string): Promise<SampleContract> {
  const db = await openDb({ path: ":memory:" });
  try {
    await migrate(db);
    await seedIfEmpty(db, {});
    const customer = (await listCustomers(db, { limit: 1 })).items[0];
    const plans = await listPlans(db);
    if (!customer || plans.length === 0) {
      throw new Error("Os dados de demonstração não trouxeram cliente ou plano.");
    }
    const plan = plans.reduce((a, b) => (b.priceCents > a.priceCents ? b : a));
    const provider = loadConfig({}).provider;

    const now = db.now();
    const before = (minutes: number) => new Date(now.getTime() - minutes * 60_000).toISOString();
    const sections = contractSections({
      provider,
      customer,
      plan,
      date: todayInBrazil(now),
      caseId: "sample",
    });
    const unsigned = await renderUnsigned(sections);

    const signedAt = now.toISOString();
    const evidence: Evidence = {
      documentSha256: unsigned.sha256,
      contractVersion: "2026.1",
      caseId: "sample",
      signer: {
        name: customer.name,
        cpf: customer.cpf,
        phone: customer.phones[0],
        email: customer.email,
      },
      signedAt,
      holderPhoto: { approvedBy: "Bruna Atendente (demonstração)", approvedAt: before(15) },
      events: [
        // Action codes and labels as the renewal flow records them (services/renewals).
        { action: "contract.viewed", label: "Contrato visualizado", at: before(6) },
        { action: "sign.code_sent", label: "Código de assinatura enviado", at: before(4) },
        { action: "sign.code_accepted", label: "Código de assinatura aceito", at: before(1) },
        { action: "sign", label: "Contrato assinado", at: signedAt },
      ].map((e) => ({ ...e, ip: SAMPLE_IP, userAgent: SAMPLE_USER_AGENT })),
    };

    const signer = await loadSigner(db, undefined, { name: provider.name, cnpj: provider.cnpj });
    const signed = await finalizeSigned({
      unsignedPdf: unsigned.pdf,
      typedName: customer.name,
      signedAt,
      evidence,
      verifyUrl: SAMPLE_VERIFY_URL,
      signer,
      location: customer.address.city,
      providerName: provider.name,
    });

    const dir = outPath.replace(/[/\\][^/\\]*$/, "");
    if (dir && dir !== outPath) await Deno.mkdir(dir, { recursive: true });
    await Deno.writeFile(outPath, signed.pdf);
    return {
      path: outPath,
      sha256: signed.sha256,
      bytes: signed.pdf.length,
      customerName: customer.name,
      planName: plan.name,
    };
  } finally {
    db.kv.close();
  }
}

if (import.meta.main) {
  // `deno task contract:sample -- out.pdf` forwards the "--" too.
  const args = Deno.args.filter((a) => a !== "--");
  const out = args[0];
  if (!out || out.startsWith("-") || args.length > 1) {
    console.error(
      "Uso: deno run -A scripts/contract_sample.ts SAIDA.pdf\n" +
        "Informe o arquivo de saída do contrato de exemplo (um único caminho).",
    );
    Deno.exit(2);
  }
  try {
    const r = await writeSampleContract(out);
    console.log(`Contrato de exemplo gravado em ${r.path}`);
    console.log(`Cliente: ${r.customerName}; plano: ${r.planName}`);
    console.log(`SHA-256: ${r.sha256}`);
    console.log(`Tamanho: ${r.bytes} bytes`);
  } catch (e) {
    console.error(`Não foi possível gerar o contrato de exemplo: ${(e as Error).message}`);
    Deno.exit(1);
  }
}
