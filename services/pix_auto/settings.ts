// Pix Automático settings: the provider's PSP (receiving institution) and how to reach its
// open-standard Pix API (bacen/pix-api). Read once at start from the environment, like every
// other secret: a half-configured PSP stops the start with one clear pt-BR message.

export interface PixAutoSettings {
  /** Base of the PSP's Pix API, e.g. https://pix.psp.com.br/api/v2 (no trailing slash). */
  apiUrl: string;
  /** OAuth2 token endpoint (client credentials); defaults to `${apiUrl}/oauth/token`. */
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  /** Mutual TLS with the provider's certificate, when the PSP requires it (most banks do). */
  mtls?: { certPem: string; keyPem: string; caPem?: string };
  /** Secret part of the webhook path registered at the PSP (/webhooks/pix-auto/<secret>). */
  webhookSecret: string;
  /** The renewal never waits longer than this for the PSP. */
  timeoutMs: number;
  /** 2: QR with the recurrence only; 3: first invoice paid now + recurrence in one QR. */
  journey: 2 | 3;
  /** Journey 1: the PSP pushes the request to the payer's bank app (POST /solicrec). Off
   * unless the provider's PSP offers it (PIX_AUTO_JOURNEY1=true). */
  journey1: boolean;
  /** PERMITE_3R_7D (3 retries in 7 days) or NAO_PERMITE. */
  retryPolicy: "NAO_PERMITE" | "PERMITE_3R_7D";
  /** The receiver's PIX key, needed by the PSP for the cob of journey 3 and for cobr. */
  pixKey: string;
}

function readPem(
  env: Record<string, string | undefined>,
  name: string,
  fail: (m: string) => never,
) {
  const path = env[name];
  if (!path) return undefined;
  try {
    return Deno.readTextFileSync(path);
  } catch {
    return fail(`${name} não pôde ser lido: ${path}.`);
  }
}

/** Undefined when PIX_AUTO_API_URL is not set: Pix Automático is then simply not offered. */
export function parsePixAutoEnv(
  env: Record<string, string | undefined>,
  fail: (message: string) => never,
): PixAutoSettings | undefined {
  const apiUrl = (env.PIX_AUTO_API_URL ?? "").replace(/\/+$/, "");
  if (!apiUrl) return undefined;
  if (!/^https?:\/\/[^/\s]+(\/\S*)?$/.test(apiUrl)) {
    fail("PIX_AUTO_API_URL precisa ser uma URL como https://pix.psp.com.br/api/v2.");
  }
  const missing = ["PIX_AUTO_CLIENT_ID", "PIX_AUTO_CLIENT_SECRET", "PIX_AUTO_WEBHOOK_SECRET"]
    .filter((n) => !env[n]);
  if (missing.length) fail(`Pix Automático: faltam ${missing.join(", ")}.`);
  if ((env.PIX_AUTO_WEBHOOK_SECRET ?? "").length < 24) {
    fail("PIX_AUTO_WEBHOOK_SECRET precisa ter pelo menos 24 caracteres.");
  }
  const certPem = readPem(env, "PIX_AUTO_CERT_FILE", fail);
  const keyPem = readPem(env, "PIX_AUTO_KEY_FILE", fail);
  if (!!certPem !== !!keyPem) {
    fail("PIX_AUTO_CERT_FILE e PIX_AUTO_KEY_FILE precisam ser informados juntos (mTLS).");
  }
  const journey = Number(env.PIX_AUTO_JOURNEY || "2");
  if (journey !== 2 && journey !== 3) fail("PIX_AUTO_JOURNEY precisa ser 2 ou 3.");
  const journey1 = env.PIX_AUTO_JOURNEY1 || "false";
  if (journey1 !== "true" && journey1 !== "false") {
    fail("PIX_AUTO_JOURNEY1 precisa ser true ou false.");
  }
  const retryPolicy = env.PIX_AUTO_RETRY_POLICY || "PERMITE_3R_7D";
  if (retryPolicy !== "NAO_PERMITE" && retryPolicy !== "PERMITE_3R_7D") {
    fail("PIX_AUTO_RETRY_POLICY precisa ser NAO_PERMITE ou PERMITE_3R_7D.");
  }
  const timeoutMs = Number(env.PIX_AUTO_TIMEOUT_MS || "4000");
  if (!Number.isInteger(timeoutMs) || timeoutMs < 100) {
    fail("PIX_AUTO_TIMEOUT_MS precisa ser um número inteiro ≥ 100.");
  }
  return {
    apiUrl,
    tokenUrl: env.PIX_AUTO_TOKEN_URL || `${apiUrl}/oauth/token`,
    clientId: env.PIX_AUTO_CLIENT_ID!,
    clientSecret: env.PIX_AUTO_CLIENT_SECRET!,
    mtls: certPem && keyPem
      ? { certPem, keyPem, caPem: readPem(env, "PIX_AUTO_CA_FILE", fail) }
      : undefined,
    webhookSecret: env.PIX_AUTO_WEBHOOK_SECRET!,
    timeoutMs,
    journey: journey as 2 | 3,
    journey1: journey1 === "true",
    retryPolicy: retryPolicy as PixAutoSettings["retryPolicy"],
    pixKey: env.PIX_AUTO_PIX_KEY ?? "",
  };
}
