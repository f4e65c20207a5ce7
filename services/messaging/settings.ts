// Messaging settings: the types, their defaults and the parsing of the environment variables.
// app.config.ts calls parseMessagingEnv() once at start and turns a problem into a ConfigError.

export interface QuietHours {
  /** Minutes after local midnight when quiet time starts and ends; equal = no nightly window. */
  startMin: number;
  endMin: number;
  /** Whole quiet days, 0 = Sunday … 6 = Saturday. */
  days: number[];
  timeZone: string;
}

export interface EmailSettings {
  apiKey: string;
  /** Resend API base URL; a local stand-in in tests and benchmarks. */
  baseUrl?: string;
  from: string;
}

export interface WhatsAppSettings {
  token: string;
  phoneNumberId: string;
  apiBase: string;
  /** Approved template names are `<prefix><template>`, e.g. renova_first_contact. */
  templatePrefix: string;
  templateLanguage: string;
}

export interface MessagingSettings {
  /** Public origin for links in messages built without a request (reminders). */
  baseUrl: string;
  providerName: string;
  /** Use KV queues; false where listenQueue is unavailable (KV Connect): the scan delivers. */
  queue: boolean;
  scanIntervalMs: number;
  /** KV retry delays after a failed send; attempts = length + 1, then dead letters. */
  backoffMs: number[];
  /** Sends per second per channel (token bucket); 0 = unlimited. */
  rate: { email: number; whatsapp: number };
  quiet: QuietHours;
  reminders: { afterHours: number[]; beforeExpiryDays: number };
  email?: EmailSettings;
  whatsapp?: WhatsAppSettings;
  /** maxAgeMs: events older than this are ignored (replays of a captured signed body). */
  webhook: { appSecret?: string; verifyToken?: string; maxAgeMs?: number };
  /** The local outbox prints the links of each message to stdout (OUTBOX_LOG=links); off by
   * default: the admin outbox page is the way to reach them. Codes are never printed. */
  outboxLog: boolean;
}

export const DEFAULT_WHATSAPP_API_BASE = "https://graph.facebook.com/v21.0";

export const DEFAULT_SETTINGS: MessagingSettings = {
  baseUrl: "http://localhost:8000",
  providerName: "Fibra Exemplo Telecom Ltda.",
  queue: true,
  scanIntervalMs: 30_000,
  backoffMs: [1_000, 10_000, 60_000, 300_000, 1_800_000],
  rate: { email: 5, whatsapp: 40 },
  quiet: { startMin: 20 * 60, endMin: 8 * 60, days: [0], timeZone: "America/Sao_Paulo" },
  reminders: { afterHours: [24, 72], beforeExpiryDays: 2 },
  webhook: {},
  outboxLog: false,
};

const DAY_NAMES: Record<string, number> = {
  dom: 0,
  sun: 0,
  seg: 1,
  mon: 1,
  ter: 2,
  tue: 2,
  qua: 3,
  wed: 3,
  qui: 4,
  thu: 4,
  sex: 5,
  fri: 5,
  sab: 6,
  "sáb": 6,
  sat: 6,
};

function clock(s: string): number | null {
  const m = s.trim().match(/^(\d{1,2}):(\d{2})$/);
  if (!m || Number(m[1]) > 23 || Number(m[2]) > 59) return null;
  return Number(m[1]) * 60 + Number(m[2]);
}

type Env = Record<string, string | undefined>;

/**
 * Reads the messaging variables. `fail` throws the caller's error type with a pt-BR message.
 * `origin` and `port` give the base URL for links; `provider` the sender's name and e-mail.
 */
export function parseMessagingEnv(
  env: Env,
  opts: { origin?: string; port: number; provider: { name: string; email: string } },
  fail: (message: string) => never,
): MessagingSettings {
  const d = DEFAULT_SETTINGS;
  const num = (name: string, def: number, min: number) => {
    const raw = env[name];
    if (raw === undefined || raw === "") return def;
    const n = Number(raw);
    if (!Number.isFinite(n) || n < min) fail(`${name} precisa ser um número ≥ ${min}.`);
    return n;
  };
  const list = (name: string, def: number[], max: number) => {
    const raw = env[name];
    if (raw === undefined) return def;
    if (raw.trim() === "") return [];
    const out = raw.split(",").map((s) => Number(s.trim()));
    if (out.some((n) => !Number.isFinite(n) || n <= 0) || out.length > max) {
      fail(`${name} precisa ser uma lista de até ${max} números positivos separados por vírgula.`);
    }
    return out;
  };

  let quiet = d.quiet;
  const q = (env.QUIET_HOURS ?? "").trim().toLowerCase();
  if (q === "off") quiet = { ...quiet, startMin: 0, endMin: 0 };
  else if (q !== "") {
    const [a, b] = q.split("-");
    const start = clock(a ?? ""), end = clock(b ?? "");
    if (start === null || end === null) fail("QUIET_HOURS precisa ser como 20:00-08:00 ou off.");
    quiet = { ...quiet, startMin: start!, endMin: end! };
  }
  const qd = (env.QUIET_DAYS ?? "").trim().toLowerCase();
  if (["off", "none", "nenhum"].includes(qd)) quiet = { ...quiet, days: [] };
  else if (qd !== "") {
    const days = qd.split(",").map((n) => DAY_NAMES[n.trim()]);
    if (days.some((x) => x === undefined) || new Set(days).size >= 7) {
      fail("QUIET_DAYS precisa listar dias como dom,sab (ou sun,sat), nunca a semana inteira.");
    }
    quiet = { ...quiet, days: [...new Set(days)] };
  }
  const timeZone = env.MESSAGE_TIMEZONE || d.quiet.timeZone;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone });
  } catch {
    fail(`MESSAGE_TIMEZONE desconhecido: ${timeZone}.`);
  }
  quiet = { ...quiet, timeZone };

  const backoffMs = list("MESSAGE_RETRY_BACKOFF_MS", d.backoffMs, 5);
  let email: EmailSettings | undefined;
  if (env.RESEND_API_KEY) {
    email = {
      apiKey: env.RESEND_API_KEY,
      baseUrl: env.RESEND_BASE_URL || undefined,
      from: env.EMAIL_FROM || `${opts.provider.name} <${opts.provider.email}>`,
    };
  }
  let whatsapp: WhatsAppSettings | undefined;
  if (env.WHATSAPP_TOKEN || env.WHATSAPP_PHONE_NUMBER_ID) {
    if (!env.WHATSAPP_TOKEN || !env.WHATSAPP_PHONE_NUMBER_ID) {
      fail("WHATSAPP_TOKEN e WHATSAPP_PHONE_NUMBER_ID precisam ser configurados juntos.");
    }
    const apiBase = (env.WHATSAPP_API_BASE || DEFAULT_WHATSAPP_API_BASE).replace(/\/+$/, "");
    if (!/^https?:\/\/\S+$/.test(apiBase)) fail("WHATSAPP_API_BASE precisa ser uma URL http(s).");
    whatsapp = {
      token: env.WHATSAPP_TOKEN!,
      phoneNumberId: env.WHATSAPP_PHONE_NUMBER_ID!,
      apiBase,
      templatePrefix: env.WHATSAPP_TEMPLATE_PREFIX ?? "renova_",
      templateLanguage: env.WHATSAPP_TEMPLATE_LANGUAGE || "pt_BR",
    };
  }
  const bool = (name: string, def: boolean) => {
    const raw = (env[name] ?? "").toLowerCase();
    if (raw === "") return def;
    if (["1", "true", "yes", "sim"].includes(raw)) return true;
    if (["0", "false", "no", "nao", "não"].includes(raw)) return false;
    return fail(`${name} precisa ser true ou false.`);
  };
  const queue = bool("MESSAGE_QUEUE", d.queue);
  return {
    baseUrl: opts.origin ?? `http://localhost:${opts.port || 8000}`,
    providerName: opts.provider.name,
    queue,
    // Without queues the scan is the delivery path: look more often by default.
    scanIntervalMs: num("MESSAGE_SCAN_SECONDS", queue ? d.scanIntervalMs / 1000 : 5, 1) * 1000,
    backoffMs,
    rate: {
      email: num("MESSAGE_RATE_EMAIL", d.rate.email, 0),
      whatsapp: num("MESSAGE_RATE_WHATSAPP", d.rate.whatsapp, 0),
    },
    quiet,
    reminders: {
      afterHours: list("REMINDER_HOURS", d.reminders.afterHours, 2),
      beforeExpiryDays: num("REMINDER_BEFORE_EXPIRY_DAYS", d.reminders.beforeExpiryDays, 0),
    },
    email,
    whatsapp,
    webhook: {
      appSecret: env.WHATSAPP_APP_SECRET || undefined,
      verifyToken: env.WHATSAPP_VERIFY_TOKEN || undefined,
      maxAgeMs: num("WHATSAPP_WEBHOOK_MAX_AGE_MINUTES", 15, 1) * 60_000,
    },
    // "links" says what is printed; true is accepted as the same explicit request.
    outboxLog: (env.OUTBOX_LOG ?? "").toLowerCase() === "links" || bool("OUTBOX_LOG", d.outboxLog),
  };
}
