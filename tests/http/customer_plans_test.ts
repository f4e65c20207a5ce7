// The customer's plan page (#16 item 5): today's plan once, the monthly difference to today on
// every other offer, and the provider's order (an admin setting, validated and audited).
import assert from "node:assert/strict";
import { makeUser, postForm, signInAs } from "../helpers.ts";
import { caseWithLink, setup } from "./renewal_fixtures.ts";
import { listPlans, type Plan } from "../../services/plans.ts";
import { getContract } from "../../services/contracts.ts";
import { auditOf } from "../../services/audit.ts";
import { formatMoney } from "../../domain/format.ts";

type T = Awaited<ReturnType<typeof setup>>;

/** A case whose customer is on a middle plan (both upgrades and downgrades exist). */
async function middleCase(t: T) {
  const plans = await listPlans(t.db);
  const sorted = [...plans].sort((a, b) => a.downMbps - b.downMbps);
  const middle = new Set(sorted.slice(1, -1).map((p) => p.id));
  for (let i = 0; i < t.due.length; i++) {
    const planId = (await getContract(t.db, t.due[i].contractId))!.planId;
    if (middle.has(planId)) {
      const { token } = await caseWithLink(t, i);
      return { token, current: plans.find((p) => p.id === planId)!, plans };
    }
  }
  throw new Error("no customer on a middle plan in the seed");
}

/** The plan cards in page order: [name, card HTML]. */
function cards(html: string): [string, string][] {
  return [
    ...html.matchAll(
      /<article[^>]*aria-label="([^"]+)"[^>]*data-testid="plan-card"[^>]*>([\s\S]*?)<\/article>/g,
    ),
  ]
    .map((m) => [m[1], m[2]]);
}

Deno.test("customer plans: today's plan appears once, marked, with its renew button", async () => {
  await using t = await setup();
  const { token, current } = await middleCase(t);
  const html = await (await t.app.request(`/r/${token}`)).text();
  const mine = cards(html).filter(([name]) => name === current.name);
  assert.equal(mine.length, 1);
  assert.match(mine[0][1], /Seu plano atual/);
  assert.match(mine[0][1], /Renovar este plano/);
  assert.equal(html.split("Seu plano atual").length - 1, 1);
});

Deno.test("customer plans: every other offer says how much more or less per month than today", async () => {
  await using t = await setup();
  const { token, current, plans } = await middleCase(t);
  const html = await (await t.app.request(`/r/${token}`)).text();
  const byName = new Map(plans.map((p) => [p.name, p] as [string, Plan]));
  let more = 0, less = 0;
  for (const [name, card] of cards(html)) {
    if (name === current.name) continue;
    const d = byName.get(name)!.priceCents - current.priceCents;
    const text = d === 0
      ? "Mesmo preço de hoje"
      : `${formatMoney(Math.abs(d))} a ${d > 0 ? "mais" : "menos"} por mês que hoje`;
    assert.ok(card.includes(text), `${name}: ${text}`);
    d > 0 ? more++ : less++;
  }
  assert.ok(more > 0 && less > 0, "the case has both upgrades and downgrades");
});

Deno.test("customer plans: by default the first offer is an upgrade, not the cheapest plan", async () => {
  await using t = await setup();
  const { token, current, plans } = await middleCase(t);
  const html = await (await t.app.request(`/r/${token}`)).text();
  const first = plans.find((p) => p.name === cards(html)[0][0])!;
  assert.ok(first.downMbps > current.downMbps, `${first.name} is faster than ${current.name}`);
  const last = plans.find((p) => p.name === cards(html).at(-1)![0])!;
  assert.ok(last.downMbps < current.downMbps, "downgrades come last");
});

Deno.test("customer plans: the admin's order and recommended plan reach the customer at once, audited", async () => {
  await using t = await setup();
  const { token, plans } = await middleCase(t);
  await t.app.request(`/r/${token}`); // cached now
  const admin = await signInAs(t.app, (await makeUser(t.db, "admin")).username);
  const giga = [...plans].sort((a, b) => b.downMbps - a.downMbps)[0];
  const r = await postForm(t.app, "/admin/plans", {
    intent: "order",
    order: "cheapest_first",
    recommendedPlanId: giga.id,
  }, admin);
  assert.equal(r.status, 303);
  const names = cards(await (await t.app.request(`/r/${token}`)).text()).map(([n]) => n);
  const cheapest = [...plans].sort((a, b) => a.priceCents - b.priceCents);
  assert.deepEqual(names, [
    giga.name,
    ...cheapest.filter((p) => p.id !== giga.id).map((p) => p.name),
  ]);
  const [ev] = await auditOf(t.db, "plans", 5);
  assert.equal(ev.action, "plan.order_set");
  assert.deepEqual(ev.data, { order: "cheapest_first", recommendedPlanId: giga.id });
  const page = await (await t.app.request("/admin/plans", { headers: { cookie: admin.cookie } }))
    .text();
  assert.match(page, /<option value="cheapest_first" selected/);
});

Deno.test("customer plans: a made-up order or plan is refused in pt-BR and changes nothing", async () => {
  await using t = await setup();
  const admin = await signInAs(t.app, (await makeUser(t.db, "admin")).username);
  const bad = await postForm(t.app, "/admin/plans", {
    intent: "order",
    order: "random",
    recommendedPlanId: "nao-existe",
  }, admin);
  assert.equal(bad.status, 400);
  const html = await bad.text();
  assert.match(html, /Escolha uma das ordens da lista/);
  assert.match(html, /Escolha um plano oferecido/);
  assert.equal((await auditOf(t.db, "plans", 5)).length, 0);
});

Deno.test("customer plans: attendants may not change the order", async () => {
  await using t = await setup();
  const r = await postForm(
    t.app,
    "/admin/plans",
    { intent: "order", order: "cheapest_first" },
    t.att,
  );
  assert.equal(r.status, 403);
  assert.equal((await auditOf(t.db, "plans", 5)).length, 0);
});

Deno.test("customer plans: confirming without the tick is said once, in one alert", async () => {
  await using t = await setup();
  const { token, plans } = await middleCase(t);
  const r = await t.app.request(`/r/${token}/choose_plan`, {
    method: "POST",
    headers: { origin: "http://localhost", "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ planId: plans[0].id }),
  }, { remoteAddr: { hostname: "10.0.0.7" } });
  assert.equal(r.status, 400);
  const html = await r.text();
  assert.equal(html.match(/role="alert"/g)?.length, 1);
  assert.equal(html.split("marque que você leu e aceita").length - 1, 1);
});
