// caseAt puts a case at every open step through the real verbs, on one shared store.
import assert from "node:assert/strict";
import { testDb } from "./helpers.ts";
import { caseAt } from "./factories.ts";
import { OPEN_STEPS } from "../domain/steps.ts";
import { getCase } from "../services/renewals/cases.ts";

Deno.test("caseAt: a case at each open step, reached by the real verbs", async (t) => {
  await using db = await testDb();
  for (const step of OPEN_STEPS) {
    await t.step(step, async () => {
      const { id, token } = await caseAt(db, step);
      assert.equal((await getCase(db, id))!.step, step);
      if (step !== "contact") assert.ok(token, "a link was sent from the offer on");
    });
  }
});
