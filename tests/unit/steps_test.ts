// Every legal and illegal transition of the renewal table.
import assert from "node:assert/strict";
import {
  type Action,
  type ActorKind,
  decide,
  MAX_FAILED_CONTACTS,
  STEPS,
  TRANSITIONS,
} from "../../domain/steps.ts";

const HAPPY: [Action, ActorKind, string, string][] = [
  ["contact_answered", "staff", "contact", "offer"],
  ["choose_plan", "customer", "offer", "plan_chosen"],
  ["upload_photo", "customer", "plan_chosen", "photo_sent"],
  ["reject_photo", "staff", "photo_sent", "photo_rejected"],
  ["upload_photo", "customer", "photo_rejected", "photo_sent"],
  ["approve_photo", "staff", "photo_sent", "holder_verified"],
  ["confirm_data", "customer", "holder_verified", "data_confirmed"],
  ["change_plan", "staff", "data_confirmed", "plan_changed"],
  ["send_signature", "staff", "plan_changed", "signature_sent"],
  ["sign", "customer", "signature_sent", "signed"],
  ["register", "staff", "signed", "registered"],
  ["notify", "staff", "registered", "notified"],
  ["close", "staff", "notified", "closed"],
];

Deno.test("the happy path walks every step from contact to closed", () => {
  for (const [action, by, from, to] of HAPPY) {
    assert.deepEqual(decide(from as never, action, by), { ok: true, to }, `${action} from ${from}`);
  }
});

// Written by hand from the renewal procedure (not from TRANSITIONS): every move each kind of
// actor may make at each step, as "action>target". Supervisors may also do what staff may do.
// Anything not listed must be refused.
const GOLDEN: Record<string, Partial<Record<ActorKind, string>>> = {
  contact: {
    staff: "contact_answered>offer contact_failed>contact choose_plan>plan_chosen decline>declined",
    supervisor: "cancel>cancelled",
    customer: "choose_plan>plan_chosen decline>declined",
    system: "expire>expired",
  },
  offer: {
    staff: "contact_answered>offer contact_failed>offer choose_plan>plan_chosen decline>declined",
    supervisor: "cancel>cancelled",
    customer: "choose_plan>plan_chosen decline>declined",
    system: "expire>expired",
  },
  plan_chosen: {
    staff: "choose_plan>plan_chosen decline>declined",
    supervisor: "cancel>cancelled",
    customer: "choose_plan>plan_chosen upload_photo>photo_sent decline>declined",
    system: "expire>expired",
  },
  photo_sent: {
    staff: "approve_photo>holder_verified reject_photo>photo_rejected decline>declined",
    supervisor: "cancel>cancelled",
    customer: "upload_photo>photo_sent decline>declined",
    system: "expire>expired",
  },
  photo_rejected: {
    staff: "decline>declined",
    supervisor: "cancel>cancelled",
    customer: "upload_photo>photo_sent decline>declined",
    system: "expire>expired",
  },
  holder_verified: {
    staff: "decline>declined",
    supervisor: "cancel>cancelled",
    customer: "confirm_data>data_confirmed decline>declined",
    system: "expire>expired",
  },
  data_confirmed: {
    staff: "change_plan>plan_changed decline>declined",
    supervisor: "cancel>cancelled",
    customer: "decline>declined",
    // Renova's own plan change and the signing link after it (policy.ts `auto`).
    system: "change_plan>plan_changed expire>expired",
  },
  plan_changed: {
    staff: "send_signature>signature_sent decline>declined",
    supervisor: "cancel>cancelled",
    customer: "decline>declined",
    system: "send_signature>signature_sent expire>expired",
  },
  signature_sent: {
    staff: "decline>declined",
    supervisor: "cancel>cancelled",
    customer: "sign>signed decline>declined",
    system: "expire>expired",
  },
  signed: { staff: "register>registered", system: "register>registered" },
  registered: { staff: "notify>notified", system: "notify>notified" },
  notified: { staff: "close>closed" },
  closed: {},
  declined: {},
  unreachable: {},
  expired: {},
  cancelled: {},
};

Deno.test("every step, action and actor decides as the hand-written golden table says", () => {
  assert.deepEqual(Object.keys(GOLDEN).sort(), [...STEPS].sort(), "the table covers every step");
  const kinds: ActorKind[] = ["staff", "supervisor", "customer", "system"];
  for (const step of STEPS) {
    for (const by of kinds) {
      const listed = by === "supervisor"
        ? `${GOLDEN[step].staff ?? ""} ${GOLDEN[step].supervisor ?? ""}`
        : GOLDEN[step][by] ?? "";
      const expected = Object.fromEntries(
        listed.split(" ").filter(Boolean).map((m) => m.split(">")),
      );
      for (const action of Object.keys(TRANSITIONS) as Action[]) {
        const d = decide(step, action, by);
        const want = expected[action];
        assert.deepEqual(
          d.ok ? d.to : null,
          want ?? null,
          `${by} ${action} at ${step}: ${want ? `to ${want}` : "refused"}`,
        );
      }
    }
  }
});

Deno.test("actors: customers cannot do staff moves, staff cannot sign for the customer", () => {
  assert.deepEqual(decide("photo_sent", "approve_photo", "customer"), {
    ok: false,
    reason: "forbidden",
  });
  assert.deepEqual(decide("signature_sent", "sign", "staff"), { ok: false, reason: "forbidden" });
  assert.deepEqual(decide("holder_verified", "confirm_data", "staff"), {
    ok: false,
    reason: "forbidden",
  });
  assert.deepEqual(decide("plan_chosen", "upload_photo", "staff"), {
    ok: false,
    reason: "forbidden",
  });
  assert.deepEqual(decide("offer", "cancel", "staff"), { ok: false, reason: "forbidden" });
  assert.deepEqual(decide("offer", "cancel", "supervisor"), { ok: true, to: "cancelled" });
  assert.deepEqual(decide("photo_sent", "approve_photo", "supervisor"), {
    ok: true,
    to: "holder_verified",
  });
  assert.deepEqual(decide("offer", "expire", "staff"), { ok: false, reason: "forbidden" });
  assert.deepEqual(decide("offer", "expire", "system"), { ok: true, to: "expired" });
});

Deno.test("declining is possible up to the signature, never after", () => {
  for (
    const step of [
      "contact",
      "offer",
      "plan_chosen",
      "photo_sent",
      "holder_verified",
      "signature_sent",
    ] as const
  ) {
    assert.deepEqual(decide(step, "decline", "customer"), { ok: true, to: "declined" });
  }
  for (const step of ["signed", "registered", "notified", "closed", "declined"] as const) {
    assert.equal(decide(step, "decline", "customer").ok, false, step);
  }
});

Deno.test("failed contacts keep the step until the limit, then the case is unreachable", () => {
  for (let n = 1; n < MAX_FAILED_CONTACTS; n++) {
    assert.deepEqual(decide("contact", "contact_failed", "staff", n), { ok: true, to: "contact" });
  }
  assert.deepEqual(decide("contact", "contact_failed", "staff", MAX_FAILED_CONTACTS), {
    ok: true,
    to: "unreachable",
  });
});

Deno.test("terminal steps accept nothing", () => {
  for (const step of ["closed", "declined", "unreachable", "expired", "cancelled"] as const) {
    for (const action of Object.keys(TRANSITIONS) as Action[]) {
      assert.equal(decide(step, action, "supervisor").ok, false);
      assert.equal(decide(step, action, "system").ok, false);
    }
  }
});
