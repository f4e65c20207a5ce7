// Pix Automático authorization of one renewal case: created at the PSP once (idempotent across
// retries and crashes), its status kept from the PSP's own word. Webhooks only say "look
// again": the status is re-read from the PSP, so a forged, repeated or out-of-order callback
// cannot move anything, and a status already applied changes nothing twice.
import type { Db } from "../db.ts";
import { keys } from "../keys.ts";
import { addAudit } from "../audit.ts";
import { sha256Hex } from "../crypto.ts";
import { systemActor } from "../../domain/actor.ts";
import { buildPix } from "../billing/pix.ts";
import { type PspClient, PspError, type RecStatus } from "./client.ts";
import { stagePixAutoCounters } from "./counters.ts";
import { type NoticeEnv, stageCustomerNotice } from "./notices.ts";

export type PixAutoStatus =
  | "creating"
  | "unavailable"
  | "pending"
  | "approved"
  | "rejected"
  | "cancelled"
  | "expired";

export interface RecurrenceTerms {
  /** Monthly amount in centavos (the plan's price). */
  amountCents: number;
  /** Day of the month the charge falls due. */
  dueDay: number;
  /** First charge (YYYY-MM-DD). */
  start: string;
  /** Loyalty end (YYYY-MM-DD), or undefined for an open-ended authorization. */
  end?: string;
}

/** One month's charge (cobr) under the authorization (services/pix_auto/charges.ts). */
export interface PixAutoCharge {
  txid: string;
  dueDate: string;
  /** sending: recorded before the PUT, so a crash retries the same txid; failed: the month
   * falls back to its boleto + PIX. */
  status: "sending" | "sent" | "paid" | "failed";
  updatedAt: string;
}

export interface PixAutoRecord {
  caseId: string;
  status: PixAutoStatus;
  journey: 2 | 3;
  terms: RecurrenceTerms;
  locId?: number;
  idRec?: string;
  /** Journey 3: the immediate charge paid with the authorization. */
  txid?: string;
  /** The authorization BR Code (QR and copia-e-cola). */
  copiaECola?: string;
  /** pt-BR explanation shown to the customer after a rejection or cancellation. */
  reason?: string;
  updatedAt: string;
  /** The monthly charges, by installment number (invoice `seq`). */
  charges?: Record<string, PixAutoCharge>;
  /** Journey 1: the request pushed to the payer's bank (services/pix_auto/journey1.ts). */
  solicRec?: SolicRecState;
}

/** Journey 1's request (POST /solicrec) for one recurrence. */
export interface SolicRecState {
  idRec: string;
  /** sending: recorded before the POST, so a retry knows a request may already be held. */
  status: "sending" | "sent";
  idSolicRec?: string;
  /** While sending only: the payer's account, sealed (AES-GCM), to tell a retry of the same
   * request from a new one. Dropped once the PSP holds the request. */
  account?: string;
  at: string;
}

export interface OfferInput {
  caseId: string;
  contractId: string;
  payer: { cpf: string; name: string };
  receiver: { name: string; city: string };
  terms: RecurrenceTerms;
}

const FROM_PSP: Record<RecStatus, PixAutoStatus> = {
  CRIADA: "pending",
  APROVADA: "approved",
  REJEITADA: "rejected",
  EXPIRADA: "expired",
  CANCELADA: "cancelled",
};

/** Moves the PSP can make; everything else (repeats, stale callbacks) is ignored. */
const NEXT: Record<PixAutoStatus, readonly PixAutoStatus[]> = {
  creating: ["pending", "approved", "rejected", "expired", "cancelled"],
  unavailable: ["pending", "approved", "rejected", "expired", "cancelled"],
  pending: ["approved", "rejected", "expired", "cancelled"],
  approved: ["cancelled", "expired"],
  rejected: [],
  cancelled: [],
  expired: [],
};

export async function getPixAuto(db: Db, caseId: string): Promise<PixAutoRecord | null> {
  return (await db.kv.get<PixAutoRecord>(keys.pixAutoOfCase(caseId))).value;
}

const cents = (c: number) => `${Math.floor(c / 100)}.${String(c % 100).padStart(2, "0")}`;

/** A txid the PSP accepts (26-35 letters/digits), the same for every retry of one case. */
async function txidOf(caseId: string): Promise<string> {
  return `RNV${(await sha256Hex(`pix-auto:${caseId}`)).slice(0, 32)}`;
}

/**
 * Writes the record; a status change adds its audit event and its dashboard count to the same
 * atomic, and `stage` may add more (the customer's message).
 */
export async function save(
  db: Db,
  prev: Deno.KvEntryMaybe<PixAutoRecord>,
  next: PixAutoRecord,
  stage?: (op: Deno.AtomicOperation) => Promise<void>,
): Promise<boolean> {
  const op = db.kv.atomic().check(prev).set(keys.pixAutoOfCase(next.caseId), next);
  if (next.idRec) op.set(keys.pixAutoByIdRec(next.idRec), next.caseId);
  if (prev.value?.status !== next.status) {
    const ev = addAudit(
      db,
      op,
      `case:${next.caseId}`,
      "pix_auto.status",
      systemActor("Pix Automático"),
      { previous: prev.value?.status ?? "none", status: next.status, journey: next.journey },
    );
    stagePixAutoCounters(op, next.status, ev.at);
  }
  if (stage) await stage(op);
  return (await op.commit()).ok;
}

/**
 * Creates (or finds again) the case's recurrence at the PSP and returns the authorization
 * code. On any PSP fault it records "unavailable" and returns it: the caller goes on with
 * boleto + PIX at once, and the offer can be made again later with the same call.
 */
export async function offerPixAuto(
  db: Db,
  psp: PspClient,
  input: OfferInput,
): Promise<PixAutoRecord> {
  const key = keys.pixAutoOfCase(input.caseId);
  let entry = await db.kv.get<PixAutoRecord>(key);
  let done = entry.value;
  if (done && !RESTARTABLE.includes(done.status)) return done;
  // Expired: a new authorization from scratch (new location and recurrence); the old idRec
  // no longer matches the record, so its late callbacks change nothing.
  if (done?.status === "expired") done = null;
  const journey = psp.settings.journey;
  let rec: PixAutoRecord = done ?? {
    caseId: input.caseId,
    status: "creating",
    journey,
    terms: input.terms,
    updatedAt: db.now().toISOString(),
  };
  try {
    // 1. The location first, saved before the recurrence: after a crash the retry asks the
    // PSP which recurrence holds this location instead of creating a second one.
    if (rec.locId === undefined) {
      const loc = await psp.createLocRec();
      rec = { ...rec, locId: loc.id, status: "creating", updatedAt: db.now().toISOString() };
      if (!await save(db, entry, rec)) throw new Error("concurrent offer");
      entry = await db.kv.get<PixAutoRecord>(key);
    }
    // 2. Journey 3: the first invoice as an immediate charge, PUT by our own txid.
    let cobUrl: string | undefined;
    if (journey === 3) {
      const txid = await txidOf(input.caseId);
      const cob = await psp.putCob(txid, {
        calendario: { expiracao: 86400 },
        devedor: { cpf: input.payer.cpf, nome: input.payer.name },
        valor: { original: cents(input.terms.amountCents) },
        chave: psp.settings.pixKey,
        solicitacaoPagador: "Primeira mensalidade do contrato renovado",
      }) as { location?: string };
      rec = { ...rec, txid };
      cobUrl = cob.location;
    }
    // 3. The recurrence, unless the location already has one.
    let idRec = rec.idRec ?? (await psp.getLocRec(rec.locId!)).idRec;
    if (!idRec) {
      const created = await psp.createRec({
        vinculo: {
          objeto: "Mensalidade de internet",
          contrato: input.contractId.slice(0, 35),
          devedor: { cpf: input.payer.cpf, nome: input.payer.name },
        },
        calendario: {
          dataInicial: input.terms.start,
          ...(input.terms.end ? { dataFinal: input.terms.end } : {}),
          periodicidade: "MENSAL",
        },
        valor: { valorRec: cents(input.terms.amountCents) },
        politicaRetentativa: psp.settings.retryPolicy,
        loc: rec.locId!,
        ...(rec.txid ? { ativacao: { dadosJornada: { txid: rec.txid } } } : {}),
      });
      idRec = created.idRec;
    }
    // 4. The code to show: the PSP's own copia-e-cola, else built from the locations.
    const full = await psp.getRec(idRec, rec.txid);
    const loc = full.loc?.location ?? (await psp.getLocRec(rec.locId!)).location;
    const copiaECola = full.dadosQR?.pixCopiaECola ??
      buildPix({ ...input.receiver, recurrenceUrl: loc, url: cobUrl });
    const status = FROM_PSP[full.status] ?? "pending";
    rec = { ...rec, idRec, copiaECola, status, updatedAt: db.now().toISOString() };
    if (!await save(db, entry, rec)) return (await getPixAuto(db, input.caseId)) ?? rec;
    return rec;
  } catch (e) {
    if (!(e instanceof PspError)) throw e;
    const fallback = { ...rec, status: "unavailable" as const, updatedAt: db.now().toISOString() };
    const latest = await db.kv.get<PixAutoRecord>(key);
    await save(db, latest, fallback);
    return fallback;
  }
}

/** Statuses from which offering again asks the PSP (an outage, an expired authorization). */
const RESTARTABLE: readonly PixAutoStatus[] = ["creating", "unavailable", "expired"];

const REASONS: Partial<Record<PixAutoStatus, string>> = {
  rejected: "A autorização do Pix Automático foi recusada no aplicativo do banco. " +
    "Suas faturas seguem por boleto + PIX.",
  cancelled: "O Pix Automático foi cancelado no aplicativo do banco. " +
    "Suas faturas voltam a ser enviadas por boleto + PIX.",
  expired: "O prazo para autorizar o Pix Automático acabou. Suas faturas seguem por boleto + PIX.",
};

/**
 * Re-reads one recurrence from the PSP and applies its status when it is a legal move.
 * Returns the status change, or null when nothing changed (unknown id, repeat, stale).
 */
export async function refreshFromPsp(
  db: Db,
  psp: PspClient,
  idRec: string,
  notice?: NoticeEnv,
): Promise<{ from: PixAutoStatus; to: PixAutoStatus } | null> {
  const caseId = (await db.kv.get<string>(keys.pixAutoByIdRec(idRec))).value;
  if (!caseId) return null;
  const rec = await psp.getRec(idRec);
  return await applyStatus(db, caseId, FROM_PSP[rec.status], notice, idRec);
}

/**
 * Moves the case's authorization to `to` when that is a legal move (else null). A payer's
 * cancellation stages the customer's message in the same atomic: the invoices go back to
 * boleto + PIX. `idRec` (when given) must still be the record's: an old recurrence's
 * callbacks do not touch a newer authorization.
 */
export async function applyStatus(
  db: Db,
  caseId: string,
  to: PixAutoStatus | undefined,
  notice?: NoticeEnv,
  idRec?: string,
  reason?: string,
): Promise<{ from: PixAutoStatus; to: PixAutoStatus } | null> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const entry = await db.kv.get<PixAutoRecord>(keys.pixAutoOfCase(caseId));
    const cur = entry.value;
    if (!cur || !to || !NEXT[cur.status].includes(to)) return null;
    if (idRec && cur.idRec !== idRec) return null;
    const next = {
      ...cur,
      status: to,
      reason: reason ?? REASONS[to],
      updatedAt: db.now().toISOString(),
    };
    const stage = to === "cancelled" && notice
      ? (op: Deno.AtomicOperation) =>
        stageCustomerNotice(db, op, caseId, notice, "pix_auto_cancelled", {}, "cancelled")
      : undefined;
    if (await save(db, entry, next, stage)) return { from: cur.status, to };
  }
  return null;
}

/** The PSP's callback body: only the ids are read; each is then asked of the PSP itself. */
export function idRecsOf(body: unknown): string[] {
  const recs = (body as { recs?: unknown })?.recs;
  if (!Array.isArray(recs)) return [];
  const ids = recs.map((r) => (r as { idRec?: unknown })?.idRec)
    .filter((id): id is string => typeof id === "string" && /^[A-Za-z0-9]{1,35}$/.test(id));
  return [...new Set(ids)].slice(0, 100);
}
