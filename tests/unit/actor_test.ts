// Who acts decides what they may do: the policy's kind comes from the actor, never beside it.
import assert from "node:assert/strict";
import {
  actorKind,
  auditedActor,
  customerActor,
  staffActor,
  SYSTEM,
  systemActor,
} from "../../domain/actor.ts";
import { can } from "../../domain/policy.ts";

const user = (role: "attendant" | "supervisor" | "admin") =>
  staffActor({ id: "01U", name: "Ana", role }, { ip: "10.0.0.1" });

Deno.test("actor: an attendant acts as staff, supervisors and admins as supervisor", () => {
  assert.equal(actorKind(user("attendant")), "staff");
  assert.equal(actorKind(user("supervisor")), "supervisor");
  assert.equal(actorKind(user("admin")), "supervisor");
  assert.equal(actorKind(customerActor("01C")), "customer");
  assert.equal(actorKind(systemActor("Importação")), "system");
});

Deno.test("actor: only a supervisor's kind may cancel", () => {
  assert.equal(can("offer", "cancel", actorKind(user("attendant"))), false);
  assert.equal(can("offer", "cancel", actorKind(user("admin"))), true);
});

Deno.test("actor: the audit trail keeps who, role and origin, not the union's tags", () => {
  const a = auditedActor({ ...user("supervisor"), submission: "_sub1" });
  assert.deepEqual(a, {
    id: "user:01U",
    name: "Ana",
    role: "supervisor",
    ip: "10.0.0.1",
    submission: "_sub1",
  });
  assert.deepEqual(auditedActor(customerActor("01C", { userAgent: "Android" })), {
    id: "customer:01C",
    name: "Cliente",
    userAgent: "Android",
  });
  assert.deepEqual(auditedActor(SYSTEM), { id: "system", name: "Sistema" });
});
