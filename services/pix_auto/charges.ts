// The monthly charges (cobr) of approved authorizations. Pix Automático rules: a charge reaches
// the payer's bank between 10 and 2 days before its due date; the PSP retries by the
// recurrence's policy. A daily job (services/ops/daily_jobs.ts, under its lease) sends each
// installment of the renewal's invoice schedule inside that window, with a txid derived from
// case + installment, recorded as "sending" before the PUT: after a crash or a rerun the same
// PUT /cobr/<txid> is repeated (idempotent by the standard) and never creates a second charge.
// A charge the PSP refuses, fails or could not be sent in time falls back to that month's
// boleto + PIX (already issued with the invoices), and the customer is told in the same atomic.
import type { Db } from "../db.ts";
import { keys } from "../keys.ts";
import { sha256Hex } from "../crypto.ts";
import { addDays, todayInBrazil } from "../dates.ts";
import { formatDate } from "../../domain/format.ts";
import { getCase } from "../renewals/cases.ts";
import { type CobrStatus, type PspClient, PspError } from "./client.ts";
import { applyStatus, type PixAutoCharge, type PixAutoRecord, save } from "./recurrences.ts";
import { type NoticeEnv, stageCustomerNotice } from "./notices.ts";

/** A charge goes to the payer's bank at most 10 and at least 2 days before its due date. */
export const SEND_FROM_DAYS = 10;
export const SEND_UNTIL_DAYS = 2;
/** A pending authorization not approved within this many days is expired (offered again). */
export const AUTHORIZATION_DAYS = 7;

const cents = (c: number) => `${Math.floor(c / 100)}.${String(c % 100).padStart(2, "0")}`;

/** 35 characters (the standard's maximum), the same for every retry of one installment. */
export async function chargeTxid(caseId: string, seq: number): Promise<string> {
  return `RNVC${(await sha256Hex(`pix-auto-cobr:${caseId}:${seq}`)).slice(0, 31)}`;
}

const FROM_PSP: Record<CobrStatus, PixAutoCharge["status"]> = {
  CRIADA: "sent",
  ATIVA: "sent",
  CONCLUIDA: "paid",
  EXPIRADA: "failed",
  REJEITADA: "failed",
  CANCELADA: "failed",
};

/** Moves a charge may make: a repeat or a stale callback changes nothing. */
const NEXT: Record<PixAutoCharge["status"], readonly PixAutoCharge["status"][]> = {
  sending: ["sent", "paid", "failed"],
  sent: ["paid", "failed"],
  paid: [],
  failed: [],
};

/**
 * Sets installment `seq`'s charge to `to` if that is a legal move (or creates it as
 * "sending"). A failure stages the customer's "pay by boleto + PIX" message in the same atomic.
 */
async function moveCharge(
  db: Db,
  caseId: string,
  seq: number,
  to: PixAutoCharge["status"],
  notice: NoticeEnv | undefined,
  init?: { txid: string; dueDate: string },
): Promise<boolean> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const entry = await db.kv.get<PixAutoRecord>(keys.pixAutoOfCase(caseId));
    const rec = entry.value;
    if (!rec) return false;
    const cur = rec.charges?.[seq];
    if (cur ? !NEXT[cur.status].includes(to) : !init) return false;
    const charge: PixAutoCharge = {
      txid: cur?.txid ?? init!.txid,
      dueDate: cur?.dueDate ?? init!.dueDate,
      status: to,
      updatedAt: db.now().toISOString(),
    };
    const next = { ...rec, charges: { ...rec.charges, [seq]: charge } };
    const ok = await save(db, entry, next, async (op) => {
      if (!cur) op.set(keys.pixAutoChargeByTxid(charge.txid), { caseId, seq });
      if (to === "failed" && notice) {
        await stageCustomerNotice(db, op, caseId, notice, "pix_auto_charge_failed", {
          data: formatDate(charge.dueDate),
        }, `charge_failed:${seq}`);
      }
    });
    if (ok) return true;
  }
  return false;
}

export interface ChargeRunResult {
  sent: number;
  fellBack: number;
  /** Left for the next run (PSP down or slow): the same txid is tried again. */
  retry: number;
  expired: number;
}

/** A PSP fault worth another try tomorrow (no answer, 5xx, rate limit, token). */
const transient = (e: PspError) => e.status === 0 || e.status >= 500 || e.status === 429;

/** One authorization's due installments: send those in their window, fall back the late ones. */
async function chargeCase(
  db: Db,
  psp: PspClient,
  rec: PixAutoRecord,
  notice: NoticeEnv | undefined,
  out: ChargeRunResult,
) {
  const c = await getCase(db, rec.caseId);
  if (!c?.invoices || !rec.idRec) return;
  const today = todayInBrazil(db.now());
  for (const inv of c.invoices) {
    const cur = rec.charges?.[inv.seq];
    if (cur && cur.status !== "sending") continue;
    if (inv.dueDate > addDays(today, SEND_FROM_DAYS)) break; // later months: a later run
    if (inv.dueDate < addDays(today, SEND_UNTIL_DAYS)) {
      // Too late for the debit (e.g. the authorization came after the first due date, or the
      // PSP was down all week): a charge the PSP already holds stands, else boleto + PIX.
      const held = cur ? await psp.getCobr(cur.txid).catch(() => null) : null;
      if (held) await moveCharge(db, rec.caseId, inv.seq, FROM_PSP[held.status], notice);
      else {
        const init = { txid: await chargeTxid(rec.caseId, inv.seq), dueDate: inv.dueDate };
        await moveCharge(db, rec.caseId, inv.seq, "sending", undefined, init);
        if (await moveCharge(db, rec.caseId, inv.seq, "failed", notice)) out.fellBack++;
      }
      continue;
    }
    const txid = cur?.txid ?? await chargeTxid(rec.caseId, inv.seq);
    if (!cur) {
      // Recorded before the call: a crash after the PUT is retried with the same txid.
      if (!await moveCharge(db, rec.caseId, inv.seq, "sending", undefined, { txid, ...inv })) {
        continue;
      }
    }
    try {
      const cobr = await psp.putCobr(txid, {
        idRec: rec.idRec,
        infoAdicional: inv.description.slice(0, 140),
        calendario: { dataDeVencimento: inv.dueDate },
        valor: { original: cents(inv.amountCents) },
        ajusteDiaUtil: true,
      });
      await moveCharge(db, rec.caseId, inv.seq, FROM_PSP[cobr.status] ?? "sent", notice);
      out.sent++;
    } catch (e) {
      if (!(e instanceof PspError)) throw e;
      if (transient(e)) out.retry++;
      else if (await moveCharge(db, rec.caseId, inv.seq, "failed", notice)) out.fellBack++;
    }
  }
}

/**
 * The daily pass over every authorization: approved ones get their due charges; pending ones
 * older than AUTHORIZATION_DAYS are re-read from the PSP and, still not approved, expire.
 */
export async function runPixAutoCharges(
  db: Db,
  psp: PspClient,
  notice?: NoticeEnv,
): Promise<ChargeRunResult> {
  const out: ChargeRunResult = { sent: 0, fellBack: 0, retry: 0, expired: 0 };
  const stale = new Date(db.now().getTime() - AUTHORIZATION_DAYS * 86400_000).toISOString();
  for await (const e of db.kv.list<PixAutoRecord>({ prefix: keys.pixAutoAll() })) {
    const rec = e.value;
    try {
      if (rec.status === "approved") await chargeCase(db, psp, rec, notice, out);
      else if (rec.status === "pending" && rec.updatedAt < stale) {
        const psps = rec.idRec ? await psp.getRec(rec.idRec) : undefined;
        // The PSP's word first (approved late, rejected…); else our own deadline.
        const moved = psps && psps.status !== "CRIADA"
          ? await applyStatus(db, rec.caseId, pspStatus(psps.status), notice, rec.idRec)
          : await applyStatus(db, rec.caseId, "expired", notice, rec.idRec);
        if (moved?.to === "expired") out.expired++;
      }
    } catch (err) {
      if (!(err instanceof PspError)) throw err;
      out.retry++; // the PSP is down: tomorrow's run asks again
    }
  }
  return out;
}

function pspStatus(s: string) {
  return ({
    APROVADA: "approved",
    REJEITADA: "rejected",
    EXPIRADA: "expired",
    CANCELADA: "cancelled",
  } as const)[s as "APROVADA"];
}

/**
 * webhookcobr: each charge named is re-read from the PSP (the body is never trusted); a legal
 * move is applied once. Returns how many changed.
 */
export async function refreshChargeFromPsp(
  db: Db,
  psp: PspClient,
  txid: string,
  notice?: NoticeEnv,
): Promise<boolean> {
  const ref = (await db.kv.get<{ caseId: string; seq: number }>(keys.pixAutoChargeByTxid(txid)))
    .value;
  if (!ref) return false;
  const cobr = await psp.getCobr(txid);
  const to = FROM_PSP[cobr.status];
  return !!to && await moveCharge(db, ref.caseId, ref.seq, to, notice);
}

/** The txids a webhookcobr body names (only ids are read from it). */
export function txidsOf(body: unknown): string[] {
  const list = (body as { cobsr?: unknown })?.cobsr;
  if (!Array.isArray(list)) return [];
  const ids = list.map((r) => (r as { txid?: unknown })?.txid)
    .filter((id): id is string => typeof id === "string" && /^[A-Za-z0-9]{26,35}$/.test(id));
  return [...new Set(ids)].slice(0, 100);
}
