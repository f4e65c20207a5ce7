// The steps policy.ts marks `auto` are the ones Renova can take itself: each has a verb in
// services/renewals/advance.ts and the step table lets the system take it.
import assert from "node:assert/strict";
import { autoAction, STEP_POLICY } from "../../domain/policy.ts";
import { STEPS } from "../../domain/steps.ts";
import { AUTO_VERBS } from "../../services/renewals/advance.ts";

Deno.test("every auto step has a verb the system may take", () => {
  const auto = STEPS.filter((s) => STEP_POLICY[s].auto);
  assert.deepEqual(auto, ["data_confirmed", "plan_changed", "signed", "registered"]);
  for (const s of auto) {
    const a = autoAction(s, "system");
    assert.ok(a && AUTO_VERBS[a], s);
  }
});

Deno.test("steps that need a judgement or the customer are never taken automatically", () => {
  for (const s of ["photo_sent", "holder_verified", "notified", "signature_sent"] as const) {
    assert.equal(autoAction(s, "system"), undefined, s);
  }
});
