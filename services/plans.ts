// Commercial plans (offers). Each carries its own offer code, loyalty term and the benefit
// whose value sets the proportional fine (ANATEL RGC: fine proportional to the months left).
import type { Db } from "./db.ts";
import { keys } from "./keys.ts";
import { ulid } from "./ulid.ts";
import { ValidationError } from "./errors.ts";

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
  if (!Number.isInteger(p.downMbps) || p.downMbps! <= 0) f.downMbps = "Velocidade inválida.";
  if (!Number.isInteger(p.upMbps) || p.upMbps! <= 0) f.upMbps = "Velocidade inválida.";
  if (!Number.isInteger(p.priceCents) || p.priceCents! <= 0) f.priceCents = "Preço inválido.";
  if (!Number.isInteger(p.loyaltyMonths) || p.loyaltyMonths! < 1 || p.loyaltyMonths! > 12) {
    f.loyaltyMonths = "A fidelidade vai de 1 a 12 meses (ANATEL).";
  }
  if (!p.offerCode || !/^[A-Z0-9-]{4,24}$/.test(p.offerCode)) {
    f.offerCode = "Código da oferta: 4 a 24 letras maiúsculas, números ou hífen.";
  }
  if (Object.keys(f).length) throw new ValidationError(f);
  return p as NewPlan;
}

export async function createPlan(db: Db, input: Partial<NewPlan>): Promise<Plan> {
  const v = validatePlan(input);
  const plan: Plan = { ...v, id: ulid(), active: true, createdAt: db.now().toISOString() };
  const res = await db.kv.atomic()
    .check({ key: keys.plan(plan.id), versionstamp: null })
    .check({ key: keys.planByOfferCode(plan.offerCode), versionstamp: null })
    .set(keys.plan(plan.id), plan)
    .set(keys.planByOfferCode(plan.offerCode), plan.id)
    .commit();
  if (!res.ok) throw new ValidationError({ offerCode: "Já existe um plano com este código." });
  return plan;
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
