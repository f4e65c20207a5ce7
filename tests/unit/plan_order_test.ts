// The order of the customer's plan page (#16 item 5): the provider's setting, applied to the
// customer's current plan; the default never leads with a downgrade.
import assert from "node:assert/strict";
import { DEFAULT_PLAN_ORDER, orderPlans } from "../../domain/plan_order.ts";

const plan = (id: string, downMbps: number, priceCents: number) => ({ id, downMbps, priceCents });
const PLANS = [
  plan("p300", 300, 9990),
  plan("p500", 500, 11990),
  plan("p600", 600, 12990),
  plan("p1000", 1000, 17990),
  plan("p400", 400, 10990),
];
const ids = (ps: { id: string }[]) => ps.map((p) => p.id);
const current = PLANS[1]; // 500

Deno.test("plan order: the default leads with the nearest upgrade, downgrades last", () => {
  assert.deepEqual(ids(orderPlans(PLANS, current, DEFAULT_PLAN_ORDER)), [
    "p600",
    "p1000",
    "p500",
    "p400",
    "p300",
  ]);
});

Deno.test("plan order: current first, then upgrades, then downgrades", () => {
  assert.deepEqual(ids(orderPlans(PLANS, current, { order: "current_first" })), [
    "p500",
    "p600",
    "p1000",
    "p400",
    "p300",
  ]);
});

Deno.test("plan order: cheapest and fastest first are what they say", () => {
  assert.deepEqual(ids(orderPlans(PLANS, current, { order: "cheapest_first" })), [
    "p300",
    "p400",
    "p500",
    "p600",
    "p1000",
  ]);
  assert.deepEqual(ids(orderPlans(PLANS, current, { order: "fastest_first" })), [
    "p1000",
    "p600",
    "p500",
    "p400",
    "p300",
  ]);
});

Deno.test("plan order: the recommended plan comes first, the rest keep their order", () => {
  assert.deepEqual(
    ids(orderPlans(PLANS, current, { order: "upgrades_first", recommendedPlanId: "p1000" })),
    ["p1000", "p600", "p500", "p400", "p300"],
  );
});

Deno.test("plan order: without a current plan the default is fastest first, never cheapest", () => {
  assert.equal(orderPlans(PLANS, undefined, DEFAULT_PLAN_ORDER)[0].id, "p1000");
});

Deno.test("plan order: a retired current plan still splits up from down", () => {
  const retired = plan("old450", 450, 11000);
  assert.deepEqual(ids(orderPlans(PLANS, retired, DEFAULT_PLAN_ORDER)), [
    "p500",
    "p600",
    "p1000",
    "p400",
    "p300",
  ]);
});
