// The customer's form URLs are the domain verbs; a page opened before the rename still posts.
import assert from "node:assert/strict";
import { caseWithLink, customerPost, setup } from "./renewal_fixtures.ts";
import { getCase } from "../../services/renewals/cases.ts";
import { listPlans } from "../../services/plans.ts";
import { TRANSITIONS } from "../../domain/steps.ts";

Deno.test("customer slugs: every form on the page posts to a domain verb", async () => {
  await using t = await setup();
  const { token } = await caseWithLink(t);
  // The offer page's one form is the refusal, behind its "Tem certeza?" (issue #16).
  const html = await (await t.app.request(`/r/${token}?recusar=1`)).text();
  const slugs = [...html.matchAll(/action="\/r\/[^/"]+\/([a-z_]+)"/g)].map((m) => m[1]);
  assert.ok(slugs.length > 0, "the offer page has forms");
  const verbs = new Set<string>([...Object.keys(TRANSITIONS), "send_code", "submit_contacts"]);
  for (const s of slugs) assert.ok(verbs.has(s), `${s} is not a domain verb`);
});

Deno.test("customer slugs: a former slug (/choose) still chooses the plan", async () => {
  await using t = await setup();
  const { caseId, token } = await caseWithLink(t);
  const plans = await listPlans(t.db);
  const r = await customerPost(t, token, "choose", { planId: plans[1].id, consent: "on" });
  assert.equal(r.status, 303);
  assert.equal((await getCase(t.db, caseId))!.step, "plan_chosen");
});

Deno.test("customer slugs: an inherited property name is not an action", async () => {
  await using t = await setup();
  const { caseId, token } = await caseWithLink(t);
  for (const slug of ["constructor", "toString", "__proto__"]) {
    const r = await customerPost(t, token, slug, {});
    assert.equal(r.status, 404, slug);
  }
  assert.equal((await getCase(t.db, caseId))!.step, "contact");
});
