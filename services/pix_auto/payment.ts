// The customer's payment method in the renewal: Pix Automático (recommended) or boleto + PIX.
// The choice is recorded with its audit event in one atomic; the PSP is asked afterwards,
// bounded by its timeout, and any fault leaves the renewal on boleto + PIX (offered again
// when the customer picks Pix Automático once more).
import type { Db } from "../db.ts";
import { keys } from "../keys.ts";
import { addAudit } from "../audit.ts";
import { ConflictError, NotFoundError, ValidationError } from "../errors.ts";
import type { Actor } from "../../domain/actor.ts";
import { OPEN_STEPS } from "../../domain/steps.ts";
import type { RenewalCase } from "../renewals/cases.ts";
import { getPlan } from "../plans.ts";
import { getCustomer } from "../customers.ts";
import { getBillingSettings } from "../billing_settings.ts";
import { pspFor } from "./mod.ts";
import type { PixAutoSettings } from "./settings.ts";
import {
  getPixAuto,
  offerPixAuto,
  type PixAutoRecord,
  type RecurrenceTerms,
} from "./recurrences.ts";

export type PaymentMethod = "pix_auto" | "boleto_pix";
export interface PaymentChoice {
  method: PaymentMethod;
  at: string;
}

/** From the plan's choice until the all-set page, while the case is open. */
const CHOOSING_STEPS = OPEN_STEPS.slice(OPEN_STEPS.indexOf("plan_chosen"));

export interface PaymentView {
  /** Pix Automático is configured for this provider. */
  offered: boolean;
  /** Journey 1 (the request pushed to the payer's bank app) is offered too. */
  journey1?: boolean;
  /** The case is at a step where the method is chosen or shown. */
  open: boolean;
  choice?: PaymentChoice;
  pixAuto?: PixAutoRecord;
  terms?: RecurrenceTerms;
  deps: { keys: Deno.KvKey[]; stamps: (string | null)[] };
}

function isoDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** Amount = the new plan's price; first charge on the next due day; end = the loyalty end. */
export async function recurrenceTerms(
  db: Db,
  c: RenewalCase,
  provider: { name: string; cnpj: string },
): Promise<RecurrenceTerms | undefined> {
  const plan = c.choice ? await getPlan(db, c.choice.planId) : null;
  if (!plan) return undefined;
  const { dueDay } = (await getBillingSettings(db, provider)).settings;
  const now = db.now();
  const first = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), dueDay));
  if (first <= now) first.setUTCMonth(first.getUTCMonth() + 1);
  const end = plan.loyaltyMonths > 0
    ? isoDay(
      new Date(
        Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + plan.loyaltyMonths - 1, dueDay),
      ),
    )
    : undefined;
  return { amountCents: plan.priceCents, dueDay, start: isoDay(first), end };
}

export async function paymentView(
  db: Db,
  c: RenewalCase,
  provider: { name: string; cnpj: string },
  settings?: PixAutoSettings,
): Promise<PaymentView> {
  const [choice, pix] = await db.kv.getMany(paymentKeys(c.id));
  return await paymentViewOf(db, c, [choice, pix], provider, settings);
}

/** The keys paymentView reads, for a caller that reads them with others in one getMany. */
export function paymentKeys(caseId: string): Deno.KvKey[] {
  return [keys.paymentMethodOfCase(caseId), keys.pixAutoOfCase(caseId)];
}

/** paymentView from the entries of paymentKeys(c.id), read by the caller. */
export async function paymentViewOf(
  db: Db,
  c: RenewalCase,
  entries: Deno.KvEntryMaybe<unknown>[],
  provider: { name: string; cnpj: string },
  settings?: PixAutoSettings,
): Promise<PaymentView> {
  const choice = entries[0] as Deno.KvEntryMaybe<PaymentChoice>;
  const pix = entries[1] as Deno.KvEntryMaybe<PixAutoRecord>;
  return {
    offered: !!settings,
    journey1: !!settings?.journey1,
    open: (CHOOSING_STEPS as readonly string[]).includes(c.step),
    choice: choice.value ?? undefined,
    pixAuto: pix.value ?? undefined,
    terms: settings ? await recurrenceTerms(db, c, provider) : undefined,
    deps: {
      keys: [keys.paymentMethodOfCase(c.id), keys.pixAutoOfCase(c.id)],
      stamps: [choice.versionstamp, pix.versionstamp],
    },
  };
}

/**
 * Records the method; for Pix Automático, then asks the PSP for the authorization (bounded
 * by its timeout; "unavailable" on any fault, the renewal goes on with boleto + PIX).
 */
export async function choosePaymentMethod(
  db: Db,
  actor: Actor,
  caseId: string,
  method: string,
  env: { provider: { name: string; cnpj: string }; settings?: PixAutoSettings },
): Promise<PaymentChoice> {
  if (method !== "pix_auto" && method !== "boleto_pix") {
    throw new ValidationError({ method: "Escolha uma forma de pagamento." });
  }
  if (method === "pix_auto" && !env.settings) {
    throw new ValidationError({ method: "O Pix Automático não está disponível no momento." });
  }
  const ce = await db.kv.get<RenewalCase>(keys.case(caseId));
  const c = ce.value;
  if (!c) throw new NotFoundError("Caso não encontrado.");
  if (!(CHOOSING_STEPS as readonly string[]).includes(c.step)) {
    throw new ConflictError("A forma de pagamento não pode ser escolhida nesta etapa.");
  }
  const pix = await getPixAuto(db, caseId);
  if (method === "boleto_pix" && pix?.status === "approved") {
    throw new ConflictError(
      "O Pix Automático já foi autorizado; para cancelar, use o aplicativo do seu banco.",
    );
  }
  const key = keys.paymentMethodOfCase(caseId);
  const prev = await db.kv.get<PaymentChoice>(key);
  let choice = prev.value;
  if (choice?.method !== method) {
    choice = { method, at: db.now().toISOString() };
    const op = db.kv.atomic().check(prev).set(key, choice);
    addAudit(db, op, `case:${caseId}`, "payment.method_chosen", actor, { method });
    if (!(await op.commit()).ok) throw new ConflictError();
  }
  if (method === "pix_auto" && env.settings) {
    const terms = await recurrenceTerms(db, c, env.provider);
    const customer = await getCustomer(db, c.customerId);
    const { pixCity } = (await getBillingSettings(db, env.provider)).settings;
    if (terms && customer) {
      await offerPixAuto(db, pspFor(env.settings), {
        caseId,
        contractId: c.contractId,
        payer: { cpf: customer.cpf, name: customer.name },
        receiver: { name: env.provider.name, city: pixCity },
        terms,
      });
    }
  }
  return choice;
}

/**
 * The all-set message's Pix Automático line: while the authorization is pending, its
 * copia-e-cola (the QR is on the customer's page); once approved, that the monthly bills are
 * debited. Empty otherwise (the template drops the line).
 */
export async function pixAutoMessageLine(db: Db, caseId: string): Promise<string> {
  const [choice, rec] = await Promise.all([
    db.kv.get<PaymentChoice>(keys.paymentMethodOfCase(caseId)),
    getPixAuto(db, caseId),
  ]);
  if (choice.value?.method !== "pix_auto" || !rec) return "";
  if (rec.status === "approved") {
    return "Suas mensalidades serão debitadas por Pix Automático (os boletos abaixo ficam só " +
      "como reserva).";
  }
  if (rec.status === "pending" && rec.copiaECola) {
    return "Falta autorizar o Pix Automático: no app do seu banco, escolha Pix copia e cola e " +
      `use o código abaixo (o QR Code está no seu link).\n${rec.copiaECola}`;
  }
  return "";
}
