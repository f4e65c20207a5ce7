// How the customer's plan page orders the offers: the provider's choice (an admin setting),
// applied to the customer's current plan. Pure and browser-safe.

export const PLAN_ORDERS = [
  "upgrades_first",
  "current_first",
  "fastest_first",
  "cheapest_first",
] as const;
export type PlanOrder = typeof PLAN_ORDERS[number];

/** pt-BR labels for the admin's choice. */
export const PLAN_ORDER_LABELS: Record<PlanOrder, string> = {
  upgrades_first:
    "Melhorias primeiro: os planos acima do atual (do mais próximo ao mais rápido), depois o atual, depois os menores",
  current_first: "Plano atual primeiro, depois as melhorias, depois os menores",
  fastest_first: "Do mais rápido ao mais lento",
  cheapest_first: "Do mais barato ao mais caro",
};

export interface PlanOrderSetting {
  order: PlanOrder;
  /** A plan the provider recommends: shown first, marked "Recomendado". */
  recommendedPlanId?: string;
}

/** The default leads with the nearest upgrade, never with a downgrade. */
export const DEFAULT_PLAN_ORDER: PlanOrderSetting = { order: "upgrades_first" };

interface Orderable {
  id: string;
  downMbps: number;
  priceCents: number;
}

/** The offers in the provider's order for a customer on `current` (undefined: unknown). */
export function orderPlans<P extends Orderable>(
  plans: readonly P[],
  current: Orderable | undefined,
  setting: PlanOrderSetting,
): P[] {
  const bySpeed = (a: P, b: P) => a.downMbps - b.downMbps || a.priceCents - b.priceCents;
  let out: P[];
  if (setting.order === "cheapest_first") {
    out = [...plans].sort((a, b) => a.priceCents - b.priceCents || a.downMbps - b.downMbps);
  } else if (setting.order === "fastest_first" || !current) {
    // Without a current plan there is nothing to go down from: fastest first.
    out = [...plans].sort((a, b) => bySpeed(b, a));
  } else {
    const up = plans.filter((p) => p.id !== current.id && p.downMbps > current.downMbps)
      .sort(bySpeed);
    const same = plans.filter((p) => p.id === current.id);
    const level = plans.filter((p) => p.id !== current.id && p.downMbps === current.downMbps);
    const down = plans.filter((p) => p.downMbps < current.downMbps).sort((a, b) => bySpeed(b, a));
    out = setting.order === "current_first"
      ? [...same, ...up, ...level, ...down]
      : [...up, ...same, ...level, ...down];
  }
  const rec = out.findIndex((p) => p.id === setting.recommendedPlanId);
  if (rec > 0) out.unshift(...out.splice(rec, 1));
  return out;
}
