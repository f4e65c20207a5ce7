// Commercial plans (offers). Each carries its own offer code, loyalty term and the benefit
// whose value sets the proportional fine (ANATEL RGC: fine proportional to the months left).
import { keys } from "./keys.ts";
import { ulid } from "./ulid.ts";
import { ConflictError, NotFoundError, ValidationError } from "./errors.ts";
import { addAudit } from "./audit.ts";
import { type Actor, SYSTEM } from "../domain/actor.ts";
import type { Db } from "./db.ts";
import {
  DEFAULT_PLAN_ORDER,
  PLAN_ORDERS,
  type PlanOrder,
  type PlanOrderSetting,
} from "../domain/plan_order.ts";

export interface Plan {
  id: string;
  name: string;
  downMbps: number;
  upMbps: number;
  priceCents: number;
  loyaltyMonths: number;
  /** What the customer gets for the loyalty (pt-BR text). */
  benefit: string;
  /** Value of the benefit; the fine for leaving is this × months left / term. */
  benefitValueCents: number;
  offerCode: string;
  active: boolean;
  createdAt: string;
}

export type NewPlan = Omit<Plan, "id" | "createdAt" | "active">;

/** Fine owed when cancelling with `monthsLeft` months of loyalty left (proportional). */
export function fineFor(
  plan: Pick<Plan, "benefitValueCents" | "loyaltyMonths">,
  monthsLeft: number,
) {
  const m = Math.min(Math.max(monthsLeft, 0), plan.loyaltyMonths);
  return Math.round((plan.benefitValueCents * m) / plan.loyaltyMonths);
}

/** The whole fine table, shown before the customer accepts. */
export function fineTable(plan: Pick<Plan, "benefitValueCents" | "loyaltyMonths">) {
  return Array.from({ length: plan.loyaltyMonths }, (_, i) => {
    const monthsLeft = plan.loyaltyMonths - i;
    return { monthsLeft, fineCents: fineFor(plan, monthsLeft) };
  });
}

export function validatePlan(p: Partial<NewPlan>): NewPlan {
  const f: Record<string, string> = {};
  if (!p.name || p.name.trim().length < 3) f.name = "Informe o nome do plano.";
  const within = (n: number | undefined, min: number, max: number) =>
    Number.isSafeInteger(n) && n! >= min && n! <= max;
  const speed = "Velocidade inválida: um número de 1 a 100000 Mbps.";
  if (!within(p.downMbps, 1, 100_000)) f.downMbps = speed;
  if (!within(p.upMbps, 1, 100_000)) f.upMbps = speed;
  if (!within(p.priceCents, 1, 10_000_000)) {
    f.priceCents = "Preço inválido. Use vírgula nos centavos, ex.: 139,90 (até R$ 100.000).";
  }
  if (!Number.isInteger(p.loyaltyMonths) || p.loyaltyMonths! < 1 || p.loyaltyMonths! > 12) {
    f.loyaltyMonths = "A fidelidade vai de 1 a 12 meses (ANATEL).";
  }
  // ANATEL: the offer states the benefit given for the loyalty, whose value sets the fine.
  if (!p.benefit || p.benefit.trim().length < 3) f.benefit = "Descreva o benefício da fidelidade.";
  if (!within(p.benefitValueCents, 0, 10_000_000)) {
    f.benefitValueCents = "Valor do benefício inválido. Use vírgula nos centavos, ex.: 300,00.";
  }
  if (!p.offerCode || !/^[A-Z0-9-]{4,24}$/.test(p.offerCode)) {
    f.offerCode = "Código da oferta: 4 a 24 letras maiúsculas, números ou hífen.";
  }
  if (Object.keys(f).length) throw new ValidationError(f);
  return p as NewPlan;
}

// An offer never changes once published (its code is printed on contracts and bills): a new
// price or benefit is a new plan with a new code, and the old one is retired. Every plan write
// also rewrites plansVersion in the same atomic (plansWithStamp and the page cache rely on it).

export async function createPlan(
  db: Db,
  input: Partial<NewPlan>,
  actor: Actor = SYSTEM,
): Promise<Plan> {
  const v = validatePlan(input);
  const plan: Plan = { ...v, id: ulid(), active: true, createdAt: db.now().toISOString() };
  const op = db.kv.atomic()
    .check({ key: keys.plan(plan.id), versionstamp: null })
    .check({ key: keys.planByOfferCode(plan.offerCode), versionstamp: null })
    .set(keys.plan(plan.id), plan)
    .set(keys.planByOfferCode(plan.offerCode), plan.id)
    .set(keys.plansVersion(), plan.id);
  addAudit(db, op, `plan:${plan.id}`, "plan.created", actor, { offerCode: plan.offerCode });
  const res = await op.commit();
  if (!res.ok) throw new ValidationError({ offerCode: "Já existe um plano com este código." });
  return plan;
}

/** Retires a plan (no longer offered; contracts on it keep it) or offers it again. */
export async function setPlanActive(db: Db, id: string, active: boolean, actor: Actor) {
  const entry = await db.kv.get<Plan>(keys.plan(id));
  if (!entry.value) throw new NotFoundError("Plano não encontrado.");
  if (entry.value.active === active) return entry.value;
  const next = { ...entry.value, active };
  const op = db.kv.atomic().check(entry).set(keys.plan(id), next).set(keys.plansVersion(), id);
  addAudit(db, op, `plan:${id}`, active ? "plan.offered" : "plan.retired", actor);
  if ((await op.commit()).ok) return next;
  // Two admins clicked at once: fine if the plan ended up as asked.
  const now = (await db.kv.get<Plan>(keys.plan(id))).value;
  if (now?.active === active) return now;
  throw new ConflictError("Este plano foi alterado por outra pessoa; recarregue a página.");
}

/** The plan form's fields as typed by people ("R$ 1.099,90", "500"), before validatePlan. */
export function planFromForm(f: Record<string, string | undefined>): Partial<NewPlan> {
  const int = (s?: string) => (/^\s*\d+\s*$/.test(s ?? "") ? Number(s) : NaN);
  return {
    name: (f.name ?? "").trim().slice(0, 80),
    downMbps: int(f.downMbps),
    upMbps: int(f.upMbps),
    priceCents: centsFromText(f.price),
    loyaltyMonths: int(f.loyaltyMonths),
    benefit: (f.benefit ?? "").trim().slice(0, 200),
    benefitValueCents: centsFromText(f.benefitValue),
    offerCode: (f.offerCode ?? "").trim().toUpperCase(),
  };
}

/**
 * "R$ 1.099,90" / "1099,9" / "1099" / "139.90" (a phone's decimal key) → cents; NaN when it
 * is not an amount. A dot followed by three digits groups thousands; by one or two, cents.
 */
export function centsFromText(text?: string): number {
  const t = (text ?? "").trim().replace(/^R\$\s*/, "");
  const m = /^(\d{1,3}(?:\.\d{3})+|\d+)(?:,(\d{1,2}))?$/.exec(t) ?? /^(\d+)\.(\d{1,2})$/.exec(t);
  if (!m || m[1].replaceAll(".", "").length > 9) return NaN;
  return Number(m[1].replaceAll(".", "")) * 100 + Number((m[2] ?? "0").padEnd(2, "0"));
}

export async function getPlan(db: Db, id: string): Promise<Plan | null> {
  return (await db.kv.get<Plan>(keys.plan(id))).value;
}

export async function listPlans(db: Db, opts: { activeOnly?: boolean } = {}): Promise<Plan[]> {
  const out: Plan[] = [];
  for await (const e of db.kv.list<Plan>({ prefix: keys.plans() })) {
    if (!opts.activeOnly || e.value.active) out.push(e.value);
  }
  return out.sort((a, b) => a.downMbps - b.downMbps);
}

// The plan list by the versionstamp of `plansVersion`: every plan write rewrites that key in
// the same atomic, so an unchanged stamp means an unchanged list. Saves listing every plan on
// each customer page.
const plansByStamp = new WeakMap<
  Db,
  { stamp: string | null; plans: Plan[]; order: PlanOrderSetting }
>();

/**
 * All plans (sorted as listPlans), the provider's order for the customer's page, and the stamp
 * they were read at (a page-cache dependency: the order is written with plansVersion too).
 */
export async function plansWithStamp(
  db: Db,
): Promise<{ plans: Plan[]; stamp: string | null; order: PlanOrderSetting }> {
  // The stamp is read before the list: a plan written in between leaves an older stamp with a
  // newer list, which only costs one more read next time, never a stale list.
  return await plansAtStamp(db, (await db.kv.get(keys.plansVersion())).versionstamp);
}

/** plansWithStamp for a plansVersion stamp the caller read (with other keys, in one getMany). */
export async function plansAtStamp(
  db: Db,
  stamp: string | null,
): Promise<{ plans: Plan[]; stamp: string | null; order: PlanOrderSetting }> {
  const memo = plansByStamp.get(db);
  if (memo && memo.stamp === stamp && stamp !== null) return memo;
  const [plans, order] = await Promise.all([listPlans(db), getPlanOrder(db)]);
  plansByStamp.set(db, { stamp, plans, order });
  return { plans, stamp, order };
}

/** The provider's order for the customer's plan page (the default when never set). */
export async function getPlanOrder(db: Db): Promise<PlanOrderSetting> {
  return (await db.kv.get<PlanOrderSetting>(keys.planOrder())).value ?? DEFAULT_PLAN_ORDER;
}

/**
 * Sets the order of the customer's plan page: one of PLAN_ORDERS and, optionally, an offered
 * plan to recommend (shown first). Audited; rewrites plansVersion in the same atomic so every
 * cached customer page is rendered again.
 */
export async function setPlanOrder(
  db: Db,
  input: { order?: string; recommendedPlanId?: string },
  actor: Actor,
): Promise<PlanOrderSetting> {
  const f: Record<string, string> = {};
  const order = input.order as PlanOrder;
  if (!PLAN_ORDERS.includes(order)) f.order = "Escolha uma das ordens da lista.";
  const recommendedPlanId = (input.recommendedPlanId ?? "").trim() || undefined;
  const rec = recommendedPlanId && recommendedPlanId.length <= 40
    ? await db.kv.get<Plan>(keys.plan(recommendedPlanId))
    : null;
  if (recommendedPlanId && !rec?.value?.active) {
    f.recommendedPlanId = "Escolha um plano oferecido (ou nenhum).";
  }
  if (Object.keys(f).length) throw new ValidationError(f);
  const setting: PlanOrderSetting = recommendedPlanId ? { order, recommendedPlanId } : { order };
  const op = db.kv.atomic()
    .set(keys.planOrder(), setting)
    .set(keys.plansVersion(), "order");
  // The recommended plan must still be offered when this commits.
  if (rec) op.check(rec);
  addAudit(db, op, "plans", "plan.order_set", actor, setting);
  if (!(await op.commit()).ok) {
    throw new ConflictError("Este plano foi alterado por outra pessoa; recarregue a página.");
  }
  return setting;
}

/** ERP plan ids (or codes) mapped to our plans on the import's mapping screen. */
export async function planErpMappings(db: Db): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for await (const e of db.kv.list<string>({ prefix: keys.plansByErpId() })) {
    out[String(e.key[1])] = e.value;
  }
  return out;
}

/** Maps an ERP plan id to one of our plans; an empty planId removes the mapping. */
export async function setPlanErpMapping(db: Db, erpPlanId: string, planId: string) {
  const erp = erpPlanId.trim();
  if (!erp || erp.length > 100) throw new ValidationError({ erpPlanId: "Plano do ERP inválido." });
  if (!planId) return void await db.kv.delete(keys.planByErpId(erp));
  if (!(await getPlan(db, planId))) throw new ValidationError({ planId: "Plano não encontrado." });
  await db.kv.set(keys.planByErpId(erp), planId);
}

/**
 * Resolves a plan value from an ERP file: the saved mapping first, then one of our plans by
 * id, offer code or name (case and accents ignored). null when nothing matches.
 */
export function planResolver(
  plans: Plan[],
  mappings: Record<string, string>,
): (value: string) => string | null {
  const fold = (s: string) =>
    s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").trim().toLowerCase();
  const ids = new Set(plans.map((p) => p.id));
  const byText = new Map<string, string>();
  for (const p of plans) {
    byText.set(fold(p.name), p.id);
    byText.set(fold(p.offerCode), p.id);
    byText.set(fold(p.id), p.id);
  }
  const cache = new Map<string, string | null>();
  return (value) => {
    const v = value.trim();
    let hit = cache.get(v);
    if (hit !== undefined) return hit;
    const mapped = mappings[v];
    hit = mapped && ids.has(mapped) ? mapped : byText.get(fold(v)) ?? null;
    if (cache.size < 10_000) cache.set(v, hit);
    return hit;
  };
}
