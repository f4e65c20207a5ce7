// The dashboard body is rendered once per distinct input: an unchanged dashboard is not
// rendered again, and any change of a figure (or of the form's errors) is.
import assert from "node:assert/strict";
import { dashboardBody } from "../../lib/dashboard.tsx";
import { dashboardData, parsePeriod } from "../../services/renewals/dashboard.ts";
import { testDb } from "../helpers.ts";
import { caseAt } from "../factories.ts";

Deno.test("dashboard body: the same counters reuse the render, a moved counter renders anew", async () => {
  await using db = await testDb();
  await caseAt(db, "plan_chosen");
  const period = parsePeriod({}, db.now());
  const first = dashboardBody(await dashboardData(db, period));
  assert.equal(dashboardBody(await dashboardData(db, period)), first, "kept render");
  const withErrors = dashboardBody(await dashboardData(db, period), { de: "Data inválida" });
  assert.notEqual(withErrors, first);
  assert.match(withErrors.html, /Data inválida/);
  await caseAt(db, "plan_chosen");
  const moved = dashboardBody(await dashboardData(db, period));
  assert.notEqual(moved, first);
  assert.notEqual(moved.html, first.html);
});
