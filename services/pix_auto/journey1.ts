// Journey 1 of Pix Automático: instead of a QR, the PSP pushes the authorization request to
// the payer's bank app (bacen/pix-api: POST /rec, then POST /solicrec naming the payer's
// account). The payer approves in the app; the status comes back by the rec webhook, handled
// as in the other journeys (re-read from the PSP).
import type { Db } from "../db.ts";
import { keys } from "../keys.ts";
import { openJson, sealJson } from "../crypto.ts";
import { ConflictError, NotFoundError, ValidationError } from "../errors.ts";
import type { Actor } from "../../domain/actor.ts";
import type { RenewalCase } from "../renewals/cases.ts";
import { getCustomer } from "../customers.ts";
import { PspError } from "./client.ts";
import { pspFor } from "./mod.ts";
import type { PixAutoSettings } from "./settings.ts";
import { choosePaymentMethod } from "./payment.ts";
import { parsePayerAccount, type PayerAccount } from "./payer_banks.ts";
import { getPixAuto, type PixAutoRecord, save } from "./recurrences.ts";
import { AUTHORIZATION_DAYS } from "./charges.ts";

const aad = (caseId: string) => `case:${caseId}:solicrec`;
const same = (a: PayerAccount, b: PayerAccount) =>
  a.ispb === b.ispb && a.agencia === b.agencia && a.conta === b.conta;

/**
 * The customer asks for the request in their bank app. The form is checked before anything
 * is written; then the method is recorded and the recurrence created as for a QR (idempotent,
 * by its location), and the request is sent once. Any PSP fault leaves the renewal on boleto +
 * PIX ("unavailable"), offered again like the other journeys.
 */
export async function requestInBankApp(
  db: Db,
  actor: Actor,
  caseId: string,
  form: { bank?: string; agencia?: string; conta?: string; tipoConta?: string },
  env: { provider: { name: string; cnpj: string }; settings?: PixAutoSettings },
): Promise<PixAutoRecord | null> {
  if (!env.settings?.journey1) {
    throw new ValidationError({ bank: "O pedido pelo app do banco não está disponível." });
  }
  const account = parsePayerAccount(form);
  const c = (await db.kv.get<RenewalCase>(keys.case(caseId))).value;
  if (!c) throw new NotFoundError("Caso não encontrado.");
  const customer = await getCustomer(db, c.customerId);
  if (!customer) throw new NotFoundError("Cliente não encontrado.");
  await choosePaymentMethod(db, actor, caseId, "pix_auto", env);
  const key = keys.pixAutoOfCase(caseId);
  let entry = await db.kv.get<PixAutoRecord>(key);
  const rec = entry.value;
  // No recurrence at the PSP now (down, slow) or already decided: nothing to push.
  if (rec?.status !== "pending" || !rec.idRec) return rec;
  const prev = rec.solicRec?.idRec === rec.idRec ? rec.solicRec : undefined;
  if (prev?.status === "sent") return rec;
  // A request may already be held by the PSP (its reply was lost): the standard refuses a
  // second active request for one recurrence, so a refusal of the same account means "held".
  const retry = prev?.status === "sending" && prev.account
    ? same(await openJson<PayerAccount>(db.crypto.aes, prev.account, aad(caseId)), account)
    : false;
  const at = db.now().toISOString();
  const sending: PixAutoRecord = {
    ...rec,
    solicRec: {
      idRec: rec.idRec,
      status: "sending",
      account: await sealJson(db.crypto.aes, account, aad(caseId)),
      at,
    },
  };
  // Recorded before the POST: a crash or a lost reply leaves a trace the retry reads.
  if (!await save(db, entry, sending)) throw new ConflictError();
  entry = await db.kv.get<PixAutoRecord>(key);
  const psp = pspFor(env.settings);
  let idSolicRec: string | undefined;
  try {
    const expires = new Date(db.now().getTime() + AUTHORIZATION_DAYS * 86400_000);
    idSolicRec = (await psp.createSolicRec({
      idRec: rec.idRec,
      calendario: { dataExpiracaoSolicitacao: expires.toISOString() },
      destinatario: {
        cpf: customer.cpf,
        agencia: account.agencia,
        conta: account.conta,
        ispbParticipante: account.ispb,
      },
    })).idSolicRec;
  } catch (e) {
    if (!(e instanceof PspError)) throw e;
    const held = retry && e.status >= 400 && e.status < 500 && e.status !== 401 &&
      e.status !== 429;
    if (!held) {
      // Same fallback as the QR journeys: boleto + PIX now, Pix Automático offered again.
      const next = { ...entry.value!, status: "unavailable" as const, updatedAt: at };
      await save(db, entry, next);
      return next;
    }
  }
  // The PSP holds the request: only its id is kept, the account is dropped.
  const sent: PixAutoRecord = {
    ...entry.value!,
    solicRec: { idRec: rec.idRec, status: "sent", ...(idSolicRec ? { idSolicRec } : {}), at },
    updatedAt: at,
  };
  if (!await save(db, entry, sent)) return await getPixAuto(db, caseId);
  return sent;
}
