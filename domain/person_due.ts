// From when a renewal case needs a person (services/renewals/queues.ts queueOf says which
// queue): kept in the step index's summary by every case write, so handing out the queues
// scans small index values instead of reading and decrypting every open case.
import { isTerminal, type Step } from "./steps.ts";
import { STEP_POLICY } from "./policy.ts";

/** The case fields the answer depends on (structural: cases.ts builds its index from it). */
export interface PersonDueFields {
  step: Step;
  updatedAt: string;
  callbackAt?: string;
  customerReply?: { at: string };
  lastContactAt?: string;
  link?: { expiresAt: string };
}

/**
 * The instant from which the case is in a queue other than "waiting on the customer" (ISO), or
 * null when only the customer can move it and nothing will expire (or it has ended). A staff
 * step, a reply after the last contact, a call-back or a case at contact without a link need
 * someone from their last change; a live link to the customer, from its expiry (no answer).
 */
export function needsPersonFrom(c: PersonDueFields): string | null {
  if (isTerminal(c.step)) return null;
  const turn = STEP_POLICY[c.step].turn;
  if (turn === "staff") return c.updatedAt;
  const replied = !!c.customerReply && c.customerReply.at > (c.lastContactAt ?? "");
  if (replied || c.callbackAt || (c.step === "contact" && !c.link)) return c.updatedAt;
  if (turn === "customer" && c.link) return c.link.expiresAt;
  return null;
}
