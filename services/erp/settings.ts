// ERP bridge settings, read from the environment once at start (app.config.ts). The token
// stays in memory: the store only learns that an ERP is connected (stageErpWrites reads that).
import type { Db } from "../db.ts";
import { keys } from "../keys.ts";
import type { ErpAdapter } from "./types.ts";
import { ixcAdapter } from "./adapters/ixc.ts";
import type { IxcSettings } from "./adapters/ixc_client.ts";

export type InvoiceMode = "renova" | "erp";

export interface ErpSettings {
  kind: "ixc";
  ixc: IxcSettings;
  /** "renova": Renova's carnê is registered in the ERP; "erp": the ERP issues its boletos and
   * Renova fetches them. */
  invoices: InvoiceMode;
  /** Scheduled pull every this many minutes; 0 = only on demand. */
  pullEveryMinutes: number;
  /** How long a write being sent is held before another pass may take it (a crash). */
  pushLeaseMs: number;
}

/** What the store holds: no URL, no token. */
export interface ErpSwitch {
  adapter: string;
  invoices: InvoiceMode;
}

/** IXC_URL + IXC_TOKEN turn the bridge on; a problem is one pt-BR message through `fail`. */
export function parseErpEnv(
  env: Record<string, string | undefined>,
  fail: (message: string) => never,
  readFile: (path: string) => string = Deno.readTextFileSync,
): ErpSettings | undefined {
  const url = (env.IXC_URL ?? "").trim(), token = (env.IXC_TOKEN ?? "").trim();
  if (!url && !token) return undefined;
  if (!url || !token) fail("Para ligar o IXC informe IXC_URL e IXC_TOKEN juntos.");
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return fail(`IXC_URL inválida: use https://SEU_HOST/webservice/v1.`);
  }
  // The token travels in every request: plain http only to this machine (a local tunnel).
  const loopback = ["localhost", "127.0.0.1", "[::1]"].includes(parsed.hostname);
  if (parsed.protocol !== "https:" && !(parsed.protocol === "http:" && loopback)) {
    fail("IXC_URL precisa começar com https:// (o token vai em cada requisição).");
  }
  if (!/^[^:\s]+:\S+$/.test(token)) {
    fail("IXC_TOKEN precisa ter a forma id:token (o id do usuário no IXC, dois-pontos, o token).");
  }
  let caCert: string | undefined;
  if (env.IXC_CA_CERT_FILE) {
    try {
      caCert = readFile(env.IXC_CA_CERT_FILE);
    } catch {
      fail(`IXC_CA_CERT_FILE: não consegui ler ${env.IXC_CA_CERT_FILE}.`);
    }
    if (!caCert!.includes("BEGIN CERTIFICATE")) fail("IXC_CA_CERT_FILE precisa ser um PEM.");
  }
  const invoices = (env.ERP_INVOICES || "renova") as InvoiceMode;
  if (invoices !== "renova" && invoices !== "erp") {
    fail('ERP_INVOICES precisa ser "renova" (carnê do Renova) ou "erp" (boletos do IXC).');
  }
  const minutes = Number(env.ERP_PULL_MINUTES ?? "60");
  if (!Number.isInteger(minutes) || minutes < 0) {
    fail("ERP_PULL_MINUTES precisa ser um número inteiro ≥ 0.");
  }
  const lease = Number(env.ERP_PUSH_LEASE_SECONDS ?? "120");
  if (!Number.isInteger(lease) || lease < 1) {
    fail("ERP_PUSH_LEASE_SECONDS precisa ser um número inteiro ≥ 1.");
  }
  // The ids IXC's service order needs (its assunto, setor and filial): the provider's own.
  const os = {
    assunto: (env.IXC_OS_ASSUNTO ?? "").trim(),
    setor: (env.IXC_OS_SETOR ?? "").trim(),
    filial: (env.IXC_OS_FILIAL ?? "").trim(),
  };
  for (const [name, v] of Object.entries(os)) {
    if (v && !/^\d+$/.test(v)) {
      fail(`IXC_OS_${name.toUpperCase()} precisa ser o id numérico no IXC.`);
    }
  }
  return {
    kind: "ixc",
    pushLeaseMs: lease * 1000,
    ixc: { url, token, caCert, pageSize: 500, os },
    invoices,
    pullEveryMinutes: minutes,
  };
}

export function adapterFor(s: ErpSettings): ErpAdapter {
  return ixcAdapter(s.ixc);
}

/** At start: tell the store whether an ERP is connected (the renewal hook reads it). */
export async function saveErpSwitch(db: Db, s: ErpSettings | undefined): Promise<void> {
  if (!s) {
    await db.kv.delete(keys.erpSettings());
    return;
  }
  const value: ErpSwitch = { adapter: s.kind, invoices: s.invoices };
  await db.kv.set(keys.erpSettings(), value);
}

export async function getErpSwitch(db: Db): Promise<ErpSwitch | null> {
  return (await db.kv.get<ErpSwitch>(keys.erpSettings())).value;
}
