// The per-step policy table: what each surface reads (labels, whose turn, the customer's
// stage, buttons, the link rule) agrees with the transitions and with the renewal procedure.
import assert from "node:assert/strict";
import {
  allowedActions,
  assertCan,
  CUSTOMER_TURN,
  nextButtons,
  PolicyRefusal,
  STEP_POLICY,
} from "../../domain/policy.ts";
import { type Action, OPEN_STEPS, STEPS } from "../../domain/steps.ts";

Deno.test("each step's main button is a move staff may make at that step", () => {
  for (const step of STEPS) {
    const b = STEP_POLICY[step].button;
    if (b) assert.ok(allowedActions(step, "staff").includes(b as Action), `${b} at ${step}`);
  }
});

Deno.test("a link is offered only where the customer may still act on their page", () => {
  for (const step of STEPS) {
    if (!STEP_POLICY[step].link) continue;
    const theirs = allowedActions(step, "customer").filter((a) => a !== "decline");
    assert.ok(theirs.length > 0, `${step}: the page asks the customer nothing`);
  }
  assert.deepEqual(STEPS.filter((s) => STEP_POLICY[s].link), [
    "contact",
    "offer",
    "plan_chosen",
    "photo_sent",
    "photo_rejected",
    "holder_verified",
    "signature_sent",
  ]);
});

Deno.test("the stale-case job waits only on steps where the customer must move", () => {
  assert.deepEqual(CUSTOMER_TURN, [
    "contact",
    "offer",
    "plan_chosen",
    "photo_rejected",
    "holder_verified",
    "signature_sent",
  ]);
});

Deno.test("the customer's stage never goes back along the happy path", () => {
  const path = OPEN_STEPS.filter((s) => s !== "photo_rejected");
  for (let i = 1; i < path.length; i++) {
    assert.ok(STEP_POLICY[path[i]].stage >= STEP_POLICY[path[i - 1]].stage, path[i]);
  }
  assert.equal(STEP_POLICY.contact.stage, 0);
  assert.equal(STEP_POLICY.notified.stage, 4);
});

Deno.test("the offline app names the case page's own buttons", () => {
  assert.deepEqual(nextButtons("photo_sent", false), [
    "Aprovar: é o titular",
    "Recusar foto",
    "Enviar link do cliente",
  ]);
  assert.deepEqual(nextButtons("data_confirmed", true), [
    "Alterar plano e enviar link de assinatura",
  ]);
  assert.deepEqual(nextButtons("signature_sent", true), ["Reenviar link do cliente"]);
  assert.deepEqual(nextButtons("closed", true), []);
});

Deno.test("assertCan says in pt-BR why a move is refused", () => {
  assert.equal(assertCan("offer", "cancel", "supervisor"), "cancelled");
  assert.throws(
    () => assertCan("offer", "cancel", "staff"),
    (e) => e instanceof PolicyRefusal && e.reason === "forbidden" && /supervisores/.test(e.message),
  );
  assert.throws(
    () => assertCan("offer", "close", "staff"),
    (e) =>
      e instanceof PolicyRefusal && e.reason === "illegal" && /Oferta apresentada/.test(e.message),
  );
});
