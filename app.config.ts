// App settings and the twind config: the role Fresh's config file plays. Every setting is read
// here once at start; a missing or invalid value stops the start with one clear message.
import { defineConfig } from "@twind/core";
import presetTailwind from "@twind/preset-tailwind";
import { type MessagingSettings, parseMessagingEnv } from "./services/messaging/settings.ts";
import { parseCidr } from "./lib/client_ip.ts";
import { islandClasses } from "./twind_safelist.gen.ts";
import { type ErpSettings, parseErpEnv } from "./services/erp/settings.ts";
import { parsePixAutoEnv, type PixAutoSettings } from "./services/pix_auto/settings.ts";

export interface AppConfig {
  port: number;
  /** KV file path, ":memory:", or "" for the platform's managed KV (Deno Deploy). */
  kvPath: string;
  /** Base64url 32-byte master key for personal data; generated and stored when absent. */
  dataKey?: string;
  /** Public origin (https://renova.example.com) when behind a proxy; else the request's own. */
  origin?: string;
  /** Take the client IP from X-Forwarded-For only when set (behind a known proxy). */
  trustProxy: boolean;
  /** With trustProxy: how many proxies append to X-Forwarded-For (the client is that many
   * entries from the right). */
  trustedProxyHops: number;
  /** With trustProxy: proxy address ranges (CIDR); when set they decide instead of the hops. */
  trustedProxies?: string[];
  sessionIdleMinutes: number;
  sessionAbsoluteHours: number;
  /** The renewal list shows contracts whose loyalty ends within this many days. */
  renewalWindowDays: number;
  /** Days a customer who refused stays out of the due list and cannot be claimed; 0 = off. */
  declineCoolOffDays: number;
  /** Customer links expire after this many days. */
  linkTtlDays: number;
  /** An ended renewal's link stays open read-only this many days: after closing, past the
   * last invoice's due date (the carnê and contract stay reachable); after a refusal, past
   * the refusal (services/renewals/links.ts linkKeptUntil). */
  linkAfterEndDays: number;
  /** Holder photos are purged this many days after the case closes (LGPD). */
  photoRetentionDays: number;
  /** Rendered customer pages kept in memory (each re-checked against the store on every
   * request); 0 turns the cache off. */
  pageCacheEntries: number;
  /** Days a customer link must have been expired, and the case unchanged, before the system
   * ends the renewal as "expired" (only where the customer's move is next); 0 turns it off. */
  caseExpireDays: number;
  /** LGPD retention (services/ops/retention_pii.ts): message bodies and inbound WhatsApp
   * texts are erased this many days after they were sent or received. */
  messageRetentionDays: number;
  /** Bodies of messages carrying a one-time code are erased this many days after sending. */
  codeRetentionDays: number;
  /** Audit events lose IP, user agent and free text this many days after they happened. */
  auditPiiRetentionDays: number;
  logRequests: boolean;
  seedDemo: boolean;
  /** The provider's signing certificate (P12) for the PDF seal; a self-signed demo one is
   * generated and stored when absent. */
  signingP12?: { base64: string; passphrase: string };
  provider: { name: string; cnpj: string; phone: string; email: string; site: string };
  /** E-mail (Resend), WhatsApp Cloud API, queue, quiet hours, rates, reminders. */
  messaging: MessagingSettings;
  /** The ERP bridge (IXC_URL, IXC_TOKEN…; services/erp/settings.ts); absent = no ERP. */
  erp?: ErpSettings;
  /** Pix Automático through the provider's PSP (open Pix API); absent = not offered. */
  pixAuto?: PixAutoSettings;
}

export class ConfigError extends Error {}

function int(env: Record<string, string | undefined>, name: string, def: number, min: number) {
  const raw = env[name];
  if (raw === undefined || raw === "") return def;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) {
    throw new ConfigError(`${name} precisa ser um número inteiro ≥ ${min} (recebido: "${raw}").`);
  }
  return n;
}

function bool(env: Record<string, string | undefined>, name: string, def: boolean) {
  const raw = env[name];
  if (raw === undefined || raw === "") return def;
  if (["1", "true", "yes", "sim"].includes(raw.toLowerCase())) return true;
  if (["0", "false", "no", "nao", "não"].includes(raw.toLowerCase())) return false;
  throw new ConfigError(`${name} precisa ser true ou false (recebido: "${raw}").`);
}

export function loadConfig(
  env: Record<string, string | undefined> = Deno.env.toObject(),
): AppConfig {
  const dataKey = env.RENOVA_DATA_KEY || undefined;
  if (dataKey && !/^[A-Za-z0-9_-]{43}$/.test(dataKey)) {
    throw new ConfigError("RENOVA_DATA_KEY precisa ter 32 bytes em base64url (43 caracteres).");
  }
  const origin = env.APP_ORIGIN || undefined;
  if (origin && !/^https?:\/\/[^/]+$/.test(origin)) {
    throw new ConfigError(`APP_ORIGIN precisa ser uma origem como https://renova.exemplo.com.br.`);
  }
  let signingP12: AppConfig["signingP12"];
  if (env.SIGNING_P12_FILE || env.SIGNING_P12_BASE64) {
    if (!env.SIGNING_P12_PASSWORD) {
      throw new ConfigError(
        "SIGNING_P12_PASSWORD é obrigatório quando um certificado P12 é configurado.",
      );
    }
    let base64 = env.SIGNING_P12_BASE64 ?? "";
    if (env.SIGNING_P12_FILE) {
      try {
        const bytes = Deno.readFileSync(env.SIGNING_P12_FILE);
        base64 = btoa(Array.from(bytes, (b) => String.fromCharCode(b)).join(""));
      } catch {
        throw new ConfigError(`SIGNING_P12_FILE não pôde ser lido: ${env.SIGNING_P12_FILE}.`);
      }
    }
    signingP12 = { base64, passphrase: env.SIGNING_P12_PASSWORD };
  }
  const trustedProxies = (env.TRUSTED_PROXIES ?? "").split(",").map((s) => s.trim())
    .filter(Boolean);
  const badRange = trustedProxies.find((r) => !parseCidr(r));
  if (badRange) {
    throw new ConfigError(
      `TRUSTED_PROXIES precisa ser uma lista de faixas como 10.0.0.0/8 (inválida: "${badRange}").`,
    );
  }
  const port = int(env, "PORT", 8000, 0);
  // services/passwords.ts reads it on each hash: a bad value would make every sign-in a 500
  // (or hang for minutes), so it is refused at start like any other setting.
  const iterations = int(env, "PASSWORD_ITERATIONS", 310_000, 1000);
  if (iterations > 10_000_000) {
    throw new ConfigError(
      `PASSWORD_ITERATIONS precisa ser no máximo 10000000 (recebido: ${iterations}).`,
    );
  }
  const provider = {
    name: env.PROVIDER_NAME || "Fibra Exemplo Telecom Ltda.",
    cnpj: env.PROVIDER_CNPJ || "11222333000181",
    phone: env.PROVIDER_PHONE || "551140001234",
    email: env.PROVIDER_EMAIL || "atendimento@fibraexemplo.com.br",
    site: env.PROVIDER_SITE || "https://fibraexemplo.com.br",
  };
  const messaging = parseMessagingEnv(env, { origin, port, provider }, (m) => {
    throw new ConfigError(m);
  });
  const erp = parseErpEnv(env, (m) => {
    throw new ConfigError(m);
  });
  const pixAuto = parsePixAutoEnv(env, (m) => {
    throw new ConfigError(m);
  });
  return {
    signingP12,
    messaging,
    erp,
    pixAuto,
    port,
    kvPath: env.KV_PATH ?? "data/renova.kv",
    dataKey,
    origin,
    trustProxy: bool(env, "TRUST_PROXY", false),
    trustedProxyHops: int(env, "TRUSTED_PROXY_HOPS", 1, 1),
    trustedProxies: trustedProxies.length ? trustedProxies : undefined,
    sessionIdleMinutes: int(env, "SESSION_IDLE_MINUTES", 30, 1),
    sessionAbsoluteHours: int(env, "SESSION_ABSOLUTE_HOURS", 12, 1),
    renewalWindowDays: int(env, "RENEWAL_WINDOW_DAYS", 60, 1),
    declineCoolOffDays: int(env, "DECLINE_COOLOFF_DAYS", 90, 0),
    linkTtlDays: int(env, "LINK_TTL_DAYS", 15, 1),
    linkAfterEndDays: int(env, "LINK_AFTER_END_DAYS", 30, 1),
    photoRetentionDays: int(env, "PHOTO_RETENTION_DAYS", 90, 1),
    pageCacheEntries: int(env, "PAGE_CACHE_ENTRIES", 500, 0),
    caseExpireDays: int(env, "CASE_EXPIRE_DAYS", 7, 0),
    messageRetentionDays: int(env, "MESSAGE_RETENTION_DAYS", 90, 1),
    codeRetentionDays: int(env, "CODE_RETENTION_DAYS", 1, 1),
    auditPiiRetentionDays: int(env, "AUDIT_PII_RETENTION_DAYS", 365, 1),
    logRequests: bool(env, "LOG_REQUESTS", true),
    seedDemo: bool(env, "SEED_DEMO", true),
    provider,
  };
}

export const twindConfig = defineConfig({
  presets: [presetTailwind()],
  theme: {
    extend: {
      colors: {
        // Brand teal with AA contrast on white for text and buttons.
        brand: { 50: "#ecfdf9", 100: "#cff7ec", 600: "#0f766e", 700: "#115e59", 800: "#134e4a" },
      },
    },
  },
});

/**
 * Classes that islands add in the browser after a click. Server-side twind only emits CSS for
 * classes present in the rendered HTML, so every class in the islands' string literals is sent
 * with every page: generated from islands/*.tsx by scripts/build.ts (lib/island_classes.ts).
 */
export const twindSafelist: readonly string[] = islandClasses;

/** The request body limit (413 above it); here so pages can quote it without importing the app. */
export const MAX_BODY_BYTES = 12 * 1024 * 1024;
