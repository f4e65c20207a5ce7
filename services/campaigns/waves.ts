// Campaign waves: when (days before the loyalty end), how (WhatsApp, e-mail or a call task),
// to whom (city, plan, price range, with/without e-mail or WhatsApp), how many a day and at
// what hours. Admins edit them (validated, audited); the planner (planner.ts) reads them.
// New waves start paused: nothing contacts customers until an admin has seen the preview and
// activated the wave.
import type { Db } from "../db.ts";
import { keys } from "../keys.ts";
import { ulid } from "../ulid.ts";
import { addAudit } from "../audit.ts";
import type { Actor } from "../../domain/actor.ts";
import { ConflictError, NotFoundError, ValidationError } from "../errors.ts";
import { formatCount } from "../../domain/format.ts";

export const WAVE_CHANNELS = {
  whatsapp: "WhatsApp (modelo aprovado)",
  email: "E-mail",
  call: "Tarefa de ligação para um atendente",
} as const;
export type WaveChannel = keyof typeof WAVE_CHANNELS;

export const WAVE_STATUSES = {
  paused: "Pausada",
  active: "Ativa",
  cancelled: "Cancelada",
} as const;
export type WaveStatus = keyof typeof WAVE_STATUSES;

/** "any", or only customers with / without the contact. */
export type Presence = "any" | "with" | "without";

export interface WaveFilter {
  /** Empty: every city. */
  cities: string[];
  /** Our plan ids; empty: every plan. */
  planIds: string[];
  priceMinCents?: number;
  priceMaxCents?: number;
  email: Presence;
  whatsapp: Presence;
}

export interface Wave {
  id: string;
  name: string;
  /** Days before the loyalty end (D-30 → 30). */
  offsetDays: number;
  channel: WaveChannel;
  filter: WaveFilter;
  dailyCap: number;
  /** Sending hours in Brasília time: messages are staged for [fromHour, toHour). */
  fromHour: number;
  toHour: number;
  /** A customer who declined a renewal in the last N days is left out (0: never). */
  declineDays: number;
  status: WaveStatus;
  rev: number;
  createdAt: string;
  updatedAt: string;
}

export const DEFAULT_OFFSETS = [60, 30, 7] as const;
/** Days of loyalty ends behind the wave's target date a run still covers (catch-up). */
export const CATCH_UP_DAYS = 7;
export const LIMITS = { offsetMax: 120, capMax: 100_000, declineDaysMax: 365, citiesMax: 50 };

const PRESENCE: readonly Presence[] = ["any", "with", "without"];

export function defaultWave(offsetDays: number): Omit<Wave, "id" | "createdAt" | "updatedAt"> {
  return {
    name: `D-${offsetDays}`,
    offsetDays,
    channel: "whatsapp",
    filter: { cities: [], planIds: [], email: "any", whatsapp: "any" },
    dailyCap: 5000,
    fromHour: 9,
    toHour: 20,
    declineDays: 90,
    status: "paused",
    rev: 1,
  };
}

/** Money typed as people do ("139,90", "R$ 1.099"); undefined when blank, NaN when bad. */
function cents(s: string | undefined): number | undefined {
  const t = (s ?? "").replace(/R\$|\s/g, "");
  if (!t) return undefined;
  if (!/^\d{1,7}(\.\d{3})*(,\d{1,2})?$/.test(t) && !/^\d{1,7}(,\d{1,2})?$/.test(t)) return NaN;
  const [int, dec = ""] = t.replace(/\./g, "").split(",");
  return Number(int) * 100 + Number(dec.padEnd(2, "0"));
}

function int(s: string | undefined): number {
  const t = (s ?? "").trim();
  return /^\d{1,7}$/.test(t) ? Number(t) : NaN;
}

/** The wave's settings from the admin form; every problem in pt-BR per field. */
export function waveFromForm(
  f: Record<string, string | string[]>,
  knownPlanIds: readonly string[],
): Pick<
  Wave,
  "name" | "offsetDays" | "channel" | "filter" | "dailyCap" | "fromHour" | "toHour" | "declineDays"
> {
  const one = (k: string) => {
    const v = f[k];
    return (Array.isArray(v) ? v[0] : v) ?? "";
  };
  const many = (k: string) => {
    const v = f[k];
    return (Array.isArray(v) ? v : v ? [v] : []).map((x) => x.trim()).filter(Boolean);
  };
  const e: Record<string, string> = {};
  const name = one("name").trim();
  if (!name || name.length > 60) e.name = "Dê um nome à onda (até 60 caracteres).";
  const offsetDays = int(one("offsetDays"));
  if (!(offsetDays >= 1 && offsetDays <= LIMITS.offsetMax)) {
    e.offsetDays = `Informe quantos dias antes do fim da fidelidade (1 a ${LIMITS.offsetMax}).`;
  }
  const channel = one("channel") as WaveChannel;
  if (!(channel in WAVE_CHANNELS)) e.channel = "Escolha o canal da onda.";
  const dailyCap = int(one("dailyCap"));
  if (!(dailyCap >= 1 && dailyCap <= LIMITS.capMax)) {
    e.dailyCap = `O limite diário vai de 1 a ${formatCount(LIMITS.capMax)}.`;
  }
  const fromHour = int(one("fromHour")), toHour = int(one("toHour"));
  if (!(fromHour >= 0 && fromHour <= 23) || !(toHour >= 1 && toHour <= 24) || toHour <= fromHour) {
    e.hours = "O horário de envio vai de 0 a 24 h, e o fim precisa ser depois do início.";
  }
  const declineDays = int(one("declineDays"));
  if (!(declineDays >= 0 && declineDays <= LIMITS.declineDaysMax)) {
    e.declineDays = `Informe de 0 a ${LIMITS.declineDaysMax} dias.`;
  }
  const cities = [...new Set(one("cities").split(/[;\n]/).map((c) => c.trim()).filter(Boolean))];
  if (cities.length > LIMITS.citiesMax || cities.some((c) => c.length > 80)) {
    e.cities = `Até ${LIMITS.citiesMax} cidades, separadas por ponto e vírgula.`;
  }
  const planIds = [...new Set(many("planIds"))];
  if (planIds.some((p) => !knownPlanIds.includes(p))) e.planIds = "Plano desconhecido.";
  const priceMinCents = cents(one("priceMin")), priceMaxCents = cents(one("priceMax"));
  if (Number.isNaN(priceMinCents) || Number.isNaN(priceMaxCents)) {
    e.price = "Preço inválido. Use vírgula nos centavos, por exemplo 99,90.";
  } else if (
    priceMinCents !== undefined && priceMaxCents !== undefined && priceMaxCents < priceMinCents
  ) {
    e.price = "O preço máximo precisa ser maior que o mínimo.";
  }
  const email = (one("email") || "any") as Presence;
  const whatsapp = (one("whatsapp") || "any") as Presence;
  if (!PRESENCE.includes(email)) e.email = "Escolha uma opção de e-mail.";
  if (!PRESENCE.includes(whatsapp)) e.whatsapp = "Escolha uma opção de WhatsApp.";
  if (!e.channel && !e.email && channel === "email" && email === "without") {
    e.email = "Uma onda por e-mail não pode ser só para clientes sem e-mail.";
  }
  if (!e.channel && !e.whatsapp && channel === "whatsapp" && whatsapp === "without") {
    e.whatsapp = "Uma onda por WhatsApp não pode ser só para clientes sem WhatsApp.";
  }
  if (Object.keys(e).length) throw new ValidationError(e);
  return {
    name,
    offsetDays,
    channel,
    filter: { cities, planIds, priceMinCents, priceMaxCents, email, whatsapp },
    dailyCap,
    fromHour,
    toHour,
    declineDays,
  };
}

export async function listWaves(db: Db): Promise<Wave[]> {
  const out: Wave[] = [];
  for await (const e of db.kv.list<Wave>({ prefix: keys.campaignWaves() })) out.push(e.value);
  return out.sort((a, b) => b.offsetDays - a.offsetDays || a.id.localeCompare(b.id));
}

export async function getWave(db: Db, id: string): Promise<Wave> {
  const w = (await db.kv.get<Wave>(keys.campaignWave(id))).value;
  if (!w) throw new NotFoundError("Onda não encontrada.");
  return w;
}

/**
 * The default waves (D-60, D-30, D-7, paused) when there are none yet; one atomic, checked on
 * a marker so two first visits create them once.
 */
export async function ensureDefaultWaves(db: Db, actor: Actor): Promise<void> {
  const marker = keys.campaignDefaults();
  if ((await db.kv.get(marker)).value) return;
  const now = db.now().toISOString();
  const op = db.kv.atomic().check({ key: marker, versionstamp: null }).set(marker, now);
  for (const d of DEFAULT_OFFSETS) {
    const w: Wave = { ...defaultWave(d), id: ulid(), createdAt: now, updatedAt: now };
    op.set(keys.campaignWave(w.id), w);
    addAudit(db, op, `wave:${w.id}`, "campaign.wave_saved", actor, {
      offsetDays: d,
      channel: w.channel,
      dailyCap: w.dailyCap,
    });
  }
  await op.commit(); // a lost race means the other visit created them
}

/** Creates (no id) or updates a wave's settings; `rev` guards against a stale form. */
export async function saveWave(
  db: Db,
  input: ReturnType<typeof waveFromForm>,
  actor: Actor,
  at?: { id: string; rev: number },
): Promise<Wave> {
  const now = db.now().toISOString();
  let entry: Deno.KvEntryMaybe<Wave> | null = null;
  if (at) {
    entry = await db.kv.get<Wave>(keys.campaignWave(at.id));
    if (!entry.value) throw new NotFoundError("Onda não encontrada.");
    if (entry.value.rev !== at.rev) throw new ConflictError();
    if (entry.value.status === "cancelled") {
      throw new ValidationError({ status: "Esta onda foi cancelada e não pode ser alterada." });
    }
  }
  const w: Wave = entry?.value
    ? { ...entry.value, ...input, rev: entry.value.rev + 1, updatedAt: now }
    : { ...defaultWave(input.offsetDays), ...input, id: ulid(), createdAt: now, updatedAt: now };
  const op = db.kv.atomic()
    .check(entry ?? { key: keys.campaignWave(w.id), versionstamp: null })
    .set(keys.campaignWave(w.id), w);
  addAudit(db, op, `wave:${w.id}`, "campaign.wave_saved", actor, {
    offsetDays: w.offsetDays,
    channel: w.channel,
    dailyCap: w.dailyCap,
  });
  if (!(await op.commit()).ok) throw new ConflictError();
  return w;
}

const MOVES: Record<string, { from: WaveStatus[]; to: WaveStatus }> = {
  activate: { from: ["paused"], to: "active" },
  pause: { from: ["active"], to: "paused" },
  cancel: { from: ["paused", "active"], to: "cancelled" },
};

/** Activate (resume), pause or cancel a wave; audited. Cancelled is final. */
export async function setWaveStatus(
  db: Db,
  id: string,
  move: string,
  actor: Actor,
  rev?: number,
): Promise<Wave> {
  const m = MOVES[move];
  if (!m) throw new ValidationError({ action: "Ação desconhecida." });
  const entry = await db.kv.get<Wave>(keys.campaignWave(id));
  if (!entry.value) throw new NotFoundError("Onda não encontrada.");
  const prev = entry.value;
  if (rev !== undefined && prev.rev !== rev) throw new ConflictError();
  if (!m.from.includes(prev.status)) {
    throw new ValidationError({
      action: `Não é possível: a onda está ${WAVE_STATUSES[prev.status].toLowerCase()}.`,
    });
  }
  const next: Wave = {
    ...prev,
    status: m.to,
    rev: prev.rev + 1,
    updatedAt: db.now().toISOString(),
  };
  const op = db.kv.atomic().check(entry).set(keys.campaignWave(id), next);
  addAudit(db, op, `wave:${id}`, "campaign.wave_status", actor, { from: prev.status, to: m.to });
  if (!(await op.commit()).ok) throw new ConflictError();
  return next;
}
